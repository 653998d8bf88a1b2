/**
 * The fraud blocklist: documents refused at registration, by one operator (tenant entry) or
 * across the deployment (tenant NULL, added by system code only). An entry keeps only the HMAC of the
 * document (type + normalised number, the same key registration looks people up by), the
 * document type and masked number for the admin's list (110105********002X), a reason code
 * and a note, who added it and when; the full document number is never stored.
 */
import { checkDocument, isDocumentType, type DocumentType } from '../documents/documents.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { maskDocumentNumber } from '../privacy/mask.ts';

/** Why a document is blocked. Extend the list (and the column's CHECK), never rename an entry. */
export const blocklistReasonCodes = ['fraud', 'forged_document', 'lost_or_stolen', 'authority_request', 'other'] as const;
export type BlocklistReasonCode = (typeof blocklistReasonCodes)[number];

export interface BlocklistEntry {
  id: string;
  /** null: deployment-wide (added by system code; regulators only read). */
  tenantId: string | null;
  /** null for entries added before types were kept. */
  documentType: DocumentType | null;
  /** The number masked as on receipts; null for entries added before masks were kept. */
  maskedNumber: string | null;
  reasonCode: BlocklistReasonCode;
  /** The free-text note. */
  reason: string;
  createdBy: string | null;
  /** The username of `createdBy`, for display. */
  createdByUsername: string | null;
  createdAt: Date;
}

export const maxReasonLength = 500;

/**
 * The HMAC registration would compute for this document (see `readDocument`) and the number
 * masked for display (the document number of a passport's MRZ, not the lines): the number
 * must pass the same check, so a typo cannot silently block nobody. `document.invalid` otherwise.
 */
export function blocklistDocument(keyring: Keyring, type: string, number: string, today: Date): { type: DocumentType; docHmac: Buffer; maskedNumber: string } {
  if (!isDocumentType(type)) throw new DomainError('document.invalid', 'Unknown document type', { errors: [{ code: 'document.type_unknown' }] });
  const check = checkDocument(type, number, { today });
  if (!check.valid) {
    throw new DomainError('document.invalid', check.errors.map((e) => e.message).join('; '), { errors: check.errors.map((e) => ({ code: e.code, message: e.message })) });
  }
  const masked = maskDocumentNumber(check.documentNumber ?? check.normalized);
  return { type, docHmac: keyring.documentHmac(type, check.normalized), maskedNumber: check.issuingState ? `${check.issuingState} ${masked}` : masked };
}

export function isBlocklistReasonCode(code: string): code is BlocklistReasonCode {
  return (blocklistReasonCodes as readonly string[]).includes(code);
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
