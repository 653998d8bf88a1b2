/**
 * Passport / ID card check from its ICAO 9303 MRZ: parses (documents.mrz.ts), flags an expired
 * document against `today`, and builds the DocumentCheck and its canonical number
 * "<first letter of document code>:<issuing state>:<document number>", e.g. "P:CHN:E59659321".
 */
import { resolveToday } from './documents.dates.ts';
import { documentError } from './documents.errors.ts';
import { parseMrz, splitMrzLines, type MrzFields } from './documents.mrz.ts';
import type { CheckOptions, DocumentCheck } from './documents.types.ts';

function canonical(f: MrzFields): string {
  return `${f.documentCode.charAt(0)}:${f.issuingState}:${f.documentNumber}`;
}

/** Canonical key of an MRZ whose layout and characters are valid; undefined otherwise. */
export function normalizePassportMrz(value: string): string | undefined {
  const parsed = parseMrz(value, { today: '2000-01-01' }); // the key does not depend on dates
  return parsed.fields ? canonical(parsed.fields) : undefined;
}

export function checkPassportMrz(value: string, opts: CheckOptions = {}): DocumentCheck {
  const today = resolveToday(opts.today);
  const parsed = parseMrz(value, { today });
  const f = parsed.fields;
  if (!f) {
    return { valid: false, type: 'passport_mrz', normalized: splitMrzLines(value).join('\n'), errors: parsed.errors };
  }
  const errors = [...parsed.errors];
  if (f.expiryDate !== undefined && f.expiryDate < today) {
    errors.push(documentError('mrz.expired', { detail: `It expired on ${f.expiryDate}.` }));
  }
  const out: DocumentCheck = {
    valid: errors.length === 0,
    type: 'passport_mrz',
    normalized: canonical(f),
    documentNumber: f.documentNumber,
    issuingState: f.issuingState,
    surname: f.surname,
    givenNames: f.givenNames,
    name: [f.surname, f.givenNames].filter((s) => s !== '').join(', '),
    errors,
  };
  if (f.nationality !== '') out.nationality = f.nationality;
  if (f.birthDate) out.birthDate = f.birthDate;
  if (f.sex) out.sex = f.sex;
  if (f.expiryDate) out.expiryDate = f.expiryDate;
  return out;
}
