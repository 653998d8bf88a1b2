/**
 * Operator administration: operators (tenants) are created by system code (seed, CLI);
 * an operator admin reads its own operator and lists, creates and updates (name, region) its stores;
 * a regulator reads every operator and store and changes nothing. Changes are audited.
 */
import type { Database } from '../db/database.ts';
import { appendAudit, systemActor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal, type StaffPrincipal } from '../staff/principal.ts';
import type { PolicySettings } from '../policy/policy.ts';
import { tenantsRepository as repo, type Store, type StoreWithStaff, type Tenant } from './tenants.repository.ts';
import { assertPattern, assertRegionCode, cleanName, isUniqueViolation, storeCodePattern, tenantCodePattern } from './tenants.ts';

export interface TenantsDeps {
  db: Database;
  clock: () => Date;
}

export interface NewTenantInput { code: string; name: string; policy?: Partial<PolicySettings> }
export interface NewStoreInput { code: string; name: string; regionCode?: string | undefined }
/** What an update may change: the name, the region code (null clears it). */
export interface StoreChange { name?: string | undefined; regionCode?: string | null | undefined }

/** Operator admins (own operator) and regulators (all, read-only) administer operators. */
function reader(principal: Principal | undefined, tenantId: string): StaffPrincipal {
  const p = requireStaff(principal, ['operator_admin', 'regulator']);
  assertTenantAccess(p, tenantId);
  return p;
}

export function createTenantsService(deps: TenantsDeps) {
  const { db, clock } = deps;

  async function existingTenant(tenantId: string): Promise<Tenant> {
    const tenant = isUuid(tenantId) ? await repo.getTenant(db, tenantId) : undefined;
    if (!tenant) throw new DomainError('tenant.not_found');
    return tenant;
  }

  return {
    /** System code only (seed, CLI): a new operator with its policy (defaults where not given). */
    async createTenant(input: NewTenantInput): Promise<Tenant> {
      assertPattern(input.code, tenantCodePattern, 'operator code');
      const name = cleanName(input.name, 'operator');
      const now = clock();
      try {
        return await db.transaction(async (tx) => {
          const tenant = await repo.createTenant(tx, { code: input.code, name, ...(input.policy ? { policy: input.policy } : {}) });
          await appendAudit(tx, {
            tenantId: tenant.id, actor: systemActor, action: 'tenant.created', at: now, subjectType: 'tenant', subjectId: tenant.id,
            details: { code: tenant.code },
          });
          return tenant;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError('tenant.code_taken');
        throw e;
      }
    },

    /** Regulators: every operator; operator admins: their own. */
    async listTenants(principal: Principal | undefined): Promise<Tenant[]> {
      const p = requireStaff(principal, ['operator_admin', 'regulator']);
      if (p.role === 'regulator') return repo.listTenants(db);
      const own = p.tenantId ? await repo.getTenant(db, p.tenantId) : undefined;
      return own ? [own] : [];
    },

    async getTenant(principal: Principal | undefined, tenantId: string): Promise<Tenant> {
      reader(principal, tenantId);
      return existingTenant(tenantId);
    },

    /** The stores of an operator, each with the number of its enabled staff accounts. */
    async listStores(principal: Principal | undefined, tenantId: string): Promise<StoreWithStaff[]> {
      reader(principal, tenantId);
      await existingTenant(tenantId);
      return repo.listStores(db, tenantId);
    },

    /** An operator admin opens a store in its own operator; codes are unique per operator. */
    async createStore(principal: Principal | undefined, tenantId: string, input: NewStoreInput): Promise<Store> {
      const p = requireStaff(principal, ['operator_admin']);
      assertTenantAccess(p, tenantId);
      assertPattern(input.code, storeCodePattern, 'store code');
      if (input.regionCode !== undefined) assertRegionCode(input.regionCode);
      const name = cleanName(input.name, 'store');
      const now = clock();
      try {
        return await db.transaction(async (tx) => {
          if (!(await repo.getTenant(tx, tenantId))) throw new DomainError('tenant.not_found');
          const store = await repo.createStore(tx, { tenantId, code: input.code, name, ...(input.regionCode ? { regionCode: input.regionCode } : {}) });
          await appendAudit(tx, {
            tenantId, actor: actorOf(p), action: 'store.created', at: now, subjectType: 'store', subjectId: store.id,
            details: { code: store.code, regionCode: store.regionCode },
          });
          return store;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError('store.code_taken');
        throw e;
      }
    },

    /**
     * An operator admin renames a store of its own operator and/or sets or clears its region
     * code; any other store is not found. Each change is audited (`store.renamed`,
     * `store.region_changed`); an update that changes nothing records nothing.
     */
    async updateStore(principal: Principal | undefined, storeId: string, change: StoreChange): Promise<Store> {
      const p = requireStaff(principal, ['operator_admin']);
      if (change.name === undefined && change.regionCode === undefined) throw new DomainError('request.invalid', 'Nothing to change: give a name or a region code');
      const name = change.name === undefined ? undefined : cleanName(change.name, 'store');
      if (typeof change.regionCode === 'string') assertRegionCode(change.regionCode);
      const now = clock();
      return db.transaction(async (tx) => {
        const store = isUuid(storeId) ? await repo.getStoreForUpdate(tx, storeId) : undefined;
        if (!store || store.tenantId !== p.tenantId) throw new DomainError('store.not_found');
        const next = { name: name ?? store.name, regionCode: change.regionCode === undefined ? store.regionCode : change.regionCode };
        if (next.name === store.name && next.regionCode === store.regionCode) return store;
        const updated = await repo.updateStore(tx, storeId, next);
        if (!updated) throw new DomainError('store.not_found');
        const audit = { tenantId: store.tenantId, actor: actorOf(p), at: now, subjectType: 'store', subjectId: storeId } as const;
        if (updated.name !== store.name) await appendAudit(tx, { ...audit, action: 'store.renamed', details: { from: store.name, to: updated.name } });
        if (updated.regionCode !== store.regionCode) await appendAudit(tx, { ...audit, action: 'store.region_changed', details: { from: store.regionCode, to: updated.regionCode } });
        return updated;
      });
    },
  };
}

export type TenantsService = ReturnType<typeof createTenantsService>;
