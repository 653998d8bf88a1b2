/**
 * Live validation of a resident ID number while it is typed (GB 11643: 17 digits and a check
 * character). The browser checks what it can without the region table: length, characters, the
 * birth date and the check character; the server checks everything (region codes too) when the
 * document is submitted.
 */
import { mod112CheckChar } from '../../src/documents/documents.checksum.ts';

export type IdInputCheck =
  | { state: 'empty' }
  | { state: 'incomplete'; length: number }
  | { state: 'invalid'; code: 'id.format' | 'id.birthdate_invalid' | 'id.birthdate_future' | 'id.birthdate_too_early' | 'id.checksum' }
  | { state: 'valid' };

/** Upper-case, without spaces (what a person types or a scanner sends). */
export function cleanIdInput(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function checkIdInput(raw: string, today = new Date()): IdInputCheck {
  const n = cleanIdInput(raw);
  if (n === '') return { state: 'empty' };
  if (!/^\d{0,17}[\dX]?$/.test(n) || n.length > 18 || (n.includes('X') && n.indexOf('X') !== 17)) return { state: 'invalid', code: 'id.format' };
  if (n.length >= 14) {
    const y = Number(n.slice(6, 10)), m = Number(n.slice(10, 12)), d = Number(n.slice(12, 14));
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { state: 'invalid', code: 'id.birthdate_invalid' };
    if (y < 1900) return { state: 'invalid', code: 'id.birthdate_too_early' };
    if (date.getTime() > today.getTime()) return { state: 'invalid', code: 'id.birthdate_future' };
  }
  if (n.length < 18) return { state: 'incomplete', length: n.length };
  return mod112CheckChar(n.slice(0, 17)) === n[17] ? { state: 'valid' } : { state: 'invalid', code: 'id.checksum' };
}
