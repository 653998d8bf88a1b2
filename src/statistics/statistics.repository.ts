/**
 * Aggregate SQL over `registrations` (plain PostgreSQL that PGlite runs too: FILTER, window
 * frames with interval offsets, self-joins). The grouping expression is picked from a fixed
 * table by the GroupBy enum, never built from input; everything else is a parameter.
 */
import type { Queryable } from '../db/database.ts';
import type { AgentAnomaly, BurstAnomaly, GroupBy, Period, RegistrationGroup } from './statistics.ts';

export interface Scope extends Period { tenantId?: string | undefined; storeId?: string | undefined }

const groupSql: Record<GroupBy | 'none', { key: string; label: string }> = {
  none: { key: `'all'`, label: `'all'` },
  tenant: { key: 'r.tenant_id::text', label: 't.code' },
  store: { key: 'r.store_id::text', label: `t.code || '/' || s.code` },
  agent: { key: 'r.agent_id::text', label: 'st.username' },
  day: { key: `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`, label: `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')` },
};

/** The identity was accepted by manual review (a rejection by review also records the method). */
const APPROVED = `r.verification->>'method' = 'manual_review' AND r.reason_code IS DISTINCT FROM 'manual_review.rejected'`;
const IN_SCOPE = `r.created_at >= $1 AND r.created_at < $2 AND ($3::uuid IS NULL OR r.tenant_id = $3) AND ($4::uuid IS NULL OR r.store_id = $4)`;
const scopeParams = (s: Scope) => [s.from, s.to, s.tenantId ?? null, s.storeId ?? null];

/** Counts by reason, by group key. */
function tally(rows: { key: string; reason: string; n: number }[]): Map<string, Record<string, number>> {
  const byKey = new Map<string, Record<string, number>>();
  for (const r of rows) byKey.set(r.key, { ...byKey.get(r.key), [r.reason]: r.n });
  return byKey;
}

export const statisticsRepository = {
  async registrationCounts(q: Queryable, scope: Scope, groupBy: GroupBy | undefined): Promise<RegistrationGroup[]> {
    const g = groupSql[groupBy ?? 'none'];
    const { rows } = await q.query<{
      key: string; label: string; started: number; completed: number; rejected: number; expired: number; cancelled: number;
      open: number; manual_review_approvals: number; face_attempts_failed: number;
    }>(
      `SELECT ${g.key} AS key, ${g.label} AS label,
              count(*)::int AS started,
              count(*) FILTER (WHERE r.state = 'completed')::int AS completed,
              count(*) FILTER (WHERE r.state = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE r.state = 'expired')::int AS expired,
              count(*) FILTER (WHERE r.state = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE r.state NOT IN ('completed', 'rejected', 'expired', 'cancelled'))::int AS open,
              count(*) FILTER (WHERE ${APPROVED})::int AS manual_review_approvals,
              coalesce(sum(greatest(r.face_attempts - CASE WHEN r.verification->>'method' = 'face' THEN 1 ELSE 0 END, 0)), 0)::int AS face_attempts_failed
         FROM registrations r
         JOIN tenants t ON t.id = r.tenant_id
         JOIN stores s ON s.id = r.store_id
         JOIN staff st ON st.id = r.agent_id
        WHERE ${IN_SCOPE}
        GROUP BY 1, 2 ORDER BY 1`, scopeParams(scope));
    const reasons = await q.query<{ key: string; reason: string; n: number }>(
      `SELECT ${g.key} AS key, coalesce(r.reason_code, 'unknown') AS reason, count(*)::int AS n
         FROM registrations r WHERE ${IN_SCOPE} AND r.state = 'rejected' GROUP BY 1, 2`, scopeParams(scope));
    // refused liveness sessions of the registrations in scope, by their first reason
    const liveness = await q.query<{ key: string; reason: string; n: number }>(
      `SELECT ${g.key} AS key, coalesce(l.result->'reasons'->>0, 'unknown') AS reason, count(*)::int AS n
         FROM registrations r JOIN liveness_sessions l ON l.registration_id = r.id
        WHERE ${IN_SCOPE} AND l.state = 'failed' GROUP BY 1, 2`, scopeParams(scope));
    const byKey = tally(reasons.rows), livenessByKey = tally(liveness.rows);
    return rows.map((r) => ({
      key: r.key, label: r.label, started: r.started, completed: r.completed, rejected: r.rejected,
      rejectedByReason: byKey.get(r.key) ?? {}, expired: r.expired, cancelled: r.cancelled, open: r.open,
      manualReviewApprovals: r.manual_review_approvals, faceAttemptsFailed: r.face_attempts_failed,
      livenessFailed: Object.values(livenessByKey.get(r.key) ?? {}).reduce((a, n) => a + n, 0),
      livenessFailedByReason: livenessByKey.get(r.key) ?? {},
    }));
  },

  /**
   * Registrations of documents that started registrations at `minStores` or more different
   * stores within `windowHours` of each other: every registration in such a window, by document.
   */
  async documentsAcrossStores(q: Queryable, scope: Scope, minStores: number, windowHours: number): Promise<{ doc_hmac: Buffer; id: string; tenant_id: string; store_id: string; store_code: string; created_at: Date }[]> {
    const { rows } = await q.query<{ doc_hmac: Buffer; id: string; tenant_id: string; store_id: string; store_code: string; created_at: Date }>(
      `WITH scoped AS (
         SELECT r.id, r.doc_hmac, r.tenant_id, r.store_id, r.created_at FROM registrations r
          WHERE r.doc_hmac IS NOT NULL AND ${IN_SCOPE}),
       windows AS (
         SELECT a.doc_hmac, a.created_at AS start
           FROM scoped a
           JOIN scoped b ON b.doc_hmac = a.doc_hmac AND b.created_at >= a.created_at AND b.created_at < a.created_at + $6::int * interval '1 hour'
          GROUP BY a.doc_hmac, a.id, a.created_at
         HAVING count(DISTINCT b.store_id) >= $5),
       flagged AS (
         SELECT DISTINCT x.doc_hmac, x.id, x.tenant_id, x.store_id, x.created_at
           FROM scoped x JOIN windows w ON x.doc_hmac = w.doc_hmac AND x.created_at >= w.start AND x.created_at < w.start + $6::int * interval '1 hour')
       SELECT f.doc_hmac, f.id, f.tenant_id, f.store_id, s.code AS store_code, f.created_at
         FROM flagged f JOIN stores s ON s.id = f.store_id
        ORDER BY f.doc_hmac, f.created_at, f.id`,
      [...scopeParams(scope), minStores, windowHours]);
    return rows;
  },

  /**
   * Stores with more than `threshold` registrations in some 10-minute window [t, t + 10 min):
   * the busiest such window of each store (the earliest when several tie).
   */
  async bursts(q: Queryable, scope: Scope, threshold: number): Promise<BurstAnomaly[]> {
    const { rows } = await q.query<{ tenant_id: string; store_id: string; store_code: string; window_start: Date; window_end: Date; n: number }>(
      `WITH counted AS (
         SELECT r.tenant_id, r.store_id, r.created_at,
                count(*) OVER (PARTITION BY r.store_id ORDER BY r.created_at
                               RANGE BETWEEN CURRENT ROW AND interval '9 minutes 59.999999 seconds' FOLLOWING)::int AS n
           FROM registrations r WHERE ${IN_SCOPE}),
       peaks AS (
         SELECT DISTINCT ON (store_id) tenant_id, store_id, created_at, n
           FROM counted WHERE n > $5 ORDER BY store_id, n DESC, created_at)
       SELECT p.tenant_id, p.store_id, s.code AS store_code, p.created_at AS window_start,
              p.created_at + interval '10 minutes' AS window_end, p.n
         FROM peaks p JOIN stores s ON s.id = p.store_id
        ORDER BY p.n DESC, p.store_id`,
      [...scopeParams(scope), threshold]);
    return rows.map((r) => ({ tenantId: r.tenant_id, storeId: r.store_id, storeCode: r.store_code, windowStart: r.window_start, windowEnd: r.window_end, registrations: r.n }));
  },

  /** Agents with at least `minApprovals` manual-review approvals, or more than `maxShare` of their completions by manual review. */
  async manualOverrides(q: Queryable, scope: Scope, minApprovals: number, maxShare: number): Promise<AgentAnomaly[]> {
    const { rows } = await q.query<{ agent_id: string; tenant_id: string; store_id: string | null; username: string; approvals: number; completions: number; approved_completions: number }>(
      `SELECT r.agent_id, r.tenant_id, st.store_id, st.username,
              count(*) FILTER (WHERE ${APPROVED})::int AS approvals,
              count(*) FILTER (WHERE r.state = 'completed')::int AS completions,
              count(*) FILTER (WHERE r.state = 'completed' AND ${APPROVED})::int AS approved_completions
         FROM registrations r JOIN staff st ON st.id = r.agent_id
        WHERE ${IN_SCOPE}
        GROUP BY r.agent_id, r.tenant_id, st.store_id, st.username
       HAVING count(*) FILTER (WHERE ${APPROVED}) >= $5
           OR count(*) FILTER (WHERE r.state = 'completed' AND ${APPROVED}) > $6::float8 * count(*) FILTER (WHERE r.state = 'completed')
        ORDER BY approvals DESC, r.agent_id`,
      [...scopeParams(scope), minApprovals, maxShare]);
    return rows.map((r) => ({
      agentId: r.agent_id, tenantId: r.tenant_id, storeId: r.store_id, username: r.username,
      manualReviewApprovals: r.approvals, completions: r.completions, manualReviewCompletions: r.approved_completions,
      manualReviewShare: r.completions === 0 ? 0 : r.approved_completions / r.completions,
    }));
  },
};
