/**
 * Partner API keys: parameterised SQL only. A key is stored as its HMAC (`key_hash`),
 * never in clear; scopes are a text[] passed as JSON so pg and PGlite bind it alike.
 */
import type { Queryable } from '../db/database.ts';
import type { ApiKeyScope, ApiKeyView } from './staff.ts';

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  scopes: ApiKeyScope[];
  rate_limit_per_minute: number;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, tenant_id, name, scopes, rate_limit_per_minute, created_at, revoked_at, last_used_at';

function toView(r: ApiKeyRow): ApiKeyView {
  return {
    id: r.id, tenantId: r.tenant_id, name: r.name, scopes: r.scopes, rateLimitPerMinute: r.rate_limit_per_minute,
    createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
  };
}

export interface NewApiKeyRow {
  id: string;
  tenantId: string;
  name: string;
  keyHash: Buffer;
  scopes: readonly ApiKeyScope[];
  rateLimitPerMinute: number;
  createdAt: Date;
}

export async function insertApiKey(q: Queryable, k: NewApiKeyRow): Promise<ApiKeyView> {
  const { rows } = await q.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, tenant_id, name, key_hash, scopes, rate_limit_per_minute, created_at)
     VALUES ($1, $2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6, $7) RETURNING ${COLUMNS}`,
    [k.id, k.tenantId, k.name, k.keyHash, JSON.stringify(k.scopes), k.rateLimitPerMinute, k.createdAt],
  );
  return toView(rows[0]!);
}

export async function findApiKeyById(q: Queryable, id: string, forUpdate = false): Promise<ApiKeyView | undefined> {
  const { rows } = await q.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** The live (not revoked) key with this HMAC: one lookup on the unique index. */
export async function findActiveApiKeyByHash(q: Queryable, keyHash: Buffer): Promise<ApiKeyView | undefined> {
  const { rows } = await q.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [keyHash]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** Records a use of the key unless one at most `resolutionMs` before `at` is already recorded. */
export async function touchApiKey(q: Queryable, id: string, at: Date, resolutionMs: number): Promise<void> {
  await q.query(
    'UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)',
    [id, at, new Date(at.getTime() - resolutionMs)]);
}

export async function listApiKeys(q: Queryable, tenantId: string): Promise<ApiKeyView[]> {
  const { rows } = await q.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
  return rows.map(toView);
}

export async function revokeApiKey(q: Queryable, id: string, at: Date): Promise<ApiKeyView> {
  const { rows } = await q.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`, [id, at]);
  return toView(rows[0]!);
}
