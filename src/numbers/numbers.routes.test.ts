import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app.ts';
import { createNumbersService } from './numbers.service.ts';
import { numbersRoutes } from './numbers.routes.ts';
import { MAX_IMPORT_ROWS } from './numbers.import.ts';
import { assertProblem, auditOf, caller, seedWorld, testApp, type Who, type World } from '../tenants/tenants.test-support.ts';

const clock = () => new Date('2030-03-01T08:00:00.000Z');
const csv = { 'content-type': 'text/csv' };

for (const target of await testTargets()) {
  describe(`number inventory API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let w: World;
    const call = caller(() => app);
    const importUrl = () => `/v1/tenants/${w.tenantA}/numbers/import`;
    const numbersOf = async (tenantId: string) => (await db.query<{ msisdn: string; store_id: string | null }>(
      'SELECT msisdn, store_id FROM numbers WHERE tenant_id = $1 ORDER BY msisdn', [tenantId])).rows;

    before(async () => {
      db = await target.open();
      w = await seedWorld(db);
      app = await testApp([numbersRoutes({ numbers: createNumbersService({ db, clock }) })], w.principals);
    });
    after(async () => { await app.close(); await target.close(db); });

    test('CSV with header and CRLF: a per-row report of what was not imported', async () => {
      // Operator B already holds one number: it is a duplicate for A too (numbers are unique in the deployment).
      await db.query("INSERT INTO numbers (id, tenant_id, msisdn) VALUES (gen_random_uuid(), $1, '13900000009')", [w.tenantB]);
      const body = [
        'msisdn,store_code',
        '13800000001,A1',
        '138 0000 0002,A2',
        '13800000003',
        '',
        '+8613800000004,',
        '12ab,A1',
        '13800000005,Z9',
        '13800000001,A2',
        '13900000009,A1',
        '"13800000006","A1"',
        '13800000007,A1,extra',
        '',
      ].join('\r\n');
      const res = await call('adminA', 'POST', importUrl(), body, csv);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        imported: 5, duplicate: 2, invalid: 2, unknownStore: 1,
        rows: [
          { line: 7, msisdn: '12ab', status: 'invalid', message: 'Not a phone number: 5-15 digits, optionally after +' },
          { line: 8, msisdn: '13800000005', status: 'unknown_store', message: "No store with code 'Z9' at this operator" },
          { line: 9, msisdn: '13800000001', status: 'duplicate', message: 'Repeats line 2' },
          { line: 10, msisdn: '13900000009', status: 'duplicate', message: 'Already in the inventory' },
          { line: 12, msisdn: '13800000007', status: 'invalid', message: 'Expected msisdn[,store_code]' },
        ],
      });
      assert.deepEqual(await numbersOf(w.tenantA), [
        { msisdn: '+8613800000004', store_id: null },
        { msisdn: '13800000001', store_id: w.storeA1 },
        { msisdn: '13800000002', store_id: w.storeA2 },
        { msisdn: '13800000003', store_id: null },
        { msisdn: '13800000006', store_id: w.storeA1 },
      ]);
      const events = await auditOf(db, 'numbers.imported');
      assert.deepEqual(events.map((e) => [e.tenant_id, e.actor_id, e.details]), [
        [w.tenantA, w.staff.adminA, { format: 'csv', imported: 5, duplicate: 2, invalid: 2, unknownStore: 1 }],
      ]);
    });

    test('CSV without header, LF, charset parameter; re-importing reports duplicates against the database', async () => {
      const body = '13700000001,A1\n13700000002\n13800000001,A1\n';
      const res = await call('adminA', 'POST', importUrl(), body, { 'content-type': 'text/csv; charset=utf-8' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        imported: 2, duplicate: 1, invalid: 0, unknownStore: 0,
        rows: [{ line: 3, msisdn: '13800000001', status: 'duplicate', message: 'Already in the inventory' }],
      });
      const again = (await call('adminA', 'POST', importUrl(), body, csv)).json();
      assert.equal(again.imported, 0);
      assert.deepEqual(again.rows.map((r: { line: number; status: string }) => [r.line, r.status]), [[1, 'duplicate'], [2, 'duplicate'], [3, 'duplicate']]);
    });

    test('JSON import reports positions from 1', async () => {
      const res = await call('adminA', 'POST', importUrl(), {
        numbers: [{ msisdn: '13600000001', storeCode: 'A3' }, { msisdn: 'x' }, { msisdn: '13600000001' }, { msisdn: '13600000002', storeCode: 'B1' }],
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        imported: 1, duplicate: 1, invalid: 1, unknownStore: 1,
        rows: [
          { line: 2, msisdn: 'x', status: 'invalid', message: 'Not a phone number: 5-15 digits, optionally after +' },
          { line: 3, msisdn: '13600000001', status: 'duplicate', message: 'Repeats line 1' },
          { line: 4, msisdn: '13600000002', status: 'unknown_store', message: "No store with code 'B1' at this operator" },
        ],
      }, 'a store code of another operator is unknown here');
      assert.deepEqual((await auditOf(db, 'numbers.imported')).at(-1)!.details, { format: 'json', imported: 1, duplicate: 1, invalid: 1, unknownStore: 1 });
    });

    test('only an operator admin imports, into its own operator', async () => {
      const body = '13500000001\n';
      const statuses: [Who | 'anonymous', string, number][] = [
        ['adminA', w.tenantB, 403], ['adminB', w.tenantA, 403], ['regulator', w.tenantA, 403],
        ['managerA1', w.tenantA, 403], ['agentA1', w.tenantA, 403], ['apiKeyA', w.tenantA, 403], ['anonymous', w.tenantA, 401],
      ];
      for (const [who, tenantId, status] of statuses) {
        const res = await call(who, 'POST', `/v1/tenants/${tenantId}/numbers/import`, body, csv);
        assert.equal(res.statusCode, status, `${who} → ${tenantId}`);
      }
      const { rows } = await db.query("SELECT 1 FROM numbers WHERE msisdn = '13500000001'");
      assert.equal(rows.length, 0);
      assertProblem(await call('adminA', 'POST', importUrl(), '13500000001', { 'content-type': 'text/plain' }), 415, 'request.unsupported_media_type');
      assertProblem(await call('adminA', 'POST', importUrl(), { numbers: [{ msisdn: 1 }], extra: true }), 400, 'request.invalid');
    });

    test(`${MAX_IMPORT_ROWS} rows import in one request; one more is refused`, async () => {
      const lines = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => `+86150${String(i).padStart(8, '0')},A3`);
      const res = await call('adminB', 'POST', `/v1/tenants/${w.tenantB}/numbers/import`, `msisdn,store_code\n${lines.join('\n')}\n`, csv);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      const report = res.json();
      assert.equal(report.imported, 0, 'A3 is a store of operator A, unknown at B');
      assert.equal(report.unknownStore, MAX_IMPORT_ROWS);
      const ok = await call('adminA', 'POST', importUrl(), `msisdn,store_code\n${lines.join('\n')}\n`, csv);
      assert.equal(ok.json().imported, MAX_IMPORT_ROWS);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM numbers WHERE store_id = $1', [w.storeA3]);
      assert.equal(rows[0]!.n, MAX_IMPORT_ROWS + 1);
      const tooMany = await call('adminA', 'POST', importUrl(), `${lines.join('\n')}\n+8615199999999\n`, csv);
      assertProblem(tooMany, 413, 'request.too_large');
    });

    test('listing: operator admins filter and page; agents see available numbers of their store and the pool', async () => {
      await db.query("UPDATE numbers SET state = 'reserved', reserved_for = gen_random_uuid(), reserved_until = now() WHERE msisdn = '13700000001'");
      const page1 = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?storeId=${w.storeA1}&limit=2`)).json();
      assert.deepEqual(page1.items.map((n: { msisdn: string }) => n.msisdn), ['13700000001', '13800000001']);
      assert.equal(page1.nextCursor, '13800000001');
      const page2 = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?storeId=${w.storeA1}&limit=2&cursor=${page1.nextCursor}`)).json();
      assert.deepEqual(page2.items.map((n: { msisdn: string }) => n.msisdn), ['13800000006']);
      assert.equal(page2.nextCursor, null);
      const reserved = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?state=reserved`)).json();
      assert.deepEqual(reserved.items.map((n: { msisdn: string; state: string }) => [n.msisdn, n.state]), [['13700000001', 'reserved']]);
      assert.ok(reserved.items[0].reservedUntil);

      const agent = (await call('agentA1', 'GET', `/v1/tenants/${w.tenantA}/numbers?limit=500`)).json();
      const seen = agent.items.map((n: { msisdn: string }) => n.msisdn);
      assert.deepEqual(seen, ['+8613800000004', '13700000002', '13800000001', '13800000003', '13800000006'],
        'available at A1 or in the pool; not A2/A3 numbers, not the reserved one');
      assert.ok(agent.items.every((n: { state: string }) => n.state === 'available'));
      assert.equal((await call('agentA2', 'GET', `/v1/tenants/${w.tenantA}/numbers?limit=1`)).json().items[0].msisdn, '+8613800000004');

      assertProblem(await call('agentA1', 'GET', `/v1/tenants/${w.tenantA}/numbers?state=active`), 403, 'auth.forbidden');
      assertProblem(await call('agentA1', 'GET', `/v1/tenants/${w.tenantA}/numbers?storeId=${w.storeA2}`), 403, 'auth.forbidden');
      assertProblem(await call('agentA1', 'GET', `/v1/tenants/${w.tenantB}/numbers`), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantB}/numbers`), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?storeId=${w.storeB1}`), 404, 'store.not_found');
      assertProblem(await call('regulator', 'GET', `/v1/tenants/${w.tenantA}/numbers`), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?cursor=abc`), 400, 'request.invalid');
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers?limit=501`), 400, 'request.invalid');
      const listed = await auditOf(db, 'numbers.listed');
      assert.deepEqual(listed.at(-1), { tenant_id: w.tenantA, actor_id: w.staff.agentA2, subject_id: null, details: { state: 'available', storeId: w.storeA2, count: 1 } });
    });

    test('counts by state, for the operator admin of the operator only', async () => {
      const all = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers/counts`)).json();
      assert.deepEqual(all, { counts: { available: MAX_IMPORT_ROWS + 7, reserved: 1, active: 0, suspended: 0, cooling_off: 0 }, total: MAX_IMPORT_ROWS + 8 });
      const a1 = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers/counts?storeId=${w.storeA1}`)).json();
      assert.deepEqual(a1, { counts: { available: 2, reserved: 1, active: 0, suspended: 0, cooling_off: 0 }, total: 3 });
      const b = (await call('adminB', 'GET', `/v1/tenants/${w.tenantB}/numbers/counts`)).json();
      assert.equal(b.total, 1);
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantB}/numbers/counts`), 403, 'auth.forbidden');
      assertProblem(await call('agentA1', 'GET', `/v1/tenants/${w.tenantA}/numbers/counts`), 403, 'auth.forbidden');
      assertProblem(await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/numbers/counts?storeId=${w.storeB1}`), 404, 'store.not_found');
    });
  });
}
