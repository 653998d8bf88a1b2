/**
 * Operator administration: operators (tenants) are created by system code (seed, CLI);
 * an operator admin reads its own operator and lists, creates and renames its stores;
 * a regulator reads every operator and store and changes nothing. Changes are audited.
 */
import type { Database } from '../db/database.ts';
import { appendAudit, systemActor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal, type StaffPrincipal } from '../staff/principal.ts';
import type { PolicySettings } from '../policy/policy.ts';
import { tenantsRepository as repo, type Store, type Tenant } from './tenants.repository.ts';
import { assertPattern, cleanName, isUniqueViolation, regionCodePattern, storeCodePattern, tenantCodePattern } from './tenants.ts';

export interface TenantsDeps {
  db: Database;
  clock: () => Date;
}

export interface NewTenantInput { code: string; name: string; policy?: Partial<PolicySettings> }
export interface NewStoreInput { code: string; name: string; regionCode?: string | undefined }

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

    async listStores(principal: Principal | undefined, tenantId: string): Promise<Store[]> {
      reader(principal, tenantId);
      await existingTenant(tenantId);
      return repo.listStores(db, tenantId);
    },

    /** An operator admin opens a store in its own operator; codes are unique per operator. */
    async createStore(principal: Principal | undefined, tenantId: string, input: NewStoreInput): Promise<Store> {
      const p = requireStaff(principal, ['operator_admin']);
      assertTenantAccess(p, tenantId);
      assertPattern(input.code, storeCodePattern, 'store code');
      if (input.regionCode !== undefined) assertPattern(input.regionCode, regionCodePattern, 'region code');
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

    /** An operator admin renames a store of its own operator; any other store is not found. */
    async renameStore(principal: Principal | undefined, storeId: string, rawName: string): Promise<Store> {
      const p = requireStaff(principal, ['operator_admin']);
      const name = cleanName(rawName, 'store');
      const now = clock();
      return db.transaction(async (tx) => {
        const store = isUuid(storeId) ? await repo.getStore(tx, storeId) : undefined;
        if (!store || store.tenantId !== p.tenantId) throw new DomainError('store.not_found');
        const renamed = await repo.renameStore(tx, storeId, name);
        if (!renamed) throw new DomainError('store.not_found');
        await appendAudit(tx, {
          tenantId: store.tenantId, actor: actorOf(p), action: 'store.renamed', at: now, subjectType: 'store', subjectId: storeId,
          details: { from: store.name, to: renamed.name },
        });
        return renamed;
      });
    },
  };
}

export type TenantsService = ReturnType<typeof createTenantsService>;
