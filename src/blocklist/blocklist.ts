/**
 * The fraud blocklist: documents refused at registration, by one operator (tenant entry) or
 * across the deployment (tenant NULL, added by system code only). An entry keeps only the HMAC of the
 * document (type + normalised number, the same key registration looks people up by), a
 * reason, who added it and when; the document number itself is never stored.
 */
import { checkDocument, isDocumentType } from '../documents/documents.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';

export interface BlocklistEntry {
  id: string;
  /** null: deployment-wide (added by system code; regulators only read). */
  tenantId: string | null;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
}

export const maxReasonLength = 500;

/**
 * The HMAC registration would compute for this document (see `readDocument`): the number
 * must pass the same check, so a typo cannot silently block nobody. `document.invalid` otherwise.
 */
export function blocklistHmac(keyring: Keyring, type: string, number: string, today: Date): Buffer {
  if (!isDocumentType(type)) throw new DomainError('document.invalid', 'Unknown document type', { errors: [{ code: 'document.type_unknown' }] });
  const check = checkDocument(type, number, { today });
  if (!check.valid) {
    throw new DomainError('document.invalid', check.errors.map((e) => e.message).join('; '), { errors: check.errors.map((e) => ({ code: e.code, message: e.message })) });
  }
  return keyring.documentHmac(type, check.normalized);
}

/** The reason without surrounding or repeated white space; request.invalid when empty or too long. */
export function cleanReason(raw: string): string {
  const reason = raw.trim().replace(/\s+/g, ' ');
  if (reason.length === 0 || reason.length > maxReasonLength) throw new DomainError('request.invalid', `The reason must be 1-${maxReasonLength} characters`);
  return reason;
}

/** Keyset cursor over (created_at to the millisecond, id), newest first. */
export function encodeCursor(e: Pick<BlocklistEntry, 'createdAt' | 'id'>): string {
  return Buffer.from(`${e.createdAt.toISOString()}|${e.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw new DomainError('request.invalid', 'The cursor is not valid');
  return { at: date, id };
}
