/**
 * Test support: the databases a store test runs against. PGlite (in memory) always;
 * PostgreSQL at TEST_DATABASE_URL (default the local server) when reachable, in a fresh
 * schema per test file. With REQUIRE_POSTGRES=1 an unreachable PostgreSQL fails the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from './database.ts';
import { migrate } from './migrate.ts';

export interface TestTarget {
  name: 'pglite' | 'postgres';
  /** Set when the target is unavailable and may be skipped. */
  skip: string | false;
  open(): Promise<Database>;
  close(db: Database): Promise<void>;
}

export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | false> {
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return false;
  } catch (e) {
    return `PostgreSQL not reachable at ${testPostgresUrl}: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const schemas = new WeakMap<Database, string>();

export async function testTargets(): Promise<TestTarget[]> {
  const pgSkip = await postgresReachable();
  if (pgSkip && process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${pgSkip}`);
  return [
    {
      name: 'pglite',
      skip: false,
      async open() { const db = await openPglite(); await migrate(db); return db; },
      async close(db) { await db.close(); },
    },
    {
      name: 'postgres',
      skip: pgSkip,
      async open() { return openTestPostgres(); },
      async close(db) {
        const schema = schemas.get(db);
        await db.close();
        if (schema) await dropSchema(schema);
      },
    },
  ];
}

/** A migrated PostgreSQL database in a schema of its own (dropped by `close` of the target). */
export async function openTestPostgres(max = 10): Promise<Database> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try { await admin.query(`CREATE SCHEMA ${schema}`); } finally { await admin.end(); }
  const db = openPostgres({ url: testPostgresUrl, schema, max });
  await migrate(db);
  schemas.set(db, schema);
  return db;
}

export async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try { await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await admin.end(); }
}
