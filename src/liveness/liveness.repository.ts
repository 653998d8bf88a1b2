/**
 * Liveness sessions and frame fingerprints in the database. The nonce is kept only as its
 * SHA-256; the best frame and the thumbnails only as AES-GCM envelopes bound to their session.
 * Arrays travel as Postgres array literals built from safe characters (hex digits, integers),
 * which both pg and PGlite cast the same way.
 */
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { ChallengePurpose, LivenessAction } from './challenge.ts';
import type { StoredResult } from './liveness.service.ts';

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

interface Row {
  id: string; tenant_id: string | null; purpose: ChallengePurpose; registration_id: string | null; nonce_hash: Buffer;
  actions: LivenessAction[] | string; state: SessionState; created_by: string | null; created_at: Date; expires_at: Date;
  analysed_at: Date | null; used_at: Date | null; result: StoredResult | null;
}

const COLUMNS = 'id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_by, created_at, expires_at, analysed_at, used_at, result';
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

function toSession(r: Row): LivenessSession {
  return {
    id: r.id, tenantId: r.tenant_id, purpose: r.purpose, registrationId: r.registration_id, nonceHash: r.nonce_hash,
    actions: parseArray(r.actions) as LivenessAction[], state: r.state, createdBy: r.created_by, createdAt: r.created_at,
    expiresAt: r.expires_at, analysedAt: r.analysed_at, usedAt: r.used_at, result: r.result,
  };
}

export function createLivenessRepository(keyring: Keyring) {
  return {
    async insert(q: Queryable, s: LivenessSession): Promise<void> {
      await q.query(
        `INSERT INTO liveness_sessions (id, tenant_id, purpose, registration_id, nonce_hash, actions, state, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10)`,
        [s.id, s.tenantId, s.purpose, s.registrationId, s.nonceHash, arrayLiteral(s.actions), s.state, s.createdBy, s.createdAt, s.expiresAt]);
    },

    async find(q: Queryable, id: string, forUpdate = false): Promise<LivenessSession | undefined> {
      const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM liveness_sessions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
      return rows[0] ? toSession(rows[0]) : undefined;
    },

    async countForRegistration(q: Queryable, registrationId: string): Promise<number> {
      const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM liveness_sessions WHERE registration_id = $1', [registrationId]);
      return rows[0]!.n;
    },

    /** Moves an open session to `analysing`; false when it was not open (a second upload). */
    async claim(q: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await q.query("UPDATE liveness_sessions SET state = 'analysing' WHERE id = $1 AND state = 'open'", [id]);
      return rowCount === 1;
    },

    /** Back to open after an upload that could not be analysed at all (bad input, engine busy). */
    async release(q: Queryable, id: string): Promise<void> {
      await q.query("UPDATE liveness_sessions SET state = 'open' WHERE id = $1 AND state = 'analysing'", [id]);
    },

    async finish(q: Queryable, id: string, a: { passed: boolean; result: StoredResult; bestFrame: Uint8Array | undefined; at: Date }): Promise<void> {
      await q.query(
        `UPDATE liveness_sessions SET state = $2, result = $3, analysed_at = $4, best_frame_enc = $5 WHERE id = $1 AND state = 'analysing'`,
        [id, a.passed ? 'passed' : 'failed', JSON.stringify(a.result), a.at,
          a.passed && a.bestFrame ? keyring.encrypt(Buffer.from(a.bestFrame).toString('base64'), frameContext(id)) : null]);
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

    async saveFingerprints(q: Queryable, id: string, f: { at: Date; sha256: string[]; dhash: string[]; thumbs: Buffer }): Promise<void> {
      await q.query(
        `INSERT INTO liveness_fingerprints (session_id, seen_at, sha256, dhash, thumbs_enc) VALUES ($1, $2, $3::text[], $4::text[], $5)`,
        [id, f.at, arrayLiteral(f.sha256), arrayLiteral([...new Set(f.dhash)]), keyring.encrypt(f.thumbs.toString('base64'), thumbsContext(id))]);
    },

    /** Earlier sessions (within the window) sharing a frame digest with these. */
    async sessionsWithDigests(q: Queryable, sha256: string[], since: Date): Promise<string[]> {
      const { rows } = await q.query<{ session_id: string }>(
        'SELECT session_id FROM liveness_fingerprints WHERE sha256 && $1::text[] AND seen_at >= $2 LIMIT 10', [arrayLiteral(sha256), since]);
      return rows.map((r) => r.session_id);
    },

    /** The most recent earlier sessions (within the window) with a frame of the same difference hash, and their thumbnails. */
    async similarSessions(q: Queryable, dhash: string[], since: Date, limit: number): Promise<{ sessionId: string; thumbs: Buffer }[]> {
      const { rows } = await q.query<{ session_id: string; thumbs_enc: Buffer }>(
        `SELECT session_id, thumbs_enc FROM liveness_fingerprints WHERE dhash && $1::text[] AND seen_at >= $2
          ORDER BY seen_at DESC LIMIT $3`, [arrayLiteral([...new Set(dhash)]), since, limit]);
      return rows.map((r) => ({ sessionId: r.session_id, thumbs: Buffer.from(keyring.decrypt(r.thumbs_enc, thumbsContext(r.session_id)), 'base64') }));
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
