/**
 * Re-verification use cases: an operator admin's campaign over a list of numbers or a store's
 * active numbers, the holder passing (face or in person; restores a number suspended for it),
 * the sweeper suspending numbers whose deadline passed, and campaign progress.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit, systemActor, type Actor } from '../audit/audit.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { normalizeMsisdn } from '../numbers/numbers.ts';
import { isUuid } from '../db/ids.ts';
import { spendVerification } from '../verification/verification.service.ts';
import { reverificationRepository as repo, type HeldNumber } from './reverification.repository.ts';
import {
  MAX_CAMPAIGN_MSISDNS, campaignSkipReason, deadlineAfter, reasonPattern,
  type Campaign, type CampaignProgress, type CampaignReport, type CampaignRow,
} from './reverification.ts';

export interface ReverificationDeps {
  db: Database;
  clock: () => Date;
}

export interface StartCampaignInput {
  name: string;
  /** A reason code, e.g. `periodic_check`, `suspected_fraud`. */
  reason: string;
  /** Default: the operator's `reverificationDeadlineHours`. */
  deadlineHours?: number;
  /** Either a list of numbers ... */
  msisdns?: readonly string[];
  /** ... or every active number of one store. */
  storeId?: string;
}

export interface OpenReverification {
  tenantId: string; numberId: string; holderId: string; reason: string; campaignId: string | null; deadline: Date; now: Date; actor: Actor;
}

/** Opens one re-verification (or returns the number's pending one) in the caller's transaction, audited. */
export async function openReverification(q: Queryable, a: OpenReverification): Promise<{ id: string; deadline: Date; created: boolean }> {
  const id = randomUUID();
  const opened = await repo.openMany(q, { ...a, numbers: [{ id, numberId: a.numberId, holderId: a.holderId }] });
  if (!opened.has(a.numberId)) {
    const existing = await repo.findPendingForNumber(q, a.numberId);
    if (existing) return { id: existing.id, deadline: existing.deadline, created: false };
    throw new DomainError('reverification.not_pending', 'The number changed while it was being flagged; retry');
  }
  await appendAudit(q, {
    tenantId: a.tenantId, actor: a.actor, action: 'reverification.started', subjectType: 'reverification', subjectId: id, at: a.now,
    details: { numberId: a.numberId, reason: a.reason, campaignId: a.campaignId, deadline: a.deadline.toISOString() },
  });
  return { id, deadline: a.deadline, created: true };
}

function ownTenantAdmin(p: Principal | undefined, tenantId: string) {
  const admin = requireStaff(p, ['operator_admin']);
  if (admin.tenantId !== tenantId) throw new DomainError('auth.forbidden');
  return admin;
}

export function createReverificationService(deps: ReverificationDeps) {
  const { db, clock } = deps;

  /** Which numbers a campaign covers, and a per-row report of those it skips. */
  async function candidates(q: Queryable, tenantId: string, input: StartCampaignInput): Promise<{ take: HeldNumber[]; rows: (CampaignRow | HeldNumber)[] }> {
    if (input.storeId !== undefined) {
      const store = isUuid(input.storeId) ? await tenantsRepository.getStore(q, input.storeId) : undefined;
      if (!store || store.tenantId !== tenantId) throw new DomainError('store.not_found');
      const take = await repo.activeNumbersOfStore(q, tenantId, store.id);
      return { take, rows: take };
    }
    const list = input.msisdns ?? [];
    const found = new Map((await repo.numbersByMsisdn(q, list.map((m) => normalizeMsisdn(m)).filter((m) => m !== undefined))).map((n) => [n.msisdn, n]));
    const seen = new Set<string>();
    const take: HeldNumber[] = [];
    const rows = list.map((raw): CampaignRow | HeldNumber => {
      const msisdn = normalizeMsisdn(raw);
      if (msisdn === undefined) return { msisdn: raw, outcome: 'skipped', reason: 'number.invalid_format' };
      if (seen.has(msisdn)) return { msisdn, outcome: 'skipped', reason: 'duplicate' };
      seen.add(msisdn);
      const n = found.get(msisdn);
      const skip = campaignSkipReason(n, tenantId);
      if (skip || !n) return { msisdn, outcome: 'skipped', reason: skip ?? 'number.not_found' };
      take.push(n);
      return n;
    });
    return { take, rows };
  }

  async function progressOf(q: Queryable, campaigns: Campaign[]): Promise<CampaignProgress[]> {
    const counts = await repo.countByStatus(q, campaigns.map((c) => c.id));
    return campaigns.map((c) => ({ ...c, counts: counts.get(c.id)! }));
  }

  return {
    /** An operator admin flags numbers of their operator for re-verification by their holders. */
    async startCampaign(p: Principal | undefined, tenantId: string, input: StartCampaignInput): Promise<CampaignReport> {
      const admin = ownTenantAdmin(p, tenantId);
      const name = input.name.trim();
      if (name.length === 0 || name.length > 200) throw new DomainError('request.invalid', 'A campaign name is 1-200 characters');
      if (!reasonPattern.test(input.reason)) throw new DomainError('request.invalid', 'The reason is a code: lower-case letters, digits and _ (3-40)');
      if ((input.msisdns === undefined) === (input.storeId === undefined)) throw new DomainError('request.invalid', 'Give either msisdns or storeId');
      if (input.msisdns && (input.msisdns.length === 0 || input.msisdns.length > MAX_CAMPAIGN_MSISDNS)) {
        throw new DomainError('request.invalid', `A campaign lists 1-${MAX_CAMPAIGN_MSISDNS} numbers`);
      }
      const tenant = await tenantsRepository.getTenant(db, tenantId);
      if (!tenant) throw new DomainError('tenant.not_found');
      const deadlineHours = input.deadlineHours ?? tenant.policy.reverificationDeadlineHours;
      if (!Number.isInteger(deadlineHours) || deadlineHours < 1 || deadlineHours > 8760) throw new DomainError('request.invalid', 'deadlineHours is 1-8760');
      const now = clock();
      const deadline = deadlineAfter(now, deadlineHours);
      return db.transaction(async (q) => {
        const campaign: Campaign = { id: randomUUID(), tenantId, name, reason: input.reason, deadlineHours, createdBy: admin.staffId, createdAt: now };
        await repo.insertCampaign(q, campaign);
        const { take, rows } = await candidates(q, tenantId, input);
        const opened = await repo.openMany(q, {
          campaignId: campaign.id, tenantId, reason: input.reason, deadline, now,
          numbers: take.map((n) => ({ id: randomUUID(), numberId: n.id, holderId: n.holderId! })),
        });
        const report: CampaignRow[] = rows.map((r) => {
          if ('outcome' in r) return r;
          const id = opened.get(r.id);
          return id ? { msisdn: r.msisdn, outcome: 'created', reverificationId: id } : { msisdn: r.msisdn, outcome: 'skipped', reason: 'already_pending' };
        });
        const created = report.filter((r) => r.outcome === 'created').length;
        await appendAudit(q, {
          tenantId, actor: actorOf(admin), action: 'reverification.campaign_started', subjectType: 'reverification_campaign', subjectId: campaign.id, at: now,
          details: { reason: input.reason, deadlineHours, scope: input.storeId ? 'store' : 'msisdns', storeId: input.storeId ?? null, created, skipped: report.length - created },
        });
        return { campaign, deadline, created, skipped: report.length - created, rows: report };
      });
    },

    /** Counts by status of one campaign (operator admin of its operator, regulators). */
    async campaignProgress(p: Principal | undefined, campaignId: string): Promise<CampaignProgress> {
      const staff = requireStaff(p, ['operator_admin', 'regulator']);
      const campaign = isUuid(campaignId) ? await repo.getCampaign(db, campaignId) : undefined;
      if (!campaign) throw new DomainError('campaign.not_found');
      assertTenantAccess(staff, campaign.tenantId);
      return (await progressOf(db, [campaign]))[0]!;
    },

    async listCampaigns(p: Principal | undefined, tenantId: string, limit = 100): Promise<CampaignProgress[]> {
      const staff = requireStaff(p, ['operator_admin', 'regulator']);
      assertTenantAccess(staff, tenantId);
      return progressOf(db, await repo.listCampaigns(db, tenantId, limit));
    },

    /**
     * The holder passes: a `reverification` verification (face or in person) of the holder's
     * document, spent here. Staff (agent, store manager) act at any store of the operator;
     * without a login it is the self-service path. A number suspended for this re-verification
     * is made active again unless another suspended re-verification still holds it.
     */
    async pass(p: Principal | undefined, reverificationId: string, verificationId: string): Promise<{ reverificationId: string; status: 'passed'; numberRestored: boolean }> {
      const staff = p === undefined ? undefined : requireStaff(p, ['agent', 'store_manager']);
      const now = clock();
      return db.transaction(async (q) => {
        const rev = isUuid(reverificationId) ? await repo.findById(q, reverificationId, true) : undefined;
        if (!rev) throw new DomainError('reverification.not_found');
        if (staff) assertTenantAccess(staff, rev.tenantId);
        if (rev.status !== 'pending' && rev.status !== 'suspended') throw new DomainError('reverification.not_pending');
        const number = await numbersRepository.findById(q, rev.numberId);
        if (!number || number.holderId !== rev.holderId) throw new DomainError('reverification.not_pending', 'The number has another holder now');
        const v = await spendVerification(q, { id: verificationId, purposes: ['reverification'], now, tenantId: rev.tenantId });
        const holderHmac = await repo.holderDocHmac(q, rev.holderId);
        if (!holderHmac || !holderHmac.equals(v.docHmac)) throw new DomainError('verification.not_holder');
        await repo.setStatus(q, rev.id, ['pending', 'suspended'], 'passed', now);
        const restore = rev.status === 'suspended' && number.state === 'suspended' && (await repo.otherSuspensions(q, number.id, rev.id)) === 0;
        const numberRestored = restore && await numbersRepository.setState(q, number.id, ['suspended'], 'active', now);
        await appendAudit(q, {
          tenantId: rev.tenantId, actor: staff ? actorOf(staff) : { type: 'subscriber', id: rev.holderId }, action: 'reverification.passed',
          subjectType: 'reverification', subjectId: rev.id, at: now,
          details: { numberId: number.id, campaignId: rev.campaignId, verificationId: v.id, method: v.method, wasSuspended: rev.status === 'suspended', numberRestored },
        });
        return { reverificationId: rev.id, status: 'passed', numberRestored };
      });
    },

    /** Sweeper: pending past the deadline → the number is suspended. Returns how many were. */
    async suspendOverdue(now: Date = clock(), limit = 500): Promise<number> {
      let n = 0;
      for (const id of await repo.listOverdue(db, now, limit)) {
        n += await db.transaction(async (q) => {
          const rev = await repo.findById(q, id, true);
          if (!rev || rev.status !== 'pending' || rev.deadline > now) return 0;
          const number = await numbersRepository.findById(q, rev.numberId);
          const base = { tenantId: rev.tenantId, actor: systemActor, subjectType: 'reverification', subjectId: rev.id, at: now };
          if (!number || number.holderId !== rev.holderId) {
            await repo.setStatus(q, rev.id, ['pending'], 'cancelled', now);
            await appendAudit(q, { ...base, action: 'reverification.cancelled', details: { numberId: rev.numberId, reason: 'holder_changed' } });
            return 0;
          }
          const suspended = await numbersRepository.setState(q, number.id, ['active'], 'suspended', now);
          await repo.setStatus(q, rev.id, ['pending'], 'suspended', null);
          await appendAudit(q, {
            ...base, action: 'reverification.overdue_suspended',
            details: { numberId: number.id, campaignId: rev.campaignId, reason: rev.reason, deadline: rev.deadline.toISOString(), numberWasActive: suspended },
          });
          return 1;
        });
      }
      return n;
    },
  };
}

export type ReverificationService = ReturnType<typeof createReverificationService>;
