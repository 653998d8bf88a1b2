/**
 * Registration rows ↔ flows. The captured document is stored only as an AES-GCM envelope
 * bound to the registration id. A flow is saved with an optimistic version check, its audit
 * event and its idempotency record in ONE statement, so a step is one round trip and can
 * never be half-written.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { CapturedDocument, RegistrationFlow, RegistrationState } from './registration.ts';
import type { Actor } from '../audit/audit.ts';

interface Row {
  id: string; tenant_id: string; store_id: string; agent_id: string; state: RegistrationState;
  reason_code: string | null; version: number; doc_hmac: Buffer | null; document_enc: Buffer | null;
  consent: RegistrationFlow['consent'] | null; verification: RegistrationFlow['verification'] | null;
  face_attempts: number; guardian: RegistrationFlow['guardian'] | null; rules: Record<string, unknown> | null;
  number_id: string | null; subscriber_id: string | null; created_at: Date; expires_at: Date; ended_at: Date | null;
}

export interface StoredResponse { requestHash: string; response: unknown }

/** What a save does besides the flow itself. */
export interface SaveEffects {
  /** Keep an (already encrypted) capture of this kind, replacing the previous one. */
  putCapture?: { kind: string; contentEnc: Buffer };
  /** Delete the registration's captures now, or mark them for deletion at a date (retention). */
  releaseCaptures?: 'now' | Date;
  /**
   * Use up this liveness session of the registration (state `used`, best frame deleted), and
   * save the flow only if it is still passed, of this purpose, and passed since `passedSince`.
   */
  useLivenessSession?: { sessionId: string; purpose: string; passedSince: Date };
}

/** What a save did: `saved` false when another request changed the flow first, or the liveness session to use up was no longer usable (`livenessSessionUsable` false). */
export interface SaveOutcome { saved: boolean; livenessSessionUsable: boolean }

const COLUMNS = `r.id, r.tenant_id, r.store_id, r.agent_id, r.state, r.reason_code, r.version, r.doc_hmac, r.document_enc,
  r.consent, r.verification, r.face_attempts, r.guardian, r.rules, r.number_id, r.subscriber_id, r.created_at, r.expires_at, r.ended_at`;

const documentContext = (id: string) => `registration:${id}:document`;

export function createRegistrationRepository(keyring: Keyring) {
  function toFlow(r: Row): RegistrationFlow {
    return {
      id: r.id, tenantId: r.tenant_id, storeId: r.store_id, agentId: r.agent_id, state: r.state,
      reasonCode: r.reason_code, version: r.version,
      document: r.document_enc ? (JSON.parse(keyring.decrypt(r.document_enc, documentContext(r.id))) as CapturedDocument) : undefined,
      docHmac: r.doc_hmac ?? undefined,
      consent: r.consent ?? undefined, verification: r.verification ?? undefined, faceAttempts: r.face_attempts,
      guardian: r.guardian ?? undefined, rules: r.rules ?? undefined,
      numberId: r.number_id, subscriberId: r.subscriber_id,
      createdAt: r.created_at, expiresAt: r.expires_at, endedAt: r.ended_at,
    };
  }

  return {
    /** Inserts a new flow; false when this agent already used `creationKey` (an idempotent retry). */
    async insert(q: Queryable, flow: RegistrationFlow, actor: Actor, creationKey: string | undefined): Promise<boolean> {
      const { rows } = await q.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO registrations (id, tenant_id, store_id, agent_id, state, version, created_at, updated_at, expires_at, creation_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $12)
           ON CONFLICT (agent_id, creation_key) WHERE creation_key IS NOT NULL DO NOTHING RETURNING id),
         aud AS (
           INSERT INTO audit_events (at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details)
           SELECT date_trunc('milliseconds', $7::timestamptz), $2, $9, $10, 'registration.created', 'registration', id::text, $11 FROM ins)
         SELECT count(*)::int AS n FROM ins`,
        [flow.id, flow.tenantId, flow.storeId, flow.agentId, flow.state, flow.version, flow.createdAt, flow.expiresAt,
          actor.type, actor.id, JSON.stringify({ storeId: flow.storeId, expiresAt: flow.expiresAt.toISOString() }), creationKey ?? null],
      );
      return rows[0]?.n === 1;
    },

    async findIdByCreationKey(q: Queryable, agentId: string, creationKey: string): Promise<string | undefined> {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM registrations WHERE agent_id = $1 AND creation_key = $2', [agentId, creationKey]);
      return rows[0]?.id;
    },

    /** Registrations waiting for a store manager's review, oldest first. */
    async listPendingReview(q: Queryable, storeId: string, limit: number): Promise<RegistrationFlow[]> {
      const { rows } = await q.query<Row>(
        `SELECT ${COLUMNS} FROM registrations r WHERE r.store_id = $1 AND r.state = 'manual_review_pending' ORDER BY r.created_at LIMIT $2`,
        [storeId, limit]);
      return rows.map(toFlow);
    },

    /** The flow and, if this idempotency key was seen for it, the stored response. */
    async find(q: Queryable, id: string, idempotencyKey?: string, lock = false): Promise<{ flow: RegistrationFlow; prior: StoredResponse | undefined } | undefined> {
      const { rows } = await q.query<Row & { prior_hash: Buffer | null; prior_response: unknown }>(
        `SELECT ${COLUMNS}, q.request_hash AS prior_hash, q.response AS prior_response
           FROM registrations r
           LEFT JOIN registration_requests q ON q.registration_id = r.id AND q.idempotency_key = $2
          WHERE r.id = $1 ${lock ? 'FOR UPDATE OF r' : ''}`,
        [id, idempotencyKey ?? null],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        flow: toFlow(row),
        prior: row.prior_hash ? { requestHash: row.prior_hash.toString('hex'), response: row.prior_response } : undefined,
      };
    },

    /**
     * Saves `next` if the row is still at `expectedVersion`, in ONE statement with everything the
     * step implies: its audit event, the idempotent response, a captured image to keep, captures
     * to release once a decision no longer needs them, (when the flow ends without a number) the
     * number it had reserved, and the liveness session the decision used. The session is locked
     * first and used up only together with the flow, so it serves one saved decision or none.
     */
    async save(q: Queryable, next: RegistrationFlow, previous: RegistrationFlow, at: Date, audit: { actor: Actor; action: string; details: Record<string, unknown> },
      idem: { key: string; requestHash: string; response: unknown } | undefined, effects: SaveEffects = {}): Promise<SaveOutcome> {
      const releaseReservation = next.endedAt !== null && next.state !== 'completed';
      const use = effects.useLivenessSession;
      const { rows } = await q.query<{ n: number; live: number }>(
        `WITH live AS MATERIALIZED (
           SELECT id FROM liveness_sessions
            WHERE id = $31::uuid AND registration_id = $1 AND purpose = $32 AND state = 'passed' AND analysed_at >= $33
            FOR UPDATE),
         upd AS (
           UPDATE registrations SET state = $3, reason_code = $4, version = $5, doc_hmac = $6, document_enc = coalesce($7, document_enc),
             consent = $8, verification = $9, face_attempts = $10, guardian = $11, rules = $12, number_id = $13,
             subscriber_id = $14, ended_at = $15, updated_at = $16, doc_type = $17
           WHERE id = $1 AND version = $2 AND ($31::uuid IS NULL OR EXISTS (SELECT 1 FROM live)) RETURNING id, tenant_id),
         used AS (
           UPDATE liveness_sessions SET state = 'used', used_at = $16, best_frame_enc = NULL
            WHERE id IN (SELECT id FROM live) AND EXISTS (SELECT 1 FROM upd)),
         aud AS (
           INSERT INTO audit_events (at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details)
           SELECT date_trunc('milliseconds', $16::timestamptz), tenant_id, $18, $19, $20, 'registration', id::text, $21 FROM upd),
         idem AS (
           INSERT INTO registration_requests (registration_id, idempotency_key, request_hash, response)
           SELECT id, $22, decode($23, 'hex'), $24 FROM upd WHERE $22::text IS NOT NULL),
         cap_del AS (
           DELETE FROM captures WHERE registration_id IN (SELECT id FROM upd) AND (kind = $25 OR $28::boolean)),
         cap_ins AS (
           INSERT INTO captures (id, registration_id, kind, content_enc, created_at)
           SELECT $26, id, $25, $27, $16 FROM upd WHERE $25::text IS NOT NULL),
         cap_keep AS (
           UPDATE captures SET delete_after = $29 WHERE registration_id IN (SELECT id FROM upd) AND $29::timestamptz IS NOT NULL AND delete_after IS NULL),
         res AS (
           UPDATE numbers SET state = 'available', reserved_for = NULL, reserved_until = NULL, state_changed_at = $16
            WHERE $30::boolean AND state = 'reserved' AND reserved_for IN (SELECT id FROM upd))
         SELECT (SELECT count(*) FROM upd)::int AS n, (SELECT count(*) FROM live)::int AS live`,
        [
          next.id, previous.version, next.state, next.reasonCode, next.version, next.docHmac ?? null,
          next.document && next.document !== previous.document ? keyring.encrypt(JSON.stringify(next.document), documentContext(next.id)) : null,
          json(next.consent), json(next.verification), next.faceAttempts, json(next.guardian), json(next.rules),
          next.numberId, next.subscriberId, next.endedAt, at, next.document?.type ?? null,
          audit.actor.type, audit.actor.id, audit.action, JSON.stringify(audit.details),
          idem?.key ?? null, idem?.requestHash ?? null, idem ? JSON.stringify(idem.response) : null,
          effects.putCapture?.kind ?? null, randomUUID(), effects.putCapture?.contentEnc ?? null,
          effects.releaseCaptures === 'now', effects.releaseCaptures instanceof Date ? effects.releaseCaptures : null,
          releaseReservation, use?.sessionId ?? null, use?.purpose ?? null, use?.passedSince ?? null,
        ],
      );
      return { saved: rows[0]?.n === 1, livenessSessionUsable: use === undefined || rows[0]?.live === 1 };
    },

    /** Open flows whose time is up (for the sweeper). */
    async listExpired(q: Queryable, now: Date, limit: number): Promise<string[]> {
      const { rows } = await q.query<{ id: string }>(
        'SELECT id FROM registrations WHERE ended_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2', [now, limit]);
      return rows.map((r) => r.id);
    },
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}
