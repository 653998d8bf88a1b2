/**
 * Typed SQL for re-verification campaigns and their rows. One pending re-verification per
 * number is enforced by the partial unique index `reverifications_one_pending`; opening one
 * for a number that already has one keeps the existing row.
 */
import type { Queryable } from '../db/database.ts';
import type { NumberState } from '../numbers/numbers.ts';
import { emptyCounts, type Campaign, type Reverification, type ReverificationStatus, type StatusCounts } from './reverification.ts';

interface Row {
  id: string; campaign_id: string | null; tenant_id: string; number_id: string; holder_id: string; reason: string;
  status: ReverificationStatus; deadline: Date; created_at: Date; resolved_at: Date | null;
}
interface CampaignRow { id: string; tenant_id: string; name: string; reason: string; deadline_hours: number; created_by: string | null; created_at: Date }

const toReverification = (r: Row): Reverification => ({
  id: r.id, campaignId: r.campaign_id, tenantId: r.tenant_id, numberId: r.number_id, holderId: r.holder_id, reason: r.reason,
  status: r.status, deadline: r.deadline, createdAt: r.created_at, resolvedAt: r.resolved_at,
});
const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, tenantId: r.tenant_id, name: r.name, reason: r.reason, deadlineHours: r.deadline_hours, createdBy: r.created_by, createdAt: r.created_at,
});

export interface HeldNumber { id: string; msisdn: string; tenantId: string; state: NumberState; holderId: string | null }

export interface OpenMany {
  campaignId: string | null;
  tenantId: string;
  reason: string;
  deadline: Date;
  now: Date;
  numbers: readonly { id: string; numberId: string; holderId: string }[];
}

export const reverificationRepository = {
  async insertCampaign(q: Queryable, c: Campaign): Promise<void> {
    await q.query(
      `INSERT INTO reverification_campaigns (id, tenant_id, name, reason, deadline_hours, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`, [c.id, c.tenantId, c.name, c.reason, c.deadlineHours, c.createdBy, c.createdAt]);
  },

  async getCampaign(q: Queryable, id: string): Promise<Campaign | undefined> {
    const { rows } = await q.query<CampaignRow>('SELECT * FROM reverification_campaigns WHERE id = $1', [id]);
    return rows[0] ? toCampaign(rows[0]) : undefined;
  },

  async listCampaigns(q: Queryable, tenantId: string, limit: number): Promise<Campaign[]> {
    const { rows } = await q.query<CampaignRow>(
      'SELECT * FROM reverification_campaigns WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2', [tenantId, limit]);
    return rows.map(toCampaign);
  },

  /** Counts by status for each campaign. */
  async countByStatus(q: Queryable, campaignIds: readonly string[]): Promise<Map<string, StatusCounts>> {
    const { rows } = await q.query<{ campaign_id: string; status: ReverificationStatus; n: number }>(
      `SELECT campaign_id, status, count(*)::int AS n FROM reverifications
        WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id, status`, [campaignIds]);
    const out = new Map(campaignIds.map((id) => [id, emptyCounts()]));
    for (const r of rows) {
      const c = out.get(r.campaign_id)!;
      c[r.status] = r.n;
      c.total += r.n;
    }
    return out;
  },

  async numbersByMsisdn(q: Queryable, msisdns: readonly string[]): Promise<HeldNumber[]> {
    const { rows } = await q.query<{ id: string; msisdn: string; tenant_id: string; state: NumberState; holder_id: string | null }>(
      'SELECT id, msisdn, tenant_id, state, holder_id FROM numbers WHERE msisdn = ANY($1::text[])', [msisdns]);
    return rows.map((r) => ({ id: r.id, msisdn: r.msisdn, tenantId: r.tenant_id, state: r.state, holderId: r.holder_id }));
  },

  /**
   * A store's active numbers: those its current holder registered at the store (pool numbers
   * included) and those stocked at the store.
   */
  async activeNumbersOfStore(q: Queryable, tenantId: string, storeId: string): Promise<HeldNumber[]> {
    const { rows } = await q.query<{ id: string; msisdn: string; tenant_id: string; state: NumberState; holder_id: string | null }>(
      `SELECT n.id, n.msisdn, n.tenant_id, n.state, n.holder_id FROM numbers n
        WHERE n.tenant_id = $1 AND n.state = 'active'
          AND (n.store_id = $2 OR EXISTS (
            SELECT 1 FROM number_holdings h JOIN registrations r ON r.id = h.source_id
             WHERE h.number_id = n.id AND h.ended_at IS NULL AND h.started_by = 'registration' AND r.store_id = $2))
        ORDER BY n.msisdn`, [tenantId, storeId]);
    return rows.map((r) => ({ id: r.id, msisdn: r.msisdn, tenantId: r.tenant_id, state: r.state, holderId: r.holder_id }));
  },

  /** Opens pending rows; numbers that already have one are left alone. Returns numberId → new row id. */
  async openMany(q: Queryable, a: OpenMany): Promise<Map<string, string>> {
    if (a.numbers.length === 0) return new Map();
    const { rows } = await q.query<{ id: string; number_id: string }>(
      `INSERT INTO reverifications (id, campaign_id, tenant_id, number_id, holder_id, reason, status, deadline, created_at)
       SELECT t.id, $1, $2, t.number_id, t.holder_id, $3, 'pending', $4, $5
         FROM unnest($6::uuid[], $7::uuid[], $8::uuid[]) AS t(id, number_id, holder_id)
       ON CONFLICT (number_id) WHERE status = 'pending' DO NOTHING
       RETURNING id, number_id`,
      [a.campaignId, a.tenantId, a.reason, a.deadline, a.now,
        a.numbers.map((n) => n.id), a.numbers.map((n) => n.numberId), a.numbers.map((n) => n.holderId)]);
    return new Map(rows.map((r) => [r.number_id, r.id]));
  },

  async findPendingForNumber(q: Queryable, numberId: string): Promise<Reverification | undefined> {
    const { rows } = await q.query<Row>("SELECT * FROM reverifications WHERE number_id = $1 AND status = 'pending'", [numberId]);
    return rows[0] ? toReverification(rows[0]) : undefined;
  },

  async findById(q: Queryable, id: string, lock = false): Promise<Reverification | undefined> {
    const { rows } = await q.query<Row>(`SELECT * FROM reverifications WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toReverification(rows[0]) : undefined;
  },

  async setStatus(q: Queryable, id: string, from: readonly ReverificationStatus[], to: ReverificationStatus, resolvedAt: Date | null): Promise<boolean> {
    const { rowCount } = await q.query(
      'UPDATE reverifications SET status = $3, resolved_at = $4 WHERE id = $1 AND status = ANY($2::text[])', [id, from, to, resolvedAt]);
    return rowCount === 1;
  },

  /** Other rows of this number that keep it suspended (a number is restored only when none is left). */
  async otherSuspensions(q: Queryable, numberId: string, exceptId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM reverifications WHERE number_id = $1 AND id <> $2 AND status = 'suspended'", [numberId, exceptId]);
    return rows[0]?.n ?? 0;
  },

  /** The number no longer has this holder (surrender, transfer): its open rows are moot. Returns their ids. */
  async cancelOpenForNumber(q: Queryable, numberId: string, now: Date): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE reverifications SET status = 'cancelled', resolved_at = $2
        WHERE number_id = $1 AND status IN ('pending', 'suspended') RETURNING id`, [numberId, now]);
    return rows.map((r) => r.id);
  },

  async listOverdue(q: Queryable, now: Date, limit: number): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      "SELECT id FROM reverifications WHERE status = 'pending' AND deadline <= $1 ORDER BY deadline LIMIT $2", [now, limit]);
    return rows.map((r) => r.id);
  },

  async holderDocHmac(q: Queryable, subscriberId: string): Promise<Buffer | undefined> {
    const { rows } = await q.query<{ doc_hmac: Buffer }>('SELECT doc_hmac FROM subscribers WHERE id = $1', [subscriberId]);
    return rows[0]?.doc_hmac;
  },
};
