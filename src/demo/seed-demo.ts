/**
 * The demo operator that `npm start` creates on an empty database: one operator, one store,
 * one account per role with one-time passwords (printed once, to be changed at first login),
 * and 1,000 phone numbers. Nothing here is used by a real deployment.
 */
import type { Database } from '../db/database.ts';
import { appendAudit, systemActor } from '../audit/audit.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import type { StaffService } from '../staff/staff.service.ts';
import type { Role } from '../staff/principal.ts';

export interface DemoAccount { username: string; role: Role; oneTimePassword: string }
export interface DemoSeed { tenantId: string; storeId: string; accounts: DemoAccount[]; numbers: number }

export const DEMO_NUMBER_COUNT = 1000;

export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  return rows[0]!.n === 0;
}

export async function seedDemo(db: Database, staff: StaffService): Promise<DemoSeed> {
  const tenant = await tenantsRepository.createTenant(db, { code: 'demo', name: 'Demo Mobile 演示通信' });
  const store = await tenantsRepository.createStore(db, { tenantId: tenant.id, code: 'BJ-001', name: '北京东城营业厅 Dongcheng Store', regionCode: '110101' });
  const accounts: DemoAccount[] = [];
  const people: { username: string; displayName: string; role: Role }[] = [
    { username: 'demo.agent', displayName: 'Demo Agent 营业员', role: 'agent' },
    { username: 'demo.manager', displayName: 'Demo Store Manager 店长', role: 'store_manager' },
    { username: 'demo.admin', displayName: 'Demo Operator Admin 管理员', role: 'operator_admin' },
    { username: 'demo.regulator', displayName: 'Demo Regulator 监管', role: 'regulator' },
  ];
  for (const p of people) {
    const atStore = p.role === 'agent' || p.role === 'store_manager';
    const { oneTimePassword } = await staff.createStaffAsSystem({
      username: p.username, displayName: p.displayName, role: p.role,
      ...(p.role === 'regulator' ? {} : { tenantId: tenant.id }),
      ...(atStore ? { storeId: store.id } : {}),
    });
    accounts.push({ username: p.username, role: p.role, oneTimePassword: oneTimePassword! });
  }
  const msisdns = Array.from({ length: DEMO_NUMBER_COUNT }, (_, i) => String(17000000000 + i));
  await numbersRepository.importNumbers(db, tenant.id, store.id, msisdns);
  await appendAudit(db, { tenantId: tenant.id, actor: systemActor, action: 'demo.seeded', details: { stores: 1, accounts: accounts.length, numbers: msisdns.length } });
  return { tenantId: tenant.id, storeId: store.id, accounts, numbers: msisdns.length };
}

export function describeSeed(seed: DemoSeed): string {
  const lines = [
    'Seeded the demo operator "demo" with store BJ-001 and 1,000 numbers (17000000000-17000000999).',
    'One-time passwords (shown only now; each must be changed at first login):',
    ...seed.accounts.map((a) => `  ${a.role.padEnd(15)} ${a.username.padEnd(16)} ${a.oneTimePassword}`),
  ];
  return lines.join('\n');
}
