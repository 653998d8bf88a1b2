/**
 * GB 11643-1999 citizen identity numbers: the mainland Resident Identity Card (居民身份证,
 * 18 characters, or 15 digits on first-generation cards) and the Residence Permit for Hong Kong,
 * Macau and Taiwan residents (港澳台居民居住证, same layout with prefix 810000/820000/830000).
 *
 * Layout: 6-digit GB/T 2260 region code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd =
 * male), ISO 7064 MOD 11-2 check character (0-9 or X). A 15-digit number is region + YYMMDD
 * (always 19YY) + sequence and is upgraded by inserting "19" and computing the check character.
 *
 * Region rule: a code is accepted if it appears in the GB/T 2260 list at any time (old cards keep
 * old codes; `region.historic` is then true), whatever the birth year. A code that is not in the
 * list is rejected (id.region_unknown) even when its province or prefecture exists: a real number
 * always carries a county-level (or listed city/district) code, and the list goes back to 1980,
 * so a miss is a typo or an invented number. Aggregate codes that are themselves in the list
 * (province xx0000, prefecture xxxx00, "市辖区" xxxx01) are accepted, as python-stdnum and
 * jxlwqq/id-validator do, except 810000/820000/830000, which mark residence permits
 * (document.type_mismatch). Limit: codes created after the data snapshot (see data/SOURCE.md)
 * are unknown until the data is regenerated.
 */
import { mod112CheckChar } from './documents.checksum.ts';
import { birthDateProblem, parseYyyymmdd, resolveToday } from './documents.dates.ts';
import { documentError, type DocumentError } from './documents.errors.ts';
import { lookupRegion } from './documents.regions.ts';
import type { CheckOptions, DocumentCheck, DocumentType } from './documents.types.ts';

export const residencePermitPrefixes = ['810000', '820000', '830000'] as const;

/** NFKC (full-width digits and X become ASCII), drop spaces and hyphens, upper-case. */
export function cleanNumberInput(value: string): string {
  return value.normalize('NFKC').replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * Canonical 18-character form: cleaned, a 15-digit number upgraded to 18. Undefined if the value
 * is not 15 digits or 17 digits + [0-9X]. The check character is kept as given (not corrected).
 */
export function normalizeIdNumber(value: string): string | undefined {
  const s = cleanNumberInput(value);
  if (/^\d{17}[\dX]$/.test(s)) return s;
  if (/^\d{15}$/.test(s)) {
    const body = `${s.slice(0, 6)}19${s.slice(6)}`;
    return body + mod112CheckChar(body);
  }
  return undefined;
}

interface ParsedId {
  normalized: string;
  birthDate?: string;
  sex: 'M' | 'F';
  errors: DocumentError[];
}

/** Format, check character and birth date rules common to every GB 11643-style number. */
export function checkGb11643Core(value: string, opts: CheckOptions): ParsedId | { normalized: string; errors: DocumentError[] } {
  const cleaned = cleanNumberInput(value);
  if (cleaned === '') return { normalized: '', errors: [documentError('document.empty')] };
  const normalized = normalizeIdNumber(cleaned);
  if (normalized === undefined) return { normalized: cleaned, errors: [documentError('id.format')] };
  const errors: DocumentError[] = [];
  const expected = mod112CheckChar(normalized.slice(0, 17));
  if (normalized[17] !== expected) errors.push(documentError('id.checksum', { detail: `It should be ${expected}.` }));
  const birthDate = parseYyyymmdd(normalized.slice(6, 14));
  const problem = birthDateProblem(birthDate, resolveToday(opts.today));
  if (problem) errors.push(documentError(problem));
  const sex = Number(normalized[16]) % 2 === 1 ? 'M' : 'F';
  return problem === 'id.birthdate_invalid' || birthDate === undefined
    ? { normalized, sex, errors }
    : { normalized, birthDate, sex, errors };
}

function result(type: DocumentType, core: ReturnType<typeof checkGb11643Core>, extra: DocumentError[], region?: DocumentCheck['region']): DocumentCheck {
  const errors = [...core.errors, ...extra];
  const out: DocumentCheck = { valid: errors.length === 0, type, normalized: core.normalized, errors };
  if ('birthDate' in core && core.birthDate !== undefined) out.birthDate = core.birthDate;
  if ('sex' in core) out.sex = core.sex;
  if (region) out.region = region;
  return out;
}

/** Resident Identity Card number (18 characters, or 15 digits converted to 18). */
export function checkResidentId(value: string, opts: CheckOptions = {}): DocumentCheck {
  const core = checkGb11643Core(value, opts);
  if (!('sex' in core)) return result('cn_resident_id', core, []);
  const n = core.normalized;
  if ((residencePermitPrefixes as readonly string[]).includes(n.slice(0, 6))) {
    const detail = 'Numbers starting with 810000, 820000 or 830000 are Hong Kong, Macau or Taiwan residence permits.';
    return result('cn_resident_id', core, [documentError('document.type_mismatch', { detail })]);
  }
  const birthYear = core.birthDate ? Number(core.birthDate.slice(0, 4)) : Number(n.slice(6, 10));
  const region = lookupRegion(n.slice(0, 6), birthYear);
  if (!region) {
    const province = lookupRegion(`${n.slice(0, 2)}0000`);
    const detail = province
      ? `Province ${province.name} exists but this county code does not.`
      : n.startsWith('9') ? 'Numbers starting with 9 are foreign permanent resident ID cards.' : undefined;
    return result('cn_resident_id', core, [documentError('id.region_unknown', detail ? { detail } : {})]);
  }
  return result('cn_resident_id', core, [], region);
}

/** Residence Permit for Hong Kong, Macau and Taiwan residents (18 characters, prefix 8x0000). */
export function checkResidencePermit(value: string, opts: CheckOptions = {}): DocumentCheck {
  const cleaned = cleanNumberInput(value);
  if (/^\d{15}$/.test(cleaned)) {
    return result('hmt_residence_permit', { normalized: cleaned, errors: [documentError('id.format')] }, []);
  }
  const core = checkGb11643Core(value, opts);
  if (!('sex' in core)) return result('hmt_residence_permit', core, []);
  const prefix = core.normalized.slice(0, 6);
  if (!(residencePermitPrefixes as readonly string[]).includes(prefix)) {
    return result('hmt_residence_permit', core, [documentError('permit.prefix')]);
  }
  return result('hmt_residence_permit', core, [], lookupRegion(prefix));
}
