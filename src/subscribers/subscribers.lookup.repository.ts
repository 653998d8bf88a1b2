/**
 * Typed SQL for what a person or a partner may ask of the registry: the numbers held under a
 * subscriber (with operator, holding start and any pending re-verification), one of those
 * numbers, and the holder of an active number at an operator.
 */
import type { Queryable } from '../db/database.ts';

export interface HeldNumberRow {
  numberId: string; msisdn: string; state: 'active' | 'suspended'; tenantId: string; tenantCode: string; tenantName: string;
  since: Date; reverificationId: string | null; reverificationDeadline: Date | null;
}

export const subscriberLookupRepository = {
  /** Active and suspended numbers held by the subscriber, across all operators. */
  async heldNumbers(q: Queryable, subscriberId: string): Promise<HeldNumberRow[]> {
    const { rows } = await q.query<{
      id: string; msisdn: string; state: 'active' | 'suspended'; tenant_id: string; code: string; name: string;
      started_at: Date | null; state_changed_at: Date; rev_id: string | null; rev_deadline: Date | null;
    }>(
      `SELECT n.id, n.msisdn, n.state, n.tenant_id, t.code, t.name, h.started_at, n.state_changed_at, r.id AS rev_id, r.deadline AS rev_deadline
         FROM numbers n
         JOIN tenants t ON t.id = n.tenant_id
         LEFT JOIN number_holdings h ON h.number_id = n.id AND h.ended_at IS NULL
         LEFT JOIN reverifications r ON r.number_id = n.id AND r.status = 'pending'
        WHERE n.holder_id = $1 AND n.state IN ('active', 'suspended')
        ORDER BY t.code, n.msisdn`, [subscriberId]);
    return rows.map((r) => ({
      numberId: r.id, msisdn: r.msisdn, state: r.state, tenantId: r.tenant_id, tenantCode: r.code, tenantName: r.name,
      since: r.started_at ?? r.state_changed_at, reverificationId: r.rev_id, reverificationDeadline: r.rev_deadline,
    }));
  },

  /** One number if the subscriber holds it (active or suspended). */
  async heldNumber(q: Queryable, subscriberId: string, numberId: string): Promise<{ numberId: string; tenantId: string } | undefined> {
    const { rows } = await q.query<{ id: string; tenant_id: string }>(
      "SELECT id, tenant_id FROM numbers WHERE id = $1 AND holder_id = $2 AND state IN ('active', 'suspended')", [numberId, subscriberId]);
    return rows[0] ? { numberId: rows[0].id, tenantId: rows[0].tenant_id } : undefined;
  },

  /** The holder of an active number at the operator. */
  async activeHolder(q: Queryable, tenantId: string, msisdn: string): Promise<{ subscriberId: string; docHmac: Buffer } | undefined> {
    const { rows } = await q.query<{ id: string; doc_hmac: Buffer }>(
      `SELECT s.id, s.doc_hmac FROM numbers n JOIN subscribers s ON s.id = n.holder_id
        WHERE n.msisdn = $1 AND n.tenant_id = $2 AND n.state = 'active'`, [msisdn, tenantId]);
    return rows[0] ? { subscriberId: rows[0].id, docHmac: rows[0].doc_hmac } : undefined;
  },
};
