import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { appendAudit } from './audit.ts';
import { chainHash, type ChainEvent } from './audit.chain.ts';
import { sequenceAudit } from './audit.sequencer.ts';
import { verifyAuditChain, type VerifyResult } from './audit.verify.ts';
import { chainRows, idAtSeq, resetAudit, sampleEvent } from './audit.test-support.ts';
import { readChainPage } from './audit.repository.ts';

const N = 12;

function assertBroken(r: VerifyResult, seq: number, id: number | null, problem: string): void {
  assert.ok(!r.ok, `expected a break at seq ${seq}, got ${JSON.stringify(r)}`);
  assert.deepEqual({ seq: r.firstBroken.seq, id: r.firstBroken.id, problem: r.firstBroken.problem }, { seq, id, problem });
  assert.equal(r.events, seq - 1, 'every event before the break verified');
}

for (const target of await testTargets()) {
  describe(`audit chain verification (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    before(async () => { db = await target.open(); });
    after(async () => { await target.close(db); });

    /** A fresh, fully chained log of N events. */
    async function freshChain(): Promise<void> {
      await resetAudit(db, N);
      assert.equal(await sequenceAudit(db), N);
    }
    // Small pages so that breaks inside later pages are found too.
    const verify = () => verifyAuditChain(db, { pageSize: 5 });

    test('an empty log and a clean chain verify; head is the last hash', async () => {
      await resetAudit(db);
      assert.deepEqual(await verify(), { ok: true, events: 0, head: '0'.repeat(64) });
      await freshChain();
      const rows = await chainRows(db);
      assert.deepEqual(await verify(), { ok: true, events: N, head: rows[N - 1]!.hash!.toString('hex') });
      assert.deepEqual(await verifyAuditChain(db, { pageSize: 1000 }), await verifyAuditChain(db, { pageSize: 1 }));
    });

    test('verification flushes pending events first', async () => {
      await freshChain();
      for (let i = 1; i <= 3; i++) await appendAudit(db, sampleEvent(100 + i));
      const r = await verify();
      assert.ok(r.ok);
      assert.equal(r.events, N + 3);
    });

    const edits: [string, string][] = [
      ['details', `UPDATE audit_events SET details = jsonb_set(details, '{reason}', '"edited"') WHERE seq = $1`],
      ['details, same value as a different number text', `UPDATE audit_events SET details = jsonb_set(details, '{i}', to_jsonb((details->>'i')::numeric + 0.0)) WHERE seq = $1`],
      ['action', `UPDATE audit_events SET action = 'registration.rejected' WHERE seq = $1`],
      ['actor id', `UPDATE audit_events SET actor_id = 'staff-other' WHERE seq = $1`],
      ['actor type', `UPDATE audit_events SET actor_type = 'api_key' WHERE seq = $1`],
      ['tenant', `UPDATE audit_events SET tenant_id = '0c000000-0000-4000-8000-00000000000c' WHERE seq = $1`],
      ['tenant removed', `UPDATE audit_events SET tenant_id = NULL WHERE seq = $1`],
      ['subject', `UPDATE audit_events SET subject_id = 'reg-999' WHERE seq = $1`],
      ['timestamp by one second', `UPDATE audit_events SET at = at - interval '1 second' WHERE seq = $1`],
      ['timestamp by one microsecond', `UPDATE audit_events SET at = at + interval '1 microsecond' WHERE seq = $1`],
      ['id', `UPDATE audit_events SET id = id + 1000 WHERE seq = $1`],
    ];
    for (const [what, sql] of edits) {
      test(`an edit of the ${what} is caught at that event (hash_mismatch)`, async () => {
        await freshChain();
        await db.query(sql, [7]);
        const id = await idAtSeq(db, 7);
        assertBroken(await verify(), 7, id, 'hash_mismatch');
      });
    }

    test('deleting an event is caught as a gap at its seq (missing_seq)', async () => {
      await freshChain();
      await db.query('DELETE FROM audit_events WHERE seq = 6');
      const r = await verify();
      assertBroken(r, 6, null, 'missing_seq');
      assert.ok(!r.ok && /seq 6 is missing; the next event present is seq 7/.test(r.firstBroken.detail));
      await db.query('DELETE FROM audit_events WHERE seq = 7');
      const r2 = await verify();
      assert.ok(!r2.ok && /seqs 6–7 are missing/.test(r2.firstBroken.detail));
    });

    test('taking an event out of the chain (seq set to NULL) leaves a gap even after it is re-sequenced', async () => {
      await freshChain();
      await db.query('UPDATE audit_events SET seq = NULL, prev_hash = NULL, hash = NULL WHERE seq = 4');
      assertBroken(await verify(), 4, null, 'missing_seq');
      assert.equal((await chainRows(db)).at(-1)!.seq, N + 1, 'the flush re-chained it at the end');
    });

    test("swapping two events' seq is caught at the first of them (prev_hash_mismatch)", async () => {
      await freshChain();
      const [id5, id6] = [await idAtSeq(db, 5), await idAtSeq(db, 6)];
      await db.transaction(async (tx) => {
        await tx.query('UPDATE audit_events SET seq = -5 WHERE seq = 5');
        await tx.query('UPDATE audit_events SET seq = 5 WHERE seq = 6');
        await tx.query('UPDATE audit_events SET seq = 6 WHERE seq = -5');
      });
      assert.equal(await idAtSeq(db, 5), id6);
      assertBroken(await verify(), 5, id6, 'prev_hash_mismatch');
      assert.notEqual(id5, id6);
    });

    test('swapping seq together with the stored links is caught too (hash_mismatch)', async () => {
      await freshChain();
      const id6 = await idAtSeq(db, 6);
      await db.transaction(async (tx) => {
        await tx.query('UPDATE audit_events SET seq = -5 WHERE seq = 5');
        await tx.query('UPDATE audit_events SET seq = 5 WHERE seq = 6');
        await tx.query('UPDATE audit_events SET seq = 6 WHERE seq = -5');
        await tx.query(`UPDATE audit_events a SET prev_hash = b.prev_hash, hash = b.hash
                          FROM audit_events b WHERE a.seq IN (5, 6) AND b.seq IN (5, 6) AND a.seq <> b.seq`);
      });
      assertBroken(await verify(), 5, id6, 'hash_mismatch');
    });

    test('swapping the contents of two events is caught at the first of them (hash_mismatch)', async () => {
      await freshChain();
      await db.query(`UPDATE audit_events a
                         SET at = b.at, tenant_id = b.tenant_id, actor_type = b.actor_type, actor_id = b.actor_id,
                             action = b.action, subject_type = b.subject_type, subject_id = b.subject_id, details = b.details
                        FROM audit_events b
                       WHERE a.seq IN (8, 9) AND b.seq IN (8, 9) AND a.seq <> b.seq`);
      assertBroken(await verify(), 8, await idAtSeq(db, 8), 'hash_mismatch');
    });

    test('an edit whose hash was recomputed breaks the next link (prev_hash_mismatch)', async () => {
      await freshChain();
      await db.query(`UPDATE audit_events SET action = 'forged' WHERE seq = 3`);
      const [forged] = await readChainPage(db, { afterSeq: 2, uptoSeq: 3 }, 1);
      const rehash = chainHash(forged!.prevHash!, forged as ChainEvent);
      await db.query('UPDATE audit_events SET hash = $1 WHERE seq = 3', [rehash]);
      assertBroken(await verify(), 4, await idAtSeq(db, 4), 'prev_hash_mismatch');
    });

    test('a sequenced event without its hash is named (missing_hash)', async () => {
      await freshChain();
      await db.query('UPDATE audit_events SET hash = NULL WHERE seq = 2');
      assertBroken(await verify(), 2, await idAtSeq(db, 2), 'missing_hash');
    });

    test('a forged event inserted with a made-up seq is caught', async () => {
      await freshChain();
      const rows = await chainRows(db);
      await db.query(`INSERT INTO audit_events (actor_type, action, seq, prev_hash, hash) VALUES ('system', 'forged', 0, $1, $1)`, [rows[0]!.hash]);
      const r = await verify();
      assert.ok(!r.ok);
      assert.deepEqual([r.firstBroken.seq, r.firstBroken.problem, r.events], [0, 'unexpected_seq', 0]);
    });

    test('the chain continues intact after verification and more events', async () => {
      await freshChain();
      for (let i = 1; i <= 4; i++) await appendAudit(db, sampleEvent(200 + i));
      await sequenceAudit(db, { batch: 2 });
      const r = await verify();
      assert.ok(r.ok);
      assert.equal(r.events, N + 4);
    });
  });
}
