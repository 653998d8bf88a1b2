/**
 * Verification of the whole audit chain: flush the sequencer, then read the chain in seq
 * order, one page at a time (never all in memory), and recompute every link. The result
 * names the first broken link; everything before it is intact. A chain can only prove its
 * own consistency: truncating the newest events, or rewriting the chain from some point on
 * by someone who can write the database, is caught only by comparing `head` with a head
 * hash recorded elsewhere earlier (e.g. in an inspection report).
 */
import type { Database } from '../db/database.ts';
import { GENESIS_PREV_HASH, checkLink, type BrokenLink } from './audit.chain.ts';
import { readChainHead, readChainPage } from './audit.repository.ts';
import { sequenceAudit } from './audit.sequencer.ts';

export type VerifyResult =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; firstBroken: BrokenLink };

export interface VerifyOptions {
  /** Chains pending events first; default a direct `sequenceAudit` round (safe beside a running sequencer). */
  flush?: () => Promise<number>;
  /** Events read per query (default 1000). */
  pageSize?: number;
}

/**
 * Verifies every event chained when the call starts. `events` counts the events verified
 * intact (before the first broken link); `head` is the hex hash of the last one, or 64
 * zeros for an empty chain.
 */
export async function verifyAuditChain(db: Database, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  await (opts.flush ?? (() => sequenceAudit(db)))();

  const head = await readChainHead(db);
  const uptoSeq = head?.seq ?? 0;
  let prev = GENESIS_PREV_HASH;
  let expectedSeq = 1;
  let afterSeq = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = await readChainPage(db, { afterSeq, uptoSeq }, pageSize);
    for (const link of page) {
      const r = checkLink(link, expectedSeq, prev);
      if (!r.ok) return { ok: false, events: expectedSeq - 1, firstBroken: r.broken };
      prev = r.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
    afterSeq = page[page.length - 1]!.seq;
  }
  return { ok: true, events: expectedSeq - 1, head: prev.toString('hex') };
}
