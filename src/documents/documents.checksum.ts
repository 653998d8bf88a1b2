/**
 * Check-digit algorithms: ISO 7064 MOD 11-2 (GB 11643 resident ID numbers and the numbers
 * built like them) and the ICAO 9303 7-3-1 check digit (MRZ, old foreign permanent resident ID).
 */

const mod112Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Check character (0-9 or X) for the first 17 digits of an 18-character ID number. */
export function mod112CheckChar(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new RangeError('MOD 11-2 needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (mod112Weights[i] ?? 0);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** True if an 18-character number (17 digits + check character) passes MOD 11-2. */
export function isValidMod112(id18: string): boolean {
  return /^\d{17}[\dX]$/.test(id18) && mod112CheckChar(id18.slice(0, 17)) === id18[17];
}

/** ICAO 9303 value of one MRZ character: 0-9, A=10 … Z=35, '<'=0; -1 if not allowed. */
export function icaoCharValue(c: string): number {
  if (c === '<') return 0;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return -1;
}

const icaoWeights = [7, 3, 1];

/** ICAO 9303 check digit (weights 7, 3, 1) of a string of MRZ characters. */
export function icaoCheckDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const v = icaoCharValue(s[i] ?? '');
    if (v < 0) throw new RangeError('not an MRZ character');
    sum += v * (icaoWeights[i % 3] ?? 0);
  }
  return String(sum % 10);
}
