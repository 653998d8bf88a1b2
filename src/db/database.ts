/**
 * The connection: PostgreSQL through `pg` when a URL is given, embedded PGlite otherwise.
 * Both sit behind one small `Database` interface (parameterised SQL and transactions) and
 * return the same JavaScript types: int8 as number, bytea as Buffer, timestamptz as Date.
 * Repositories pass JSON values through `JSON.stringify` themselves (pg would turn arrays
 * into Postgres arrays).
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface QueryResult<T> { rows: T[]; rowCount: number }

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; retries on serialization failures and deadlocks. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { isolation?: Isolation }): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;
const BYTEA = 17;
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

function parseInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} is outside the safe integer range`);
  return n;
}

function parseBytea(v: string): Buffer {
  return Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex');
}

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

export interface PostgresOptions { url: string; schema?: string; max?: number }

/**
 * Parameterised statements are prepared once per connection under a name derived from their
 * text, so PostgreSQL parses and plans each statement shape once instead of on every call.
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  if (!params || params.length === 0) return { text: sql };
  let name = statementNames.get(sql);
  if (!name) {
    name = `p_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values: params as unknown[] };
}

export function openPostgres(opts: PostgresOptions): Database {
  const types = {
    getTypeParser(oid: number, format?: string) {
      if (oid === INT8) return parseInt8;
      if (oid === BYTEA) return parseBytea;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    types: types as pg.CustomTypesConfig,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await pool.query(prepared(sql, params));
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { isolation?: Isolation }) {
      return withRetry(async () => {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query(`BEGIN ISOLATION LEVEL ${(options?.isolation ?? 'read committed').toUpperCase()}`);
          const tx: Queryable = {
            async query<R>(sql: string, params?: readonly unknown[]) {
              const r = await client.query(prepared(sql, params));
              return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
            },
            async exec(sql: string) { await client.query(sql); },
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          try { await client.query('ROLLBACK'); } catch { broken = true; }
          throw e;
        } finally {
          client.release(broken);
        }
      });
    },
    async exec(sql: string) { await pool.query(sql); },
    async close() { await pool.end(); },
  };
}

/** Embedded PGlite; `dataDir` undefined = in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    parsers: { [INT8]: parseInt8, [BYTEA]: parseBytea },
  });
  const toResult = <T>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<T> => ({
    rows: r.rows as T[],
    rowCount: r.affectedRows ?? r.rows.length,
  });
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      return toResult<T>(await db.query(sql, params as unknown[] | undefined));
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: { isolation?: Isolation }) {
      return withRetry(() => db.transaction(async (t) => {
        if (options?.isolation) await t.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
        return fn({
          async query<R>(sql: string, params?: readonly unknown[]) { return toResult<R>(await t.query(sql, params as unknown[] | undefined)); },
          async exec(sql: string) { await t.exec(sql); },
        });
      }));
    },
    async exec(sql: string) { await db.exec(sql); },
    async close() { await db.close(); },
  };
}
