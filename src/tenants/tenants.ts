/**
 * Operators (tenants) and stores: the shapes of their codes and names, checked the same way
 * for HTTP input and for system callers (seed, CLI). The database checks the codes again.
 */
import { DomainError } from '../errors/errors.ts';
import { lookupRegion } from '../documents/documents.regions.ts';

/** Lower-case operator code, as in the `tenants.code` CHECK. */
export const tenantCodePattern = '^[a-z0-9-]{2,32}$';
/** Store code, unique within its operator, as in the `stores.code` CHECK. */
export const storeCodePattern = '^[A-Za-z0-9-]{1,32}$';
/** GB/T 2260 administrative division code of the store's location. */
export const regionCodePattern = '^[0-9]{6}$';
export const maxNameLength = 200;

/** A display name without surrounding or repeated white space; request.invalid when empty or too long. */
export function cleanName(raw: string, what: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > maxNameLength) throw new DomainError('request.invalid', `The ${what} name must be 1-${maxNameLength} characters`);
  return name;
}

export function assertPattern(value: string, pattern: string, what: string): void {
  if (!new RegExp(pattern).test(value)) throw new DomainError('request.invalid', `The ${what} does not match ${pattern}`);
}

export const isUniqueViolation = (e: unknown): boolean => (e as { code?: string }).code === '23505';

/** A store's region code: six digits that name a GB/T 2260 division (current or historic); request.invalid otherwise. */
export function assertRegionCode(code: string): void {
  assertPattern(code, regionCodePattern, 'region code');
  if (!lookupRegion(code)) throw new DomainError('request.invalid', 'The region code is not a GB/T 2260 division');
}

/** The division's name (province, prefecture, county), for display; null when there is no code. */
export function regionName(code: string | null): string | null {
  return code === null ? null : lookupRegion(code)?.name ?? null;
}
