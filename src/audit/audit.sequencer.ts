/**
 * The sequencer: gives committed audit events their place in the hash chain.
 *
 * Writers only INSERT events (seq, prev_hash and hash NULL) inside their own transactions,
 * so the hot paths never wait on a global lock on the chain head (the design of Trillian's
 * sequencer). A sequencer round then, in one transaction per batch under a constant
 * advisory lock, reads the head (highest seq and its hash), takes unsequenced committed
 * events in id order, assigns seq = head+1, head+2, … and writes prev_hash/hash (format in
 * audit.chain.ts) with one batched UPDATE.
 *
 * Guarantees: every committed event is chained exactly once, with no gaps in seq, whatever
 * the number of writers, server processes or concurrent sequencer calls (the advisory lock
 * serialises rounds across connections and processes; `seq` is UNIQUE besides). The chain's
 * order is the order in which the sequencer saw events committed, not their `at` or `id`.
 * Window: a committed event is chained within about `intervalMs` of its commit while a
 * server runs `startSequencer` (plus the round's own time under backlog); events committed
 * while no sequencer runs are chained by the next round of any process. `verifyAuditChain`
 * flushes first, so it always covers everything committed before it started.
 */
import type { Database, Queryable } from '../db/database.ts';
import { GENESIS_PREV_HASH, HASH_BYTES, chainHash } from './audit.chain.ts';
import { listUnsequenced, readChainHead, writeChainLinks, type NewLink } from './audit.repository.ts';

/** pg_advisory_xact_lock key held by a sequencer round (arbitrary, constant: "portrait audit chain"). */
export const AUDIT_SEQUENCER_LOCK = 727_274_002;
export const DEFAULT_SEQUENCER_BATCH = 1000;
const MAX_BATCH = 50_000;

/**
 * Chains every committed, unsequenced event; returns how many it chained. Runs batches of
 * `batch` events, each in its own short transaction, until a batch comes back short.
 */
export async function sequenceAudit(db: Database, opts: { batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? DEFAULT_SEQUENCER_BATCH;
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_BATCH) throw new RangeError(`batch must be an integer from 1 to ${MAX_BATCH}`);
  let total = 0;
  // Keyset over id while batches come back full; then one pass from the lowest id again,
  // since an event with a lower id may have committed meanwhile. Done when that pass is short.
  let afterId = 0;
  for (;;) {
    const { chained, lastId } = await db.transaction((tx) => sequenceBatch(tx, batch, afterId));
    total += chained;
    if (chained === batch) afterId = lastId;
    else if (afterId > 0) afterId = 0;
    else return total;
  }
}

async function sequenceBatch(tx: Queryable, batch: number, afterId: number): Promise<{ chained: number; lastId: number }> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEQUENCER_LOCK]);
  // The partial index on unsequenced ids already yields them in order. When statistics
  // underestimate the backlog (a new or freshly grown table), PostgreSQL would rather read
  // the whole backlog and sort it, for every batch; this transaction never needs a sort.
  await tx.query('SET LOCAL enable_sort = off');
  // Read committed: these statements start after the lock was granted, so they see every
  // link that the previous holder committed.
  const head = await readChainHead(tx);
  const events = await listUnsequenced(tx, batch, afterId);
  if (events.length === 0) return { chained: 0, lastId: afterId };
  let seq = head?.seq ?? 0;
  // A head without a valid hash has been tampered with; the verifier reports it there.
  // Chaining on from zeros keeps new events chained instead of stalling the log.
  let prev = head?.hash && head.hash.length === HASH_BYTES ? head.hash : GENESIS_PREV_HASH;
  const links: NewLink[] = [];
  for (const e of events) {
    seq += 1;
    const hash = chainHash(prev, { ...e, seq });
    links.push({ id: e.id, seq, prevHash: prev, hash });
    prev = hash;
  }
  const updated = await writeChainLinks(tx, links);
  if (updated !== links.length) throw new Error(`audit sequencer: updated ${updated} of ${links.length} events; rolled back`);
  return { chained: updated, lastId: links[links.length - 1]!.id };
}

export interface SequencerLog { error(obj: object, msg: string): void }

export interface Sequencer {
  /** Waits for a running round, then runs one more now; resolves to the number chained. */
  flush(): Promise<number>;
  /** Stops the timer and waits for a running round; events left are chained by the next round of any process. */
  stop(): Promise<void>;
}

/**
 * Runs `sequenceAudit` now and then every `intervalMs` after the previous round ends.
 * Rounds of one sequencer never overlap (flushes queue behind the running round); rounds
 * of different processes are serialised by the advisory lock. Failures are logged and
 * retried on the next tick. The timer does not keep the process alive.
 */
export function startSequencer(db: Database, opts: { intervalMs: number; batch?: number; log: SequencerLog }): Sequencer {
  if (!Number.isFinite(opts.intervalMs) || opts.intervalMs < 1) throw new RangeError('intervalMs must be at least 1');
  let last: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const round = (): Promise<number> => {
    const run = last.then(() => sequenceAudit(db, { batch: opts.batch }));
    last = run.catch(() => undefined);
    return run;
  };
  const tick = (delayMs: number) => {
    timer = setTimeout(() => {
      round()
        .catch((err: unknown) => opts.log.error({ err }, 'audit sequencer round failed; retrying on the next tick'))
        .finally(() => { if (!stopped) tick(opts.intervalMs); });
    }, delayMs);
    timer.unref();
  };
  tick(0);

  return {
    flush: round,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await last;
    },
  };
}
