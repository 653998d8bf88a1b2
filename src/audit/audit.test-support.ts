/**
 * Test support for the audit tests (not a test file): seeding varied events and reading
 * the chain back as stored.
 */
import type { Database } from '../db/database.ts';
import { appendAudit, type AuditEventInput } from './audit.ts';

export const tenantA = '0a000000-0000-4000-8000-00000000000a';
export const tenantB = '0b000000-0000-4000-8000-00000000000b';

/** The i-th of a varied set of events: tenants A/B/none, several actions, awkward details. */
export function sampleEvent(i: number): AuditEventInput {
  const tenantId = [tenantA, tenantB, null][i % 3] ?? null;
  return {
    tenantId,
    actor: i % 4 === 0 ? { type: 'system', id: null } : { type: 'staff', id: `staff-${i % 5}` },
    action: ['registration.created', 'number.assigned', 'subscriber.viewed'][i % 3]!,
    subjectType: i % 7 === 0 ? undefined : 'registration',
    subjectId: i % 7 === 0 ? undefined : `reg-${i}`,
    details: { i, reason: i % 2 ? 'ok' : 'needs "review", maybe\nlater', nested: { z: [1, 2.5, null], a: 'é✓' } },
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 0) + i * 60_000 + 7),
  };
}

/** Empties the audit log (ids restart at 1) and appends `n` sample events, unsequenced. */
export async function resetAudit(db: Database, n = 0): Promise<void> {
  await db.exec('TRUNCATE audit_events RESTART IDENTITY');
  for (let i = 1; i <= n; i++) await appendAudit(db, sampleEvent(i));
}

export interface RawLink { id: number; seq: number | null; prev_hash: Buffer | null; hash: Buffer | null }

export async function chainRows(db: Database): Promise<RawLink[]> {
  return (await db.query<RawLink>('SELECT id, seq, prev_hash, hash FROM audit_events ORDER BY seq NULLS LAST, id')).rows;
}

export async function idAtSeq(db: Database, seq: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM audit_events WHERE seq = $1', [seq]);
  if (!rows[0]) throw new Error(`no event at seq ${seq}`);
  return rows[0].id;
}
