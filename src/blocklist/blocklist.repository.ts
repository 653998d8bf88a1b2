/** Typed SQL for the blocklist. Lookups at registration live in subscribers.repository.ts. */
import type { Queryable } from '../db/database.ts';
import type { DocumentType } from '../documents/documents.ts';
import type { BlocklistEntry, BlocklistReasonCode } from './blocklist.ts';

interface Row {
  id: string; tenant_id: string | null; doc_type: DocumentType | null; doc_masked: string | null; reason_code: BlocklistReasonCode; reason: string;
  created_by: string | null; created_by_username: string | null; created_at: Date;
}
const toEntry = (r: Row): BlocklistEntry => ({
  id: r.id, tenantId: r.tenant_id, documentType: r.doc_type, maskedNumber: r.doc_masked, reasonCode: r.reason_code, reason: r.reason,
  createdBy: r.created_by, createdByUsername: r.created_by_username, createdAt: r.created_at,
});
/** The entry's columns and its author's username (b: blocklist, s: staff). */
const COLUMNS = 'b.id, b.tenant_id, b.doc_type, b.doc_masked, b.reason_code, b.reason, b.created_by, s.username AS created_by_username, b.created_at';
const FROM = 'blocklist b LEFT JOIN staff s ON s.id = b.created_by';

export interface NewEntryRow {
  id: string; tenantId: string | null; docHmac: Buffer; docType: DocumentType; docMasked: string; reasonCode: BlocklistReasonCode; reason: string;
  createdBy: string | null; createdAt: Date;
}

export const blocklistRepository = {
  /** Adds the entry unless the document is already listed in the same scope (then undefined). */
  async insert(q: Queryable, e: NewEntryRow): Promise<BlocklistEntry | undefined> {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO blocklist (id, tenant_id, doc_hmac, doc_type, doc_masked, reason_code, reason, created_by, created_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, date_trunc('milliseconds', $9::timestamptz)
        WHERE NOT EXISTS (SELECT 1 FROM blocklist WHERE doc_hmac = $3 AND tenant_id IS NOT DISTINCT FROM $2::uuid)
       RETURNING id`,
      [e.id, e.tenantId, e.docHmac, e.docType, e.docMasked, e.reasonCode, e.reason, e.createdBy, e.createdAt]);
    return rows[0] ? blocklistRepository.find(q, rows[0].id) : undefined;
  },

  async find(q: Queryable, id: string): Promise<BlocklistEntry | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = $1`, [id]);
    return rows[0] ? toEntry(rows[0]) : undefined;
  },

  async remove(q: Queryable, id: string): Promise<boolean> {
    return (await q.query('DELETE FROM blocklist WHERE id = $1', [id])).rowCount === 1;
  },

  /**
   * Entries newest first. `tenantId` undefined: all; a tenant: that tenant's entries, plus the
   * deployment-wide ones when `withDeploymentWide`. `before`: keyset cursor.
   */
  async list(q: Queryable, f: { tenantId?: string | undefined; withDeploymentWide?: boolean; before?: { at: Date; id: string } | undefined }, limit: number): Promise<BlocklistEntry[]> {
    const { rows } = await q.query<Row>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE ($1::uuid IS NULL OR b.tenant_id = $1 OR ($2::boolean AND b.tenant_id IS NULL))
          AND ($3::timestamptz IS NULL OR (date_trunc('milliseconds', b.created_at), b.id) < ($3::timestamptz, $4::uuid))
        ORDER BY date_trunc('milliseconds', b.created_at) DESC, b.id DESC LIMIT $5`,
      [f.tenantId ?? null, f.withDeploymentWide ?? false, f.before?.at ?? null, f.before?.id ?? null, limit]);
    return rows.map(toEntry);
  },
};
