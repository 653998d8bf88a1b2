/**
 * What the registry tells a person about themselves and a partner about a claim:
 * - self-service lookup (一证通查): every number held under the verified ID, per operator, masked;
 * - "not mine": the person flags one of those numbers → a re-verification of its holder;
 * - three-element check (三要素核验) for partners: one code, never data.
 *
 * A self_service verification is a 10-minute window, not single use: within it the person may
 * list their numbers and report any of them as not theirs (each use is audited; `used_at` keeps
 * the first use). Lookups do not reveal whether an ID is known: an unknown ID runs the same
 * query (for a subscriber id that matches nobody) and answers an empty list, as a known person
 * without numbers does.
 */
import type { Database, Queryable } from '../db/database.ts';
import { DomainError, isDomainError } from '../errors/errors.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { requireApiScope, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { maskMsisdn, normalizeMsisdn } from '../numbers/numbers.ts';
import { isUuid } from '../db/ids.ts';
import { verificationRepository } from '../verification/verification.repository.ts';
import { openReverification } from '../reverification/reverification.service.ts';
import { NOT_MINE_REASON, deadlineAfter } from '../reverification/reverification.ts';
import { readDocument } from './identity.ts';
import { createSubscribersRepository } from './subscribers.repository.ts';
import { subscriberLookupRepository as lookup } from './subscribers.lookup.repository.ts';
import { NOBODY, threeElementOutcome, type SelfServiceLookup, type ThreeElementResult } from './subscribers.ts';

export interface SubscribersServiceDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
}

export interface ThreeElementInput { name: string; documentType: string; documentNumber: string; msisdn: string }

export const THREE_ELEMENT_SCOPE = 'three_element_check';

export function createSubscribersService(deps: SubscribersServiceDeps) {
  const { db, keyring, clock } = deps;
  const subscribers = createSubscribersRepository(keyring);

  const notFound = () => new DomainError('verification.not_found', 'The verification is unknown, expired or not a self-service verification');

  /** The self-service verification (within its window) and the person it verified, if registered. */
  async function openSelfService(q: Queryable, verificationId: string, now: Date) {
    const v = await verificationRepository.openWindow(q, verificationId, 'self_service', now);
    if (!v) throw notFound();
    return { v, subscriberId: await subscribers.findIdByHmac(q, v.docHmac) };
  }

  return {
    /** Every number held (active or suspended) under the verified ID, at every operator, masked. Audited. */
    async lookup(verificationId: string): Promise<SelfServiceLookup> {
      if (!isUuid(verificationId)) throw notFound();
      const now = clock();
      return db.transaction(async (q) => {
        const { v, subscriberId } = await openSelfService(q, verificationId, now);
        const rows = await lookup.heldNumbers(q, subscriberId ?? NOBODY);
        await appendAudit(q, {
          tenantId: null, actor: { type: 'subscriber', id: subscriberId ?? null }, action: 'subscriber.self_lookup',
          subjectType: 'verification', subjectId: v.id, at: now, details: { numbers: rows.length, method: v.method },
        });
        return {
          verificationExpiresAt: v.expiresAt,
          numbers: rows.map((r) => ({
            numberId: r.numberId, operator: { code: r.tenantCode, name: r.tenantName }, maskedMsisdn: maskMsisdn(r.msisdn), state: r.state,
            since: r.since, pendingReverification: r.reverificationId && r.reverificationDeadline ? { id: r.reverificationId, deadline: r.reverificationDeadline } : null,
          })),
        };
      });
    },

    /**
     * The person says a number registered under their ID is not theirs: its holder (the
     * registration under this ID) must re-verify within the operator's deadline, or the
     * number is suspended. Reporting a number twice returns the pending re-verification.
     */
    async reportNotMine(verificationId: string, numberId: string): Promise<{ reverificationId: string; deadline: Date; created: boolean }> {
      if (!isUuid(verificationId)) throw notFound();
      const now = clock();
      return db.transaction(async (q) => {
        const { v, subscriberId } = await openSelfService(q, verificationId, now);
        const held = isUuid(numberId) ? await lookup.heldNumber(q, subscriberId ?? NOBODY, numberId) : undefined;
        if (!held || !subscriberId) throw new DomainError('number.not_found', 'No such number is held under this ID');
        const tenant = await tenantsRepository.getTenant(q, held.tenantId);
        if (!tenant) throw new DomainError('tenant.not_found');
        const actor = { type: 'subscriber' as const, id: subscriberId };
        const rev = await openReverification(q, {
          tenantId: held.tenantId, numberId: held.numberId, holderId: subscriberId, reason: NOT_MINE_REASON, campaignId: null,
          deadline: deadlineAfter(now, tenant.policy.reverificationDeadlineHours), now, actor,
        });
        await appendAudit(q, {
          tenantId: held.tenantId, actor, action: 'number.reported_not_mine', subjectType: 'number', subjectId: held.numberId, at: now,
          details: { verificationId: v.id, reverificationId: rev.id, newReverification: rev.created },
        });
        return { reverificationId: rev.id, deadline: rev.deadline, created: rev.created };
      });
    },

    /**
     * Partner three-element check at the API key's operator: one code (see `ThreeElementResult`).
     * Every call is audited with its code, never its inputs. Bad input (malformed number or
     * document) is a typed 4xx, audited as `invalid_input`.
     */
    async threeElementCheck(p: Principal | undefined, input: ThreeElementInput): Promise<{ result: ThreeElementResult }> {
      const key = requireApiScope(p, THREE_ELEMENT_SCOPE);
      const now = clock();
      const audit = (details: Record<string, unknown>) => appendAudit(db, {
        tenantId: key.tenantId, actor: { type: 'api_key', id: key.keyId }, action: 'subscriber.three_element_check', at: now, details,
      });
      let asked: { docHmac: Buffer; name: string; msisdn: string };
      try {
        const msisdn = normalizeMsisdn(input.msisdn);
        if (!msisdn) throw new DomainError('number.invalid_format');
        const read = readDocument(keyring, { type: input.documentType, number: input.documentNumber, name: input.name }, now);
        asked = { docHmac: read.docHmac, name: read.document.name, msisdn };
      } catch (e) {
        if (isDomainError(e)) await audit({ result: 'invalid_input', error: e.code });
        throw e;
      }
      const holder = await lookup.activeHolder(db, key.tenantId, asked.msisdn);
      const identity = holder && holder.docHmac.equals(asked.docHmac) ? await subscribers.readIdentity(db, holder.subscriberId) : undefined;
      const result = threeElementOutcome(holder && { docHmac: holder.docHmac, name: identity?.name ?? '' }, asked);
      await audit({ result });
      return { result };
    },
  };
}

export type SubscribersService = ReturnType<typeof createSubscribersService>;
