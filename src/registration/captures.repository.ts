/**
 * Raw captures (the document's photo, face images) held only until the decision that needs
 * them: encrypted, bound to their registration, deleted right after the decision unless the
 * operator configured a retention period (the registration step's save does that, see
 * `SaveEffects`), and swept when a session ends.
 */
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';

export type CaptureKind = 'id_photo' | 'document_image';

const ctx = (registrationId: string, kind: string) => `capture:${registrationId}:${kind}`;

export function createCapturesRepository(keyring: Keyring) {
  return {
    /** The envelope a capture is stored as (for saving it together with a registration step). */
    seal(registrationId: string, kind: CaptureKind, content: Buffer): Buffer {
      return keyring.encrypt(content.toString('base64'), ctx(registrationId, kind));
    },

    async get(q: Queryable, registrationId: string, kind: CaptureKind): Promise<Buffer | undefined> {
      const { rows } = await q.query<{ content_enc: Buffer }>(
        'SELECT content_enc FROM captures WHERE registration_id = $1 AND kind = $2', [registrationId, kind]);
      return rows[0] ? Buffer.from(keyring.decrypt(rows[0].content_enc, ctx(registrationId, kind)), 'base64') : undefined;
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
