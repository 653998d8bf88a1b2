/**
 * ICAO Doc 9303 machine readable zone parser: TD3 (passport, 2 × 44), TD2 (2 × 36) and
 * TD1 (ID card, 3 × 30). Splits and cleans the input, checks layout, character set, document
 * code, every check digit (document number incl. the long-number extension of TD1/TD2, birth
 * date, expiry date, TD3 personal number, composite), country codes, dates and sex. Outcomes are
 * data: `{ valid, format, fields, errors }` in the spirit of cheminfo/mrz's ParseResult.
 * Expiry against a date is judged by documents.passport.ts.
 */
import { icaoCheckDigit } from './documents.checksum.ts';
import { isIcaoCountryCode } from './documents.countries.ts';
import { resolveToday, resolveYymmdd } from './documents.dates.ts';
import { documentError, type DocumentError } from './documents.errors.ts';
import type { CheckOptions } from './documents.types.ts';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface MrzFields {
  /** e.g. 'P', 'PO', 'I', 'ID', 'AC' (fillers removed). */
  documentCode: string;
  issuingState: string;
  /** Document number without fillers, including the TD1/TD2 long-number extension. */
  documentNumber: string;
  /** '' when the nationality field is blank. */
  nationality: string;
  /** YYYY-MM-DD; absent when unknown ('<' in the field) or not a real date. */
  birthDate?: string;
  expiryDate?: string;
  sex?: 'M' | 'F';
  surname: string;
  givenNames: string;
  /** TD3 personal number, or TD1/TD2 optional data (fillers become spaces, trimmed). */
  optionalData: string;
}

export interface MrzParseResult {
  valid: boolean;
  format: MrzFormat | null;
  /** The cleaned lines that were parsed. */
  lines: string[];
  fields?: MrzFields;
  errors: DocumentError[];
}

const shapes: Record<MrzFormat, { lines: number; length: number }> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

function formatOf(lines: string[]): MrzFormat | null {
  for (const f of ['TD1', 'TD2', 'TD3'] as const) {
    if (lines.length === shapes[f].lines && lines.every((l) => l.length === shapes[f].length)) return f;
  }
  return null;
}

/**
 * Upper-cases and splits the input into MRZ lines. Accepts an array of lines, a string with
 * line breaks (spaces inside a line are removed, as OCR adds them), a single line with the MRZ
 * lines separated by spaces, or the lines run together (88, 72 or 90 characters).
 */
export function splitMrzLines(input: string | readonly string[]): string[] {
  const raw = typeof input === 'string' ? input.split(/\r?\n/) : [...input];
  const lines = raw.map((l) => l.toUpperCase().trim()).filter((l) => l !== '');
  if (lines.length !== 1) return lines.map((l) => l.replace(/\s+/g, ''));
  const tokens = (lines[0] ?? '').split(/\s+/);
  if (formatOf(tokens)) return tokens;
  const joined = tokens.join('');
  for (const f of ['TD3', 'TD2', 'TD1'] as const) {
    const { lines: n, length } = shapes[f];
    if (joined.length === n * length) return Array.from({ length: n }, (_, i) => joined.slice(i * length, (i + 1) * length));
  }
  return [joined];
}

const strip = (s: string) => s.replace(/</g, ' ').trim().replace(/\s+/g, ' ');

function parseNames(field: string): { surname: string; givenNames: string } {
  const at = field.indexOf('<<');
  if (at < 0) return { surname: strip(field), givenNames: '' };
  return { surname: strip(field.slice(0, at)), givenNames: strip(field.slice(at + 2)) };
}

/** Verifies one check digit; `fillerOk` lets an all-filler field carry '<' (or 0) as its digit. */
function verify(errors: DocumentError[], field: string, data: string, digit: string, fillerOk = false): void {
  if (fillerOk && /^<*$/.test(data) && (digit === '<' || digit === '0')) return;
  const expected = icaoCheckDigit(data);
  if (digit !== expected) errors.push(documentError('mrz.check_digit', { field, detail: `It should be ${expected}.` }));
}

/** TD1/TD2 document number, following ICAO 9303 for numbers longer than 9 characters. */
function documentNumber(errors: DocumentError[], nine: string, digit: string, optional: string): { number: string; optional: string } {
  if (digit !== '<' || /^<*$/.test(optional)) {
    verify(errors, 'documentNumber', nine, digit);
    return { number: nine.replace(/</g, ''), optional };
  }
  // The check digit slot holds '<': the number goes on in the optional data, and its last
  // character before the first filler is the check digit. Issuers differ on whether the filler
  // at the check-digit slot counts, so either reading is accepted (as cheminfo/mrz does).
  const end = optional.indexOf('<') < 0 ? optional.length : optional.indexOf('<');
  const tail = optional.slice(0, end - 1);
  const embedded = optional.charAt(end - 1);
  const ok = [`${nine}<${tail}`, `${nine}${tail}`].some((d) => icaoCheckDigit(d) === embedded);
  if (!ok) errors.push(documentError('mrz.check_digit', { field: 'documentNumber' }));
  return { number: (nine + tail).replace(/</g, ''), optional: optional.slice(end) };
}

function checkCountry(errors: DocumentError[], field: string, raw: string): string {
  const code = raw.replace(/</g, '');
  if (field === 'nationality' && code === '') return '';
  if (!isIcaoCountryCode(code)) errors.push(documentError('mrz.country_unknown', { field }));
  return code;
}

export function parseMrz(input: string | readonly string[], opts: CheckOptions = {}): MrzParseResult {
  const today = resolveToday(opts.today);
  const lines = splitMrzLines(input);
  const format = formatOf(lines);
  const fail = (e: DocumentError): MrzParseResult => ({ valid: false, format, lines, errors: [e] });
  if (lines.length === 0) return fail(documentError('document.empty'));
  if (!format) return fail(documentError('mrz.format', { detail: `Got ${lines.length} line(s) of ${lines.map((l) => l.length).join(', ')} characters.` }));
  if (!lines.every((l) => /^[A-Z0-9<]+$/.test(l))) return fail(documentError('mrz.charset'));
  const [a = '', b = '', c = ''] = lines;
  const allowedCodes = format === 'TD3' ? 'P' : 'IAC';
  if (!allowedCodes.includes(a.charAt(0))) {
    const detail = a.startsWith('V') ? 'This is a visa.' : `Document code ${a.slice(0, 2).replace(/</g, '')} is not accepted.`;
    return fail(documentError('mrz.document_code', { detail }));
  }

  const errors: DocumentError[] = [];
  let number: string;
  let optionalData: string;
  let dob: string, sexChar: string, exp: string, nat: string, names: string;
  if (format === 'TD1') {
    ({ number, optional: optionalData } = documentNumber(errors, a.slice(5, 14), a.charAt(14), a.slice(15, 30)));
    optionalData = `${optionalData}<${b.slice(18, 29)}`;
    [dob, sexChar, exp, nat, names] = [b.slice(0, 6), b.charAt(7), b.slice(8, 14), b.slice(15, 18), c];
    verify(errors, 'birthDate', dob, b.charAt(6));
    verify(errors, 'expiryDate', exp, b.charAt(14));
    verify(errors, 'composite', a.slice(5, 30) + b.slice(0, 7) + b.slice(8, 15) + b.slice(18, 29), b.charAt(29));
  } else {
    const end = format === 'TD3' ? 44 : 36;
    [dob, sexChar, exp, nat, names] = [b.slice(13, 19), b.charAt(20), b.slice(21, 27), b.slice(10, 13), a.slice(5)];
    if (format === 'TD3') {
      verify(errors, 'documentNumber', b.slice(0, 9), b.charAt(9));
      number = b.slice(0, 9).replace(/</g, '');
      optionalData = b.slice(28, 42);
      verify(errors, 'optionalData', optionalData, b.charAt(42), true);
    } else {
      ({ number, optional: optionalData } = documentNumber(errors, b.slice(0, 9), b.charAt(9), b.slice(28, 35)));
    }
    verify(errors, 'birthDate', dob, b.charAt(19));
    verify(errors, 'expiryDate', exp, b.charAt(27));
    verify(errors, 'composite', b.slice(0, 10) + b.slice(13, 20) + b.slice(21, end - 1), b.charAt(end - 1));
  }

  const fields: MrzFields = {
    documentCode: a.slice(0, 2).replace(/</g, ''),
    issuingState: checkCountry(errors, 'issuingState', a.slice(2, 5)),
    documentNumber: number,
    nationality: checkCountry(errors, 'nationality', nat),
    ...parseNames(names),
    optionalData: strip(optionalData),
  };
  if (!dob.includes('<')) {
    const birthDate = resolveYymmdd(dob, today, 'past');
    if (birthDate) fields.birthDate = birthDate;
    else errors.push(documentError('mrz.date_invalid', { field: 'birthDate' }));
  }
  const expiryDate = resolveYymmdd(exp, today, 'window');
  if (expiryDate) fields.expiryDate = expiryDate;
  else errors.push(documentError('mrz.date_invalid', { field: 'expiryDate' }));
  if (sexChar === 'M' || sexChar === 'F') fields.sex = sexChar;
  else if (sexChar !== 'X' && sexChar !== '<') errors.push(documentError('mrz.sex_invalid'));
  return { valid: errors.length === 0, format, lines, fields, errors };
}
