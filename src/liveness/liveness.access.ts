/**
 * Who may act on a liveness session: a registration's at the registration's store; one a staff
 * member started, by staff of that operator; a self-service one, by whoever holds its nonce
 * (checked by the upload). Kept twice on purpose, side by side: `checkAccess` decides and names
 * the refusal; `frontDeskScope` is the same rule as data for the upload's claim statement
 * (`ClaimScope` in liveness.repository.ts), which claims a session only for a caller it allows.
 */
import { DomainError } from '../errors/errors.ts';
import { assertStoreAccess, assertTenantAccess, requireStaff, type Principal, type Role } from '../staff/principal.ts';
import type { ClaimScope, ScopedSession } from './liveness.repository.ts';

/** Agents and store managers: who takes challenges and uploads frames at a registration. */
export const FRONT_DESK: readonly Role[] = ['agent', 'store_manager'];

/** Throws unless `p` may act on `s` (with one of `roles` where staff is required). */
export function checkAccess(p: Principal | undefined, s: ScopedSession, roles: readonly Role[]): void {
  if (s.registrationId) { // the person registering, or their guardian
    const principal = requireStaff(p, roles);
    if (!s.registrationTenantId || !s.registrationStoreId) throw new DomainError('liveness.session_not_found');
    assertStoreAccess(principal, s.registrationTenantId, s.registrationStoreId);
  } else if (s.createdBy) {
    assertTenantAccess(requireStaff(p, roles), s.tenantId!);
  }
}

/**
 * `checkAccess(p, s, FRONT_DESK)` as data: front-desk staff are confined to their operator and
 * store (`assertStoreAccess`), and to their operator for sessions a staff member started.
 */
export function frontDeskScope(p: Principal | undefined): ClaimScope {
  const staff = p?.kind === 'staff' && FRONT_DESK.includes(p.role);
  return { staff, tenantId: staff ? p.tenantId : null, storeId: staff ? p.storeId : null };
}
