/**
 * What went wrong, in plain language: an API problem's stable code (or a camera error's name)
 * looked up in the language table, with what to do next; the server's own sentence (English)
 * is kept only as a small technical note.
 */
import { ApiError } from '../shared/api.ts';
import type { I18n } from '../i18n/i18n.ts';

export interface Explained {
  message: string;
  next: string | undefined;
  /** The stable code, shown small for support. */
  code: string;
  /** Per-field findings (a document's check failures), already translated. */
  details: string[];
}

/** A message of the kiosk itself (already translated), shown like a problem. */
export class Notice extends Error {
  readonly next: string | undefined;
  constructor(message: string, next?: string) {
    super(message);
    this.name = 'Notice';
    this.next = next;
  }
}

/** Browser camera errors by DOMException name. */
const cameraErrors: Record<string, string> = {
  NotAllowedError: 'camera.denied', SecurityError: 'camera.denied', NotFoundError: 'camera.missing',
  OverconstrainedError: 'camera.missing', NotReadableError: 'camera.busy', AbortError: 'camera.busy',
};

export function explain(i18n: I18n, e: unknown): Explained {
  if (e instanceof ApiError) {
    // a document's check findings are shown one by one; other problems' details (schema paths) mean nothing to an agent
    const findings = e.code === 'document.invalid' && Array.isArray(e.problem?.errors) ? (e.problem.errors as { code?: string; message?: string }[]) : [];
    const details = findings.map((f) => (f.code ? i18n.maybe(`doc.${f.code}`) : undefined) ?? f.message ?? '').filter((s) => s !== '');
    return {
      message: i18n.maybe(`problem.${e.code}`) ?? i18n.t('problem.unknown', { status: e.status }),
      next: i18n.maybe(`problem.${e.code}.next`),
      code: e.code === 'network' ? e.code : `${e.code} (${e.status})`,
      details,
    };
  }
  if (e instanceof Notice) return { message: e.message, next: e.next, code: '', details: [] };
  if (e instanceof DOMException && e.name in cameraErrors) {
    const key = cameraErrors[e.name]!;
    return { message: i18n.maybe(key) ?? e.message, next: i18n.maybe(`${key}.next`), code: e.name, details: [] };
  }
  return { message: i18n.t('problem.unexpected'), next: i18n.t('problem.unexpected.next'), code: e instanceof Error ? e.message : String(e), details: [] };
}
