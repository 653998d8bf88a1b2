import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { createTenantsService, type TenantsService } from './tenants.service.ts';
import { tenantsRoutes } from './tenants.routes.ts';
import { assertProblem, auditOf, caller, seedWorld, testApp, type Who, type World } from './tenants.test-support.ts';

const clock = () => new Date('2030-03-01T08:00:00.000Z');

for (const target of await testTargets()) {
  describe(`tenants and stores API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let w: World;
    let tenants: TenantsService;
    const call = caller(() => app);

    before(async () => {
      db = await target.open();
      w = await seedWorld(db);
      tenants = createTenantsService({ db, clock });
      app = await testApp([tenantsRoutes({ tenants })], w.principals);
    });
    after(async () => { await app.close(); await target.close(db); });

    test('system code creates an operator with default policy, audited; codes are unique and checked', async () => {
      const t = await tenants.createTenant({ code: 'op-new', name: '  New   Operator ' });
      assert.equal(t.name, 'New Operator');
      assert.equal(t.policy.maxActiveNumbersPerPerson, 5);
      const events = await auditOf(db, 'tenant.created');
      assert.deepEqual(events.map((e) => [e.tenant_id, e.actor_id, e.subject_id, e.details]), [[t.id, null, t.id, { code: 'op-new' }]]);
      await assert.rejects(tenants.createTenant({ code: 'op-new', name: 'Again' }), (e: DomainError) => e.code === 'tenant.code_taken');
      await assert.rejects(tenants.createTenant({ code: 'Bad Code', name: 'X' }), (e: DomainError) => e.code === 'request.invalid');
      await assert.rejects(tenants.createTenant({ code: 'op-x', name: '   ' }), (e: DomainError) => e.code === 'request.invalid');
      await assert.rejects(tenants.createTenant({ code: 'op-y', name: 'Y', policy: { maxActiveNumbersPerPerson: 0 } }), (e: DomainError) => e.code === 'policy.invalid_settings');
    });

    test('role × endpoint matrix for reads', async () => {
      const expected: Record<Who | 'anonymous', [number, number, number, number, number]> = {
        // [GET /tenants, GET /tenants/A, GET /tenants/B, GET A stores, GET B stores]
        regulator: [200, 200, 200, 200, 200],
        adminA: [200, 200, 403, 200, 403],
        adminB: [200, 403, 200, 403, 200],
        managerA1: [403, 403, 403, 403, 403],
        agentA1: [403, 403, 403, 403, 403],
        agentA2: [403, 403, 403, 403, 403],
        managerB1: [403, 403, 403, 403, 403],
        agentB1: [403, 403, 403, 403, 403],
        apiKeyA: [403, 403, 403, 403, 403],
        anonymous: [401, 401, 401, 401, 401],
      };
      for (const [who, statuses] of Object.entries(expected) as [Who | 'anonymous', number[]][]) {
        const got = [
          (await call(who, 'GET', '/v1/tenants')).statusCode,
          (await call(who, 'GET', `/v1/tenants/${w.tenantA}`)).statusCode,
          (await call(who, 'GET', `/v1/tenants/${w.tenantB}`)).statusCode,
          (await call(who, 'GET', `/v1/tenants/${w.tenantA}/stores`)).statusCode,
          (await call(who, 'GET', `/v1/tenants/${w.tenantB}/stores`)).statusCode,
        ];
        assert.deepEqual(got, statuses, who);
      }
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantB}/stores`), 403, 'auth.forbidden');
    });

    test('operator admins see their own operator; regulators see all', async () => {
      const own = (await call('adminA', 'GET', '/v1/tenants')).json();
      assert.deepEqual(own.items.map((t: { id: string }) => t.id), [w.tenantA]);
      const all = (await call('regulator', 'GET', '/v1/tenants')).json();
      assert.ok(all.items.some((t: { id: string }) => t.id === w.tenantA) && all.items.some((t: { id: string }) => t.id === w.tenantB));
      const one = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}`)).json();
      assert.deepEqual(Object.keys(one).sort(), ['code', 'createdAt', 'id', 'name']);
      assert.equal(one.code, 'op-a');
      const stores = (await call('regulator', 'GET', `/v1/tenants/${w.tenantB}/stores`)).json();
      assert.deepEqual(stores.items.map((s: { code: string }) => s.code), ['B1']);
      assertProblem(await call('regulator', 'GET', '/v1/tenants/00000000-0000-4000-8000-000000000000'), 404, 'tenant.not_found');
      assertProblem(await call('regulator', 'GET', '/v1/tenants/not-a-uuid'), 400, 'request.invalid');
    });

    test('an operator admin opens stores in its own operator only, audited', async () => {
      const res = await call('adminA', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'A9', name: 'Airport', regionCode: '110105' });
      assert.equal(res.statusCode, 201, res.body);
      const store = res.json();
      assert.equal(store.tenantId, w.tenantA);
      assert.equal(store.regionCode, '110105');
      const events = await auditOf(db, 'store.created');
      assert.deepEqual(events.at(-1), { tenant_id: w.tenantA, actor_id: w.staff.adminA, subject_id: store.id, details: { code: 'A9', regionCode: '110105' } });

      assertProblem(await call('adminA', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'A9', name: 'Again' }), 409, 'store.code_taken');
      assertProblem(await call('adminA', 'POST', `/v1/tenants/${w.tenantB}/stores`, { code: 'X1', name: 'Intruder' }), 403, 'auth.forbidden');
      assertProblem(await call('regulator', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'R1', name: 'Regulator' }), 403, 'auth.forbidden');
      assertProblem(await call('managerA1', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'M1', name: 'Manager' }), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'bad code', name: 'x' }), 400, 'request.invalid');
      assertProblem(await call('adminA', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'A10', name: '   ' }), 400, 'request.invalid');
      // The same code at another operator is fine.
      assert.equal((await call('adminB', 'POST', `/v1/tenants/${w.tenantB}/stores`, { code: 'A9', name: 'B airport' })).statusCode, 201);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM stores WHERE code IN ('X1', 'R1', 'M1')");
      assert.equal(rows[0]!.n, 0);
    });

    test('an operator admin renames its own stores; another operator\'s store is not found', async () => {
      const res = await call('adminA', 'PATCH', `/v1/stores/${w.storeA2}`, { name: 'Main Street' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().name, 'Main Street');
      const events = await auditOf(db, 'store.renamed');
      assert.deepEqual(events.at(-1), { tenant_id: w.tenantA, actor_id: w.staff.adminA, subject_id: w.storeA2, details: { from: 'Store A2', to: 'Main Street' } });

      assertProblem(await call('adminA', 'PATCH', `/v1/stores/${w.storeB1}`, { name: 'Hijacked' }), 404, 'store.not_found');
      assertProblem(await call('regulator', 'PATCH', `/v1/stores/${w.storeB1}`, { name: 'Hijacked' }), 403, 'auth.forbidden');
      assertProblem(await call('managerB1', 'PATCH', `/v1/stores/${w.storeB1}`, { name: 'Hijacked' }), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'PATCH', `/v1/stores/00000000-0000-4000-8000-000000000000`, { name: 'Nothing' }), 404, 'store.not_found');
      const { rows } = await db.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [w.storeB1]);
      assert.equal(rows[0]!.name, 'Store B1');
    });

    test('an operator admin sets and clears a store\'s region code; unknown divisions are refused; each change audited once', async () => {
      const set = await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, { regionCode: '310101' });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual([set.json().name, set.json().regionCode, set.json().regionName], ['Store A3', '310101', '上海市黄浦区']);
      assertProblem(await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, { regionCode: '999999' }), 400, 'request.invalid');
      assertProblem(await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, { regionCode: '3101' }), 400, 'request.invalid');
      assertProblem(await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, {}), 400, 'request.invalid');
      assertProblem(await call('adminA', 'POST', `/v1/tenants/${w.tenantA}/stores`, { code: 'A11', name: 'Nowhere', regionCode: '999999' }), 400, 'request.invalid');
      const both = await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, { name: 'Bund', regionCode: null });
      assert.equal(both.statusCode, 200, both.body);
      assert.deepEqual([both.json().name, both.json().regionCode, both.json().regionName], ['Bund', null, null]);
      const same = await call('adminA', 'PATCH', `/v1/stores/${w.storeA3}`, { name: ' Bund ' });
      assert.equal(same.statusCode, 200, same.body);
      const region = await auditOf(db, 'store.region_changed');
      assert.deepEqual(region.map((e) => [e.subject_id, e.details]), [[w.storeA3, { from: null, to: '310101' }], [w.storeA3, { from: '310101', to: null }]]);
      const renamed = (await auditOf(db, 'store.renamed')).filter((e) => e.subject_id === w.storeA3);
      assert.deepEqual(renamed.map((e) => e.details), [{ from: 'Store A3', to: 'Bund' }], 'an unchanged name records nothing');
      assertProblem(await call('adminB', 'PATCH', `/v1/stores/${w.storeA3}`, { regionCode: '110101' }), 404, 'store.not_found');
    });

    test('the store list counts each store\'s enabled staff accounts', async () => {
      const counts = async () => Object.fromEntries(((await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/stores`)).json().items as { code: string; staffCount: number }[])
        .map((s) => [s.code, s.staffCount]));
      const before = await counts();
      assert.deepEqual([before.A1, before.A2, before.A3], [2, 1, 0], 'manager and agent at A1, an agent at A2');
      await db.query('UPDATE staff SET disabled = true WHERE id = $1', [w.staff.agentA2]);
      assert.equal((await counts()).A2, 0, 'disabled accounts do not count');
      await db.query('UPDATE staff SET disabled = false WHERE id = $1', [w.staff.agentA2]);
      const one = (await call('regulator', 'GET', `/v1/tenants/${w.tenantB}/stores`)).json().items[0];
      assert.deepEqual(Object.keys(one).sort(), ['code', 'id', 'name', 'regionCode', 'regionName', 'staffCount', 'tenantId']);
    });
  });
}
