/**
 * Test support for the registration workflow: an operator with a store, an agent and a store
 * manager (real staff rows), a number inventory, and valid resident ID numbers made with the
 * real GB 11643 check character. Used by the registration tests and the registry benchmark.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { mod112CheckChar } from '../documents/documents.checksum.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import type { PolicySettings } from '../policy/policy.ts';
import type { StaffPrincipal } from '../staff/principal.ts';

/** An 18-character resident ID for Beijing Dongcheng (110101), born `birth` (YYYYMMDD). */
export function residentId(birth: string, sequence: number, region = '110101'): string {
  const body = `${region}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  return body + mod112CheckChar(body);
}

export interface World {
  tenantId: string;
  storeId: string;
  agent: StaffPrincipal;
  manager: StaffPrincipal;
  admin: StaffPrincipal;
}

async function insertStaff(q: Queryable, role: StaffPrincipal['role'], tenantId: string, storeId: string | null): Promise<StaffPrincipal> {
  const id = randomUUID();
  await q.query(
    `INSERT INTO staff (id, tenant_id, store_id, username, display_name, role, password_hash, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, 'scrypt$unusable', false)`,
    [id, tenantId, storeId, `${role}.${id.slice(0, 8)}`, `Test ${role}`, role]);
  return { kind: 'staff', staffId: id, role, tenantId, storeId };
}

/** A tenant with one store, its staff and `numbers` available numbers starting at `firstMsisdn`. */
export async function createWorld(db: Database, opts: { code?: string; policy?: Partial<PolicySettings>; numbers?: number; firstMsisdn?: number } = {}): Promise<World> {
  const code = opts.code ?? `op-${randomUUID().slice(0, 8)}`;
  const tenant = await tenantsRepository.createTenant(db, { code, name: `Operator ${code}`, policy: opts.policy ?? {} });
  const store = await tenantsRepository.createStore(db, { tenantId: tenant.id, code: 'S1', name: 'Store one' });
  const count = opts.numbers ?? 20;
  const first = opts.firstMsisdn ?? 13800000000 + Math.floor(Math.random() * 90_000_000);
  const msisdns = Array.from({ length: count }, (_, i) => String(first + i));
  await numbersRepository.importNumbers(db, tenant.id, store.id, msisdns);
  return {
    tenantId: tenant.id,
    storeId: store.id,
    agent: await insertStaff(db, 'agent', tenant.id, store.id),
    manager: await insertStaff(db, 'store_manager', tenant.id, store.id),
    admin: await insertStaff(db, 'operator_admin', tenant.id, null),
  };
}
