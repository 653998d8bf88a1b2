/**
 * Transfer and surrender use cases, done by an agent or store manager at a store of the
 * number's operator. Both spend `transfer` verifications (face or manual, fresh, unused) in
 * the same transaction that changes the number, so a refused attempt leaves them usable.
 * Open re-verifications of a number that changes hands are cancelled (they concern a holder
 * who no longer holds it).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit, systemActor } from '../audit/audit.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { actorOf, assertTenantAccess, requireStaff, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { addDays, normalizeMsisdn } from '../numbers/numbers.ts';
import { createSubscribersRepository } from '../subscribers/subscribers.repository.ts';
import { ageFromDocument } from '../subscribers/identity.ts';
import { spendVerification } from '../verification/verification.service.ts';
import { reverificationRepository } from '../reverification/reverification.repository.ts';
import { transfersRepository as repo } from './transfers.repository.ts';
import { transferRefusals, type Holding, type SurrenderDone, type SurrenderInput, type TransferDone, type TransferInput } from './transfers.ts';

export interface TransfersServiceDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
  /** Cap on held numbers per person across all operators of the deployment. */
  deploymentCap: number;
}

const COUNTER = ['agent', 'store_manager'] as const;

function msisdnOf(raw: string): string {
  const m = normalizeMsisdn(raw);
  if (!m) throw new DomainError('number.invalid_format');
  return m;
}

export function createTransfersService(deps: TransfersServiceDeps) {
  const { db, clock } = deps;
  const subscribers = createSubscribersRepository(deps.keyring);

  async function policyOf(tenantId: string) {
    const tenant = await tenantsRepository.getTenant(db, tenantId);
    if (!tenant) throw new DomainError('tenant.not_found');
    return tenant.policy;
  }

  return {
    /**
     * The formal transfer (过户): the current holder and the new holder, both verified for
     * `transfer` at this operator; the new holder within the caps (recounted under a lock on
     * their subscriber row, as a registration's assignment is). Only where `transferEnabled`.
     */
    async transfer(p: Principal | undefined, input: TransferInput): Promise<TransferDone> {
      const agent = requireStaff(p, COUNTER);
      const tenantId = agent.tenantId!;
      const policy = await policyOf(tenantId);
      if (!policy.transferEnabled) throw new DomainError('policy.transfer_disabled');
      const msisdn = msisdnOf(input.msisdn);
      if (input.fromVerificationId === input.toVerificationId) throw new DomainError('request.invalid', 'Two verifications are needed: the holder\'s and the new holder\'s');
      const now = clock();
      return db.transaction(async (q) => {
        const number = await repo.lockNumber(q, tenantId, msisdn);
        if (!number) throw new DomainError('number.not_found');
        if (number.state !== 'active' || !number.holderId) throw new DomainError('number.invalid_state', 'Only an active number can be transferred');
        const from = await spendVerification(q, { id: input.fromVerificationId, purposes: ['transfer'], now, tenantId });
        const to = await spendVerification(q, { id: input.toVerificationId, purposes: ['transfer'], now, tenantId });
        const holderHmac = await repo.docHmacOf(q, number.holderId);
        if (!holderHmac || !holderHmac.equals(from.docHmac)) throw new DomainError('verification.not_holder', 'The first verification is not of the current holder');
        if (to.docHmac.equals(holderHmac)) throw new DomainError('request.invalid', 'The new holder must be another person');
        const toId = to.subscriberId ?? await subscribers.findIdByHmac(q, to.docHmac);
        if (!toId) throw new DomainError('verification.not_found', 'The new holder\'s verification is not a transfer verification');

        await subscribers.lock(q, toId);
        // one after another: a transaction's client runs one query at a time (pg deprecates queueing them)
        const held = await numbersRepository.countHeld(q, toId, tenantId);
        const blocklisted = await subscribers.isBlocklisted(q, to.docHmac, tenantId);
        const identity = await subscribers.readIdentity(q, toId);
        const refusals = transferRefusals({
          policy, deploymentCap: deps.deploymentCap, age: ageFromDocument({ birthDate: identity?.birthDate }, now), blocklisted,
          heldAtOperator: held.atOperator, heldInDeployment: held.inDeployment, documentExpired: to.result.documentExpired,
        });
        if (refusals.length > 0) throw new DomainError('transfer.refused', `The new holder may not take this number: ${refusals.join(', ')}`, { refusals });

        const transferId = randomUUID();
        await repo.insert(q, {
          id: transferId, tenantId, numberId: number.id, fromSubscriberId: number.holderId, toSubscriberId: toId,
          fromVerificationId: from.id, toVerificationId: to.id, agentId: agent.staffId, createdAt: now,
        });
        if (!await repo.moveHolder(q, number.id, number.holderId, toId, transferId, now)) throw new DomainError('number.invalid_state');
        const cancelled = await reverificationRepository.cancelOpenForNumber(q, number.id, now);
        await appendAudit(q, {
          tenantId, actor: actorOf(agent), action: 'number.transferred', subjectType: 'number', subjectId: number.id, at: now,
          details: {
            transferId, fromSubscriberId: number.holderId, toSubscriberId: toId, fromVerificationId: from.id, toVerificationId: to.id,
            methods: [from.method, to.method], storeId: agent.storeId, cancelledReverifications: cancelled,
          },
        });
        return { transferId, numberId: number.id, msisdn: number.msisdn, at: now };
      });
    },

    /**
     * The holder gives the number up, verified for `transfer` (face or in person) at a store of
     * the operator: the number cools off for the operator's `coolingOffDays`, then the sweeper
     * makes it available again. Allowed whatever `transferEnabled` says.
     */
    async surrender(p: Principal | undefined, input: SurrenderInput): Promise<SurrenderDone> {
      const agent = requireStaff(p, COUNTER);
      const tenantId = agent.tenantId!;
      const policy = await policyOf(tenantId);
      const msisdn = msisdnOf(input.msisdn);
      const now = clock();
      return db.transaction(async (q) => {
        const number = await repo.lockNumber(q, tenantId, msisdn);
        if (!number) throw new DomainError('number.not_found');
        if ((number.state !== 'active' && number.state !== 'suspended') || !number.holderId) throw new DomainError('number.invalid_state', 'Only a held number can be surrendered');
        const v = await spendVerification(q, { id: input.verificationId, purposes: ['transfer'], now, tenantId });
        const holderHmac = await repo.docHmacOf(q, number.holderId);
        if (!holderHmac || !holderHmac.equals(v.docHmac)) throw new DomainError('verification.not_holder');
        const coolingOffUntil = addDays(now, policy.coolingOffDays);
        if (!await numbersRepository.surrender(q, number.id, number.holderId, coolingOffUntil, now, 'surrender')) throw new DomainError('number.invalid_state');
        const cancelled = await reverificationRepository.cancelOpenForNumber(q, number.id, now);
        await appendAudit(q, {
          tenantId, actor: actorOf(agent), action: 'number.surrendered', subjectType: 'number', subjectId: number.id, at: now,
          details: {
            holderId: number.holderId, verificationId: v.id, method: v.method, fromState: number.state,
            coolingOffUntil: coolingOffUntil.toISOString(), storeId: agent.storeId, cancelledReverifications: cancelled,
          },
        });
        return { numberId: number.id, msisdn: number.msisdn, state: 'cooling_off', coolingOffUntil };
      });
    },

    /** Sweeper: cooling-off over → available; lapsed reservations released. Audited when anything changed. */
    async recycleNumbers(now: Date = clock()): Promise<{ recycled: number; released: number }> {
      return db.transaction(async (q) => {
        const r = await numbersRepository.recycle(q, now);
        if (r.recycled + r.released > 0) await appendAudit(q, { tenantId: null, actor: systemActor, action: 'numbers.recycled', at: now, details: r });
        return r;
      });
    },

    /** Who held a number of the caller's operator, oldest first (staff of the operator, regulators). Audited. */
    async holdingHistory(p: Principal | undefined, tenantId: string, msisdnRaw: string): Promise<{ numberId: string; holdings: Holding[] }> {
      const staff = requireStaff(p, ['agent', 'store_manager', 'operator_admin', 'regulator']);
      assertTenantAccess(staff, tenantId);
      const number = await numbersRepository.findByMsisdn(db, msisdnOf(msisdnRaw));
      if (!number || number.tenantId !== tenantId) throw new DomainError('number.not_found');
      const holdings = await repo.holdings(db, number.id);
      await appendAudit(db, { tenantId, actor: actorOf(staff), action: 'number.holdings_viewed', subjectType: 'number', subjectId: number.id, at: clock() });
      return { numberId: number.id, holdings };
    },
  };
}

export type TransfersService = ReturnType<typeof createTransfersService>;
