import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app.ts';
import { createStatisticsService } from './statistics.service.ts';
import { statisticsRoutes } from './statistics.routes.ts';
import { documentToken, resolvePeriod } from './statistics.ts';
import { assertProblem, auditOf, caller, insertStaff, seedWorld, testApp, type Who, type World } from '../tenants/tenants.test-support.ts';

const now = new Date('2030-03-10T00:00:00.000Z');
const DAY1 = 'from=2030-03-01T00:00:00Z&to=2030-03-02T00:00:00Z';
const DAY2 = 'from=2030-03-05T00:00:00Z&to=2030-03-07T00:00:00Z';
const doc = (name: string) => createHash('sha256').update(`fake-hmac:${name}`).digest();
const at = (iso: string, plusSeconds = 0) => new Date(new Date(iso).getTime() + plusSeconds * 1000);

interface Reg {
  store: string; agent: string; state: string; at: Date;
  reason?: string; doc?: Buffer; method?: 'face' | 'manual_review'; attempts?: number;
  /** Liveness sessions of the registration, in order: 'passed', 'open', or the first reason of a refusal. */
  liveness?: string[];
}

describe('resolvePeriod', () => {
  test('defaults to the week before now; refuses empty, reversed and overlong periods', () => {
    assert.deepEqual(resolvePeriod(undefined, undefined, now), { from: new Date('2030-03-03T00:00:00.000Z'), to: now });
    assert.throws(() => resolvePeriod(now, now, now), /before/);
    assert.throws(() => resolvePeriod(new Date('2029-01-01'), new Date('2030-03-01'), now), /366 days/);
    assert.throws(() => resolvePeriod(new Date('nope'), undefined, now), /valid time/);
  });
});

for (const target of await testTargets()) {
  describe(`statistics API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let w: World;
    let tenantOf: Map<string, string>;
    const call = caller(() => app);

    async function insert(r: Reg): Promise<string> {
      const id = randomUUID();
      const verification = r.method ? JSON.stringify({ method: r.method, at: r.at.toISOString() }) : null;
      const ended = ['completed', 'rejected', 'expired', 'cancelled'].includes(r.state) ? r.at : null;
      await db.query(
        `INSERT INTO registrations (id, tenant_id, store_id, agent_id, state, reason_code, doc_type, doc_hmac, verification, face_attempts, created_at, updated_at, expires_at, ended_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11::timestamptz + interval '15 minutes', $12)`,
        [id, tenantOf.get(r.store), r.store, r.agent, r.state, r.reason ?? null, r.doc ? 'cn_resident_id' : null, r.doc ?? null, verification, r.attempts ?? 0, r.at, ended]);
      for (const outcome of r.liveness ?? []) {
        const state = outcome === 'passed' || outcome === 'open' ? outcome : 'failed';
        const result = state === 'open' ? null : JSON.stringify({ live: state === 'passed', reasons: state === 'failed' ? [outcome, 'liveness.action_missing'] : [] });
        await db.query(
          `INSERT INTO liveness_sessions (id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_at, expires_at, result)
           VALUES ($1, $2, 'registration', $3, $4, ARRAY['blink', 'turn_left'], $5, $6, $6::timestamptz + interval '60 seconds', $7)`,
          [randomUUID(), tenantOf.get(r.store), id, createHash('sha256').update(randomUUID()).digest(), state, r.at, result]);
      }
      return id;
    }

    before(async () => {
      db = await target.open();
      w = await seedWorld(db);
      tenantOf = new Map([[w.storeA1, w.tenantA], [w.storeA2, w.tenantA], [w.storeA3, w.tenantA], [w.storeB1, w.tenantB]]);
      app = await testApp([statisticsRoutes({ statistics: createStatisticsService({ db, clock: () => now }) })], w.principals);
      const { storeA1: A1, storeA2: A2, storeB1: B1 } = w;
      const a1 = w.staff.agentA1, a2 = w.staff.agentA2, b1 = w.staff.agentB1;
      const h = (hour: number) => at(`2030-03-01T${String(hour).padStart(2, '0')}:00:00Z`);
      // Day 1: an ordinary day.
      const day1: Reg[] = [
        { store: A1, agent: a1, state: 'completed', at: h(1), doc: doc('d1'), method: 'face', attempts: 1 },
        { store: A1, agent: a1, state: 'completed', at: h(2), doc: doc('d2'), method: 'face', attempts: 2, liveness: ['liveness.static_face', 'passed'] },
        { store: A1, agent: a1, state: 'completed', at: h(3), doc: doc('d3'), method: 'face', attempts: 1 },
        { store: A1, agent: a1, state: 'completed', at: h(4), doc: doc('d4'), method: 'face', attempts: 1 },
        { store: A1, agent: a1, state: 'completed', at: h(5), doc: doc('d5'), method: 'manual_review' },
        { store: A1, agent: a1, state: 'rejected', reason: 'face.no_match', at: h(6), doc: doc('d6'), attempts: 3, liveness: ['liveness.spoof_suspected', 'liveness.static_face', 'open'] },
        { store: A1, agent: a1, state: 'rejected', reason: 'face.no_match', at: h(7), doc: doc('d7'), attempts: 3 },
        { store: A1, agent: a1, state: 'rejected', reason: 'manual_review.rejected', at: h(8), doc: doc('d8'), method: 'manual_review' },
        { store: A1, agent: a1, state: 'rejected', reason: 'policy.operator_cap_reached', at: h(9), doc: doc('d9'), method: 'face', attempts: 1 },
        { store: A1, agent: a1, state: 'expired', reason: 'registration.expired', at: h(10) },
        { store: A1, agent: a1, state: 'cancelled', reason: 'customer_left', at: h(11), doc: doc('d10') },
        { store: A1, agent: a1, state: 'consent_recorded', at: h(12), doc: doc('d11') },
        { store: A2, agent: a2, state: 'completed', at: h(13), doc: doc('d12'), method: 'face', attempts: 1 },
        // The same person at a second store the same day: not yet an anomaly.
        { store: A2, agent: a2, state: 'completed', at: h(14), doc: doc('d1'), method: 'face', attempts: 1 },
        { store: B1, agent: b1, state: 'completed', at: h(15), doc: doc('d13'), method: 'face', attempts: 1, liveness: ['liveness.wrong_order', 'passed'] },
        { store: B1, agent: b1, state: 'completed', at: h(16), doc: doc('d14'), method: 'face', attempts: 1 },
        { store: B1, agent: b1, state: 'completed', at: h(17), doc: doc('d15'), method: 'face', attempts: 1 },
        { store: B1, agent: b1, state: 'rejected', reason: 'policy.blocklisted', at: h(18), doc: doc('d16'), method: 'face', attempts: 1 },
        // Just outside the day, on both sides.
        { store: A1, agent: a1, state: 'completed', at: at('2030-02-28T23:59:59.999Z'), method: 'face', attempts: 1 },
        { store: A1, agent: a1, state: 'completed', at: at('2030-03-02T00:00:00.000Z'), method: 'face', attempts: 1 },
      ];
      for (const r of day1) await insert(r);
    });
    after(async () => { await app.close(); await target.close(db); });

    const counts = (c: Partial<Record<string, unknown>>) => ({
      started: 0, completed: 0, rejected: 0, rejectedByReason: {}, expired: 0, cancelled: 0, open: 0, manualReviewApprovals: 0, faceAttemptsFailed: 0,
      livenessFailed: 0, livenessFailedByReason: {}, ...c,
    });

    test('role × endpoint matrix and tenant isolation', async () => {
      const expected: Record<Who | 'anonymous', [number, number]> = {
        regulator: [200, 200], adminA: [200, 200], adminB: [200, 200], managerA1: [200, 403], managerB1: [200, 403],
        agentA1: [403, 403], agentA2: [403, 403], agentB1: [403, 403], apiKeyA: [403, 403], anonymous: [401, 401],
      };
      for (const [who, statuses] of Object.entries(expected) as [Who | 'anonymous', number[]][]) {
        const got = [
          (await call(who, 'GET', `/v1/statistics/registrations?${DAY1}`)).statusCode,
          (await call(who, 'GET', `/v1/statistics/anomalies?${DAY1}`)).statusCode,
        ];
        assert.deepEqual(got, statuses, who);
      }
      for (const url of [`/v1/statistics/registrations?tenantId=${w.tenantB}`, `/v1/statistics/registrations?storeId=${w.storeB1}`, `/v1/statistics/anomalies?tenantId=${w.tenantB}`]) {
        assertProblem(await call('adminA', 'GET', url), 403, 'auth.forbidden');
      }
      assertProblem(await call('managerA1', 'GET', `/v1/statistics/registrations?storeId=${w.storeA2}`), 403, 'auth.forbidden');
      assertProblem(await call('managerA1', 'GET', `/v1/statistics/registrations?tenantId=${w.tenantB}`), 403, 'auth.forbidden');
      assertProblem(await call('regulator', 'GET', `/v1/statistics/registrations?storeId=${randomUUID()}`), 404, 'store.not_found');
    });

    test('counts across operators for a regulator, checked against the inserted rows', async () => {
      const res = await call('regulator', 'GET', `/v1/statistics/registrations?${DAY1}`);
      assert.equal(res.statusCode, 200, res.body);
      const s = res.json();
      assert.deepEqual(s, {
        from: '2030-03-01T00:00:00.000Z', to: '2030-03-02T00:00:00.000Z', tenantId: null, storeId: null, groupBy: null,
        totals: counts({
          started: 18, completed: 10, rejected: 5, expired: 1, cancelled: 1, open: 1, manualReviewApprovals: 1, faceAttemptsFailed: 7,
          rejectedByReason: { 'face.no_match': 2, 'manual_review.rejected': 1, 'policy.operator_cap_reached': 1, 'policy.blocklisted': 1 },
          livenessFailed: 4, livenessFailedByReason: { 'liveness.static_face': 2, 'liveness.spoof_suspected': 1, 'liveness.wrong_order': 1 },
        }),
        groups: [],
      });
      const events = await auditOf(db, 'statistics.registrations_read');
      assert.deepEqual(events.at(-1), {
        tenant_id: null, actor_id: w.staff.regulator, subject_id: null,
        details: { from: '2030-03-01T00:00:00.000Z', to: '2030-03-02T00:00:00.000Z', tenantId: null, storeId: null, groupBy: null, groups: 0 },
      });
    });

    test('grouped by tenant, store, agent and UTC day', async () => {
      const byKey = async (q: string) => {
        const s = (await call('regulator', 'GET', `/v1/statistics/registrations?${q}`)).json();
        return Object.fromEntries(s.groups.map((g: { key: string; label: string; started: number; completed: number }) => [g.key, [g.label, g.started, g.completed]]));
      };
      assert.deepEqual(await byKey(`${DAY1}&groupBy=tenant`), { [w.tenantA]: ['op-a', 14, 7], [w.tenantB]: ['op-b', 4, 3] });
      assert.deepEqual(await byKey(`${DAY1}&groupBy=store`), { [w.storeA1]: ['op-a/A1', 12, 5], [w.storeA2]: ['op-a/A2', 2, 2], [w.storeB1]: ['op-b/B1', 4, 3] });
      assert.deepEqual(await byKey(`${DAY1}&groupBy=agent`), { [w.staff.agentA1]: ['agenta1', 12, 5], [w.staff.agentA2]: ['agenta2', 2, 2], [w.staff.agentB1]: ['agentb1', 4, 3] });
      assert.deepEqual(await byKey('from=2030-02-28T00:00:00Z&to=2030-03-02T00:00:00.001Z&groupBy=day'),
        { '2030-02-28': ['2030-02-28', 1, 1], '2030-03-01': ['2030-03-01', 18, 10], '2030-03-02': ['2030-03-02', 1, 1] });
      const byStore = (await call('regulator', 'GET', `/v1/statistics/registrations?${DAY1}&groupBy=store`)).json();
      const a1 = byStore.groups.find((g: { key: string }) => g.key === w.storeA1);
      assert.deepEqual(a1.rejectedByReason, { 'face.no_match': 2, 'manual_review.rejected': 1, 'policy.operator_cap_reached': 1 });
      assert.equal(a1.faceAttemptsFailed, 7);
      assert.deepEqual([a1.livenessFailed, a1.livenessFailedByReason], [3, { 'liveness.static_face': 2, 'liveness.spoof_suspected': 1 }]);
      const b1 = byStore.groups.find((g: { key: string }) => g.key === w.storeB1);
      assert.deepEqual([b1.livenessFailed, b1.livenessFailedByReason], [1, { 'liveness.wrong_order': 1 }]);
    });

    test('operator admins see their operator, store managers their store', async () => {
      const a = (await call('adminA', 'GET', `/v1/statistics/registrations?${DAY1}`)).json();
      assert.equal(a.tenantId, w.tenantA);
      assert.deepEqual(a.totals, counts({
        started: 14, completed: 7, rejected: 4, expired: 1, cancelled: 1, open: 1, manualReviewApprovals: 1, faceAttemptsFailed: 7,
        rejectedByReason: { 'face.no_match': 2, 'manual_review.rejected': 1, 'policy.operator_cap_reached': 1 },
        livenessFailed: 3, livenessFailedByReason: { 'liveness.static_face': 2, 'liveness.spoof_suspected': 1 },
      }));
      const aStore = (await call('adminA', 'GET', `/v1/statistics/registrations?${DAY1}&storeId=${w.storeA2}`)).json();
      assert.deepEqual(aStore.totals, counts({ started: 2, completed: 2 }));
      const m = (await call('managerA1', 'GET', `/v1/statistics/registrations?${DAY1}&groupBy=store`)).json();
      assert.equal(m.storeId, w.storeA1);
      assert.deepEqual(m.groups.map((g: { key: string }) => g.key), [w.storeA1]);
      assert.equal(m.totals.started, 12);
      const b = (await call('managerB1', 'GET', `/v1/statistics/registrations?${DAY1}&groupBy=tenant`)).json();
      assert.deepEqual(b.groups.map((g: { key: string; started: number }) => [g.key, g.started]), [[w.tenantB, 4]]);
      const events = await auditOf(db, 'statistics.registrations_read');
      assert.deepEqual(events.at(-1)!.tenant_id, w.tenantB);
      assert.equal(events.at(-1)!.details.storeId, w.storeB1);
    });

    test('bad queries are 400s', async () => {
      for (const q of ['groupBy=week', 'from=yesterday', 'from=2030-03-02T00:00:00Z&to=2030-03-01T00:00:00Z',
        'from=2029-01-01T00:00:00Z&to=2030-03-01T00:00:00Z', 'tenantId=nope', 'extra=1']) {
        assertProblem(await call('regulator', 'GET', `/v1/statistics/registrations?${q}`), 400, 'request.invalid');
      }
      assertProblem(await call('regulator', 'GET', '/v1/statistics/anomalies?burstThreshold=0'), 400, 'request.invalid');
    });

    test('an ordinary day raises no anomaly', async () => {
      const res = await call('regulator', 'GET', `/v1/statistics/anomalies?${DAY1}`);
      assert.equal(res.statusCode, 200, res.body);
      const a = res.json();
      assert.deepEqual([a.documents, a.bursts, a.agents], [[], [], []], 'agentA1: 1 manual review in 5 completions is exactly 20%, not more');
      assert.deepEqual(a.thresholds, { documentStores: 3, documentWindowHours: 24, burstThreshold: 30, burstWindowMinutes: 10, overrideApprovals: 5, overrideShare: 0.2 });
    });

    test('crafted anomalies are found, within the reader\'s scope, and near misses are not', async () => {
      const { storeA1: A1, storeA2: A2, storeA3: A3, storeB1: B1 } = w;
      const agentA3 = await insertStaff(db, { username: 'agenta3', role: 'agent', tenantId: w.tenantA, storeId: A3 });
      const over1 = await insertStaff(db, { username: 'override1', role: 'agent', tenantId: w.tenantA, storeId: A1 });
      const over2 = await insertStaff(db, { username: 'override2', role: 'agent', tenantId: w.tenantA, storeId: A2 });
      const a1 = w.staff.agentA1, a2 = w.staff.agentA2, b1 = w.staff.agentB1;
      const t = (s: string) => at(`2030-03-${s}Z`);
      // Document X at three stores of A within 19 hours; Y at three stores, but the third exactly 24 h after the first;
      // Z at two stores of A and one of B within an hour (a cross-operator finding, for the regulator only).
      const x = [await insert({ store: A1, agent: a1, state: 'cancelled', at: t('05T01:00:00'), doc: doc('X') }),
        await insert({ store: A2, agent: a2, state: 'cancelled', at: t('05T10:00:00'), doc: doc('X') }),
        await insert({ store: A3, agent: agentA3, state: 'cancelled', at: t('05T20:00:00'), doc: doc('X') })];
      await insert({ store: A1, agent: a1, state: 'cancelled', at: t('05T01:00:00'), doc: doc('Y') });
      await insert({ store: A2, agent: a2, state: 'cancelled', at: t('05T02:00:00'), doc: doc('Y') });
      await insert({ store: A3, agent: agentA3, state: 'cancelled', at: t('06T01:00:00'), doc: doc('Y') });
      const z = [await insert({ store: A1, agent: a1, state: 'cancelled', at: t('05T05:00:00'), doc: doc('Z') }),
        await insert({ store: A2, agent: a2, state: 'cancelled', at: t('05T05:30:00'), doc: doc('Z') }),
        await insert({ store: B1, agent: b1, state: 'cancelled', at: t('05T06:00:00'), doc: doc('Z') })];
      // Bursts: 31 at A2 within 9 minutes; 30 at B1 within 9 minutes; at A3, 30 within 5 minutes and one more exactly 10 minutes after the first.
      for (let i = 0; i < 31; i++) await insert({ store: A2, agent: a2, state: 'expired', at: at('2030-03-05T12:00:00Z', i * 18) });
      for (let i = 0; i < 30; i++) await insert({ store: B1, agent: b1, state: 'expired', at: at('2030-03-05T12:00:00Z', i * 18) });
      for (let i = 0; i < 30; i++) await insert({ store: A3, agent: agentA3, state: 'expired', at: at('2030-03-05T14:00:00Z', i * 10) });
      await insert({ store: A3, agent: agentA3, state: 'expired', at: at('2030-03-05T14:10:00Z') });
      // Manual overrides: override1 approves 5 (of 35 completions); override2 1 of 4 completions (25%);
      // agentA3 1 of 5 (20%, not flagged); agentB1 4 approvals, none completed (not flagged).
      const spread = (i: number) => at('2030-03-06T00:00:00Z', i * 1200);
      let n = 0;
      for (let i = 0; i < 5; i++) await insert({ store: A1, agent: over1, state: 'completed', at: spread(n++), method: 'manual_review' });
      for (let i = 0; i < 30; i++) await insert({ store: A1, agent: over1, state: 'completed', at: spread(n++), method: 'face', attempts: 1 });
      await insert({ store: A2, agent: over2, state: 'completed', at: spread(n++), method: 'manual_review' });
      for (let i = 0; i < 3; i++) await insert({ store: A2, agent: over2, state: 'completed', at: spread(n++), method: 'face', attempts: 1 });
      await insert({ store: A3, agent: agentA3, state: 'completed', at: spread(n++), method: 'manual_review' });
      for (let i = 0; i < 4; i++) await insert({ store: A3, agent: agentA3, state: 'completed', at: spread(n++), method: 'face', attempts: 1 });
      for (let i = 0; i < 4; i++) await insert({ store: B1, agent: b1, state: 'rejected', reason: 'policy.operator_cap_reached', at: spread(n++), method: 'manual_review' });

      const reg = await call('regulator', 'GET', `/v1/statistics/anomalies?${DAY2}`);
      assert.equal(reg.statusCode, 200, reg.body);
      const r = reg.json();
      assert.deepEqual(r.documents.map((d: { token: string; storeCount: number; registrations: { id: string }[] }) => [d.token, d.storeCount, d.registrations.map((x) => x.id)]), [
        [documentToken(doc('X')), 3, x],
        [documentToken(doc('Z')), 3, z],
      ]);
      assert.match(r.documents[0].token, /^[0-9a-f]{8}$/);
      assert.deepEqual(r.documents[1].registrations.map((x: { storeCode: string }) => x.storeCode), ['A1', 'A2', 'B1']);
      for (const name of ['X', 'Y', 'Z']) assert.ok(!reg.body.includes(doc(name).toString('hex')) && !reg.body.includes(doc(name).toString('base64')), 'no HMAC in the answer');
      assert.deepEqual(r.bursts, [{ tenantId: w.tenantA, storeId: A2, storeCode: 'A2', windowStart: '2030-03-05T12:00:00.000Z', windowEnd: '2030-03-05T12:10:00.000Z', registrations: 31 }]);
      assert.deepEqual(r.agents.map((g: { username: string; manualReviewApprovals: number; completions: number; manualReviewShare: number }) =>
        [g.username, g.manualReviewApprovals, g.completions, g.manualReviewShare]), [['override1', 5, 35, 5 / 35], ['override2', 1, 4, 0.25]]);

      const lower = (await call('regulator', 'GET', `/v1/statistics/anomalies?${DAY2}&burstThreshold=29`)).json();
      assert.deepEqual(lower.bursts.map((b: { storeCode: string; registrations: number }) => `${b.storeCode}:${b.registrations}`).sort(), ['A2:31', 'A3:30', 'B1:30']);
      assert.equal(lower.thresholds.burstThreshold, 29);

      const a = (await call('adminA', 'GET', `/v1/statistics/anomalies?${DAY2}`)).json();
      assert.equal(a.tenantId, w.tenantA);
      assert.deepEqual(a.documents.map((d: { token: string }) => d.token), [documentToken(doc('X'))], 'Z is at only two of A\'s stores');
      assert.deepEqual(a.bursts.map((b: { storeCode: string }) => b.storeCode), ['A2']);
      assert.deepEqual(a.agents.map((g: { username: string }) => g.username), ['override1', 'override2']);
      const b = (await call('adminB', 'GET', `/v1/statistics/anomalies?${DAY2}&burstThreshold=29`)).json();
      assert.deepEqual([b.documents, b.agents], [[], []]);
      assert.deepEqual(b.bursts.map((x: { storeCode: string }) => x.storeCode), ['B1']);

      const events = await auditOf(db, 'statistics.anomalies_read');
      assert.deepEqual(events.at(-1), {
        tenant_id: w.tenantB, actor_id: w.staff.adminB, subject_id: null,
        details: { from: '2030-03-05T00:00:00.000Z', to: '2030-03-07T00:00:00.000Z', tenantId: w.tenantB, burstThreshold: 29, documents: 0, bursts: 1, agents: 0 },
      });
    });
  });
}
