/**
 * Audit events: what every state change and every read of personal data leaves behind.
 * Details never hold PII (no names, no document numbers): ids, codes, counts and hashes only.
 * Writers only insert; the sequencer (audit.sequencer.ts) later chains each committed event
 * into the tamper-evident hash chain (format in audit.chain.ts, checked by audit.verify.ts).
 */
import type { Queryable } from '../db/database.ts';

export type ActorType = 'staff' | 'api_key' | 'subscriber' | 'system';

export interface Actor { type: ActorType; id: string | null }

export interface AuditEventInput {
  tenantId: string | null;
  actor: Actor;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
  at?: Date;
}

export const systemActor: Actor = { type: 'system', id: null };

/**
 * Appends an event inside the caller's transaction; the sequencer chains it later.
 * `at` is stored truncated to milliseconds, so the Date read back equals the stored value
 * (PostgreSQL keeps microseconds, JS Dates do not); the chain hashes the stored value.
 */
export async function appendAudit(q: Queryable, e: AuditEventInput): Promise<void> {
  await q.query(
    `INSERT INTO audit_events (at, tenant_id, actor_type, actor_id, action, subject_type, subject_id, details)
     VALUES (date_trunc('milliseconds', coalesce($1::timestamptz, now())), $2, $3, $4, $5, $6, $7, $8)`,
    [e.at ?? null, e.tenantId, e.actor.type, e.actor.id, e.action, e.subjectType ?? null, e.subjectId ?? null, JSON.stringify(e.details ?? {})],
  );
}
