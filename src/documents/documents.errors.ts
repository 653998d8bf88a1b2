/**
 * The one list of identity-document check failures. Each code is stable (never renamed;
 * new codes may be added) and has a plain English message. A failed check is a result
 * (`DocumentCheck.errors`), never an exception. Messages never repeat the whole number.
 */
export const documentErrorCodes = {
  // any document
  'document.empty': 'No document number was given.',
  'document.type_unknown': 'This document type is not supported.',
  'document.unrecognized': 'The value does not look like any supported identity document number.',
  'document.type_mismatch': 'The number belongs to a different kind of document than the one selected.',
  // GB 11643 style numbers: resident ID, HK/Macau/Taiwan residence permit, 2023 foreign permanent resident ID
  'id.format': 'The ID number must be 18 characters (17 digits and a check digit 0-9 or X), or 15 digits for a first-generation card.',
  'id.checksum': 'The check digit (last character) of the ID number is wrong.',
  'id.region_unknown': 'The first six digits are not a region code in the GB/T 2260 list, current or historic.',
  'id.birthdate_invalid': 'The birth date in the number is not a real calendar date.',
  'id.birthdate_future': 'The birth date in the number is later than today.',
  'id.birthdate_too_early': 'The birth date in the number is before 1900.',
  // permits for Hong Kong, Macau and Taiwan residents
  'permit.format': 'The permit number does not have the expected format.',
  'permit.prefix': 'A Hong Kong, Macau or Taiwan residence permit number starts with 810000, 820000 or 830000.',
  // foreign permanent resident ID card
  'fpr.format': 'A foreign permanent resident ID number is 3 letters and 12 digits (old card) or 18 digits starting with 9 (2023 card).',
  'fpr.nationality_unknown': 'The nationality code in the number is not a known country code.',
  'fpr.province_unknown': 'The issuing province code in the number is not a known province.',
  'fpr.check_digit': 'The check digit (last character) of the permanent resident ID number is wrong.',
  // ICAO 9303 machine readable zone
  'mrz.format': 'The machine readable zone must be 2 lines of 44 characters (passport), 2 lines of 36 or 3 lines of 30 characters (ID card).',
  'mrz.charset': 'The machine readable zone may only contain A-Z, 0-9 and the filler <.',
  'mrz.document_code': 'The document is not a passport or identity card (for example a visa).',
  'mrz.check_digit': 'A check digit in the machine readable zone is wrong.',
  'mrz.country_unknown': 'A country code in the machine readable zone is not a known ICAO code.',
  'mrz.date_invalid': 'A date in the machine readable zone is not a real calendar date.',
  'mrz.sex_invalid': 'The sex field must be M, F, X or <.',
  'mrz.expired': 'The document has expired.',
} as const satisfies Record<string, string>;

export type DocumentErrorCode = keyof typeof documentErrorCodes;

/** All codes, in declaration order. */
export const documentErrorCodeList = Object.keys(documentErrorCodes) as DocumentErrorCode[];

/** One failed rule. `field` names the part of the document concerned (e.g. an MRZ field). */
export interface DocumentError {
  code: DocumentErrorCode;
  message: string;
  field?: string;
}

const fieldLabels: Record<string, string> = {
  documentNumber: 'document number',
  birthDate: 'date of birth',
  expiryDate: 'date of expiry',
  optionalData: 'personal number / optional data',
  composite: 'composite (whole line)',
  issuingState: 'issuing state',
  nationality: 'nationality',
};

/** Builds an error with its standard message; `detail` (no PII) is appended as a sentence. */
export function documentError(code: DocumentErrorCode, opts: { field?: string; detail?: string } = {}): DocumentError {
  let message: string = documentErrorCodes[code];
  if (opts.field !== undefined) message = `${message.replace(/\.$/, '')} (${fieldLabels[opts.field] ?? opts.field}).`;
  if (opts.detail !== undefined) message = `${message} ${opts.detail}`;
  return opts.field === undefined ? { code, message } : { code, message, field: opts.field };
}
