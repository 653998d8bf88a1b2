/**
 * Raw captures (the document's photo, face images) held only until the decision that needs
 * them: encrypted, bound to their registration, deleted right after the decision unless the
 * operator configured a retention period, and swept when a session ends.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';

export type CaptureKind = 'id_photo' | 'document_image';

const ctx = (registrationId: string, kind: string) => `capture:${registrationId}:${kind}`;

export function createCapturesRepository(keyring: Keyring) {
  return {
    /** Replaces the registration's capture of this kind. */
    async put(q: Queryable, registrationId: string, kind: CaptureKind, content: Buffer, now: Date): Promise<void> {
      await q.query('DELETE FROM captures WHERE registration_id = $1 AND kind = $2', [registrationId, kind]);
      await q.query('INSERT INTO captures (id, registration_id, kind, content_enc, created_at) VALUES ($1, $2, $3, $4, $5)',
        [randomUUID(), registrationId, kind, keyring.encrypt(content.toString('base64'), ctx(registrationId, kind)), now]);
    },

    async get(q: Queryable, registrationId: string, kind: CaptureKind): Promise<Buffer | undefined> {
      const { rows } = await q.query<{ content_enc: Buffer }>(
        'SELECT content_enc FROM captures WHERE registration_id = $1 AND kind = $2', [registrationId, kind]);
      return rows[0] ? Buffer.from(keyring.decrypt(rows[0].content_enc, ctx(registrationId, kind)), 'base64') : undefined;
    },

    /** After a decision: delete now (retention 0) or mark for deletion after the retention period. */
    async release(q: Queryable, registrationId: string, now: Date, retentionDays: number): Promise<number> {
      if (retentionDays <= 0) {
        const { rowCount } = await q.query('DELETE FROM captures WHERE registration_id = $1', [registrationId]);
        return rowCount;
      }
      const { rowCount } = await q.query(
        `UPDATE captures SET delete_after = $2 WHERE registration_id = $1 AND delete_after IS NULL`,
        [registrationId, new Date(now.getTime() + retentionDays * 86_400_000)]);
      return rowCount;
    },

    /** Sweeper: captures past their retention, and captures of registrations that ended. */
    async purge(q: Queryable, now: Date): Promise<number> {
      const { rowCount } = await q.query(
        `DELETE FROM captures c WHERE (c.delete_after IS NOT NULL AND c.delete_after <= $1)
            OR (c.delete_after IS NULL AND EXISTS (SELECT 1 FROM registrations r WHERE r.id = c.registration_id AND r.ended_at IS NOT NULL))`,
        [now]);
      return rowCount;
    },
  };
}
