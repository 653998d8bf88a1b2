/**
 * Liveness sessions and frame fingerprints in the database. The nonce is kept only as its
 * SHA-256; the best frame and the thumbnails only as AES-GCM envelopes bound to their session.
 * Arrays travel as Postgres array literals built from safe characters (hex digits, integers),
 * which both pg and PGlite cast the same way. Each use case is one statement (data-modifying
 * CTEs), so that a step is one round trip and can never be half-written.
 */
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { ChallengePurpose, LivenessAction } from './challenge.ts';
import type { StoredResult } from './liveness.service.ts';
import type { Actor } from '../audit/audit.ts';

export type SessionState = 'open' | 'analysing' | 'passed' | 'failed' | 'used' | 'expired';

export interface LivenessSession {
  id: string;
  tenantId: string | null;
  purpose: ChallengePurpose;
  registrationId: string | null;
  nonceHash: Buffer;
  actions: LivenessAction[];
  state: SessionState;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  analysedAt: Date | null;
  usedAt: Date | null;
  result: StoredResult | null;
}

/** An audit event written by the same statement as the change it records (`at` is the change's time). */
export interface AuditRecord { tenantId: string | null; actor: Actor; action: string; subjectType: string; subjectId: string; details: Record<string, unknown> }

/** The registration a challenge is for, as the challenge's statement read it. */
export interface RegistrationSnapshot {
  tenantId: string; storeId: string; state: string; expiresAt: Date; biometric: boolean | null; livenessSessions: number;
}

/** A session with the operator and store of its registration (null outside a registration). */
export interface ScopedSession extends LivenessSession { registrationTenantId: string | null; registrationStoreId: string | null }

/**
 * Who may claim a session by its upload, as data for the claim's SQL: a registration's session at
 * the registration's store, one a staff member started by staff of that operator (both only for
 * `staff`, the caller being staff of an allowed role), a self-service one by whoever holds its
 * nonce. The rule of `checkAccess` (liveness.access.ts), which names the refusal.
 */
export interface ClaimScope { staff: boolean; tenantId: string | null; storeId: string | null }

interface Row {
  id: string; tenant_id: string | null; purpose: ChallengePurpose; registration_id: string | null; nonce_hash: Buffer;
  actions: LivenessAction[] | string; state: SessionState; created_by: string | null; created_at: Date; expires_at: Date;
  analysed_at: Date | null; used_at: Date | null; result: StoredResult | null;
}

const COLUMNS = 'id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_by, created_at, expires_at, analysed_at, used_at, result';
const L_COLUMNS = COLUMNS.split(', ').map((c) => `l.${c}`).join(', ');
const AUDIT_INSERT = 'INSERT INTO audit_events (at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details)';
const frameContext = (id: string) => `liveness:${id}:best_frame`;
const thumbsContext = (id: string) => `liveness:${id}:thumbs`;

/** `{a,b}` for values made of [0-9a-z_] only (action names, hex digests, integers). */
export function arrayLiteral(values: readonly (string | number)[]): string {
  for (const v of values) if (!/^[0-9a-z_]+$/.test(String(v))) throw new Error('unsafe array element');
  return `{${values.join(',')}}`;
}

/** PGlite returns text[] as an array; pg too, but be lenient with the literal form. */
function parseArray(v: string[] | string): string[] {
  return Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}

function toScoped(r: Row & { reg_tenant_id: string | null; reg_store_id: string | null }): ScopedSession {
  return { ...toSession(r), registrationTenantId: r.reg_tenant_id, registrationStoreId: r.reg_store_id };
}

function toSession(r: Row): LivenessSession {
  return {
    id: r.id, tenantId: r.tenant_id, purpose: r.purpose, registrationId: r.registration_id, nonceHash: r.nonce_hash,
    actions: parseArray(r.actions) as LivenessAction[], state: r.state, createdBy: r.created_by, createdAt: r.created_at,
    expiresAt: r.expires_at, analysedAt: r.analysed_at, usedAt: r.used_at, result: r.result,
  };
}

export function createLivenessRepository(keyring: Keyring) {
  const sessionParams = (s: LivenessSession) => [s.id, s.tenantId, s.purpose, s.registrationId, s.nonceHash, arrayLiteral(s.actions), s.state, s.createdBy, s.createdAt, s.expiresAt];

  return {
    /** A session outside any registration (identity verification) and its audit event, in one statement. */
    async insert(q: Queryable, s: LivenessSession, audit: AuditRecord): Promise<void> {
      await q.query(
        `WITH ins AS (
           INSERT INTO liveness_sessions (id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10) RETURNING id)
         ${AUDIT_INSERT}
         SELECT date_trunc('milliseconds', $9::timestamptz), $11, $12, $13, $14, $15, $16, $17 FROM ins`,
        [...sessionParams(s), audit.tenantId, audit.actor.type, audit.actor.id, audit.action, audit.subjectType, audit.subjectId, JSON.stringify(audit.details)]);
    },

    /**
     * A session of a registration (of the registration's operator), in one statement: the registration's count of sessions is
     * raised only if the row (re-checked on its newest version, under its lock) is at the caller's
     * operator and store (`tenantId`, `storeId`), in one of `states`, with biometric consent when
     * `biometric`, not expired at the session's creation and below `cap`; the session and its
     * audit event are inserted only from that update. Returns the registration as the statement
     * read it (undefined: no such registration) and whether the session was created.
     */
    async insertForRegistration(q: Queryable, s: Omit<LivenessSession, 'tenantId'> & { registrationId: string }, when: { tenantId: string | null; storeId: string | null; states: readonly string[]; biometric: boolean; cap: number },
      audit: Omit<AuditRecord, 'tenantId'>): Promise<{ registration: RegistrationSnapshot | undefined; created: boolean }> {
      const { rows } = await q.query<{ tenant_id: string; store_id: string; state: string; expires_at: Date; biometric: boolean | null; liveness_sessions: number; created: boolean }>(
        `WITH reg AS (
           SELECT tenant_id, store_id, state, expires_at, (consent->>'biometric')::boolean AS biometric, liveness_sessions FROM registrations WHERE id = $3),
         counted AS (
           UPDATE registrations SET liveness_sessions = liveness_sessions + 1
            WHERE id = $3 AND tenant_id = $10 AND store_id = $11 AND state = ANY($12::text[])
              AND ($13::boolean IS NOT TRUE OR (consent->>'biometric')::boolean IS TRUE)
              AND expires_at > $8 AND liveness_sessions < $14
            RETURNING id, tenant_id),
         ins AS (
           INSERT INTO liveness_sessions (id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_by, created_at, expires_at)
           SELECT $1, tenant_id, $2, id, $4, $5::text[], $6, $7, $8, $9 FROM counted RETURNING id),
         aud AS (
           ${AUDIT_INSERT}
           SELECT date_trunc('milliseconds', $8::timestamptz), tenant_id, $15, $16, $17, $18, $19, $20 FROM counted)
         SELECT reg.*, EXISTS (SELECT 1 FROM ins) AS created FROM reg`,
        [s.id, s.purpose, s.registrationId, s.nonceHash, arrayLiteral(s.actions), s.state, s.createdBy, s.createdAt, s.expiresAt,
          when.tenantId, when.storeId, arrayLiteral(when.states), when.biometric, when.cap,
          audit.actor.type, audit.actor.id, audit.action, audit.subjectType, audit.subjectId, JSON.stringify(audit.details)]);
      const r = rows[0];
      return {
        registration: r && { tenantId: r.tenant_id, storeId: r.store_id, state: r.state, expiresAt: r.expires_at, biometric: r.biometric, livenessSessions: r.liveness_sessions },
        created: r?.created === true,
      };
    },

    async find(q: Queryable, id: string, forUpdate = false): Promise<LivenessSession | undefined> {
      const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM liveness_sessions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
      return rows[0] ? toSession(rows[0]) : undefined;
    },

    /** The session with its registration's operator and store, for the access check. */
    async findScoped(q: Queryable, id: string): Promise<ScopedSession | undefined> {
      const { rows } = await q.query<Row & { reg_tenant_id: string | null; reg_store_id: string | null }>(
        `SELECT ${L_COLUMNS}, r.tenant_id AS reg_tenant_id, r.store_id AS reg_store_id
           FROM liveness_sessions l LEFT JOIN registrations r ON r.id = l.registration_id WHERE l.id = $1`, [id]);
      return rows[0] ? toScoped(rows[0]) : undefined;
    },

    /**
     * The session as `findScoped` reads it and, in the same statement, its claim for one upload:
     * open → analysing, only if it is still open, the nonce's hash is this one, it has not expired
     * at `at`, and `scope` may act on it. `claimed` false: the session was left as it was.
     */
    async claim(q: Queryable, id: string, nonceHash: Buffer, at: Date, scope: ClaimScope): Promise<{ session: ScopedSession | undefined; claimed: boolean }> {
      const { rows } = await q.query<Row & { reg_tenant_id: string | null; reg_store_id: string | null; claimed: boolean }>(
        `WITH s AS (
           SELECT ${L_COLUMNS}, r.tenant_id AS reg_tenant_id, r.store_id AS reg_store_id
             FROM liveness_sessions l LEFT JOIN registrations r ON r.id = l.registration_id WHERE l.id = $1),
         claimed AS (
           UPDATE liveness_sessions l SET state = 'analysing' FROM s
            WHERE l.id = s.id AND l.state = 'open' AND l.nonce_hash = $2 AND l.expires_at > $3
              AND CASE WHEN s.registration_id IS NOT NULL THEN $4::boolean AND s.reg_tenant_id = $5::uuid AND s.reg_store_id = $6::uuid
                       WHEN s.created_by IS NOT NULL THEN $4::boolean AND s.tenant_id IS NOT DISTINCT FROM $5::uuid
                       ELSE true END
            RETURNING l.id)
         SELECT s.*, EXISTS (SELECT 1 FROM claimed) AS claimed FROM s`,
        [id, nonceHash, at, scope.staff, scope.tenantId, scope.storeId]);
      const r = rows[0];
      return { session: r ? toScoped(r) : undefined, claimed: r?.claimed === true };
    },

    /** Back to open after an upload that could not be analysed at all (bad input, engine busy). */
    async release(q: Queryable, id: string): Promise<void> {
      await q.query("UPDATE liveness_sessions SET state = 'open' WHERE id = $1 AND state = 'analysing'", [id]);
    },

    /**
     * The decision on an upload, in one statement: the session's result (and its encrypted best
     * frame when passed) if it is still being analysed, the upload's fingerprints, and the audit
     * event. Returns whether the session took the result (false: the sweeper ended it meanwhile).
     */
    async finish(q: Queryable, id: string, a: { passed: boolean; result: StoredResult; bestFrame: Uint8Array | undefined; at: Date;
      fingerprints: { sha256: string[]; dhash: string[]; thumbs: Buffer } | undefined; audit: AuditRecord }): Promise<boolean> {
      const f = a.fingerprints;
      const { rows } = await q.query<{ n: number }>(
        `WITH fin AS (
           UPDATE liveness_sessions SET state = $2, result = $3, analysed_at = $4, best_frame_enc = $5 WHERE id = $1 AND state = 'analysing' RETURNING id),
         fp AS (
           INSERT INTO liveness_fingerprints (session_id, seen_at, thumbs_enc)
           SELECT $1::uuid, $4::timestamptz, $8::bytea WHERE $8::bytea IS NOT NULL RETURNING session_id),
         fh AS (
           INSERT INTO liveness_frame_hashes (session_id, kind, hash, seen_at)
           SELECT fp.session_id, 'sha256', d.hash, $4 FROM fp CROSS JOIN unnest($6::text[]) AS d(hash)
           UNION
           SELECT fp.session_id, 'dhash', d.hash, $4 FROM fp CROSS JOIN unnest($7::text[]) AS d(hash)),
         aud AS (
           ${AUDIT_INSERT}
           VALUES (date_trunc('milliseconds', $4::timestamptz), $9, $10, $11, $12, $13, $14, $15))
         SELECT count(*)::int AS n FROM fin`,
        [id, a.passed ? 'passed' : 'failed', JSON.stringify(a.result), a.at,
          a.passed && a.bestFrame ? keyring.encrypt(Buffer.from(a.bestFrame).toString('base64'), frameContext(id)) : null,
          f ? arrayLiteral([...new Set(f.sha256)]) : null, f ? arrayLiteral([...new Set(f.dhash)]) : null, f ? keyring.encrypt(f.thumbs.toString('base64'), thumbsContext(id)) : null,
          a.audit.tenantId, a.audit.actor.type, a.audit.actor.id, a.audit.action, a.audit.subjectType, a.audit.subjectId, JSON.stringify(a.audit.details)]);
      return rows[0]!.n === 1;
    },

    /** The session and its best frame (decrypted), read without using it up. */
    async findWithFrame(q: Queryable, id: string): Promise<{ session: LivenessSession; frame: Buffer | undefined } | undefined> {
      const { rows } = await q.query<Row & { best_frame_enc: Buffer | null }>(`SELECT ${COLUMNS}, best_frame_enc FROM liveness_sessions WHERE id = $1`, [id]);
      const r = rows[0];
      if (!r) return undefined;
      return { session: toSession(r), frame: r.best_frame_enc ? Buffer.from(keyring.decrypt(r.best_frame_enc, frameContext(id)), 'base64') : undefined };
    },

    /** Takes the best frame of a passed session for the face step: the session is used up and the frame deleted. */
    async takeBestFrame(q: Queryable, id: string, at: Date): Promise<Buffer | undefined> {
      const { rows } = await q.query<{ best_frame_enc: Buffer | null }>(
        `UPDATE liveness_sessions s SET state = 'used', used_at = $2, best_frame_enc = NULL
           FROM (SELECT id, best_frame_enc FROM liveness_sessions WHERE id = $1 AND state = 'passed' FOR UPDATE) old
          WHERE s.id = old.id RETURNING old.best_frame_enc`, [id, at]);
      const enc = rows[0]?.best_frame_enc;
      return enc ? Buffer.from(keyring.decrypt(enc, frameContext(id)), 'base64') : undefined;
    },

    /**
     * What the replay check needs, in one statement: whether an earlier session (within the
     * window) shares a frame digest with these and, if none does, the `limit` most recent earlier
     * sessions with a frame of the same difference hash, with their thumbnails. Each hash is
     * looked up on its own, newest first (an index scan at any table size); the `limit` newest
     * sessions of each difference hash hold the `limit` newest sessions sharing any of them.
     */
    async replayCandidates(q: Queryable, sha256: string[], dhash: string[], since: Date, limit: number): Promise<{ digestHit: boolean; similar: { sessionId: string; thumbs: Buffer }[] }> {
      const { rows } = await q.query<{ session_id: string | null; thumbs_enc: Buffer | null }>(
        `WITH digest AS (
           SELECT EXISTS (
             SELECT 1 FROM unnest($1::text[]) AS d(hash) CROSS JOIN LATERAL (
               SELECT 1 FROM liveness_frame_hashes h WHERE h.kind = 'sha256' AND h.hash = d.hash AND h.seen_at >= $3
                ORDER BY h.seen_at DESC LIMIT 1) seen) AS hit),
         look_alike AS (
           SELECT s.session_id, max(s.seen_at) AS seen_at FROM unnest($2::text[]) AS d(hash) CROSS JOIN LATERAL (
             SELECT h.session_id, h.seen_at FROM liveness_frame_hashes h WHERE h.kind = 'dhash' AND h.hash = d.hash AND h.seen_at >= $3
              ORDER BY h.seen_at DESC LIMIT $4) s
            WHERE NOT (SELECT hit FROM digest)
            GROUP BY s.session_id ORDER BY max(s.seen_at) DESC LIMIT $4)
         SELECT NULL::uuid AS session_id, NULL::bytea AS thumbs_enc FROM digest WHERE hit
         UNION ALL
         SELECT f.session_id, f.thumbs_enc FROM look_alike s JOIN liveness_fingerprints f ON f.session_id = s.session_id`,
        [arrayLiteral([...new Set(sha256)]), arrayLiteral([...new Set(dhash)]), since, limit]);
      if (rows.some((r) => r.session_id === null)) return { digestHit: true, similar: [] };
      return {
        digestHit: false,
        similar: rows.map((r) => ({ sessionId: r.session_id!, thumbs: Buffer.from(keyring.decrypt(r.thumbs_enc!, thumbsContext(r.session_id!)), 'base64') })),
      };
    },

    /** Sweeper: ends sessions whose time is up, drops unused best frames, forgets fingerprints past the window. */
    async sweep(q: Queryable, now: Date, fingerprintsBefore: Date, bestFrameBefore: Date): Promise<number> {
      // an upload being analysed when its challenge ran out is given five more minutes to finish
      const a = await q.query(
        `UPDATE liveness_sessions SET state = 'expired'
          WHERE (state = 'open' AND expires_at <= $1) OR (state = 'analysing' AND expires_at <= $1::timestamptz - interval '5 minutes')`, [now]);
      const b = await q.query("UPDATE liveness_sessions SET state = 'expired', best_frame_enc = NULL WHERE state = 'passed' AND analysed_at <= $1", [bestFrameBefore]);
      const c = await q.query('DELETE FROM liveness_fingerprints WHERE seen_at < $1', [fingerprintsBefore]);
      return a.rowCount + b.rowCount + c.rowCount;
    },
  };
}

export type LivenessRepository = ReturnType<typeof createLivenessRepository>;
