/**
 * Subscribers: one row per person per deployment, found by the HMAC of their document.
 * Name, number and birth date are stored only as AES-GCM envelopes bound to the row id.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { CapturedDocument } from '../registration/registration.ts';

export interface SubscriberIdentity { id: string; docType: string; name: string; documentNumber: string; birthDate: string | undefined }

const ctx = (id: string, field: string) => `subscriber:${id}:${field}`;

export function createSubscribersRepository(keyring: Keyring) {
  return {
    /** The person's row, created on first sight (the stored identity is the first verified one). */
    async upsert(q: Queryable, doc: CapturedDocument, docHmac: Buffer): Promise<string> {
      const id = randomUUID();
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO subscribers (id, doc_hmac, doc_type, name_enc, doc_number_enc, birth_date_enc)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (doc_hmac) DO UPDATE SET doc_type = EXCLUDED.doc_type RETURNING id`,
        [id, docHmac, doc.type, keyring.encrypt(doc.name, ctx(id, 'name')), keyring.encrypt(doc.number, ctx(id, 'doc_number')),
          doc.birthDate ? keyring.encrypt(doc.birthDate, ctx(id, 'birth_date')) : null]);
      return rows[0]!.id;
    },

    async findIdByHmac(q: Queryable, docHmac: Buffer): Promise<string | undefined> {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM subscribers WHERE doc_hmac = $1', [docHmac]);
      return rows[0]?.id;
    },

    /** Locks the person's row for the rest of the transaction: serialises number assignment per person. */
    async lock(q: Queryable, id: string): Promise<void> {
      await q.query('SELECT id FROM subscribers WHERE id = $1 FOR UPDATE', [id]);
    },

    /** Decrypts a person's identity (callers audit the read). */
    async readIdentity(q: Queryable, id: string): Promise<SubscriberIdentity | undefined> {
      const { rows } = await q.query<{ id: string; doc_type: string; name_enc: Buffer; doc_number_enc: Buffer; birth_date_enc: Buffer | null }>(
        'SELECT id, doc_type, name_enc, doc_number_enc, birth_date_enc FROM subscribers WHERE id = $1', [id]);
      const r = rows[0];
      if (!r) return undefined;
      return {
        id: r.id, docType: r.doc_type,
        name: keyring.decrypt(r.name_enc, ctx(r.id, 'name')),
        documentNumber: keyring.decrypt(r.doc_number_enc, ctx(r.id, 'doc_number')),
        birthDate: r.birth_date_enc ? keyring.decrypt(r.birth_date_enc, ctx(r.id, 'birth_date')) : undefined,
      };
    },

    /**
     * The person's row (created on first sight) and what the policy rules need, in one round
     * trip: numbers held at this operator and everywhere, and whether the document is blocklisted.
     */
    async upsertWithRuleFacts(q: Queryable, doc: CapturedDocument, docHmac: Buffer, tenantId: string): Promise<{ id: string; held: { atOperator: number; inDeployment: number }; blocklisted: boolean }> {
      const id = randomUUID();
      const { rows } = await q.query<{ id: string; at_operator: number; in_deployment: number; blocklisted: boolean }>(
        `WITH s AS (
           INSERT INTO subscribers (id, doc_hmac, doc_type, name_enc, doc_number_enc, birth_date_enc)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (doc_hmac) DO UPDATE SET doc_type = EXCLUDED.doc_type RETURNING id)
         SELECT s.id,
           (SELECT count(*) FROM numbers n WHERE n.holder_id = s.id AND n.tenant_id = $7 AND n.state IN ('active', 'suspended'))::int AS at_operator,
           (SELECT count(*) FROM numbers n WHERE n.holder_id = s.id AND n.state IN ('active', 'suspended'))::int AS in_deployment,
           EXISTS (SELECT 1 FROM blocklist b WHERE b.doc_hmac = $2 AND (b.tenant_id IS NULL OR b.tenant_id = $7)) AS blocklisted
         FROM s`,
        [id, docHmac, doc.type, keyring.encrypt(doc.name, ctx(id, 'name')), keyring.encrypt(doc.number, ctx(id, 'doc_number')),
          doc.birthDate ? keyring.encrypt(doc.birthDate, ctx(id, 'birth_date')) : null, tenantId]);
      const r = rows[0]!;
      return { id: r.id, held: { atOperator: r.at_operator, inDeployment: r.in_deployment }, blocklisted: r.blocklisted };
    },

    async isBlocklisted(q: Queryable, docHmac: Buffer, tenantId: string): Promise<boolean> {
      const { rows } = await q.query('SELECT 1 FROM blocklist WHERE doc_hmac = $1 AND (tenant_id IS NULL OR tenant_id = $2) LIMIT 1', [docHmac, tenantId]);
      return rows.length > 0;
    },
  };
}

export type SubscribersRepository = ReturnType<typeof createSubscribersRepository>;
