// The replay lookup on PGlite and PostgreSQL: a digest seen within the window is a hit; otherwise
// the candidates are the most recent sessions (at most `limit`) that share a difference hash with
// the upload, within the window, whichever of its hashes they share.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testKeyring } from '../staff/staff.fixtures.ts';
import { createWorld } from '../registration/registration.fixtures.ts';
import { createLivenessRepository } from './liveness.repository.ts';

const keyring = testKeyring();
const repo = createLivenessRepository(keyring);
const t0 = Date.parse('2030-03-01T08:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);
const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

for (const target of await testTargets()) {
  describe(`liveness replay lookup (${target.name})`, { skip: target.skip }, () => {
    let db: Database, tenantId: string;
    before(async () => { db = await target.open(); tenantId = (await createWorld(db, { numbers: 0 })).tenantId; });
    after(async () => { await target.close(db); });

    /** An analysed session seen at `minute`, with these frame digests and difference hashes; returns its id. */
    async function seen(minute: number, sha256: string[], dhash: string[]): Promise<string> {
      const id = randomUUID();
      await db.query(`INSERT INTO liveness_sessions (id, tenant_id, purpose, nonce_hash, actions, state, created_at, expires_at)
        VALUES ($1, $2, 'self_service', $3, '{blink}', 'analysing', $4, $4)`, [id, tenantId, Buffer.from(id), at(minute)]);
      await repo.finish(db, id, {
        passed: false, result: { live: false, reasons: [] } as never, bestFrame: undefined, at: at(minute),
        fingerprints: { sha256, dhash, thumbs: Buffer.from(`thumbs of ${id}`) },
        audit: { tenantId, actor: { type: 'system', id: null }, action: 'liveness.failed', subjectType: 'liveness_session', subjectId: id, details: {} },
      });
      return id;
    }

    test('a digest seen within the window is a hit; one seen before it is not', async () => {
      await seen(0, [hex(1, 64), hex(2, 64)], [hex(1, 16)]);
      await seen(100, [hex(3, 64), hex(3, 64)], [hex(2, 16)]);
      assert.equal((await repo.replayCandidates(db, [hex(9, 64), hex(3, 64)], [hex(99, 16)], at(50), 20)).digestHit, true);
      const r = await repo.replayCandidates(db, [hex(1, 64)], [hex(99, 16)], at(50), 20);
      assert.deepEqual(r, { digestHit: false, similar: [] });
    });

    test('look-alike candidates: the newest sessions sharing any difference hash, within the window, with their thumbnails', async () => {
      const [a, b, c] = [hex(0xa, 16), hex(0xb, 16), hex(0xc, 16)];
      const old = await seen(200, [hex(200, 64)], [a]);
      const shareA = await Promise.all(Array.from({ length: 12 }, (_, i) => seen(300 + i, [hex(300 + i, 64)], [a, hex(1000 + i, 16)])));
      const shareB = await Promise.all(Array.from({ length: 12 }, (_, i) => seen(400 + i * 2, [hex(400 + i, 64)], [b, b])));
      await seen(500, [hex(500, 64)], [c]);
      const r = await repo.replayCandidates(db, [hex(7777, 64)], [a, b, a], at(250), 20);
      assert.equal(r.digestHit, false);
      const want = [...shareA.map((id, i) => [id, 300 + i] as const), ...shareB.map((id, i) => [id, 400 + i * 2] as const)]
        .sort((x, y) => y[1] - x[1]).slice(0, 20).map(([id]) => id);
      assert.deepEqual(r.similar.map((s) => s.sessionId).sort(), [...want].sort());
      assert.ok(!r.similar.some((s) => s.sessionId === old), 'before the window');
      for (const s of r.similar) assert.equal(s.thumbs.toString(), `thumbs of ${s.sessionId}`);
    });
  });
}
