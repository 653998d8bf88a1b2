/** Typed SQL for the blocklist. Lookups at registration live in subscribers.repository.ts. */
import type { Queryable } from '../db/database.ts';
import type { BlocklistEntry } from './blocklist.ts';

interface Row { id: string; tenant_id: string | null; reason: string; created_by: string | null; created_at: Date }
const toEntry = (r: Row): BlocklistEntry => ({ id: r.id, tenantId: r.tenant_id, reason: r.reason, createdBy: r.created_by, createdAt: r.created_at });
const COLUMNS = 'id, tenant_id, reason, created_by, created_at';

export const blocklistRepository = {
  /** Adds the entry unless the document is already listed in the same scope (then undefined). */
  async insert(q: Queryable, e: { id: string; tenantId: string | null; docHmac: Buffer; reason: string; createdBy: string | null; createdAt: Date }): Promise<BlocklistEntry | undefined> {
    const { rows } = await q.query<Row>(
      `INSERT INTO blocklist (id, tenant_id, doc_hmac, reason, created_by, created_at)
       SELECT $1, $2, $3, $4, $5, date_trunc('milliseconds', $6::timestamptz)
        WHERE NOT EXISTS (SELECT 1 FROM blocklist WHERE doc_hmac = $3 AND tenant_id IS NOT DISTINCT FROM $2::uuid)
       RETURNING ${COLUMNS}`,
      [e.id, e.tenantId, e.docHmac, e.reason, e.createdBy, e.createdAt]);
    return rows[0] ? toEntry(rows[0]) : undefined;
  },

  async find(q: Queryable, id: string): Promise<BlocklistEntry | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM blocklist WHERE id = $1`, [id]);
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
      `SELECT ${COLUMNS} FROM blocklist
        WHERE ($1::uuid IS NULL OR tenant_id = $1 OR ($2::boolean AND tenant_id IS NULL))
          AND ($3::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) < ($3::timestamptz, $4::uuid))
        ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT $5`,
      [f.tenantId ?? null, f.withDeploymentWide ?? false, f.before?.at ?? null, f.before?.id ?? null, limit]);
    return rows.map(toEntry);
  },
};
