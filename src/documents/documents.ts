/**
 * Public entry of the identity-document module: `checkDocument` (dispatch by type),
 * `detectDocumentType` (guess the type from the value, for the CLI) and
 * `normalizeDocumentNumber` (the canonical string the registry hashes with the type).
 * Pure functions; the only I/O is loading the shipped region list once at import.
 */
import { checkResidencePermit, checkResidentId, cleanNumberInput, normalizeIdNumber, residencePermitPrefixes } from './documents.cn-id.ts';
import { documentError } from './documents.errors.ts';
import { checkForeignPermanentResidentId, normalizeForeignPermanentResidentId } from './documents.foreign-pr.ts';
import { checkPassportMrz, normalizePassportMrz } from './documents.passport.ts';
import { checkHkMacauTravelPermit, checkTaiwanTravelPermit, normalizeHkMacauTravelPermit, normalizeTaiwanTravelPermit } from './documents.travel-permits.ts';
import { isDocumentType, type CheckOptions, type DocumentCheck, type DocumentType } from './documents.types.ts';

export { ageOn } from './documents.dates.ts';
export { documentErrorCodes, documentErrorCodeList, type DocumentError, type DocumentErrorCode } from './documents.errors.ts';
export { parseMrz, type MrzFields, type MrzParseResult } from './documents.mrz.ts';
export { documentTypes, documentTypeLabels, isDocumentType, type CheckOptions, type DocumentCheck, type DocumentType, type Region } from './documents.types.ts';

const checkers: Record<DocumentType, (value: string, opts: CheckOptions) => DocumentCheck> = {
  cn_resident_id: checkResidentId,
  hmt_residence_permit: checkResidencePermit,
  hk_macau_travel_permit: (v) => checkHkMacauTravelPermit(v),
  taiwan_travel_permit: (v) => checkTaiwanTravelPermit(v),
  foreign_permanent_resident_id: checkForeignPermanentResidentId,
  passport_mrz: checkPassportMrz,
};

/**
 * Checks `value` as a document of `type`. Never throws for a bad number (failures are in
 * `errors`); throws RangeError only for an invalid `today` option. An unknown `type` string
 * (from untyped callers) gives a result with `document.type_unknown`.
 */
export function checkDocument(type: DocumentType, value: string, opts: CheckOptions = {}): DocumentCheck {
  if (!isDocumentType(type)) {
    return { valid: false, type, normalized: cleanNumberInput(String(value)), errors: [documentError('document.type_unknown')] };
  }
  return checkers[type](String(value), opts);
}

/** Guesses the type from the shape of the value; undefined if it matches none. */
export function detectDocumentType(value: string): DocumentType | undefined {
  const raw = value.toUpperCase();
  if (raw.includes('<')) return 'passport_mrz';
  const s = cleanNumberInput(value);
  if (/^\d{17}[\dX]$/.test(s)) {
    if ((residencePermitPrefixes as readonly string[]).includes(s.slice(0, 6))) return 'hmt_residence_permit';
    return s.startsWith('9') ? 'foreign_permanent_resident_id' : 'cn_resident_id';
  }
  if (/^\d{15}$/.test(s)) return 'cn_resident_id';
  if (/^[A-Z]{3}\d{12}$/.test(s)) return 'foreign_permanent_resident_id';
  if (/^[HM]\d{8}(\d{2})?$/.test(s)) return 'hk_macau_travel_permit';
  if (/^\d{8}(\d{2})?$/.test(s)) return 'taiwan_travel_permit';
  return undefined;
}

/**
 * The canonical string of a number, used with the type for the registry's HMAC lookup. Stable:
 * the same document always gives the same string, whatever the input formatting.
 * - cn_resident_id, hmt_residence_permit: 18 characters, upper-case X; 15-digit numbers upgraded.
 * - hk_macau_travel_permit: H/M + 8 digits (renewal count of the 11-character form dropped).
 * - taiwan_travel_permit: 8 digits (renewal count of the 10-digit form dropped).
 * - foreign_permanent_resident_id: the 15 or 18 characters, upper-case.
 * - passport_mrz: "<document code letter>:<issuing state>:<document number>".
 * Returns undefined when the value does not have the type's format (nothing sensible to hash).
 * It does not validate check digits: hash only numbers that `checkDocument` found valid.
 */
export function normalizeDocumentNumber(type: DocumentType, value: string): string | undefined {
  switch (type) {
    case 'cn_resident_id':
      return normalizeIdNumber(value);
    case 'hmt_residence_permit': {
      const s = cleanNumberInput(value);
      return /^\d{17}[\dX]$/.test(s) ? s : undefined;
    }
    case 'hk_macau_travel_permit':
      return normalizeHkMacauTravelPermit(value);
    case 'taiwan_travel_permit':
      return normalizeTaiwanTravelPermit(value);
    case 'foreign_permanent_resident_id':
      return normalizeForeignPermanentResidentId(value);
    case 'passport_mrz':
      return normalizePassportMrz(value);
    default:
      return undefined;
  }
}
