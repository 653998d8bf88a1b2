/**
 * Blocklist use cases. An operator admin lists, adds and removes its operator's entries and
 * sees the deployment-wide ones; a regulator reads every entry and changes none (regulators
 * are read-only). Deployment-wide entries are added by system code only
 * (`addDeploymentEntryAsSystem`, no principal, no route). Adding and removing are audited
 * (entry id, scope, document type, reason code; never the number, which is not stored but
 * masked, nor the free-text note).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { appendAudit, systemActor, type Actor } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal } from '../staff/principal.ts';
import { blocklistRepository as repo } from './blocklist.repository.ts';
import {
  blocklistDocument, blocklistReasonCodes, cleanReason, decodeCursor, encodeCursor, isBlocklistReasonCode, type BlocklistEntry,
} from './blocklist.ts';

export interface BlocklistDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
}

export interface NewBlocklistEntry {
  documentType: string;
  documentNumber: string;
  /** Default `other`. */
  reasonCode?: string | undefined;
  /** The note: what happened, a case or file number. */
  reason: string;
}

export interface BlocklistPage { items: BlocklistEntry[]; nextCursor: string | null }

export const MAX_LIST_LIMIT = 500;

export function createBlocklistService(deps: BlocklistDeps) {
  const { db, keyring, clock } = deps;

  /** Adds an entry to one scope (a tenant, or null: the deployment), audited as `actor`. */
  async function insertEntry(scope: string | null, actor: Actor, createdBy: string | null, input: NewBlocklistEntry): Promise<BlocklistEntry> {
    const now = clock();
    const reasonCode = input.reasonCode ?? 'other';
    if (!isBlocklistReasonCode(reasonCode)) throw new DomainError('request.invalid', `Unknown reason code; known codes: ${blocklistReasonCodes.join(', ')}`);
    const doc = blocklistDocument(keyring, input.documentType, input.documentNumber, now);
    const reason = cleanReason(input.reason);
    // Serializable: two admins adding the same document at once cannot both pass the NOT EXISTS.
    return db.transaction(async (tx) => {
      const entry = await repo.insert(tx, {
        id: randomUUID(), tenantId: scope, docHmac: doc.docHmac, docType: doc.type, docMasked: doc.maskedNumber, reasonCode, reason, createdBy, createdAt: now,
      });
      if (!entry) throw new DomainError('blocklist.already_listed');
      await appendAudit(tx, {
        tenantId: scope, actor, action: 'blocklist.added', at: now, subjectType: 'blocklist_entry', subjectId: entry.id,
        details: { scope: scope === null ? 'deployment' : 'tenant', documentType: input.documentType, reasonCode },
      });
      return entry;
    }, { isolation: 'serializable' });
  }

  return {
    /** An operator admin blocks a document for its own operator. */
    async addEntry(principal: Principal | undefined, input: NewBlocklistEntry): Promise<BlocklistEntry> {
      const p = requireStaff(principal, ['operator_admin']);
      if (p.tenantId === null) throw new DomainError('auth.forbidden');
      return insertEntry(p.tenantId, actorOf(p), p.staffId, input);
    },

    /**
     * A deployment-wide entry, binding every operator. For system code only (an operator of
     * the deployment, e.g. through a CLI command): no principal, never exposed through HTTP.
     */
    async addDeploymentEntryAsSystem(input: NewBlocklistEntry): Promise<BlocklistEntry> {
      return insertEntry(null, systemActor, null, input);
    },

    /**
     * Operator admins: their operator's entries and the deployment-wide ones (`tenantId`, if
     * given, must be their own). Regulators: all entries, or one operator's own entries.
     */
    async listEntries(principal: Principal | undefined, q: { tenantId?: string | undefined; limit?: number | undefined; cursor?: string | undefined }): Promise<BlocklistPage> {
      const p = requireStaff(principal, ['operator_admin', 'regulator']);
      if (q.tenantId !== undefined) assertTenantAccess(p, q.tenantId);
      const limit = q.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new DomainError('request.invalid', `limit must be from 1 to ${MAX_LIST_LIMIT}`);
      const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const filter = p.role === 'regulator'
        ? { tenantId: q.tenantId, before }
        : { tenantId: p.tenantId ?? undefined, withDeploymentWide: true, before };
      if (filter.tenantId === undefined && p.role !== 'regulator') throw new DomainError('auth.forbidden');
      return db.transaction(async (tx) => {
        const rows = await repo.list(tx, filter, limit + 1);
        const items = rows.slice(0, limit);
        await appendAudit(tx, {
          tenantId: p.role === 'regulator' ? (q.tenantId ?? null) : p.tenantId, actor: actorOf(p), action: 'blocklist.listed', at: clock(),
          details: { tenantId: filter.tenantId ?? null, count: items.length },
        });
        return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
      });
    },

    /** An operator admin removes an entry of its operator; any other entry (deployment-wide included) is not found. */
    async removeEntry(principal: Principal | undefined, entryId: string): Promise<void> {
      const p = requireStaff(principal, ['operator_admin']);
      const now = clock();
      await db.transaction(async (tx) => {
        const entry = isUuid(entryId) ? await repo.find(tx, entryId) : undefined;
        if (!entry || entry.tenantId === null || entry.tenantId !== p.tenantId) throw new DomainError('blocklist.not_found');
        if (!(await repo.remove(tx, entryId))) throw new DomainError('blocklist.not_found');
        await appendAudit(tx, {
          tenantId: entry.tenantId, actor: actorOf(p), action: 'blocklist.removed', at: now, subjectType: 'blocklist_entry', subjectId: entryId,
          details: { scope: 'tenant', addedAt: entry.createdAt.toISOString(), reasonCode: entry.reasonCode },
        });
      });
    },
  };
}

export type BlocklistService = ReturnType<typeof createBlocklistService>;
