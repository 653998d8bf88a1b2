/**
 * Statistics use cases. Registration counts: regulators across operators, operator admins
 * for their own operator, store managers for their own store. Anomaly flags: regulators and
 * operator admins (a store manager's view of one store cannot see a document moving between
 * stores). Every read is audited with its parameters and the size of the answer.
 */
import type { Database } from '../db/database.ts';
import { appendAudit } from '../audit/audit.ts';
import { DomainError } from '../errors/errors.ts';
import { isUuid } from '../db/ids.ts';
import { actorOf, assertStoreAccess, assertTenantAccess, requireStaff, type Principal, type StaffPrincipal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { statisticsRepository as repo, type Scope } from './statistics.repository.ts';
import {
  anomalyDefaults, documentToken, resolvePeriod, sumCounts,
  type Anomalies, type DocumentAnomaly, type GroupBy, type RegistrationCounts, type RegistrationGroup,
} from './statistics.ts';

export interface StatisticsDeps {
  db: Database;
  clock: () => Date;
}

export interface RegistrationStatsQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  tenantId?: string | undefined;
  storeId?: string | undefined;
  groupBy?: GroupBy | undefined;
}

export interface RegistrationStats {
  from: Date; to: Date; tenantId: string | null; storeId: string | null; groupBy: GroupBy | null;
  totals: RegistrationCounts;
  /** One entry per group (empty without groupBy). */
  groups: RegistrationGroup[];
}

export interface AnomalyQuery { from?: Date | undefined; to?: Date | undefined; tenantId?: string | undefined; burstThreshold?: number | undefined }

export interface AnomalyReport extends Anomalies {
  from: Date; to: Date; tenantId: string | null;
  thresholds: { documentStores: number; documentWindowHours: number; burstThreshold: number; burstWindowMinutes: number; overrideApprovals: number; overrideShare: number };
}

export function createStatisticsService(deps: StatisticsDeps) {
  const { db, clock } = deps;

  /** The tenant and store a reader is confined to, checked against what it asked for. */
  async function scopeFor(p: StaffPrincipal, tenantId: string | undefined, storeId: string | undefined): Promise<{ tenantId: string | undefined; storeId: string | undefined }> {
    if (tenantId !== undefined) assertTenantAccess(p, tenantId);
    if (storeId !== undefined) {
      const store = isUuid(storeId) ? await tenantsRepository.getStore(db, storeId) : undefined;
      if (!store) throw new DomainError('store.not_found');
      assertStoreAccess(p, store.tenantId, store.id);
      if (tenantId !== undefined && store.tenantId !== tenantId) throw new DomainError('store.not_found');
    }
    if (p.role === 'regulator') return { tenantId, storeId };
    if (p.tenantId === null) throw new DomainError('auth.forbidden');
    if (p.role === 'store_manager') {
      if (p.storeId === null) throw new DomainError('auth.forbidden');
      return { tenantId: p.tenantId, storeId: p.storeId };
    }
    return { tenantId: p.tenantId, storeId };
  }

  return {
    async registrations(principal: Principal | undefined, q: RegistrationStatsQuery): Promise<RegistrationStats> {
      const p = requireStaff(principal, ['regulator', 'operator_admin', 'store_manager']);
      const now = clock();
      const period = resolvePeriod(q.from, q.to, now);
      const where = await scopeFor(p, q.tenantId, q.storeId);
      const scope: Scope = { ...period, ...where };
      return db.transaction(async (tx) => {
        const counted = await repo.registrationCounts(tx, scope, q.groupBy);
        const groups = q.groupBy ? counted : [];
        await appendAudit(tx, {
          tenantId: where.tenantId ?? null, actor: actorOf(p), action: 'statistics.registrations_read', at: now,
          details: { from: period.from.toISOString(), to: period.to.toISOString(), tenantId: where.tenantId ?? null, storeId: where.storeId ?? null, groupBy: q.groupBy ?? null, groups: groups.length },
        });
        return {
          from: period.from, to: period.to, tenantId: where.tenantId ?? null, storeId: where.storeId ?? null, groupBy: q.groupBy ?? null,
          totals: sumCounts(counted), groups,
        };
      });
    },

    async anomalies(principal: Principal | undefined, q: AnomalyQuery): Promise<AnomalyReport> {
      const p = requireStaff(principal, ['regulator', 'operator_admin']);
      const now = clock();
      const period = resolvePeriod(q.from, q.to, now);
      const burstThreshold = q.burstThreshold ?? anomalyDefaults.burstThreshold;
      if (!Number.isInteger(burstThreshold) || burstThreshold < 1 || burstThreshold > 10_000) throw new DomainError('request.invalid', 'burstThreshold must be from 1 to 10000');
      const where = await scopeFor(p, q.tenantId, undefined);
      const scope: Scope = { ...period, tenantId: where.tenantId };
      const d = anomalyDefaults;
      return db.transaction(async (tx) => {
        const docRows = await repo.documentsAcrossStores(tx, scope, d.documentStores, d.documentWindowHours);
        const bursts = await repo.bursts(tx, scope, burstThreshold);
        const agents = await repo.manualOverrides(tx, scope, d.overrideApprovals, d.overrideShare);
        const byDoc = new Map<string, DocumentAnomaly>();
        for (const r of docRows) {
          const key = r.doc_hmac.toString('hex');
          const finding = byDoc.get(key) ?? { token: documentToken(r.doc_hmac), storeCount: 0, registrations: [] };
          finding.registrations.push({ id: r.id, tenantId: r.tenant_id, storeId: r.store_id, storeCode: r.store_code, createdAt: r.created_at });
          byDoc.set(key, finding);
        }
        const documents = [...byDoc.values()]
          .map((f) => ({ ...f, storeCount: new Set(f.registrations.map((r) => r.storeId)).size }))
          .sort((a, b) => a.registrations[0]!.createdAt.getTime() - b.registrations[0]!.createdAt.getTime());
        await appendAudit(tx, {
          tenantId: where.tenantId ?? null, actor: actorOf(p), action: 'statistics.anomalies_read', at: now,
          details: {
            from: period.from.toISOString(), to: period.to.toISOString(), tenantId: where.tenantId ?? null, burstThreshold,
            documents: documents.length, bursts: bursts.length, agents: agents.length,
          },
        });
        return {
          from: period.from, to: period.to, tenantId: where.tenantId ?? null,
          thresholds: { ...d, burstThreshold },
          documents, bursts, agents,
        };
      });
    },
  };
}

export type StatisticsService = ReturnType<typeof createStatisticsService>;
