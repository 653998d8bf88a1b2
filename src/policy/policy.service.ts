/**
 * Reading and changing an operator's policy settings. Operator admins read and change their
 * own operator's settings; regulators read any operator's. A change is a partial update merged
 * over the current settings, validated as a whole, and audited setting by setting (old → new).
 */
import type { Database } from '../db/database.ts';
import { appendAudit } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { Value } from 'typebox/value';
import { PolicySettingsSchema, type PolicySettings } from './policy.ts';

export interface PolicyDeps {
  db: Database;
  clock: () => Date;
}

export interface PolicyChange { setting: keyof PolicySettings; from: unknown; to: unknown }

export interface TenantPolicy { tenantId: string; settings: PolicySettings }

const settingNames = Object.keys(PolicySettingsSchema.properties);

/**
 * `patch` merged over `current`, or `policy.invalid_settings` naming the first failing
 * field (`extra.field`): not an object, an unknown setting, a wrong type or a value out of range.
 */
export function checkPolicyPatch(current: PolicySettings, patch: unknown): PolicySettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new DomainError('policy.invalid_settings', 'The settings must be a JSON object', { field: null });
  }
  const unknown = Object.keys(patch).find((k) => !settingNames.includes(k));
  if (unknown !== undefined) throw new DomainError('policy.invalid_settings', `'${unknown.slice(0, 64)}' is not a policy setting`, { field: unknown.slice(0, 64) });
  const merged = { ...current, ...patch };
  const first = [...Value.Errors(PolicySettingsSchema, merged)][0];
  if (first) {
    const field = first.instancePath.replace(/^\//, '');
    const rule = PolicySettingsSchema.properties[field as keyof PolicySettings] as { minimum?: number; maximum?: number } | undefined;
    const range = rule?.minimum !== undefined ? ` (${rule.minimum} to ${rule.maximum})` : '';
    throw new DomainError('policy.invalid_settings', `${field}: ${first.message}${range}`, { field });
  }
  return merged as PolicySettings;
}

export function createPolicyService(deps: PolicyDeps) {
  const { db, clock } = deps;

  return {
    async getPolicy(principal: Principal | undefined, tenantId: string): Promise<TenantPolicy> {
      const p = requireStaff(principal, ['operator_admin', 'regulator']);
      assertTenantAccess(p, tenantId);
      const tenant = isUuid(tenantId) ? await tenantsRepository.getTenant(db, tenantId) : undefined;
      if (!tenant) throw new DomainError('tenant.not_found');
      return { tenantId, settings: tenant.policy };
    },

    /**
     * Merges `patch` over the current settings (an operator admin, own operator). Unknown
     * settings and values out of range are refused with `policy.invalid_settings` naming the
     * field; nothing is written then. One audit event per setting whose value changed.
     */
    async updatePolicy(principal: Principal | undefined, tenantId: string, patch: unknown): Promise<TenantPolicy & { changes: PolicyChange[] }> {
      const p = requireStaff(principal, ['operator_admin']);
      assertTenantAccess(p, tenantId);
      const now = clock();
      return db.transaction(async (tx) => {
        const tenant = isUuid(tenantId) ? await tenantsRepository.getTenantForUpdate(tx, tenantId) : undefined;
        if (!tenant) throw new DomainError('tenant.not_found');
        const next = checkPolicyPatch(tenant.policy, patch);
        const changes: PolicyChange[] = [];
        for (const key of Object.keys(next) as (keyof PolicySettings)[]) {
          if (next[key] !== tenant.policy[key]) changes.push({ setting: key, from: tenant.policy[key], to: next[key] });
        }
        if (changes.length > 0) {
          await tenantsRepository.updatePolicy(tx, tenantId, next);
          for (const c of changes) {
            await appendAudit(tx, {
              tenantId, actor: actorOf(p), action: 'policy.changed', at: now, subjectType: 'tenant', subjectId: tenantId,
              details: { setting: c.setting, from: c.from, to: c.to },
            });
          }
        }
        return { tenantId, settings: next, changes };
      });
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
