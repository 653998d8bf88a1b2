/**
 * The console's shared context: the API client, the language, the signed-in staff member, and
 * what every view receives. Views are pages of the console, each for some roles; the server
 * decides access on every request, the menu only hides what a role cannot open.
 */
import type { Api } from '../shared/api.ts';
import type { I18n } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import type { Role, StaffSession } from '../shared/login.ts';

export type ViewName = 'stats' | 'anomalies' | 'audit' | 'reviews' | 'numbers' | 'policy' | 'campaigns' | 'stores' | 'staff' | 'api-keys' | 'blocklist';

export interface Console {
  readonly api: Api;
  readonly i18n: I18n;
  readonly session: StaffSession;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Runs `work` behind the progress overlay; an error is shown in the banner and gives undefined. */
  busy<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
  problem(e: unknown): void;
  clearProblem(): void;
  /** Shows a confirmation in the banner's place (green). */
  notice(text: string): void;
  /** Opens a view (with query parameters in the hash). */
  go(view: ViewName, params?: Record<string, string>): void;
}

export interface View {
  title: MessageKey;
  roles: readonly Role[];
  render(c: Console, params: URLSearchParams): HTMLElement;
}

/** Console roles. Agents work at the kiosk. */
export const consoleRoles: readonly Role[] = ['store_manager', 'operator_admin', 'regulator'];

/** Local date-time for tables, in the console's language (with seconds where order matters: the audit log). */
export function when(c: Console, iso: string, seconds = false): string {
  return new Date(iso).toLocaleString(c.i18n.lang, { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' });
}

/** A short local date-time for lists that must fit a tablet (2026/11/29 22:20). */
export function whenShort(c: Console, iso: string): string {
  return new Date(iso).toLocaleString(c.i18n.lang, { dateStyle: 'short', timeStyle: 'short' });
}

/** A reason code in plain words where the language table has them, else the code itself. */
export function reasonText(c: Console, code: string): string {
  return c.i18n.maybe(`reason.${code}`) ?? c.i18n.maybe(code) ?? code;
}
