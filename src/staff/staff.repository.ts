/**
 * Staff rows, login sessions and failed-login records: parameterised SQL only, no rules.
 * Every timestamp is written from the caller's clock (never the column default) so that
 * expiry and lockout windows follow the service's clock.
 */
import type { Queryable } from '../db/database.ts';
import type { Role } from './principal.ts';
import type { StaffView } from './staff.ts';

export interface StaffRow {
  id: string;
  tenant_id: string | null;
  store_id: string | null;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const STAFF_COLUMNS = 'id, tenant_id, store_id, username, display_name, role, password_hash, must_change_password, disabled, created_at, last_login_at';

export function toStaffView(r: StaffRow): StaffView {
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role,
    tenantId: r.tenant_id, storeId: r.store_id, mustChangePassword: r.must_change_password,
    disabled: r.disabled, createdAt: r.created_at, lastLoginAt: r.last_login_at,
  };
}

export async function findStaffByUsername(q: Queryable, username: string): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE username = $1`, [username]);
  return rows[0];
}

export async function findStaffById(q: Queryable, id: string, forUpdate = false): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function insertStaff(q: Queryable, r: Omit<StaffRow, 'disabled' | 'last_login_at'>): Promise<StaffRow> {
  const { rows } = await q.query<StaffRow>(
    `INSERT INTO staff (id, tenant_id, store_id, username, display_name, role, password_hash, must_change_password, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${STAFF_COLUMNS}`,
    [r.id, r.tenant_id, r.store_id, r.username, r.display_name, r.role, r.password_hash, r.must_change_password, r.created_at],
  );
  return rows[0]!;
}

/** A tenant's staff, or one store's when `storeId` is given; by username. */
export async function listStaff(q: Queryable, tenantId: string, storeId: string | null): Promise<StaffRow[]> {
  const { rows } = await q.query<StaffRow>(
    `SELECT ${STAFF_COLUMNS} FROM staff WHERE tenant_id = $1 AND ($2::uuid IS NULL OR store_id = $2) ORDER BY username`,
    [tenantId, storeId],
  );
  return rows;
}

export async function setStaffDisabled(q: Queryable, id: string, disabled = true): Promise<StaffRow> {
  const { rows } = await q.query<StaffRow>(`UPDATE staff SET disabled = $2 WHERE id = $1 RETURNING ${STAFF_COLUMNS}`, [id, disabled]);
  return rows[0]!;
}

export async function setLastLogin(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE staff SET last_login_at = $2 WHERE id = $1', [id, at]);
}

export async function setPasswordHash(q: Queryable, id: string, hash: string, mustChangePassword: boolean): Promise<void> {
  await q.query('UPDATE staff SET password_hash = $2, must_change_password = $3 WHERE id = $1', [id, hash, mustChangePassword]);
}

export async function tenantExists(q: Queryable, tenantId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  return rows.length > 0;
}

export async function storeBelongsToTenant(q: Queryable, storeId: string, tenantId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM stores WHERE id = $1 AND tenant_id = $2', [storeId, tenantId]);
  return rows.length > 0;
}

// --- sessions -------------------------------------------------------------------------

export async function insertSession(q: Queryable, tokenHash: Buffer, staffId: string, createdAt: Date, expiresAt: Date): Promise<void> {
  await q.query('INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [tokenHash, staffId, createdAt, expiresAt]);
}

export interface SessionPrincipalRow {
  id: string;
  role: Role;
  tenant_id: string | null;
  store_id: string | null;
  must_change_password: boolean;
}

/** The staff member behind a live session of an enabled account: one primary-key lookup and a join. */
export async function findSessionStaff(q: Queryable, tokenHash: Buffer, now: Date): Promise<SessionPrincipalRow | undefined> {
  const { rows } = await q.query<SessionPrincipalRow>(
    `SELECT s.id, s.role, s.tenant_id, s.store_id, s.must_change_password
       FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
      WHERE ss.token_hash = $1 AND ss.expires_at > $2 AND NOT s.disabled`,
    [tokenHash, now],
  );
  return rows[0];
}

export async function deleteSession(q: Queryable, tokenHash: Buffer): Promise<number> {
  return (await q.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash])).rowCount;
}

/** Ends every session of a staff member, except `keep` (the caller's own) when given. */
export async function deleteSessionsOfStaff(q: Queryable, staffId: string, keep: Buffer | null): Promise<number> {
  const r = await q.query('DELETE FROM staff_sessions WHERE staff_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)', [staffId, keep]);
  return r.rowCount;
}

export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  return (await q.query('DELETE FROM staff_sessions WHERE expires_at <= $1', [now])).rowCount;
}

// --- failed logins (keyed by an HMAC of the username, see auth.service.ts) -------------

/** Serialises login attempts for one username (given as its failure key) until the transaction ends. */
export async function lockUsername(q: Queryable, key: string): Promise<void> {
  await q.query("SELECT pg_advisory_xact_lock(hashtextextended('portrait.login:' || $1, 0))", [key]);
}

/** Times of the most recent failures after `since`, newest first, at most `limit`. */
export async function recentFailures(q: Queryable, username: string, since: Date, limit: number): Promise<Date[]> {
  const { rows } = await q.query<{ at: Date }>(
    'SELECT at FROM login_failures WHERE username = $1 AND at > $2 ORDER BY at DESC LIMIT $3',
    [username, since, limit],
  );
  return rows.map((r) => r.at);
}

export async function insertFailure(q: Queryable, username: string, at: Date): Promise<number> {
  const { rows } = await q.query<{ id: number }>('INSERT INTO login_failures (username, at) VALUES ($1, $2) RETURNING id', [username, at]);
  return rows[0]!.id;
}

export async function deleteFailure(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM login_failures WHERE id = $1', [id]);
}

/** Forgets every recorded failure of one username (given as its failure key): lifts a lockout. */
export async function deleteFailuresOf(q: Queryable, key: string): Promise<number> {
  return (await q.query('DELETE FROM login_failures WHERE username = $1', [key])).rowCount;
}

export async function deleteFailuresBefore(q: Queryable, before: Date): Promise<number> {
  return (await q.query('DELETE FROM login_failures WHERE at <= $1', [before])).rowCount;
}
