import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from './test-databases.ts';
import { migrate, loadMigrations } from './migrate.ts';
import type { Database } from './database.ts';

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
