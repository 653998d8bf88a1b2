import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropSchema, testPostgresUrl, testTargets } from './test-databases.ts';
import { migrate, loadMigrations } from './migrate.ts';
import { openPglite, openPostgres, type Database } from './database.ts';
import { createWorld } from '../registration/registration.fixtures.ts';

for (const target of await testTargets()) {
  describe(`migrations (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    before(async () => { db = await target.open(); });
    after(async () => { await target.close(db); });

    test('all migrations are applied once and recorded', async () => {
      const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), loadMigrations().map((m) => m.version));
      assert.deepEqual(await migrate(db), [], 'a second run applies nothing');
    });

    test('an edited migration that was already applied is refused', async () => {
      const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await assert.rejects(migrate(db, edited), /was changed after it was applied/);
    });

    test('types come back the same on both databases', async () => {
      const { rows } = await db.query<{ n: number; b: Buffer; t: Date; j: unknown }>(
        "SELECT 42::int8 AS n, '\\x0102'::bytea AS b, now() AS t, '{\"a\":[1]}'::jsonb AS j");
      const row = rows[0]!;
      assert.equal(row.n, 42);
      assert.ok(Buffer.isBuffer(row.b));
      assert.deepEqual([...row.b], [1, 2]);
      assert.ok(row.t instanceof Date);
      assert.deepEqual(row.j, { a: [1] });
    });

    test('a failing transaction leaves nothing behind', async () => {
      await assert.rejects(db.transaction(async (tx) => {
        await tx.query("INSERT INTO tenants (id, code, name) VALUES ('00000000-0000-4000-8000-000000000001', 'rollback', 'x')");
        throw new Error('boom');
      }), /boom/);
      const { rows } = await db.query("SELECT 1 FROM tenants WHERE code = 'rollback'");
      assert.equal(rows.length, 0);
    });
  });
}

/** A database with only the migrations up to `version` applied: PGlite, or a fresh PostgreSQL schema. */
async function openAt(target: 'pglite' | 'postgres', version: number): Promise<{ db: Database; close(): Promise<void> }> {
  const upTo = loadMigrations().filter((m) => m.version <= version);
  if (target === 'pglite') {
    const db = await openPglite();
    await migrate(db, upTo);
    return { db, close: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try { await admin.query(`CREATE SCHEMA ${schema}`); } finally { await admin.end(); }
  const db = openPostgres({ url: testPostgresUrl, schema, max: 2 });
  await migrate(db, upTo);
  return { db, async close() { await db.close(); await dropSchema(schema); } };
}

for (const target of await testTargets()) {
  describe(`migration 0004 on data of 0003 (${target.name})`, { skip: target.skip }, () => {
    test('staff, API keys and blocklist entries of the previous version read back with the new fields empty', async () => {
      const { db, close } = await openAt(target.name, 3);
      try {
        const t = '00000000-0000-4000-8000-00000000000a', st = '00000000-0000-4000-8000-00000000000b';
        await db.query("INSERT INTO tenants (id, code, name) VALUES ($1, 'op-old', 'Old')", [t]);
        await db.query("INSERT INTO stores (id, tenant_id, code, name) VALUES ($1, $2, 'S1', 'Store')", [st, t]);
        await db.query(`INSERT INTO staff (id, tenant_id, store_id, username, display_name, role, password_hash)
                        VALUES ('00000000-0000-4000-8000-00000000000c', $1, $2, 'old.agent', 'Old', 'agent', 'x')`, [t, st]);
        await db.query(`INSERT INTO api_keys (id, tenant_id, name, key_hash, scopes)
                        VALUES ('00000000-0000-4000-8000-00000000000d', $1, 'Old key', '\\x01', ARRAY['three_element_check'])`, [t]);
        await db.query("INSERT INTO blocklist (id, tenant_id, doc_hmac, reason) VALUES ('00000000-0000-4000-8000-00000000000e', $1, '\\x02', 'Old reason')", [t]);

        assert.deepEqual((await migrate(db)).filter((v) => v <= 4), [4]);
        const staff = (await db.query<{ last_login_at: Date | null }>('SELECT last_login_at FROM staff')).rows;
        assert.deepEqual(staff, [{ last_login_at: null }]);
        const keys = (await db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_keys')).rows;
        assert.deepEqual(keys, [{ last_used_at: null }]);
        const entries = (await db.query('SELECT doc_type, doc_masked, reason_code, reason FROM blocklist')).rows;
        assert.deepEqual(entries, [{ doc_type: null, doc_masked: null, reason_code: 'other', reason: 'Old reason' }]);
        await assert.rejects(db.query("UPDATE blocklist SET reason_code = 'whim'"), /check/i, 'reason codes are checked by the database');
        await assert.rejects(db.query("UPDATE blocklist SET doc_masked = '110105194912310021'"), /check/i, 'a full number cannot be stored as the mask');
      } finally {
        await close();
      }
    });
  });
}

for (const target of await testTargets()) {
  describe(`migration 0005 on data of 0004 (${target.name})`, { skip: target.skip }, () => {
    test('each registration\'s count of liveness sessions is the number it already took', async () => {
      const { db, close } = await openAt(target.name, 4);
      try {
        const w = await createWorld(db, { numbers: 0 });
        const regs = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];
        for (const id of regs) {
          await db.query(`INSERT INTO registrations (id, tenant_id, store_id, agent_id, state, expires_at) VALUES ($1, $2, $3, $4, 'consent_recorded', now())`,
            [id, w.tenantId, w.storeId, w.agent.staffId]);
        }
        const sessions: [string | null, string, string][] = [[regs[0]!, 'registration', 'a'], [regs[0]!, 'guardian', 'b'], [regs[0]!, 'registration', 'c'], [null, 'self_service', 'd']];
        for (const [reg, purpose, tag] of sessions) {
          await db.query(`INSERT INTO liveness_sessions (id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_at, expires_at)
            VALUES (gen_random_uuid(), $1, $2, $3, $4, '{blink}', 'open', now(), now())`, [reg ? w.tenantId : null, purpose, reg, Buffer.from(tag)]);
        }
        assert.deepEqual((await migrate(db)).filter((v) => v <= 5), [5]);
        const { rows } = await db.query<{ liveness_sessions: number }>('SELECT liveness_sessions FROM registrations ORDER BY id');
        assert.deepEqual(rows.map((r) => r.liveness_sessions), [3, 0]);
      } finally {
        await close();
      }
    });
  });
}

for (const target of await testTargets()) {
  describe(`migration 0006 on data of 0005 (${target.name})`, { skip: target.skip }, () => {
    test('the frame hashes of earlier sessions move into liveness_frame_hashes, and go with their fingerprints', async () => {
      const { db, close } = await openAt(target.name, 5);
      try {
        const w = await createWorld(db, { numbers: 0 });
        const session = '00000000-0000-4000-8000-0000000000b1';
        await db.query(`INSERT INTO liveness_sessions (id, tenant_id, purpose, nonce_hash, actions, state, created_at, expires_at)
          VALUES ($1, $2, 'self_service', '\\x01', '{blink}', 'passed', now(), now())`, [session, w.tenantId]);
        await db.query(`INSERT INTO liveness_fingerprints (session_id, seen_at, sha256, dhash, thumbs_enc)
          VALUES ($1, '2030-01-01T00:00:00Z', '{aa,bb,aa}', '{0f,0f,1e}', '\\x00')`, [session]);
        assert.deepEqual((await migrate(db)).filter((v) => v <= 6), [6]);
        const { rows } = await db.query<{ kind: string; hash: string; seen_at: Date }>(
          'SELECT kind, hash, seen_at FROM liveness_frame_hashes WHERE session_id = $1 ORDER BY kind, hash', [session]);
        assert.deepEqual(rows.map((r) => `${r.kind}:${r.hash}`), ['dhash:0f', 'dhash:1e', 'sha256:aa', 'sha256:bb']);
        assert.ok(rows.every((r) => r.seen_at.toISOString() === '2030-01-01T00:00:00.000Z'));
        await db.query('DELETE FROM liveness_fingerprints WHERE session_id = $1', [session]);
        assert.equal((await db.query('SELECT 1 FROM liveness_frame_hashes')).rows.length, 0, 'forgotten with their fingerprints');
      } finally {
        await close();
      }
    });
  });
}
