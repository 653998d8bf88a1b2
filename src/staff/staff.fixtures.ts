/**
 * Test support for the staff tests: tenants and stores inserted with plain SQL, a keyring
 * with a fixed key, and a clock the test moves by hand.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { createKeyring, type Keyring } from '../privacy/keyring.ts';

export async function insertTenant(q: Queryable, code: string): Promise<string> {
  const id = randomUUID();
  await q.query('INSERT INTO tenants (id, code, name) VALUES ($1, $2, $3)', [id, code, `Operator ${code}`]);
  return id;
}

export async function insertStore(q: Queryable, tenantId: string, code: string): Promise<string> {
  const id = randomUUID();
  await q.query('INSERT INTO stores (id, tenant_id, code, name) VALUES ($1, $2, $3, $4)', [id, tenantId, code, `Store ${code}`]);
  return id;
}

export function testKeyring(): Keyring {
  return createKeyring(Buffer.alloc(32, 7));
}

export interface TestClock {
  clock: () => Date;
  advanceMinutes(minutes: number): void;
  advanceSeconds(seconds: number): void;
}

export function testClock(start = new Date('2030-03-01T08:00:00.000Z')): TestClock {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    advanceMinutes(minutes) { now += minutes * 60_000; },
    advanceSeconds(seconds) { now += seconds * 1000; },
  };
}
