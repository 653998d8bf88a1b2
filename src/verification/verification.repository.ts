/**
 * Typed SQL for verification rows. Spending one is a guarded UPDATE (unused, unexpired,
 * right purpose and operator), so a verification can never be used twice, even concurrently.
 */
import type { Queryable } from '../db/database.ts';
import type { VerificationMethod, VerificationPurpose, VerificationRecord, VerificationResult } from './verification.ts';

interface Row {
  id: string; purpose: VerificationPurpose; tenant_id: string | null; subscriber_id: string | null; doc_hmac: Buffer;
  method: VerificationMethod; result: VerificationResult; created_at: Date; expires_at: Date; used_at: Date | null;
}

const toRecord = (r: Row): VerificationRecord => ({
  id: r.id, purpose: r.purpose, tenantId: r.tenant_id, subscriberId: r.subscriber_id, docHmac: r.doc_hmac, method: r.method,
  result: r.result, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});

export interface SpendFilter {
  id: string;
  purposes: readonly VerificationPurpose[];
  now: Date;
  /** The operator the verification must count for: a row made for no operator counts for all. */
  tenantId: string;
}

export const verificationRepository = {
  async insert(q: Queryable, v: VerificationRecord): Promise<void> {
    await q.query(
      `INSERT INTO verifications (id, purpose, tenant_id, subscriber_id, doc_hmac, method, result, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [v.id, v.purpose, v.tenantId, v.subscriberId, v.docHmac, v.method, JSON.stringify(v.result), v.createdAt, v.expiresAt]);
  },

  async findById(q: Queryable, id: string): Promise<VerificationRecord | undefined> {
    const { rows } = await q.query<Row>('SELECT * FROM verifications WHERE id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  },

  /** Marks an unused, unexpired verification used and returns it; undefined when it cannot be spent. */
  async spend(q: Queryable, f: SpendFilter): Promise<VerificationRecord | undefined> {
    const { rows } = await q.query<Row>(
      `UPDATE verifications SET used_at = $3
        WHERE id = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND expires_at > $3
          AND (tenant_id IS NULL OR tenant_id = $4)
        RETURNING *`, [f.id, f.purposes, f.now, f.tenantId]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  },

  /** A verification still inside its window (used or not); records the first use. */
  async openWindow(q: Queryable, id: string, purpose: VerificationPurpose, now: Date): Promise<VerificationRecord | undefined> {
    const { rows } = await q.query<Row>(
      `UPDATE verifications SET used_at = coalesce(used_at, $3)
        WHERE id = $1 AND purpose = $2 AND expires_at > $3 RETURNING *`, [id, purpose, now]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  },
};
