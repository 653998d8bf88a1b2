/**
 * SQL for `audit_events`: the chain's head, unsequenced events, writing links, reading the
 * chain in seq order (verification, export) and the filtered listing. No logic here.
 */
import type { Queryable } from '../db/database.ts';
import { CHAIN_AT_SQL, type ChainEvent, type StoredLink } from './audit.chain.ts';

/** The chain-relevant columns in their canonical text forms (see audit.chain.ts). */
const CHAIN_COLUMNS = `id, ${CHAIN_AT_SQL} AS at, tenant_id::text AS tenant_id, actor_type, actor_id, action,
  subject_type, subject_id, details::text AS details`;

interface ChainRow {
  id: number; at: string; tenant_id: string | null; actor_type: string; actor_id: string | null;
  action: string; subject_type: string | null; subject_id: string | null; details: string;
  seq: number | null; prev_hash: Buffer | null; hash: Buffer | null;
}

function toChainEvent(r: ChainRow, seq: number): ChainEvent {
  return {
    seq, id: r.id, at: r.at, tenantId: r.tenant_id, actorType: r.actor_type, actorId: r.actor_id,
    action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, details: r.details,
  };
}

export interface ChainHead { seq: number; hash: Buffer | null }

/** The sequenced event with the highest seq, or null when nothing is chained yet. */
export async function readChainHead(q: Queryable): Promise<ChainHead | null> {
  const { rows } = await q.query<ChainHead>('SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
  return rows[0] ?? null;
}

/**
 * Committed events without a seq and with an id above `afterId`, lowest id first; `seq` is
 * left 0 for the caller to set. (`afterId` lets a long run skip the index entries of the
 * rows it has just sequenced, which stay in the partial index until vacuum.)
 */
export async function listUnsequenced(q: Queryable, limit: number, afterId = 0): Promise<ChainEvent[]> {
  const { rows } = await q.query<ChainRow>(
    `SELECT ${CHAIN_COLUMNS} FROM audit_events WHERE seq IS NULL AND id > $2 ORDER BY id LIMIT $1`, [limit, afterId]);
  return rows.map((r) => toChainEvent(r, 0));
}

export interface NewLink { id: number; seq: number; prevHash: Buffer; hash: Buffer }

/**
 * Writes many links in one statement; returns how many unsequenced rows it updated.
 * The id range bounds the join to the batch: without it PostgreSQL hashes every
 * unsequenced row per batch, which turns a large backlog quadratic.
 */
export async function writeChainLinks(q: Queryable, links: readonly NewLink[]): Promise<number> {
  if (links.length === 0) return 0;
  const ids = links.map((l) => l.id);
  const r = await q.query(
    `UPDATE audit_events AS e
        SET seq = u.seq, prev_hash = decode(u.prev_hash, 'hex'), hash = decode(u.hash, 'hex')
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(id, seq, prev_hash, hash)
      WHERE e.id = u.id AND e.seq IS NULL AND e.id BETWEEN $5::bigint AND $6::bigint`,
    [ids, links.map((l) => l.seq), links.map((l) => l.prevHash.toString('hex')), links.map((l) => l.hash.toString('hex')),
      Math.min(...ids), Math.max(...ids)],
  );
  return r.rowCount;
}

export interface ChainPageFilter {
  /** Exclusive lower bound on seq (keyset). */
  afterSeq: number;
  /** Inclusive upper bound on seq: the head when the read began. */
  uptoSeq: number;
  tenantId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Sequenced events in seq order, with their links, in canonical text form. */
export async function readChainPage(q: Queryable, f: ChainPageFilter, limit: number): Promise<StoredLink[]> {
  const { rows } = await q.query<ChainRow>(
    `SELECT seq, prev_hash, hash, ${CHAIN_COLUMNS}
       FROM audit_events
      WHERE seq > $1 AND seq <= $2
        AND ($3::uuid IS NULL OR tenant_id = $3::uuid)
        AND ($4::timestamptz IS NULL OR at >= $4::timestamptz)
        AND ($5::timestamptz IS NULL OR at < $5::timestamptz)
      ORDER BY seq
      LIMIT $6`,
    [f.afterSeq, f.uptoSeq, f.tenantId ?? null, f.from ?? null, f.to ?? null, limit]);
  return rows.map((r) => ({ ...toChainEvent(r, r.seq ?? 0), prevHash: r.prev_hash, hash: r.hash }));
}

export interface EventFilter {
  tenantId?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset cursor: only events with a smaller id (the listing runs newest first). */
  beforeId?: number | undefined;
}

export interface AuditEventRow {
  id: number;
  seq: number | null;
  at: Date;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  hash: Buffer | null;
}

/** Events matching every given filter, newest (highest id) first. `to` is exclusive. */
export async function listEvents(q: Queryable, f: EventFilter, limit: number): Promise<AuditEventRow[]> {
  const { rows } = await q.query<{
    id: number; seq: number | null; at: Date; tenant_id: string | null; actor_type: string; actor_id: string | null;
    action: string; subject_type: string | null; subject_id: string | null; details: Record<string, unknown>; hash: Buffer | null;
  }>(
    `SELECT id, seq, at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details, hash
       FROM audit_events
      WHERE ($1::uuid IS NULL OR tenant_id = $1::uuid)
        AND ($2::text IS NULL OR action = $2::text)
        AND ($3::text IS NULL OR subject_type = $3::text)
        AND ($4::text IS NULL OR subject_id = $4::text)
        AND ($5::timestamptz IS NULL OR at >= $5::timestamptz)
        AND ($6::timestamptz IS NULL OR at < $6::timestamptz)
        AND ($7::bigint IS NULL OR id < $7::bigint)
      ORDER BY id DESC
      LIMIT $8`,
    [f.tenantId ?? null, f.action ?? null, f.subjectType ?? null, f.subjectId ?? null, f.from ?? null, f.to ?? null, f.beforeId ?? null, limit]);
  return rows.map((r) => ({
    id: r.id, seq: r.seq, at: r.at, tenantId: r.tenant_id, actorType: r.actor_type, actorId: r.actor_id,
    action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, details: r.details, hash: r.hash,
  }));
}
