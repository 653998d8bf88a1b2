/**
 * npm run bench:registry — rule-checked registrations per second, on PGlite and PostgreSQL.
 *
 * Each registration is the full workflow through the service layer: start → document (GB 11643
 * check, encryption) → consent → liveness challenge → frame upload (replay check, fingerprints
 * and the encrypted best frame stored) → face step (takes the best frame) → rules (counts,
 * blocklist, minors) → number assignment under the person's lock → complete, every step
 * persisted and audited, with the audit sequencer chaining events in the background as in the
 * server. The frame analysis and the face decision are injected by this harness (they are
 * measured by bench:liveness and bench:face); nothing else is.
 *
 * Options: --count N (registrations per database, default 3000), --concurrency C (default 32),
 * --only pglite|postgres.
 */
import { parseArgs } from 'node:util';
import { openPglite, type Database, type Queryable } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openTestPostgres, dropSchema } from '../src/db/test-databases.ts';
import { createKeyring } from '../src/privacy/keyring.ts';
import { createRegistrationService } from '../src/registration/registration.service.ts';
import { createWorld, residentId } from '../src/registration/registration.fixtures.ts';
import { startSequencer } from '../src/audit/audit.sequencer.ts';
import { verifyAuditChain } from '../src/audit/audit.verify.ts';
import { currentConsentVersion } from '../src/consent/consent.ts';
import type { FaceVerifier } from '../src/face/face.ts';
import { createLivenessService } from '../src/liveness/liveness.service.ts';
import { harnessFrames, scriptedLivenessChecker } from '../src/liveness/liveness.test-harness.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '32' }, only: { type: 'string' } } });
const count = Number(values.count);
const concurrency = Number(values.concurrency);

/** Benchmark harness only: the face step's decision, so that the registry itself is measured. */
const harnessFace: FaceVerifier = {
  async verify(_images, targetFmr) {
    return { match: true, compared: true, score: 0.8, threshold: 0.5, targetFmr, estimatedFmr: 1e-7, engine: 'bench-harness', reasons: [] };
  },
};

interface Result {
  database: string; registrations: number; seconds: number; perSecond: number; p50Ms: number; p95Ms: number;
  statementsPerRegistration: number; floorInsertsPerSecond: number; auditEvents: number; chainOk: boolean;
  /** Statements of each step of one registration, counted in the warm-up (one registration at a time). */
  statementsPerStep: Record<string, number>;
}

/** Counts the round trips the service makes (a transaction's BEGIN and COMMIT count as two). */
function counting(db: Database): { db: Database; count(): number } {
  let n = 0;
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => { n++; return q.query(sql, params); },
    exec: (sql) => { n++; return q.exec(sql); },
  });
  return {
    count: () => n,
    db: { ...db, ...wrap(db), kind: db.kind, close: () => db.close(), transaction: (fn, o) => { n += 2; return db.transaction((tx) => fn(wrap(tx)), o); } },
  };
}

/**
 * The machine's floor, measured side by side: single-row autocommit INSERTs per second at the
 * same concurrency, with no application work at all.
 */
async function floorInsertsPerSecond(db: Database, seconds = 2): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, v text NOT NULL)');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) { await db.query('INSERT INTO bench_floor (v) VALUES ($1)', ['x']); n++; }
  }));
  const rate = n / ((performance.now() - t0) / 1000);
  await db.exec('DROP TABLE bench_floor');
  return Math.round(rate);
}

async function run(name: string, rawDb: Database): Promise<Result> {
  const counted = counting(rawDb);
  const db = counted.db;
  const keyring = createKeyring(Buffer.alloc(32, 3));
  const world = await createWorld(db, { numbers: count + 100, firstMsisdn: 13900000000, policy: {} });
  const liveness = createLivenessService({ db, keyring, clock: () => new Date(), checker: scriptedLivenessChecker({ testHarness: true }) });
  const svc = createRegistrationService({ db, keyring, clock: () => new Date(), face: harnessFace, liveness, deploymentCap: 10 });
  // on the uncounted connection: its statements are the sequencer's, not the registrations'
  const sequencer = startSequencer(rawDb, { intervalMs: 100, log: { error: (o, m) => console.error(m, o) } });
  const live = Buffer.from('live');
  const chip = Buffer.from('chip');
  const latencies: number[] = [];
  let next = 0;
  let completed = 0;

  const perStep: Record<string, number> = {};
  let alone = true;
  /** Runs a step; while registrations run one at a time (the warm-up), also notes how many statements it made. */
  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const before = counted.count();
    const out = await run();
    if (alone) perStep[name] = counted.count() - before;
    return out;
  }

  async function one(i: number): Promise<void> {
    const t0 = performance.now();
    const a = world.agent;
    const r = await step('start', () => svc.start(a));
    await step('document', () => svc.captureDocument(a, r.id, { type: 'cn_resident_id', number: residentId(`19${String(50 + (i % 50)).padStart(2, '0')}0101`, i % 1000, String(110101 + Math.floor(i / 1000))), name: '测试用户', idPhoto: chip }));
    await step('consent', () => svc.recordConsent(a, r.id, { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' }));
    const challenge = await step('challenge', () => liveness.createForRegistration(a, r.id));
    await step('upload', () => liveness.submitFrames(a, challenge.sessionId, challenge.nonce, harnessFrames(live, 15)));
    await step('face', () => svc.submitFace(a, r.id, { livenessSessionId: challenge.sessionId }));
    await step('rules', () => svc.checkRules(a, r.id));
    await step('number', () => svc.assignNumber(a, r.id));
    const done = await step('complete', () => svc.complete(a, r.id));
    if (done.state === 'completed') completed++;
    latencies.push(performance.now() - t0);
  }

  // warm-up (JIT, plans, connections), not counted
  for (let i = 0; i < 50; i++) await one(count + i);
  latencies.length = 0; completed = 0; alone = false;
  const statementsBefore = counted.count();

  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await one(next++);
  }));
  const seconds = (performance.now() - start) / 1000;
  const statements = counted.count() - statementsBefore;
  await sequencer.flush();
  await sequencer.stop();
  const chain = await verifyAuditChain(db);
  latencies.sort((x, y) => x - y);
  if (completed !== count) throw new Error(`${name}: only ${completed} of ${count} registrations completed`);
  return {
    database: name, registrations: completed, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(completed / seconds),
    p50Ms: Number(latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1)), p95Ms: Number(latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1)),
    statementsPerRegistration: Number((statements / completed).toFixed(1)),
    floorInsertsPerSecond: await floorInsertsPerSecond(rawDb),
    auditEvents: chain.events, chainOk: chain.ok, statementsPerStep: perStep,
  };
}

const results: Result[] = [];
if (values.only !== 'postgres') {
  const db = await openPglite();
  await migrate(db);
  try { results.push(await run('pglite', db)); } finally { await db.close(); }
}
if (values.only !== 'pglite') {
  const db = await openTestPostgres(24);
  const schema = ((await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!).s;
  try { results.push(await run('postgres', db)); } finally { await db.close(); await dropSchema(schema); }
}

console.log(`\nRule-checked registrations (full workflow, ${concurrency} concurrent, face decision injected by the harness)\n`);
console.log('| database | registrations | seconds | registrations/s | p50 ms | p95 ms | statements per registration | floor: 1-row INSERTs/s | audit events | chain verifies |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of results) {
  console.log(`| ${r.database} | ${r.registrations} | ${r.seconds} | ${r.perSecond} | ${r.p50Ms} | ${r.p95Ms} | ${r.statementsPerRegistration} | ${r.floorInsertsPerSecond} | ${r.auditEvents} | ${r.chainOk ? 'yes' : 'NO'} |`);
}
console.log('\nStatements per registration counts every round trip of the service (BEGIN/COMMIT included; the audit');
console.log('sequencer\'s own statements are not counted). The floor is the same database, same concurrency, no application work.');
for (const r of results) {
  console.log(`\nStatements per step (${r.database}, one registration alone): ${Object.entries(r.statementsPerStep).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
console.log(JSON.stringify({ bench: 'registry', concurrency, results }));
