/** Operators (tenants) and their points of sale (stores). */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { resolvePolicy, type PolicySettings } from '../policy/policy.ts';

export interface Tenant { id: string; code: string; name: string; policy: PolicySettings; createdAt: Date }
export interface Store { id: string; tenantId: string; code: string; name: string; regionCode: string | null }
/** A store in a listing, with the number of its enabled staff accounts. */
export interface StoreWithStaff extends Store { staffCount: number }

interface TenantRow { id: string; code: string; name: string; policy: unknown; created_at: Date }
interface StoreRow { id: string; tenant_id: string; code: string; name: string; region_code: string | null }

const toTenant = (r: TenantRow): Tenant => ({ id: r.id, code: r.code, name: r.name, policy: resolvePolicy(r.policy), createdAt: r.created_at });
const toStore = (r: StoreRow): Store => ({ id: r.id, tenantId: r.tenant_id, code: r.code, name: r.name, regionCode: r.region_code });

export const tenantsRepository = {
  async createTenant(q: Queryable, input: { code: string; name: string; policy?: Partial<PolicySettings> }): Promise<Tenant> {
    const policy = resolvePolicy(input.policy ?? {});
    const { rows } = await q.query<TenantRow>(
      'INSERT INTO tenants (id, code, name, policy) VALUES ($1, $2, $3, $4) RETURNING *',
      [randomUUID(), input.code, input.name, JSON.stringify(policy)]);
    return toTenant(rows[0]!);
  },
  async getTenant(q: Queryable, id: string): Promise<Tenant | undefined> {
    const { rows } = await q.query<TenantRow>('SELECT * FROM tenants WHERE id = $1', [id]);
    return rows[0] ? toTenant(rows[0]) : undefined;
  },
  async listTenants(q: Queryable): Promise<Tenant[]> {
    const { rows } = await q.query<TenantRow>('SELECT * FROM tenants ORDER BY code');
    return rows.map(toTenant);
  },
  async updatePolicy(q: Queryable, id: string, policy: PolicySettings): Promise<void> {
    await q.query('UPDATE tenants SET policy = $2 WHERE id = $1', [id, JSON.stringify(policy)]);
  },
  async createStore(q: Queryable, input: { tenantId: string; code: string; name: string; regionCode?: string }): Promise<Store> {
    const { rows } = await q.query<StoreRow>(
      'INSERT INTO stores (id, tenant_id, code, name, region_code) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [randomUUID(), input.tenantId, input.code, input.name, input.regionCode ?? null]);
    return toStore(rows[0]!);
  },
  async getStore(q: Queryable, id: string): Promise<Store | undefined> {
    const { rows } = await q.query<StoreRow>('SELECT * FROM stores WHERE id = $1', [id]);
    return rows[0] ? toStore(rows[0]) : undefined;
  },
  async listStores(q: Queryable, tenantId: string): Promise<StoreWithStaff[]> {
    const { rows } = await q.query<StoreRow & { staff_count: number }>(
      `SELECT s.*, (SELECT count(*)::int FROM staff st WHERE st.store_id = s.id AND NOT st.disabled) AS staff_count
         FROM stores s WHERE s.tenant_id = $1 ORDER BY s.code`, [tenantId]);
    return rows.map((r) => ({ ...toStore(r), staffCount: r.staff_count }));
  },
  /** The tenant row locked for the rest of the transaction (policy updates). */
  async getTenantForUpdate(q: Queryable, id: string): Promise<Tenant | undefined> {
    const { rows } = await q.query<TenantRow>('SELECT * FROM tenants WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] ? toTenant(rows[0]) : undefined;
  },
  async getStoreForUpdate(q: Queryable, id: string): Promise<Store | undefined> {
    const { rows } = await q.query<StoreRow>('SELECT * FROM stores WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] ? toStore(rows[0]) : undefined;
  },
  async updateStore(q: Queryable, id: string, change: { name: string; regionCode: string | null }): Promise<Store | undefined> {
    const { rows } = await q.query<StoreRow>('UPDATE stores SET name = $2, region_code = $3 WHERE id = $1 RETURNING *', [id, change.name, change.regionCode]);
    return rows[0] ? toStore(rows[0]) : undefined;
  },
  /** Store ids of a tenant by store code (codes are unique per tenant). */
  async storeIdsByCode(q: Queryable, tenantId: string): Promise<Map<string, string>> {
    const { rows } = await q.query<{ id: string; code: string }>('SELECT id, code FROM stores WHERE tenant_id = $1', [tenantId]);
    return new Map(rows.map((r) => [r.code, r.id]));
  },
};
