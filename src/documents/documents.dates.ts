/**
 * Calendar-date helpers for document checks: strict YYYYMMDD parsing, two-digit year
 * resolution, "today" handling and age. Dates are plain 'YYYY-MM-DD' strings (no time zone).
 */

/** Earliest birth date accepted in an ID number. */
export const minBirthDate = '1900-01-01';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Returns 'YYYY-MM-DD' if year/month/day form a real date, else undefined. */
export function isoDate(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined;
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Parses 8 digits YYYYMMDD into 'YYYY-MM-DD', or undefined if not a real date. */
export function parseYyyymmdd(s: string): string | undefined {
  if (!/^\d{8}$/.test(s)) return undefined;
  return isoDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
}

/** Normalises the `today` option to 'YYYY-MM-DD' (a Date gives its local calendar day). */
export function resolveToday(today?: Date | string): string {
  if (typeof today === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
    const iso = m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
    if (!iso) throw new RangeError(`today must be a real date in the form YYYY-MM-DD`);
    return iso;
  }
  const d = today ?? new Date();
  if (Number.isNaN(d.getTime())) throw new RangeError('today is an invalid Date');
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
}

/**
 * Resolves YYMMDD to a full date. 'past' (birth dates): the latest century that does not put
 * the date after `today` (so ages are assumed below 100). 'window' (expiry dates): 20YY unless
 * that is more than 50 years after `today`, then 19YY.
 */
export function resolveYymmdd(yymmdd: string, today: string, mode: 'past' | 'window'): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const thisYear = Number(today.slice(0, 4));
  if (mode === 'window') {
    const year = 2000 + yy > thisYear + 50 ? 1900 + yy : 2000 + yy;
    return isoDate(year, mm, dd);
  }
  const century = Math.floor(thisYear / 100) * 100;
  const recent = isoDate(century + yy, mm, dd);
  if (recent !== undefined && recent <= today) return recent;
  // 29 February may exist in one century and not the other; try the previous century either way.
  return isoDate(century - 100 + yy, mm, dd);
}

/**
 * Age in whole years on `date` ('YYYY-MM-DD' or Date). Someone born on 29 February
 * becomes a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, date: string | Date): number {
  const on = resolveToday(date);
  const b = resolveToday(birthDate);
  let age = Number(on.slice(0, 4)) - Number(b.slice(0, 4));
  if (on.slice(5) < b.slice(5)) age -= 1;
  return age;
}

/** Birth-date rules shared by the ID-number checkers; returns the failing code, if any. */
export function birthDateProblem(iso: string | undefined, today: string):
  'id.birthdate_invalid' | 'id.birthdate_future' | 'id.birthdate_too_early' | undefined {
  if (iso === undefined) return 'id.birthdate_invalid';
  if (iso > today) return 'id.birthdate_future';
  if (iso < minBirthDate) return 'id.birthdate_too_early';
  return undefined;
}
