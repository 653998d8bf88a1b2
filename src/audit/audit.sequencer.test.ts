import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTestPostgres, testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { appendAudit } from './audit.ts';
import { GENESIS_PREV_HASH } from './audit.chain.ts';
import { sequenceAudit, startSequencer } from './audit.sequencer.ts';
import { verifyAuditChain } from './audit.verify.ts';
import { chainRows, resetAudit, sampleEvent, tenantA } from './audit.test-support.ts';

/** The real database, counting transactions in flight (to see whether rounds overlap). */
function observed(db: Database, failFirst = 0) {
  const stats = { inFlight: 0, maxInFlight: 0, failuresLeft: failFirst };
  const wrapped: Database = {
    ...db,
    async transaction(fn, options) {
      if (stats.failuresLeft > 0) { stats.failuresLeft--; throw new Error('injected failure'); }
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try { return await db.transaction(fn, options); } finally { stats.inFlight--; }
    },
  };
  return { db: wrapped, stats };
}

async function unsequenced(db: Database): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM audit_events WHERE seq IS NULL')).rows[0]!.n;
}

function assertChainedOnce(rows: Awaited<ReturnType<typeof chainRows>>, n: number): void {
  assert.equal(rows.length, n);
  assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: n }, (_, i) => i + 1), 'seq 1..n, no gaps, no repeats');
  assert.equal(new Set(rows.map((r) => r.id)).size, n, 'each event once');
  rows.forEach((r, i) => assert.deepEqual(r.prev_hash, i === 0 ? GENESIS_PREV_HASH : rows[i - 1]!.hash, `prev_hash of seq ${r.seq}`));
}

const silentLog = { error() { /* expected in no test here */ } };

for (const target of await testTargets()) {
  describe(`audit sequencer (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    // PostgreSQL: a pool big enough for 20 writers, the sequencer and verification at once.
    before(async () => { db = target.name === 'postgres' ? await openTestPostgres(30) : await target.open(); });
    after(async () => { await target.close(db); });

    test('appendAudit stores `at` truncated to milliseconds, so the Date read back is exact', async () => {
      await resetAudit(db);
      await db.transaction(async (tx) => {
        await appendAudit(tx, { tenantId: null, actor: { type: 'system', id: null }, action: 't.now' });
        await tx.query("INSERT INTO audit_events (at, actor_type, action) VALUES ('2025-01-01T00:00:00.123456Z', 'system', 't.raw')");
      });
      await appendAudit(db, { ...sampleEvent(1), at: new Date('2025-01-01T00:00:00.999Z') });
      const { rows } = await db.query<{ action: string; exact: boolean }>(
        "SELECT action, at = date_trunc('milliseconds', at) AS exact FROM audit_events ORDER BY id");
      assert.deepEqual(rows, [{ action: 't.now', exact: true }, { action: 't.raw', exact: false }, { action: 'number.assigned', exact: true }]);
    });

    test('chains every event once, in batches, and continues from the head', async () => {
      await resetAudit(db, 10);
      assert.equal(await sequenceAudit(db, { batch: 3 }), 10);
      assert.equal(await sequenceAudit(db, { batch: 3 }), 0, 'nothing left');
      for (let i = 11; i <= 14; i++) await appendAudit(db, sampleEvent(i));
      assert.equal(await sequenceAudit(db), 4);
      assertChainedOnce(await chainRows(db), 14);
      const v = await verifyAuditChain(db);
      assert.deepEqual(v, { ok: true, events: 14, head: (await chainRows(db))[13]!.hash!.toString('hex') });
      await assert.rejects(sequenceAudit(db, { batch: 0 }), RangeError);
    });

    test('an event with a lower id that commits during a long run is still chained by that run', async () => {
      await resetAudit(db);
      await db.query("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), 100)");
      for (let i = 1; i <= 9; i++) await appendAudit(db, sampleEvent(i));
      let batches = 0;
      const late: Database = {
        ...db,
        async transaction(fn, options) {
          const r = await db.transaction(fn, options);
          // After the second batch (ids 101-104), an event with id 50 commits: below the run's keyset.
          if (++batches === 2) await db.query("INSERT INTO audit_events (id, actor_type, action) VALUES (50, 'system', 'late')");
          return r;
        },
      };
      assert.equal(await sequenceAudit(late, { batch: 2 }), 10);
      assert.equal(await unsequenced(db), 0);
      assertChainedOnce(await chainRows(db), 10);
    });

    test('200 events from 20 parallel transactions, with sequencers racing, are chained exactly once', async () => {
      await resetAudit(db);
      const errors: unknown[] = [];
      const background = startSequencer(db, { intervalMs: 2, batch: 7, log: { error: (o) => { errors.push(o); } } });
      const writers = Array.from({ length: 20 }, (_, w) => db.transaction(async (tx) => {
        for (let k = 0; k < 10; k++) {
          await appendAudit(tx, { ...sampleEvent(w * 10 + k), tenantId: tenantA, subjectId: `w${w}-k${k}` });
          // Commit order then differs from id order, and writers interleave with the sequencers.
          await sleep(Math.random() * 3);
        }
      }));
      let writing = true;
      const racers = Array.from({ length: 4 }, async () => {
        let chained = 0;
        while (writing) chained += await sequenceAudit(db, { batch: 5 });
        return chained;
      });
      await Promise.all(writers);
      writing = false;
      const raced = await Promise.all(racers);
      await background.flush();
      await background.stop();
      assert.deepEqual(errors, [], 'no sequencer round failed');
      assert.ok(raced.reduce((a, b) => a + b, 0) > 0, 'the racing sequencers did chain events');
      assertChainedOnce(await chainRows(db), 200);
      const subjects = (await db.query<{ n: number }>('SELECT count(DISTINCT subject_id)::int8 AS n FROM audit_events')).rows[0]!.n;
      assert.equal(subjects, 200);
      assert.deepEqual((await verifyAuditChain(db)).ok, true);
    });

    test('rounds never overlap; stop waits for the running round and ends the timer', async () => {
      await resetAudit(db, 300);
      const { db: obs, stats } = observed(db);
      const s = startSequencer(obs, { intervalMs: 5, batch: 20, log: silentLog });
      const flushes = [s.flush(), s.flush(), s.flush()];
      const stopped = s.stop();
      await stopped;
      assert.equal(stats.inFlight, 0, 'no round is running after stop');
      assert.equal(stats.maxInFlight, 1, 'one transaction at a time');
      assert.equal(await unsequenced(db), 0);
      const counts = await Promise.all(flushes);
      assert.ok(counts.reduce((a, b) => a + b, 0) <= 300);
      await appendAudit(db, sampleEvent(301));
      await sleep(60);
      assert.equal(await unsequenced(db), 1, 'the timer no longer runs after stop');
      await sequenceAudit(db);
    });

    test('chains events within about the interval after commit, and retries after a failed round', async () => {
      await resetAudit(db);
      const errors: string[] = [];
      const { db: obs } = observed(db, 1);
      const s = startSequencer(obs, { intervalMs: 10, log: { error: (_o, msg) => { errors.push(msg); } } });
      try {
        await appendAudit(db, sampleEvent(1));
        const t0 = Date.now();
        while (await unsequenced(db) > 0) {
          assert.ok(Date.now() - t0 < 3000, 'chained within 3 s');
          await sleep(5);
        }
        assert.equal(errors.length, 1);
        assert.match(errors[0]!, /round failed/);
        await appendAudit(db, sampleEvent(2));
        const t1 = Date.now();
        while (await unsequenced(db) > 0) await sleep(2);
        assert.ok(Date.now() - t1 < 1000, `second event chained after ${Date.now() - t1} ms`);
      } finally {
        await s.stop();
      }
      assertChainedOnce(await chainRows(db), 2);
    });

    test('throughput: sequencing a backlog of 20,000 events', async (t) => {
      await resetAudit(db);
      const n = 20_000;
      await db.query(
        `INSERT INTO audit_events (at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details)
         SELECT date_trunc('milliseconds', now()), CASE WHEN g % 2 = 0 THEN $1::uuid END, 'staff', 'staff-' || (g % 50),
                'registration.approved', 'registration', 'reg-' || g,
                jsonb_build_object('i', g, 'state', 'approved', 'score', 0.93, 'reasons', jsonb_build_array('face_match', 'liveness'))
           FROM generate_series(1, $2::int) AS g`, [tenantA, n]);
      const t0 = performance.now();
      assert.equal(await sequenceAudit(db), n);
      const seconds = (performance.now() - t0) / 1000;
      const rate = Math.round(n / seconds);
      t.diagnostic(`${target.name}: sequenced ${n} events in ${seconds.toFixed(2)} s = ${rate} events/s (batch 1000)`);
      const v0 = performance.now();
      const v = await verifyAuditChain(db);
      t.diagnostic(`${target.name}: verified ${n} events in ${((performance.now() - v0) / 1000).toFixed(2)} s`);
      assert.deepEqual(v.ok && v.events, n);
      if (target.name === 'postgres') assert.ok(rate > 2000, `PostgreSQL must keep up with thousands of events/s, got ${rate}`);
    });
  });
}
