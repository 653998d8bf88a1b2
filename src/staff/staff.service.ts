/**
 * Staff accounts: creation (by an operator admin, or by system code for regulators and a
 * tenant's first admin), listing, disabling, "who am I". `createStaffService` also bundles
 * login/password (auth.service.ts) and API keys (api-key.service.ts) into the one object
 * the composition root wires into the routes.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { appendAudit, systemActor, type Actor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { requireStaff, roles, type Principal } from './principal.ts';
import { assertPasswordPolicy, generateOneTimePassword, hashPassword } from './password.ts';
import { assertMayCreateStaff, validateNewStaff, type NewStaffInput, type StaffView } from './staff.ts';
import * as repo from './staff.repository.ts';
import { createAuthService, type AuthDeps } from './auth.service.ts';
import { createApiKeyService } from './api-key.service.ts';
import { isUuid } from '../db/ids.ts';

export type StaffDeps = AuthDeps;

export interface CreatedStaff {
  staff: StaffView;
  /** Shown once to whoever hands the account over; only its hash is stored. */
  oneTimePassword: string;
}

export interface SystemStaffInput extends NewStaffInput {
  /** Seed/CLI only: a chosen password (must meet the policy). Default: a generated one-time password. */
  password?: string;
  /** Default true: the first login must set a new password. */
  mustChangePassword?: boolean;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

export function createAccountService(deps: StaffDeps) {
  const { db, clock } = deps;

  async function insertAccount(
    actor: Actor, input: ReturnType<typeof validateNewStaff>, passwordHash: string, mustChangePassword: boolean,
  ): Promise<StaffView> {
    const now = clock();
    try {
      return await db.transaction(async (tx: Queryable) => {
        if (input.tenantId !== null && !(await repo.tenantExists(tx, input.tenantId))) throw new DomainError('tenant.not_found');
        if (input.storeId !== null && !(await repo.storeBelongsToTenant(tx, input.storeId, input.tenantId!))) throw new DomainError('store.not_found');
        if (await repo.findStaffByUsername(tx, input.username)) throw new DomainError('staff.username_taken');
        const row = await repo.insertStaff(tx, {
          id: randomUUID(), tenant_id: input.tenantId, store_id: input.storeId, username: input.username,
          display_name: input.displayName, role: input.role, password_hash: passwordHash,
          must_change_password: mustChangePassword, created_at: now,
        });
        await appendAudit(tx, {
          tenantId: row.tenant_id, actor, action: 'staff.created', at: now, subjectType: 'staff', subjectId: row.id,
          details: { role: row.role, storeId: row.store_id, mustChangePassword },
        });
        return repo.toStaffView(row);
      });
    } catch (e) {
      // Two creations racing for one username: the unique index decides.
      if (isUniqueViolation(e)) throw new DomainError('staff.username_taken');
      throw e;
    }
  }

  return {
    /**
     * An operator admin creates an agent, store manager or admin in its own tenant (the
     * store must belong to it). Returns the account and its one-time password.
     */
    async createStaff(principal: Principal | undefined, input: NewStaffInput): Promise<CreatedStaff> {
      const p = requireStaff(principal, ['operator_admin']);
      const tenantId = input.tenantId ?? p.tenantId;
      assertMayCreateStaff(p, input.role, tenantId);
      const v = validateNewStaff({ ...input, tenantId });
      const oneTimePassword = generateOneTimePassword();
      const staff = await insertAccount({ type: 'staff', id: p.staffId }, v, await hashPassword(oneTimePassword), true);
      return { staff, oneTimePassword };
    },

    /**
     * System code only (seed, CLI): any role, including regulators and a tenant's first
     * operator admin. No principal: never expose this through HTTP.
     */
    async createStaffAsSystem(input: SystemStaffInput): Promise<{ staff: StaffView; oneTimePassword: string | undefined }> {
      const v = validateNewStaff(input);
      if (input.password !== undefined) assertPasswordPolicy(input.password, v.username);
      const oneTimePassword = input.password === undefined ? generateOneTimePassword() : undefined;
      const hash = await hashPassword(input.password ?? oneTimePassword!);
      const staff = await insertAccount(systemActor, v, hash, input.mustChangePassword ?? true);
      return { staff, oneTimePassword };
    },

    /** Operator admins see their tenant's staff; store managers their own store's (read only). */
    async listStaff(principal: Principal | undefined, tenantId: string): Promise<StaffView[]> {
      const p = requireStaff(principal, ['operator_admin', 'store_manager']);
      if (p.tenantId === null || p.tenantId !== tenantId) throw new DomainError('auth.forbidden');
      const storeId = p.role === 'store_manager' ? p.storeId : null;
      const now = clock();
      return db.transaction(async (tx) => {
        const rows = await repo.listStaff(tx, tenantId, storeId);
        await appendAudit(tx, {
          tenantId, actor: { type: 'staff', id: p.staffId }, action: 'staff.listed', at: now,
          details: { storeId, count: rows.length },
        });
        return rows.map(repo.toStaffView);
      });
    },

    /** An operator admin disables an account of its tenant (not its own); its sessions end. */
    async disableStaff(principal: Principal | undefined, staffId: string): Promise<StaffView> {
      const p = requireStaff(principal, ['operator_admin']);
      if (!isUuid(staffId)) throw new DomainError('staff.not_found');
      if (staffId === p.staffId) throw new DomainError('auth.forbidden', 'You cannot disable your own account.');
      const now = clock();
      return db.transaction(async (tx) => {
        const row = await repo.findStaffById(tx, staffId, true);
        if (!row || row.tenant_id === null || row.tenant_id !== p.tenantId) throw new DomainError('staff.not_found');
        const updated = row.disabled ? row : await repo.setStaffDisabled(tx, staffId);
        const ended = await repo.deleteSessionsOfStaff(tx, staffId, null);
        await appendAudit(tx, {
          tenantId: row.tenant_id, actor: { type: 'staff', id: p.staffId }, action: 'staff.disabled', at: now,
          subjectType: 'staff', subjectId: staffId, details: { alreadyDisabled: row.disabled, sessionsEnded: ended },
        });
        return repo.toStaffView(updated);
      });
    },

    /** The caller's own account. */
    async me(principal: Principal | undefined): Promise<StaffView> {
      const p = requireStaff(principal, roles);
      const row = await repo.findStaffById(db, p.staffId);
      if (!row || row.disabled) throw new DomainError('auth.required');
      return repo.toStaffView(row);
    },
  };
}

/** Everything of the staff concept behind one object: accounts, login/password, API keys. */
export function createStaffService(deps: StaffDeps) {
  return { ...createAccountService(deps), ...createAuthService(deps), ...createApiKeyService(deps) };
}

export type StaffService = ReturnType<typeof createStaffService>;
