/**
 * Staff passwords: scrypt hashing (Node's built-in, no dependency), the policy for new
 * passwords and the generator of one-time passwords handed out with new accounts.
 *
 * Encoded hash: `scrypt$N$r$p$<salt base64url>$<hash base64url>`. The parameters travel
 * with the hash, so raising the cost later only needs `needsRehash` at the next login.
 * N = 2^15, r = 8, p = 1 (32 MiB of memory) costs about 70 ms on one core of a small server.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../errors/errors.ts';

export interface ScryptParams { N: number; r: number; p: number }

export const currentScryptParams: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Longest password accepted anywhere; scrypt cost does not depend on it, but bodies should stay small. */
export const maxPasswordLength = 256;
export const minPasswordLength = 12;

/**
 * A well-formed hash of no password (random salt and random output): verifying against it
 * costs exactly as much as verifying a real password and never succeeds. Used for unknown
 * usernames so a login reveals nothing by its timing.
 */
export const dummyPasswordHash =
  'scrypt$32768$8$1$hQGw1UE7kjKF4K0HJlVgPg$p7_VpG7njLBRzqJpLru287CnvBQFRNPVPeX7lRQODJo';

function scryptAsync(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = currentScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, HASH_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

interface Decoded { params: ScryptParams; salt: Buffer; hash: Buffer }

const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;

function decode(encoded: string): Decoded | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (!isPowerOfTwo(N) || N > 2 ** 20 || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { params: { N, r, p }, salt, hash };
}

/** True when `password` matches `encoded`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decode(encoded);
  if (!d) {
    // Same work as a real check, so a broken row is not distinguishable by timing.
    await verifyPassword(password, dummyPasswordHash);
    return false;
  }
  const candidate = await scryptAsync(password, d.salt, d.hash.length, d.params);
  return timingSafeEqual(candidate, d.hash);
}

/** True when the hash was made with other parameters than today's (or cannot be read). */
export function needsRehash(encoded: string, params: ScryptParams = currentScryptParams): boolean {
  const d = decode(encoded);
  return !d || d.params.N !== params.N || d.params.r !== params.r || d.params.p !== params.p
    || d.hash.length !== HASH_BYTES || d.salt.length !== SALT_BYTES;
}

export type PasswordWeakness = 'too_short' | 'too_long' | 'one_character_class' | 'too_few_distinct_characters' | 'equals_username';

/**
 * Why a new password is refused, or [] when it is acceptable: at least 12 characters, at
 * most 256, characters from at least two classes (lower case, upper case, digits, other),
 * at least 5 different characters, and not the username.
 */
export function passwordWeaknesses(password: string, username: string): PasswordWeakness[] {
  const out: PasswordWeakness[] = [];
  const chars = [...password];
  if (chars.length < minPasswordLength) out.push('too_short');
  if (chars.length > maxPasswordLength) out.push('too_long');
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  if (classes < 2) out.push('one_character_class');
  if (new Set(chars).size < 5) out.push('too_few_distinct_characters');
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) out.push('equals_username');
  return out;
}

/** Throws `auth.password_weak` (with the reasons) unless the password meets the policy. */
export function assertPasswordPolicy(password: string, username: string): void {
  const reasons = passwordWeaknesses(password, username);
  if (reasons.length > 0) {
    throw new DomainError('auth.password_weak', `The new password is too weak: ${reasons.join(', ')}.`, { reasons });
  }
}

/** No 0/o, 1/l/i: easy to read aloud and to type from a printout. */
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password for a new account: four groups of five characters joined by `-`
 * (23 characters, about 99 bits of entropy), e.g. `k7mwp-3xq9t-hv2ns-4cfad`. The hyphens
 * make it satisfy the policy whatever the letters are.
 */
export function generateOneTimePassword(): string {
  for (;;) {
    const groups: string[] = [];
    for (let g = 0; g < 4; g++) {
      let s = '';
      for (let i = 0; i < 5; i++) s += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
      groups.push(s);
    }
    const otp = groups.join('-');
    // Fewer than 5 distinct characters has a chance of about 1e-13; redraw rather than hand it out.
    if (passwordWeaknesses(otp, '').length === 0) return otp;
  }
}
