/**
 * Partner API keys: an operator admin creates a key for its tenant (shown once, stored as
 * an HMAC), lists and revokes them. The request authenticator resolves keys into principals.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { requireStaff, type Principal } from './principal.ts';
import { newApiKey, validateNewApiKey, type ApiKeyView, type NewApiKeyInput } from './staff.ts';
import * as repo from './api-key.repository.ts';
import type { AuthDeps } from './auth.service.ts';
import { isUuid } from '../db/ids.ts';

export interface CreatedApiKey extends ApiKeyView {
  /** The secret, `pk_…`: returned once, never stored in clear. */
  key: string;
}

export function createApiKeyService(deps: Pick<AuthDeps, 'db' | 'keyring' | 'clock'>) {
  const { db, keyring, clock } = deps;

  function requireOwnTenantAdmin(principal: Principal | undefined, tenantId: string) {
    const p = requireStaff(principal, ['operator_admin']);
    if (p.tenantId === null || p.tenantId !== tenantId) throw new DomainError('auth.forbidden');
    return p;
  }

  return {
    async createApiKey(principal: Principal | undefined, tenantId: string, input: NewApiKeyInput): Promise<CreatedApiKey> {
      const p = requireOwnTenantAdmin(principal, tenantId);
      const v = validateNewApiKey(input);
      const key = newApiKey();
      const now = clock();
      const view = await db.transaction(async (tx) => {
        const created = await repo.insertApiKey(tx, {
          id: randomUUID(), tenantId, name: v.name, keyHash: keyring.tokenHmac(key), scopes: v.scopes,
          rateLimitPerMinute: v.rateLimitPerMinute, createdAt: now,
        });
        await appendAudit(tx, {
          tenantId, actor: { type: 'staff', id: p.staffId }, action: 'api_key.created', at: now,
          subjectType: 'api_key', subjectId: created.id, details: { scopes: created.scopes, rateLimitPerMinute: created.rateLimitPerMinute },
        });
        return created;
      });
      return { ...view, key };
    },

    /** The tenant's keys (without secrets), revoked ones included. */
    async listApiKeys(principal: Principal | undefined, tenantId: string): Promise<ApiKeyView[]> {
      requireOwnTenantAdmin(principal, tenantId);
      return repo.listApiKeys(db, tenantId);
    },

    /** Revokes a key of the caller's tenant; revoking twice keeps the first time. */
    async revokeApiKey(principal: Principal | undefined, keyId: string): Promise<ApiKeyView> {
      const p = requireStaff(principal, ['operator_admin']);
      if (!isUuid(keyId)) throw new DomainError('api_key.not_found');
      const now = clock();
      return db.transaction(async (tx) => {
        const existing = await repo.findApiKeyById(tx, keyId, true);
        if (!existing || existing.tenantId !== p.tenantId) throw new DomainError('api_key.not_found');
        const revoked = await repo.revokeApiKey(tx, keyId, now);
        await appendAudit(tx, {
          tenantId: existing.tenantId, actor: { type: 'staff', id: p.staffId }, action: 'api_key.revoked', at: now,
          subjectType: 'api_key', subjectId: keyId, details: { alreadyRevoked: existing.revokedAt !== null },
        });
        return revoked;
      });
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
