/**
 * Staff accounts: creation (by an operator admin, or by system code for regulators and a
 * tenant's first admin), listing, disabling and enabling, a new one-time password for a
 * forgotten password or a lockout, "who am I". `createStaffService` also bundles login/password
 * (auth.service.ts) and API keys (api-key.service.ts) into the one object the composition
 * root wires into the routes.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { appendAudit, systemActor, type Actor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { requireStaff, roles, type Principal, type StaffPrincipal } from './principal.ts';
import { assertPasswordPolicy, generateOneTimePassword, hashPassword } from './password.ts';
import { assertMayCreateStaff, validateNewStaff, type NewStaffInput, type StaffView } from './staff.ts';
import * as repo from './staff.repository.ts';
import { createAuthService, loginFailureKey, type AuthDeps } from './auth.service.ts';
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
  const { db, keyring, clock } = deps;

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

  /** A staff row of the caller's tenant, locked; any other (another tenant's, a regulator's) is not found. */
  async function ownTenantAccount(tx: Queryable, p: StaffPrincipal, staffId: string): Promise<repo.StaffRow> {
    const row = await repo.findStaffById(tx, staffId, true);
    if (!row || row.tenant_id === null || row.tenant_id !== p.tenantId) throw new DomainError('staff.not_found');
    return row;
  }

  /** Disables (ending the sessions) or enables an account of the caller's tenant, never the caller's own; audited. */
  async function setDisabled(principal: Principal | undefined, staffId: string, disabled: boolean): Promise<StaffView> {
    const p = requireStaff(principal, ['operator_admin']);
    if (!isUuid(staffId)) throw new DomainError('staff.not_found');
    if (staffId === p.staffId) throw new DomainError('auth.forbidden', `You cannot ${disabled ? 'disable' : 'enable'} your own account.`);
    const now = clock();
    return db.transaction(async (tx) => {
      const row = await ownTenantAccount(tx, p, staffId);
      const updated = row.disabled === disabled ? row : await repo.setStaffDisabled(tx, staffId, disabled);
      const actor = { type: 'staff' as const, id: p.staffId };
      if (disabled) {
        const ended = await repo.deleteSessionsOfStaff(tx, staffId, null);
        await appendAudit(tx, {
          tenantId: row.tenant_id, actor, action: 'staff.disabled', at: now,
          subjectType: 'staff', subjectId: staffId, details: { alreadyDisabled: row.disabled, sessionsEnded: ended },
        });
      } else {
        await appendAudit(tx, {
          tenantId: row.tenant_id, actor, action: 'staff.enabled', at: now,
          subjectType: 'staff', subjectId: staffId, details: { alreadyEnabled: !row.disabled },
        });
      }
      return repo.toStaffView(updated);
    });
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

    /**
     * Operator admins see their tenant's staff, or one store's (`storeId`); store managers their
     * own store's (read only; another store is refused).
     */
    async listStaff(principal: Principal | undefined, tenantId: string, filter: { storeId?: string | undefined } = {}): Promise<StaffView[]> {
      const p = requireStaff(principal, ['operator_admin', 'store_manager']);
      if (p.tenantId === null || p.tenantId !== tenantId) throw new DomainError('auth.forbidden');
      if (p.role === 'store_manager' && filter.storeId !== undefined && filter.storeId !== p.storeId) throw new DomainError('auth.forbidden');
      const storeId = p.role === 'store_manager' ? p.storeId : filter.storeId ?? null;
      if (storeId !== null && !isUuid(storeId)) throw new DomainError('store.not_found');
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
      return setDisabled(principal, staffId, true);
    },

    /** An operator admin enables a disabled account of its tenant again; its password is unchanged. */
    async enableStaff(principal: Principal | undefined, staffId: string): Promise<StaffView> {
      return setDisabled(principal, staffId, false);
    },

    /**
     * An operator admin issues a new one-time password for an account of its tenant (not its
     * own: that is a password change): a forgotten password or a lockout. The old password stops
     * working, every session of the account ends, its failed logins are forgotten (the lockout
     * is lifted) and the next login must set a new password. Returns the password once.
     */
    async resetPassword(principal: Principal | undefined, staffId: string): Promise<CreatedStaff> {
      const p = requireStaff(principal, ['operator_admin']);
      if (!isUuid(staffId)) throw new DomainError('staff.not_found');
      if (staffId === p.staffId) throw new DomainError('auth.forbidden', 'Change your own password instead.');
      const oneTimePassword = generateOneTimePassword();
      const hash = await hashPassword(oneTimePassword);
      const now = clock();
      const staff = await db.transaction(async (tx) => {
        const row = await ownTenantAccount(tx, p, staffId);
        await repo.setPasswordHash(tx, staffId, hash, true);
        const sessionsEnded = await repo.deleteSessionsOfStaff(tx, staffId, null);
        const failuresCleared = await repo.deleteFailuresOf(tx, loginFailureKey(keyring, row.username));
        await appendAudit(tx, {
          tenantId: row.tenant_id, actor: { type: 'staff', id: p.staffId }, action: 'staff.password_reset', at: now,
          subjectType: 'staff', subjectId: staffId, details: { sessionsEnded, failuresCleared, disabled: row.disabled },
        });
        return repo.toStaffView({ ...row, password_hash: hash, must_change_password: true });
      });
      return { staff, oneTimePassword };
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
