/**
 * Test support for the operator-administration API tests (tenants, policy, numbers,
 * blocklist, statistics): two operators with stores and real staff rows (foreign keys point
 * at them), the principals of those staff, and an app whose `authenticate` maps an
 * `x-test-principal` header to one of them. The access rules under test are the real ones.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { buildApp, type App, type RouteRegistrar } from '../http/app.ts';
import { DomainError, problemTypeBase } from '../errors/errors.ts';
import type { Principal, Role } from '../staff/principal.ts';

export type Who = 'regulator' | 'adminA' | 'adminB' | 'managerA1' | 'agentA1' | 'agentA2' | 'managerB1' | 'agentB1' | 'apiKeyA';

export interface World {
  tenantA: string; tenantB: string;
  storeA1: string; storeA2: string; storeA3: string; storeB1: string;
  principals: Record<Who, Principal>;
  /** Staff id of each staff principal. */
  staff: Record<Exclude<Who, 'apiKeyA'>, string>;
}

export async function insertStaff(q: Queryable, s: { username: string; role: Role; tenantId: string | null; storeId: string | null }): Promise<string> {
  const id = randomUUID();
  await q.query(
    `INSERT INTO staff (id, tenant_id, store_id, username, display_name, role, password_hash, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, 'not-a-hash', false)`, [id, s.tenantId, s.storeId, s.username, s.username, s.role]);
  return id;
}

async function insertTenant(q: Queryable, code: string): Promise<string> {
  const id = randomUUID();
  await q.query('INSERT INTO tenants (id, code, name) VALUES ($1, $2, $3)', [id, code, `Operator ${code}`]);
  return id;
}

async function insertStore(q: Queryable, tenantId: string, code: string): Promise<string> {
  const id = randomUUID();
  await q.query('INSERT INTO stores (id, tenant_id, code, name) VALUES ($1, $2, $3, $4)', [id, tenantId, code, `Store ${code}`]);
  return id;
}

/** Operators A (stores A1, A2, A3) and B (store B1) with a regulator, admins, managers and agents. */
export async function seedWorld(q: Queryable): Promise<World> {
  const tenantA = await insertTenant(q, 'op-a');
  const tenantB = await insertTenant(q, 'op-b');
  const storeA1 = await insertStore(q, tenantA, 'A1');
  const storeA2 = await insertStore(q, tenantA, 'A2');
  const storeA3 = await insertStore(q, tenantA, 'A3');
  const storeB1 = await insertStore(q, tenantB, 'B1');
  const defs: Record<Exclude<Who, 'apiKeyA'>, { role: Role; tenantId: string | null; storeId: string | null }> = {
    regulator: { role: 'regulator', tenantId: null, storeId: null },
    adminA: { role: 'operator_admin', tenantId: tenantA, storeId: null },
    adminB: { role: 'operator_admin', tenantId: tenantB, storeId: null },
    managerA1: { role: 'store_manager', tenantId: tenantA, storeId: storeA1 },
    agentA1: { role: 'agent', tenantId: tenantA, storeId: storeA1 },
    agentA2: { role: 'agent', tenantId: tenantA, storeId: storeA2 },
    managerB1: { role: 'store_manager', tenantId: tenantB, storeId: storeB1 },
    agentB1: { role: 'agent', tenantId: tenantB, storeId: storeB1 },
  };
  const staff = {} as World['staff'];
  const principals = {} as Record<Who, Principal>;
  for (const [who, d] of Object.entries(defs) as [Exclude<Who, 'apiKeyA'>, typeof defs.regulator][]) {
    staff[who] = await insertStaff(q, { username: who.toLowerCase(), ...d });
    principals[who] = { kind: 'staff', staffId: staff[who], role: d.role, tenantId: d.tenantId, storeId: d.storeId };
  }
  principals.apiKeyA = { kind: 'api_key', keyId: randomUUID(), tenantId: tenantA, scopes: ['registrations'] };
  return { tenantA, tenantB, storeA1, storeA2, storeA3, storeB1, principals, staff };
}

/** An app with `routes` whose callers are named by the `x-test-principal` header. */
export async function testApp(routes: RouteRegistrar[], principals: Record<Who, Principal>, bodyLimitBytes = 65_536): Promise<App> {
  return buildApp({
    bodyLimitBytes, logLevel: 'silent', version: 'test', health: async () => ({}), routes,
    async authenticate(req) {
      const name = req.headers['x-test-principal'];
      if (name === undefined) return undefined;
      const p = principals[String(name) as Who];
      if (!p) throw new DomainError('auth.invalid_credentials');
      return p;
    },
  });
}

export interface Call {
  (who: Who | 'anonymous', method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>):
    Promise<{ statusCode: number; headers: Record<string, unknown>; body: string; json: () => any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function caller(app: () => App): Call {
  return (who, method, url, payload, headers) => app().inject({
    method, url,
    headers: { ...(who === 'anonymous' ? {} : { 'x-test-principal': who }), ...headers },
    ...(payload === undefined ? {} : { payload: payload as string | object }),
  });
}

/** Asserts a problem+json answer with `status` and error `code`; returns the body. */
export function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(body.type, `${problemTypeBase}${code}`, res.body);
  return body;
}

/** Audit events of one action, oldest first. */
export async function auditOf(q: Queryable, action: string): Promise<{ tenant_id: string | null; actor_id: string | null; subject_id: string | null; details: Record<string, unknown> }[]> {
  const { rows } = await q.query<{ tenant_id: string | null; actor_id: string | null; subject_id: string | null; details: Record<string, unknown> }>(
    'SELECT tenant_id, actor_id, subject_id, details FROM audit_events WHERE action = $1 ORDER BY id', [action]);
  return rows;
}
