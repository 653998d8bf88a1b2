/**
 * Typed SQL for transfers: the number row locked for the change, the `transfers` record and
 * the holdings history of a number.
 */
import type { Queryable } from '../db/database.ts';
import type { NumberState } from '../numbers/numbers.ts';
import type { Holding } from './transfers.ts';

export interface LockedNumber { id: string; msisdn: string; tenantId: string; state: NumberState; holderId: string | null }

export interface TransferRow {
  id: string; tenantId: string; numberId: string; fromSubscriberId: string; toSubscriberId: string;
  fromVerificationId: string; toVerificationId: string; agentId: string; createdAt: Date;
}

export const transfersRepository = {
  /** The operator's number, locked until the end of the transaction. */
  async lockNumber(q: Queryable, tenantId: string, msisdn: string): Promise<LockedNumber | undefined> {
    const { rows } = await q.query<{ id: string; msisdn: string; tenant_id: string; state: NumberState; holder_id: string | null }>(
      'SELECT id, msisdn, tenant_id, state, holder_id FROM numbers WHERE msisdn = $1 AND tenant_id = $2 FOR UPDATE', [msisdn, tenantId]);
    const r = rows[0];
    return r ? { id: r.id, msisdn: r.msisdn, tenantId: r.tenant_id, state: r.state, holderId: r.holder_id } : undefined;
  },

  async docHmacOf(q: Queryable, subscriberId: string): Promise<Buffer | undefined> {
    const { rows } = await q.query<{ doc_hmac: Buffer }>('SELECT doc_hmac FROM subscribers WHERE id = $1', [subscriberId]);
    return rows[0]?.doc_hmac;
  },

  async insert(q: Queryable, t: TransferRow): Promise<void> {
    await q.query(
      `INSERT INTO transfers (id, tenant_id, number_id, from_subscriber_id, to_subscriber_id, from_verification_id, to_verification_id, agent_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [t.id, t.tenantId, t.numberId, t.fromSubscriberId, t.toSubscriberId, t.fromVerificationId, t.toVerificationId, t.agentId, t.createdAt]);
  },

  /**
   * Moves an active number from one holder to the next: closes the open holding, opens the
   * next (source = the transfer). Three statements in the caller's transaction, in this order:
   * in one statement with CTEs, PostgreSQL may insert the new holding before closing the old
   * one, and the one-open-holding index refuses it.
   */
  async moveHolder(q: Queryable, numberId: string, fromId: string, toId: string, transferId: string, now: Date): Promise<boolean> {
    const moved = await q.query(
      `UPDATE numbers SET holder_id = $3, state_changed_at = $4 WHERE id = $1 AND holder_id = $2 AND state = 'active'`, [numberId, fromId, toId, now]);
    if (moved.rowCount !== 1) return false;
    await q.query(
      `UPDATE number_holdings SET ended_at = $2, ended_by = 'transfer' WHERE number_id = $1 AND ended_at IS NULL`, [numberId, now]);
    await q.query(
      `INSERT INTO number_holdings (number_id, subscriber_id, started_at, started_by, source_id)
       VALUES ($1, $2, $3::timestamptz + interval '1 microsecond', 'transfer', $4)`, [numberId, toId, now, transferId]);
    return true;
  },

  async findById(q: Queryable, id: string): Promise<TransferRow | undefined> {
    const { rows } = await q.query<{
      id: string; tenant_id: string; number_id: string; from_subscriber_id: string; to_subscriber_id: string;
      from_verification_id: string; to_verification_id: string; agent_id: string; created_at: Date;
    }>('SELECT * FROM transfers WHERE id = $1', [id]);
    const r = rows[0];
    return r ? {
      id: r.id, tenantId: r.tenant_id, numberId: r.number_id, fromSubscriberId: r.from_subscriber_id, toSubscriberId: r.to_subscriber_id,
      fromVerificationId: r.from_verification_id, toVerificationId: r.to_verification_id, agentId: r.agent_id, createdAt: r.created_at,
    } : undefined;
  },

  /** Who held the number, oldest first. */
  async holdings(q: Queryable, numberId: string): Promise<Holding[]> {
    const { rows } = await q.query<{
      subscriber_id: string; started_at: Date; ended_at: Date | null; started_by: Holding['startedBy']; ended_by: Holding['endedBy']; source_id: string | null;
    }>('SELECT subscriber_id, started_at, ended_at, started_by, ended_by, source_id FROM number_holdings WHERE number_id = $1 ORDER BY started_at, id', [numberId]);
    return rows.map((r) => ({ subscriberId: r.subscriber_id, startedAt: r.started_at, endedAt: r.ended_at, startedBy: r.started_by, endedBy: r.ended_by, sourceId: r.source_id }));
  },
};
