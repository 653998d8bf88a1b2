import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import type { Principal } from '../staff/principal.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit } from './audit.ts';
import { GENESIS_PREV_HASH, chainHash } from './audit.chain.ts';
import { CSV_COLUMNS } from './audit.csv.ts';
import { sequenceAudit } from './audit.sequencer.ts';
import { auditRoutes } from './audit.routes.ts';
import { resetAudit, sampleEvent, tenantA, tenantB } from './audit.test-support.ts';

const principals = {
  regulator: { kind: 'staff', staffId: 'r0000000-0000-4000-8000-000000000001', role: 'regulator', tenantId: null, storeId: null },
  adminA: { kind: 'staff', staffId: 'a0000000-0000-4000-8000-000000000001', role: 'operator_admin', tenantId: tenantA, storeId: null },
  managerA: { kind: 'staff', staffId: 'm0000000-0000-4000-8000-000000000001', role: 'store_manager', tenantId: tenantA, storeId: 'store-1' },
  agentA: { kind: 'staff', staffId: 'g0000000-0000-4000-8000-000000000001', role: 'agent', tenantId: tenantA, storeId: 'store-1' },
  apiKeyA: { kind: 'api_key', keyId: 'k0000000-0000-4000-8000-000000000001', tenantId: tenantA, scopes: ['registrations'] },
} satisfies Record<string, Principal>;
type Who = keyof typeof principals | 'anonymous';

/**
 * Test seam: `buildApp`'s `authenticate` option resolves the caller. The staff/auth module
 * (sessions, API keys) is developed separately, so these tests map an `x-test-principal`
 * header naming one of the principals above; the access rules under test are the real ones.
 */
async function authenticate(req: { headers: Record<string, string | string[] | undefined> }): Promise<Principal | undefined> {
  const name = req.headers['x-test-principal'];
  if (name === undefined) return undefined;
  const p = principals[String(name) as keyof typeof principals];
  if (!p) throw new DomainError('auth.invalid_credentials');
  return p;
}

/** Minimal RFC 4180 reader that keeps NULL (empty unquoted) apart from "" (empty string). */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        s += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') { s += '"'; i++; } else break;
      }
      value = s;
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      const raw = end === -1 ? text.slice(i) : text.slice(i, i + end);
      i += raw.length;
      value = raw === '' ? null : raw;
    }
    row.push(value);
    if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; } else if (text[i] === ',') i++;
  }
  return rows;
}

/** Re-verifies exported rows as an inspector would: each row from its own fields; links where seqs are consecutive. */
function reverify(rows: (string | null)[][]): void {
  let prev: { seq: number; hash: string } | undefined;
  for (const r of rows) {
    const f = (c: typeof CSV_COLUMNS[number]): string | null => r[CSV_COLUMNS.indexOf(c)] ?? null;
    const seq = Number(f('seq'));
    const hash = chainHash(Buffer.from(f('prev_hash')!, 'hex'), {
      seq, id: Number(f('id')), at: f('at')!, tenantId: f('tenant_id'), actorType: f('actor_type')!, actorId: f('actor_id'),
      action: f('action')!, subjectType: f('subject_type'), subjectId: f('subject_id'), details: f('details')!,
    }).toString('hex');
    assert.equal(hash, f('hash'), `row seq ${seq} re-verifies from the CSV`);
    if (seq === 1) assert.equal(f('prev_hash'), GENESIS_PREV_HASH.toString('hex'));
    if (prev && prev.seq + 1 === seq) assert.equal(f('prev_hash'), prev.hash, `link ${prev.seq} → ${seq}`);
    prev = { seq, hash: f('hash')! };
  }
}

for (const target of await testTargets()) {
  describe(`audit HTTP routes (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    const call = (who: Who, method: 'GET' | 'POST', url: string) =>
      app.inject({ method, url, headers: who === 'anonymous' ? {} : { 'x-test-principal': who } });

    before(async () => {
      db = await target.open();
      app = await buildApp({
        bodyLimitBytes: 65536, logLevel: 'silent', version: 'test', authenticate,
        routes: [auditRoutes({ db })], health: async () => ({}),
      });
    });
    after(async () => { await app.close(); await target.close(db); });

    /** 30 sample events (A, B and tenant-less), chained. */
    async function seed(): Promise<void> {
      await resetAudit(db, 30);
      await sequenceAudit(db);
    }

    test('role × endpoint matrix', async () => {
      await seed();
      const expected: Record<Who, [number, number, number]> = {
        // [GET events, POST verify, GET export.csv]
        regulator: [200, 200, 200],
        adminA: [200, 403, 403],
        managerA: [403, 403, 403],
        agentA: [403, 403, 403],
        apiKeyA: [403, 403, 403],
        anonymous: [401, 401, 401],
      };
      for (const [who, statuses] of Object.entries(expected) as [Who, [number, number, number]][]) {
        const got = [
          (await call(who, 'GET', '/v1/audit/events')).statusCode,
          (await call(who, 'POST', '/v1/audit/verify')).statusCode,
          (await call(who, 'GET', '/v1/audit/export.csv')).statusCode,
        ];
        assert.deepEqual(got, statuses, who);
      }
      const refused = await call('agentA', 'GET', '/v1/audit/events');
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(refused.json().type, 'https://portrait.dev/problems/auth.forbidden');
    });

    test('an operator admin reads only their own tenant', async () => {
      await seed();
      const own = await call('adminA', 'GET', '/v1/audit/events?limit=500');
      const items = own.json().items as { tenantId: string | null }[];
      assert.equal(items.length, 10);
      assert.ok(items.every((e) => e.tenantId === tenantA));
      assert.equal((await call('adminA', 'GET', `/v1/audit/events?tenantId=${tenantA}`)).statusCode, 200);
      const other = await call('adminA', 'GET', `/v1/audit/events?tenantId=${tenantB}`);
      assert.equal(other.statusCode, 403);
      assert.equal(other.json().type, 'https://portrait.dev/problems/auth.forbidden');
    });

    test('a regulator lists all tenants, with filters', async () => {
      await seed();
      const all = (await call('regulator', 'GET', '/v1/audit/events?limit=500')).json();
      assert.equal(all.items.length, 30);
      assert.equal(all.nextCursor, null);
      const first = all.items[0];
      assert.equal(first.id, 30, 'newest first');
      assert.equal(first.seq, 30);
      assert.match(first.hash, /^[0-9a-f]{64}$/);
      assert.equal(first.at, sampleEvent(30).at!.toISOString());
      assert.deepEqual(first.details, sampleEvent(30).details);

      const byTenant = (await call('regulator', 'GET', `/v1/audit/events?tenantId=${tenantB}`)).json().items as { tenantId: string }[];
      assert.ok(byTenant.length === 10 && byTenant.every((e) => e.tenantId === tenantB));
      const byAction = (await call('regulator', 'GET', '/v1/audit/events?action=number.assigned')).json().items as { action: string }[];
      assert.ok(byAction.length === 10 && byAction.every((e) => e.action === 'number.assigned'));
      const bySubject = (await call('regulator', 'GET', '/v1/audit/events?subjectType=registration&subjectId=reg-12')).json().items as { id: number }[];
      assert.deepEqual(bySubject.map((e) => e.id), [12]);
      // Event i is at 2025-01-01T00:00:00.007Z + i minutes: [from, to) selects i = 5..9.
      const range = (await call('regulator', 'GET', '/v1/audit/events?from=2025-01-01T00:05:00.007Z&to=2025-01-01T00:10:00.007Z')).json();
      assert.deepEqual(range.items.map((e: { id: number }) => e.id), [9, 8, 7, 6, 5]);
    });

    test('keyset paging returns every event once, newest first', async () => {
      await seed();
      const seen: number[] = [];
      let url = '/v1/audit/events?limit=7';
      for (let pages = 0; pages < 10; pages++) {
        const page = (await call('regulator', 'GET', url)).json();
        seen.push(...page.items.map((e: { id: number }) => e.id));
        if (!page.nextCursor) break;
        url = `/v1/audit/events?limit=7&cursor=${page.nextCursor}`;
      }
      assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => 30 - i));
    });

    test('bad queries are problem+json 400s', async () => {
      for (const q of ['cursor=abc', 'cursor=0', 'limit=0', 'limit=501', 'tenantId=not-a-uuid', 'from=yesterday', 'nope=1',
        'from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z']) {
        const res = await call('regulator', 'GET', `/v1/audit/events?${q}`);
        assert.equal(res.statusCode, 400, q);
        assert.equal(res.json().type, 'https://portrait.dev/problems/request.invalid', q);
      }
      assert.equal((await call('regulator', 'GET', '/v1/audit/export.csv?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z')).statusCode, 400);
    });

    test('verify returns the result and audits that a verification ran', async () => {
      await seed();
      const ok = await call('regulator', 'POST', '/v1/audit/verify');
      assert.equal(ok.statusCode, 200);
      const body = ok.json();
      assert.equal(body.ok, true);
      assert.equal(body.events, 30);
      assert.match(body.head, /^[0-9a-f]{64}$/);
      const { rows } = await db.query<{ actor_type: string; actor_id: string; details: Record<string, unknown> }>(
        "SELECT actor_type, actor_id, details FROM audit_events WHERE action = 'audit.chain_verified'");
      assert.deepEqual(rows, [{ actor_type: 'staff', actor_id: principals.regulator.staffId, details: { ok: true, events: 30, head: body.head } }]);

      await db.query("UPDATE audit_events SET details = '{}' WHERE seq = 17");
      const broken = (await call('regulator', 'POST', '/v1/audit/verify')).json();
      assert.equal(broken.ok, false);
      assert.equal(broken.events, 16);
      assert.equal(broken.firstBroken.seq, 17);
      assert.equal(broken.firstBroken.problem, 'hash_mismatch');
    });

    test('the CSV export escapes properly and re-verifies from the file alone', async () => {
      await seed();
      await appendAudit(db, {
        tenantId: tenantA, actor: { type: 'staff', id: '' }, action: 'odd,"action"\r\nline',
        subjectType: '', details: { text: 'comma, "quote", \n newline, ünïcödé, tab\t', n: 1e21 },
      });
      const res = await call('regulator', 'GET', '/v1/audit/export.csv');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="portrait-audit-.*\.csv"$/);
      const [header, ...rows] = parseCsv(res.body);
      assert.deepEqual(header, [...CSV_COLUMNS]);
      assert.equal(rows.length, 31, 'the event appended before the export was chained by its flush');
      assert.deepEqual(rows.map((r) => Number(r[0])), Array.from({ length: 31 }, (_, i) => i + 1));
      reverify(rows);
      const odd = rows[30]!;
      assert.equal(odd[6], 'odd,"action"\r\nline');
      assert.equal(odd[5], '', 'empty actor id stays an empty string');
      assert.equal(odd[7], '', 'empty subject type stays an empty string');
      assert.equal(odd[8], null, 'absent subject id stays NULL');
      const { rows: exported } = await db.query<{ actor_id: string; details: Record<string, unknown> }>(
        "SELECT actor_id, details FROM audit_events WHERE action = 'audit.exported'");
      assert.deepEqual(exported, [{ actor_id: principals.regulator.staffId, details: { tenantId: null, from: null, to: null, uptoSeq: 31 } }]);
    });

    test('the CSV export filters by tenant and time; each row still verifies', async () => {
      await seed();
      const res = await call('regulator', 'GET', `/v1/audit/export.csv?tenantId=${tenantA}&from=2025-01-01T00:10:00Z`);
      const [, ...rows] = parseCsv(res.body);
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r[3] === tenantA));
      assert.ok(rows.every((r) => r[2]! >= '2025-01-01T00:10:00'));
      assert.deepEqual(rows.map((r) => Number(r[1])), [12, 15, 18, 21, 24, 27, 30]);
      reverify(rows);
    });

    test('a tampered export no longer re-verifies', async () => {
      await seed();
      const [, ...rows] = parseCsv((await call('regulator', 'GET', '/v1/audit/export.csv')).body);
      rows[4]![6] = 'registration.rejected';
      assert.throws(() => reverify(rows), /row seq 5 re-verifies/);
    });
  });
}
