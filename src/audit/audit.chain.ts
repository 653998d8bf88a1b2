/**
 * The hash chain of the audit log (pure; no I/O).
 *
 * Format, version 1. Each sequenced event carries `seq` (1, 2, 3, … without gaps),
 * `prev_hash` (the previous event's `hash`; 32 zero bytes for seq 1) and
 *
 *     hash = SHA-256(prev_hash ‖ UTF-8(canonical(event)))
 *
 * where `canonical(event)` is `JSON.stringify` of an object with exactly these keys in
 * this order:
 *
 *     {"v":1,"seq":…,"id":…,"at":…,"tenantId":…,"actorType":…,"actorId":…,
 *      "action":…,"subjectType":…,"subjectId":…,"details":…}
 *
 * Every value is what PostgreSQL stores, in its text form, so nothing is lost between the
 * hashed value and the stored one: `seq` and `id` are JSON numbers; `at` is the timestamp in
 * UTC with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (so a sub-millisecond edit changes
 * the hash, although JS Dates only hold milliseconds); `tenantId` is the lower-case uuid
 * text; `details` is the JSON *string* holding `details::text` (PostgreSQL's normalised
 * jsonb output, e.g. `{"a": 1, "bb": [1.0]}`), never a re-parsed object, so large or
 * odd-looking numbers hash exactly as stored. Absent values are JSON `null`.
 * An inspector can re-verify a CSV export (`audit.csv.ts`) with these rules alone.
 */
import { createHash } from 'node:crypto';

export const CHAIN_FORMAT_VERSION = 1;
export const HASH_BYTES = 32;
export const GENESIS_PREV_HASH: Buffer = Buffer.alloc(HASH_BYTES);

/** One event as the chain sees it: PostgreSQL's text forms of the stored columns. */
export interface ChainEvent {
  seq: number;
  id: number;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC, microseconds: see `CHAIN_AT_SQL`. */
  at: string;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  /** `details::text`, the stored jsonb exactly as PostgreSQL prints it. */
  details: string;
}

/** SQL expression that yields the canonical `at` text of `audit_events.at` (column `at`). */
export const CHAIN_AT_SQL = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The canonical `at` text of a JS Date (whose precision is milliseconds). */
export function chainTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000Z`;
}

/** The bytes that are hashed after `prev_hash`; key order is fixed, see the header. */
export function canonicalEvent(e: ChainEvent): string {
  return JSON.stringify({
    v: CHAIN_FORMAT_VERSION,
    seq: e.seq,
    id: e.id,
    at: e.at,
    tenantId: e.tenantId,
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
  });
}

/** `SHA-256(prev_hash ‖ canonical(event))`. */
export function chainHash(prevHash: Buffer, e: ChainEvent): Buffer {
  if (prevHash.length !== HASH_BYTES) throw new Error(`prev_hash must be ${HASH_BYTES} bytes, got ${prevHash.length}`);
  return createHash('sha256').update(prevHash).update(canonicalEvent(e), 'utf8').digest();
}

/**
 * What can break a link, in the order it is checked:
 * - `missing_seq`: a seq is absent (the event was deleted or taken out of the chain);
 * - `unexpected_seq`: a seq below 1 where the chain starts at 1;
 * - `missing_hash`: a sequenced event without prev_hash or hash, or one not 32 bytes long;
 * - `prev_hash_mismatch`: prev_hash is not the hash of the event before (reordered,
 *   inserted or rewritten links);
 * - `hash_mismatch`: the content no longer matches the hash (the event was edited).
 */
export const linkProblems = ['missing_seq', 'unexpected_seq', 'missing_hash', 'prev_hash_mismatch', 'hash_mismatch'] as const;
export type LinkProblem = typeof linkProblems[number];

export interface StoredLink extends ChainEvent {
  prevHash: Buffer | null;
  hash: Buffer | null;
}

export interface BrokenLink { seq: number; id: number | null; problem: LinkProblem; detail: string }

/**
 * Checks one stored event against the chain so far (`expectedSeq`, `expectedPrev` = the
 * verified hash of the event before). Returns the event's hash when it holds, otherwise
 * the broken link. The order of the checks decides which problem is named.
 */
export function checkLink(link: StoredLink, expectedSeq: number, expectedPrev: Buffer): { ok: true; hash: Buffer } | { ok: false; broken: BrokenLink } {
  const fail = (seq: number, id: number | null, problem: LinkProblem, detail: string) => ({ ok: false as const, broken: { seq, id, problem, detail } });
  if (link.seq > expectedSeq) {
    const missing = link.seq - expectedSeq === 1 ? `seq ${expectedSeq} is` : `seqs ${expectedSeq}–${link.seq - 1} are`;
    return fail(expectedSeq, null, 'missing_seq', `${missing} missing; the next event present is seq ${link.seq} (id ${link.id})`);
  }
  if (link.seq < expectedSeq) {
    return fail(link.seq, link.id, 'unexpected_seq', `seq ${link.seq} where seq ${expectedSeq} was expected`);
  }
  if (!link.prevHash || link.prevHash.length !== HASH_BYTES || !link.hash || link.hash.length !== HASH_BYTES) {
    return fail(link.seq, link.id, 'missing_hash', 'the event is sequenced but its prev_hash or hash is absent or not 32 bytes');
  }
  if (!link.prevHash.equals(expectedPrev)) {
    return fail(link.seq, link.id, 'prev_hash_mismatch',
      `prev_hash ${link.prevHash.toString('hex')} is not the hash of the event before (${expectedPrev.toString('hex')})`);
  }
  const hash = chainHash(expectedPrev, link);
  if (!hash.equals(link.hash)) {
    return fail(link.seq, link.id, 'hash_mismatch', `stored hash ${link.hash.toString('hex')} does not match the content (${hash.toString('hex')})`);
  }
  return { ok: true, hash };
}
