/**
 * From what an agent typed (or a card reader sent) to a validated document and the keyed hash
 * that finds the person: the one place every flow (registration, guardian, self-service,
 * re-verification, three-element check) reads an identity document.
 */
import { checkDocument, isDocumentType, type DocumentCheck } from '../documents/documents.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { CapturedDocument } from '../registration/registration.ts';

export interface DocumentInput {
  type: string;
  number: string;
  name: string;
  source?: CapturedDocument['source'];
}

export interface ReadDocument { document: CapturedDocument; docHmac: Buffer; check: DocumentCheck }

/** Validates the document on `today`; throws `document.invalid` with the coded findings. */
export function readDocument(keyring: Keyring, input: DocumentInput, today: Date): ReadDocument {
  if (!isDocumentType(input.type)) throw new DomainError('document.invalid', 'Unknown document type', { errors: [{ code: 'document.type_unknown' }] });
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length === 0) throw new DomainError('document.invalid', 'The name is missing', { errors: [{ code: 'document.name_missing' }] });
  const check = checkDocument(input.type, input.number, { today });
  if (!check.valid) {
    throw new DomainError('document.invalid', check.errors.map((e) => e.message).join('; '), { errors: check.errors.map((e) => ({ code: e.code, message: e.message })) });
  }
  const document: CapturedDocument = {
    type: input.type,
    number: check.normalized,
    name,
    source: input.source ?? 'manual_entry',
    ...(check.birthDate ? { birthDate: check.birthDate } : {}),
    ...(check.sex ? { sex: check.sex } : {}),
    ...(check.expiryDate ? { expiryDate: check.expiryDate } : {}),
    ...(check.region ? { regionCode: check.region.code } : {}),
  };
  return { document, docHmac: keyring.documentHmac(input.type, check.normalized), check };
}

/** Age in whole years on `on`, or undefined when the document has no birth date. */
export function ageFromDocument(doc: Pick<CapturedDocument, 'birthDate'>, on: Date): number | undefined {
  if (!doc.birthDate) return undefined;
  const [y, m, d] = doc.birthDate.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}
