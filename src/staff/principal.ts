/**
 * Who is calling: a logged-in staff member or a partner's API key. Services take a
 * Principal and decide access from it; routes never decide access by themselves.
 */
import { DomainError } from '../errors/errors.ts';
import type { Actor } from '../audit/audit.ts';

export type Role = 'agent' | 'store_manager' | 'operator_admin' | 'regulator';
export const roles: readonly Role[] = ['agent', 'store_manager', 'operator_admin', 'regulator'];

/**
 * Set by the authenticator (`staff.authenticate.ts`). `sessionId` (hex of the session token's
 * HMAC, never the token) lets logout and password change act on the calling session;
 * `mustChangePassword` is true until a first-login password is replaced.
 */
export type Principal =
  | { kind: 'staff'; staffId: string; role: Role; tenantId: string | null; storeId: string | null; sessionId?: string; mustChangePassword?: boolean }
  | { kind: 'api_key'; keyId: string; tenantId: string; scopes: readonly string[]; rateLimitPerMinute?: number };

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export function actorOf(p: Principal): Actor {
  return p.kind === 'staff' ? { type: 'staff', id: p.staffId } : { type: 'api_key', id: p.keyId };
}

/** Throws auth.forbidden unless the principal is staff with one of `allowed` roles. */
export function requireStaff(p: Principal | undefined, allowed: readonly Role[]): StaffPrincipal {
  if (!p) throw new DomainError('auth.required');
  if (p.kind !== 'staff' || !allowed.includes(p.role)) throw new DomainError('auth.forbidden');
  return p;
}

/** Staff may act on a tenant's data only within their own tenant (regulators: read-only, everywhere). */
export function assertTenantAccess(p: StaffPrincipal, tenantId: string): void {
  if (p.role === 'regulator') return;
  if (p.tenantId !== tenantId) throw new DomainError('auth.forbidden');
}

/** Agents and store managers are confined to their own store. */
export function assertStoreAccess(p: StaffPrincipal, tenantId: string, storeId: string): void {
  assertTenantAccess(p, tenantId);
  if ((p.role === 'agent' || p.role === 'store_manager') && p.storeId !== storeId) throw new DomainError('auth.forbidden');
}

/** Throws unless the principal is an API key holding `scope` (staff are refused: partner endpoints are for keys). */
export function requireApiScope(p: Principal | undefined, scope: string): Extract<Principal, { kind: 'api_key' }> {
  if (!p) throw new DomainError('auth.required');
  if (p.kind !== 'api_key' || !p.scopes.includes(scope)) throw new DomainError('auth.forbidden');
  return p;
}
