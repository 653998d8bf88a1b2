/**
 * Foreign Permanent Resident ID Card (外国人永久居留身份证) numbers, two generations:
 *
 * 2023 card (issued from 1 Dec 2023), 18 characters, built like a citizen ID number:
 *   [0] '9' (foreigner marker) [1-2] province of the accepting office (GB/T 2260 xx0000)
 *   [3-5] nationality, ISO 3166-1 numeric [6-13] birth date YYYYMMDD [14-16] sequence
 *   [17] ISO 7064 MOD 11-2 check character. Sex is taken from the parity of [16] (odd = male)
 *   as in GB 11643; the published rule only says the number follows the citizen-number standard.
 *   Sources: National Immigration Administration adaptation notice "新版外国人永久居留身份证机读信息
 *   规则(2023版)" (15 chars → 18 = 17 digits + check, first digit 9, alpha nationality → numeric,
 *   MOD 11-2); field positions as in howardli/CredentialKit ForeignerPermanentResidenceIdNumberProcessor.
 *
 * Old card (2004 and 2017 versions), 15 characters: 3 letters + 12 digits:
 *   [0-2] nationality, ISO 3166-1 alpha-3 [3-6] code of the accepting office (province + 2 digits)
 *   [7-12] birth date YYMMDD [13] sequence digit [14] check digit, ICAO 9303 7-3-1 over [0-13].
 *   Source: howardli/CredentialKit (same class; test vector KAZ110090123105). Not confirmed
 *   against an official text or a real card; sex is not derived from this form.
 */
import { icaoCheckDigit, mod112CheckChar } from './documents.checksum.ts';
import { cleanNumberInput } from './documents.cn-id.ts';
import { alpha3FromNumeric, isNationalityCode } from './documents.countries.ts';
import { birthDateProblem, parseYyyymmdd, resolveToday, resolveYymmdd } from './documents.dates.ts';
import { documentError, type DocumentError } from './documents.errors.ts';
import { lookupProvince } from './documents.regions.ts';
import type { CheckOptions, DocumentCheck, Region } from './documents.types.ts';

const oldFormat = /^[A-Z]{3}\d{12}$/;
const newFormat = /^9\d{16}[\dX]$/;

export function normalizeForeignPermanentResidentId(value: string): string | undefined {
  const s = cleanNumberInput(value);
  return oldFormat.test(s) || newFormat.test(s) ? s : undefined;
}

/** Mainland provinces only: Hong Kong, Macau and Taiwan (81-83) do not issue this card. */
function mainlandProvince(twoDigits: string): Region | undefined {
  return ['71', '81', '82', '83'].includes(twoDigits) ? undefined : lookupProvince(twoDigits);
}

function finish(s: string, errors: DocumentError[], fields: Partial<DocumentCheck>): DocumentCheck {
  return { valid: errors.length === 0, type: 'foreign_permanent_resident_id', normalized: s, ...fields, errors };
}

function checkNew(s: string, today: string): DocumentCheck {
  const errors: DocumentError[] = [];
  const fields: Partial<DocumentCheck> = {};
  const region = mainlandProvince(s.slice(1, 3));
  if (region) fields.region = region;
  else errors.push(documentError('fpr.province_unknown'));
  const nationality = alpha3FromNumeric(s.slice(3, 6));
  if (nationality) fields.nationality = nationality;
  else errors.push(documentError('fpr.nationality_unknown'));
  const birthDate = parseYyyymmdd(s.slice(6, 14));
  const problem = birthDateProblem(birthDate, today);
  if (problem) errors.push(documentError(problem));
  if (birthDate && problem !== 'id.birthdate_invalid') fields.birthDate = birthDate;
  fields.sex = Number(s[16]) % 2 === 1 ? 'M' : 'F';
  const expected = mod112CheckChar(s.slice(0, 17));
  if (s[17] !== expected) errors.push(documentError('id.checksum', { detail: `It should be ${expected}.` }));
  return finish(s, errors, fields);
}

function checkOld(s: string, today: string): DocumentCheck {
  const errors: DocumentError[] = [];
  const fields: Partial<DocumentCheck> = {};
  const nationality = s.slice(0, 3);
  if (isNationalityCode(nationality)) fields.nationality = nationality;
  else errors.push(documentError('fpr.nationality_unknown'));
  const region = mainlandProvince(s.slice(3, 5));
  if (region) fields.region = region;
  else errors.push(documentError('fpr.province_unknown'));
  const birthDate = resolveYymmdd(s.slice(7, 13), today, 'past');
  const problem = birthDateProblem(birthDate, today);
  if (problem) errors.push(documentError(problem));
  else if (birthDate) fields.birthDate = birthDate;
  const expected = icaoCheckDigit(s.slice(0, 14));
  if (s[14] !== expected) errors.push(documentError('fpr.check_digit', { detail: `It should be ${expected}.` }));
  return finish(s, errors, fields);
}

export function checkForeignPermanentResidentId(value: string, opts: CheckOptions = {}): DocumentCheck {
  const s = cleanNumberInput(value);
  if (s === '') return finish('', [documentError('document.empty')], {});
  const today = resolveToday(opts.today);
  if (newFormat.test(s)) return checkNew(s, today);
  if (oldFormat.test(s)) return checkOld(s, today);
  return finish(s, [documentError('fpr.format')], {});
}
