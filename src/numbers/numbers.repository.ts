/**
 * Typed SQL for the number inventory. Every state change is a guarded UPDATE
 * (`WHERE state = …`), so a number can never be taken twice: the row is the lock.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { NumberState, PhoneNumber } from './numbers.ts';

interface Row {
  id: string; tenant_id: string; store_id: string | null; msisdn: string; state: NumberState; holder_id: string | null;
  reserved_for: string | null; reserved_until: Date | null; cooling_off_until: Date | null; state_changed_at: Date;
}
const toNumber = (r: Row): PhoneNumber => ({
  id: r.id, tenantId: r.tenant_id, storeId: r.store_id, msisdn: r.msisdn, state: r.state, holderId: r.holder_id,
  reservedFor: r.reserved_for, reservedUntil: r.reserved_until, coolingOffUntil: r.cooling_off_until, stateChangedAt: r.state_changed_at,
});

export interface HeldCounts { atOperator: number; inDeployment: number }

export const numbersRepository = {
  /** Inserts numbers that are not there yet; returns the msisdns that already existed. */
  async importNumbers(q: Queryable, tenantId: string, storeId: string | null, msisdns: readonly string[]): Promise<string[]> {
    if (msisdns.length === 0) return [];
    const ids = msisdns.map(() => randomUUID());
    const { rows } = await q.query<{ msisdn: string }>(
      `INSERT INTO numbers (id, tenant_id, store_id, msisdn)
       SELECT id, $1, $2, msisdn FROM unnest($3::uuid[], $4::text[]) AS t(id, msisdn)
       ON CONFLICT (msisdn) DO NOTHING RETURNING msisdn`,
      [tenantId, storeId, ids, msisdns]);
    const inserted = new Set(rows.map((r) => r.msisdn));
    return msisdns.filter((m) => !inserted.has(m));
  },

  async findById(q: Queryable, id: string): Promise<PhoneNumber | undefined> {
    const { rows } = await q.query<Row>('SELECT * FROM numbers WHERE id = $1', [id]);
    return rows[0] ? toNumber(rows[0]) : undefined;
  },

  async findByMsisdn(q: Queryable, msisdn: string): Promise<PhoneNumber | undefined> {
    const { rows } = await q.query<Row>('SELECT * FROM numbers WHERE msisdn = $1', [msisdn]);
    return rows[0] ? toNumber(rows[0]) : undefined;
  },

  /** Numbers held (active or suspended) by a person, at one operator and across the deployment. */
  async countHeld(q: Queryable, subscriberId: string, tenantId: string): Promise<HeldCounts> {
    const { rows } = await q.query<{ at_operator: number; in_deployment: number }>(
      `SELECT count(*) FILTER (WHERE tenant_id = $2)::int AS at_operator, count(*)::int AS in_deployment
         FROM numbers WHERE holder_id = $1 AND state IN ('active', 'suspended')`, [subscriberId, tenantId]);
    return { atOperator: rows[0]?.at_operator ?? 0, inDeployment: rows[0]?.in_deployment ?? 0 };
  },

  /** available → reserved for a registration until `until`; undefined if not available here. */
  async reserve(q: Queryable, a: { tenantId: string; storeId: string; msisdn: string; registrationId: string; until: Date; now: Date }): Promise<PhoneNumber | undefined> {
    const { rows } = await q.query<Row>(
      `UPDATE numbers SET state = 'reserved', reserved_for = $4, reserved_until = $5, state_changed_at = $6
        WHERE msisdn = $3 AND tenant_id = $1 AND state = 'available' AND (store_id = $2 OR store_id IS NULL)
        RETURNING *`, [a.tenantId, a.storeId, a.msisdn, a.registrationId, a.until, a.now]);
    return rows[0] ? toNumber(rows[0]) : undefined;
  },

  /** Releases what a registration reserved (cancelled, expired, rejected). */
  async releaseReservation(q: Queryable, registrationId: string, now: Date): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE numbers SET state = 'available', reserved_for = NULL, reserved_until = NULL, state_changed_at = $2
        WHERE state = 'reserved' AND reserved_for = $1`, [registrationId, now]);
    return rowCount;
  },

  /**
   * Makes a number active for a person if their caps allow: counts what they hold (at this
   * operator, everywhere) and, only below both caps, takes the number reserved for this
   * registration, else the store's first available number, else the first available number of
   * the operator's shared stock (no store), opening the holding record, all in one statement.
   * Each of the three places is an index lookup (migration 0007) read in that order, and the
   * first one that yields a number ends the search: the cost does not grow with the stock.
   * Call it after locking the person's row: the statement's snapshot then sees every number
   * taken by whoever held that lock before.
   */
  async activateWithinCaps(q: Queryable, a: { tenantId: string; storeId: string; registrationId: string; subscriberId: string; now: Date; operatorCap: number; deploymentCap: number }): Promise<{ held: HeldCounts; number: PhoneNumber | undefined }> {
    const { rows } = await q.query<Partial<Row> & { at_operator: number; in_deployment: number }>(
      `WITH held AS (
         SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS at_operator, count(*)::int AS in_deployment,
                count(*) FILTER (WHERE tenant_id = $1) < $6 AND count(*) < $7 AS below_caps
           FROM numbers WHERE holder_id = $4 AND state IN ('active', 'suspended')),
       pick AS (
         SELECT id FROM (SELECT id FROM numbers WHERE reserved_for = $3 AND state = 'reserved' AND tenant_id = $1
             AND (SELECT below_caps FROM held) LIMIT 1 FOR UPDATE SKIP LOCKED) reserved
         UNION ALL
         SELECT id FROM (SELECT id FROM numbers WHERE tenant_id = $1 AND store_id = $2 AND state = 'available'
             AND (SELECT below_caps FROM held) ORDER BY msisdn LIMIT 1 FOR UPDATE SKIP LOCKED) own
         UNION ALL
         SELECT id FROM (SELECT id FROM numbers WHERE tenant_id = $1 AND store_id IS NULL AND state = 'available'
             AND (SELECT below_caps FROM held) ORDER BY msisdn LIMIT 1 FOR UPDATE SKIP LOCKED) shared
         LIMIT 1),
       upd AS (
         UPDATE numbers n SET state = 'active', holder_id = $4, reserved_for = NULL, reserved_until = NULL, state_changed_at = $5
           FROM pick WHERE n.id = pick.id AND n.state IN ('available', 'reserved') RETURNING n.*),
       hold AS (
         INSERT INTO number_holdings (number_id, subscriber_id, started_at, started_by, source_id)
         SELECT id, $4, $5, 'registration', $3 FROM upd)
       SELECT held.at_operator, held.in_deployment, upd.* FROM held LEFT JOIN upd ON true`,
      [a.tenantId, a.storeId, a.registrationId, a.subscriberId, a.now, a.operatorCap, a.deploymentCap]);
    const r = rows[0]!;
    return { held: { atOperator: r.at_operator, inDeployment: r.in_deployment }, number: r.id ? toNumber(r as Row) : undefined };
  },

  async setState(q: Queryable, id: string, from: readonly NumberState[], to: 'active' | 'suspended', now: Date): Promise<boolean> {
    const { rowCount } = await q.query(
      'UPDATE numbers SET state = $3, state_changed_at = $4 WHERE id = $1 AND state = ANY($2::text[])', [id, from, to, now]);
    return rowCount === 1;
  },

  /** active/suspended → cooling_off: the holder lets go; the holding record is closed. */
  async surrender(q: Queryable, id: string, holderId: string, until: Date, now: Date, endedBy: 'surrender' | 'reclaimed'): Promise<boolean> {
    const { rows } = await q.query<{ id: string }>(
      `WITH upd AS (
         UPDATE numbers SET state = 'cooling_off', holder_id = NULL, cooling_off_until = $3, state_changed_at = $4
          WHERE id = $1 AND holder_id = $2 AND state IN ('active', 'suspended') RETURNING id),
       hold AS (
         UPDATE number_holdings SET ended_at = $4, ended_by = $5 WHERE number_id IN (SELECT id FROM upd) AND ended_at IS NULL)
       SELECT id FROM upd`, [id, holderId, until, now, endedBy]);
    return rows.length === 1;
  },

  /** One page of the inventory in msisdn order, after the cursor `after`. */
  async listPage(q: Queryable, f: { tenantId: string; state?: NumberState | undefined; storeId?: string | undefined; orUnassigned?: boolean; after?: string | undefined }, limit: number): Promise<PhoneNumber[]> {
    const { rows } = await q.query<Row>(
      `SELECT * FROM numbers
        WHERE tenant_id = $1
          AND ($2::text IS NULL OR state = $2)
          AND ($3::uuid IS NULL OR store_id = $3 OR ($4 AND store_id IS NULL))
          AND ($5::text IS NULL OR msisdn > $5)
        ORDER BY msisdn LIMIT $6`,
      [f.tenantId, f.state ?? null, f.storeId ?? null, f.orUnassigned ?? false, f.after ?? null, limit]);
    return rows.map(toNumber);
  },

  /** How many numbers are in each state, for the operator (or one of its stores). */
  async countByState(q: Queryable, tenantId: string, storeId: string | undefined): Promise<Record<NumberState, number>> {
    const { rows } = await q.query<{ state: NumberState; n: number }>(
      `SELECT state, count(*)::int AS n FROM numbers WHERE tenant_id = $1 AND ($2::uuid IS NULL OR store_id = $2) GROUP BY state`,
      [tenantId, storeId ?? null]);
    const counts: Record<NumberState, number> = { available: 0, reserved: 0, active: 0, suspended: 0, cooling_off: 0 };
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  },

  /** cooling_off → available when the period is over; reserved → available when the hold lapsed. */
  async recycle(q: Queryable, now: Date): Promise<{ recycled: number; released: number }> {
    const a = await q.query(
      `UPDATE numbers SET state = 'available', cooling_off_until = NULL, state_changed_at = $1
        WHERE state = 'cooling_off' AND cooling_off_until <= $1`, [now]);
    const b = await q.query(
      `UPDATE numbers SET state = 'available', reserved_for = NULL, reserved_until = NULL, state_changed_at = $1
        WHERE state = 'reserved' AND reserved_until <= $1`, [now]);
    return { recycled: a.rowCount, released: b.rowCount };
  },
};
