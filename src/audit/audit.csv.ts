/**
 * The inspection export's CSV format (pure). One row per sequenced event with exactly the
 * chain's canonical inputs (audit.chain.ts) plus prev_hash and hash in hex, so an inspector
 * can recompute every hash from the file alone. Escaping follows RFC 4180 and PostgreSQL's
 * COPY … CSV: fields holding a comma, quote, CR or LF are quoted with inner quotes doubled;
 * NULL is an empty unquoted field and the empty string is `""`, so the two stay distinct
 * (the hash depends on the difference). Values are never altered (no spreadsheet-formula
 * prefixing), since that would break re-verification. Lines end in CRLF.
 */
import type { StoredLink } from './audit.chain.ts';

export const CSV_COLUMNS = [
  'seq', 'id', 'at', 'tenant_id', 'actor_type', 'actor_id', 'action', 'subject_type', 'subject_id', 'details', 'prev_hash', 'hash',
] as const;

/** One CSV field: NULL → nothing, '' → `""`, quoted when it holds `,` `"` CR or LF. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  if (s === '') return '""';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(l: StoredLink): string {
  return `${[
    l.seq, l.id, l.at, l.tenantId, l.actorType, l.actorId, l.action, l.subjectType, l.subjectId, l.details,
    l.prevHash ? l.prevHash.toString('hex') : null, l.hash ? l.hash.toString('hex') : null,
  ].map(csvField).join(',')}\r\n`;
}
