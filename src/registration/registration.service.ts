/**
 * Registration use cases. Each step loads the flow, checks who may act on it, asks the pure
 * `transition` what happens, and saves the result with its audit event and idempotency record
 * in one statement (or one transaction where locks are needed). A retried request with the same
 * Idempotency-Key gets the first answer back; a changed request with a used key is refused.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { FaceVerifier } from '../face/face.ts';
import { consentText, type ConsentLocale } from '../consent/consent.ts';
import { actorOf, assertStoreAccess, requireStaff, type Principal, type Role, type StaffPrincipal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import type { PolicySettings } from '../policy/policy.ts';
import { createSubscribersRepository } from '../subscribers/subscribers.repository.ts';
import { readDocument, type DocumentInput } from '../subscribers/identity.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { createRegistrationRepository, type SaveEffects } from './registration.repository.ts';
import { createCapturesRepository } from './captures.repository.ts';
import { transition, isEnded, type RegistrationEvent, type RegistrationFlow } from './registration.ts';
import { toView, type Receipt, type RegistrationView } from './registration.view.ts';
import { maskDocumentNumber, maskName } from '../privacy/mask.ts';
import { createRuleSteps, type LivenessGate, type StepDecision } from './registration.rules.ts';

export interface RegistrationServiceDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
  /** The face engine; undefined = face step unavailable (manual review only). */
  face: FaceVerifier | undefined;
  /** Passed liveness sessions, whose best frame the face step matches; undefined = face step unavailable. */
  liveness: LivenessGate | undefined;
  /** Cap on held numbers per person across all operators of the deployment. */
  deploymentCap: number;
}

export interface Idempotency { key: string; body: unknown }

interface StepContext { flow: RegistrationFlow; now: Date; q: Queryable; principal: StaffPrincipal; policy: PolicySettings }

const FRONT_DESK: readonly Role[] = ['agent', 'store_manager'];
const POLICY_CACHE_MS = 5_000;
const EXPIRED = Symbol('expired');
const FLOW_CACHE_SIZE = 10_000;
const STALE_SIGNS = new Set(['registration.invalid_transition', 'registration.ended', 'registration.concurrent_update', '23505']);

/** Errors a stale cached flow (or an idempotent replay) can cause: worth one retry from the database. */
function mayBeStale(e: unknown): boolean {
  return STALE_SIGNS.has(String((e as { code?: unknown }).code));
}

export function createRegistrationService(deps: RegistrationServiceDeps) {
  const { db, keyring, clock } = deps;
  const repo = createRegistrationRepository(keyring);
  const captures = createCapturesRepository(keyring);
  const subscribers = createSubscribersRepository(keyring);
  const policies = new Map<string, { policy: PolicySettings; at: number }>();

  async function policyOf(q: Queryable, tenantId: string): Promise<PolicySettings> {
    const hit = policies.get(tenantId);
    if (hit && Date.now() - hit.at < POLICY_CACHE_MS) return hit.policy;
    const tenant = await tenantsRepository.getTenant(q, tenantId);
    if (!tenant) throw new DomainError('tenant.not_found');
    policies.set(tenantId, { policy: tenant.policy, at: Date.now() });
    return tenant.policy;
  }

  /**
   * Flows this process saved last, by id (an identity map): a step on a cached flow is one
   * statement. The version check in `save` keeps it honest; on any refusal that a stale copy
   * could cause, the step is retried once from the database.
   */
  const cache = new Map<string, RegistrationFlow>();
  function remember(flow: RegistrationFlow): void {
    cache.delete(flow.id);
    if (isEnded(flow.state)) return;
    cache.set(flow.id, flow);
    if (cache.size > FLOW_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }

  /** Captures are released once a decision no longer needs them: at verification or at the end. */
  function releaseOf(prev: RegistrationFlow, next: RegistrationFlow, now: Date, policy: PolicySettings): SaveEffects['releaseCaptures'] {
    const decided = isEnded(next.state) || (next.verification !== undefined && prev.verification === undefined);
    if (!decided) return undefined;
    return policy.captureRetentionDays <= 0 ? 'now' : new Date(now.getTime() + policy.captureRetentionDays * 86_400_000);
  }

  async function persistExpiry(q: Queryable, flow: RegistrationFlow, now: Date, policy: PolicySettings): Promise<void> {
    const r = transition(flow, { type: 'expire' }, now);
    if (!r.ok) return;
    await repo.save(q, r.flow, flow, now, { actor: { type: 'system', id: null }, action: r.action, details: r.details }, undefined,
      { releaseCaptures: releaseOf(flow, r.flow, now, policy) });
    cache.delete(flow.id);
  }

  /**
   * Runs one step. `decide` turns the request into an event (it may do I/O, e.g. the face
   * engine or rule counts), possibly with effects of its own to save with it; `effects` adds what
   * must be saved with it. With `locked`, the step runs in one transaction (its side effects, such
   * as taking a number, commit with it).
   */
  async function step(p: Principal | undefined, id: string, idem: Idempotency | undefined, roles: readonly Role[],
    decide: (ctx: StepContext) => Promise<RegistrationEvent | StepDecision>,
    opts: { locked?: boolean; effects?: (flow: RegistrationFlow) => SaveEffects } = {}): Promise<RegistrationView> {
    const principal = requireStaff(p, roles);
    const requestHash = idem ? createHash('sha256').update(JSON.stringify(idem.body ?? null)).digest('hex') : undefined;
    const run = async (q: Queryable, cached: RegistrationFlow | undefined): Promise<RegistrationView | typeof EXPIRED> => {
      const found = cached ? { flow: cached, prior: undefined } : await repo.find(q, id, idem?.key, opts.locked);
      if (!found) throw new DomainError('registration.not_found');
      const { flow, prior } = found;
      assertStoreAccess(principal, flow.tenantId, flow.storeId);
      if (prior) {
        if (prior.requestHash !== requestHash) throw new DomainError('conflict.idempotency_key_reused');
        return prior.response as RegistrationView;
      }
      const now = clock();
      const policy = await policyOf(q, flow.tenantId);
      if (!isEnded(flow.state) && now >= flow.expiresAt) {
        await persistExpiry(q, flow, now, policy);
        return EXPIRED; // thrown after the transaction, so that the expiry itself is kept
      }
      const decided = await decide({ flow, now, q, principal, policy });
      const { event, effects } = 'event' in decided ? decided : { event: decided, effects: {} };
      const result = transition(flow, event, now);
      if (!result.ok) throw new DomainError(result.code, result.detail);
      const view = toView(result.flow, now, policy);
      const { saved, livenessSessionUsable } = await repo.save(q, result.flow, flow, now,
        { actor: actorOf(principal), action: result.action, details: result.details },
        idem && requestHash ? { key: idem.key, requestHash, response: view } : undefined,
        { ...opts.effects?.(flow), ...effects, releaseCaptures: releaseOf(flow, result.flow, now, policy) });
      if (!livenessSessionUsable) throw new DomainError('liveness.required', 'The liveness session was used or ended meanwhile; take a new challenge');
      if (!saved) throw new DomainError('registration.concurrent_update', 'Another request changed this registration; reload and retry');
      remember(result.flow);
      return view;
    };
    const attempt = (cached: RegistrationFlow | undefined) => (opts.locked ? db.transaction((q) => run(q, cached)) : run(db, cached));
    const cached = cache.get(id);
    let out: RegistrationView | typeof EXPIRED;
    try {
      out = await attempt(cached);
    } catch (e) {
      if (!cached || !mayBeStale(e)) throw e;
      cache.delete(id);
      out = await attempt(undefined);
    }
    if (out === EXPIRED) throw new DomainError('registration.expired', 'The registration session has expired; start a new one');
    return out;
  }

  const rules = createRuleSteps({ keyring, subscribers, deploymentCap: deps.deploymentCap, face: deps.face, liveness: deps.liveness });

  return {
    /** Opens a registration at the agent's own store. */
    async start(p: Principal | undefined, creationKey?: string): Promise<RegistrationView> {
      const principal = requireStaff(p, FRONT_DESK);
      if (!principal.tenantId || !principal.storeId) throw new DomainError('auth.forbidden');
      if (creationKey) {
        const existing = await repo.findIdByCreationKey(db, principal.staffId, creationKey);
        if (existing) return this.get(p, existing);
      }
      const now = clock();
      const policy = await policyOf(db, principal.tenantId);
      const flow: RegistrationFlow = {
        id: randomUUID(), tenantId: principal.tenantId, storeId: principal.storeId, agentId: principal.staffId,
        state: 'created', reasonCode: null, version: 0, document: undefined, docHmac: undefined, consent: undefined,
        verification: undefined, faceAttempts: 0, guardian: undefined, rules: undefined, numberId: null, subscriberId: null,
        createdAt: now, expiresAt: new Date(now.getTime() + policy.sessionTtlMinutes * 60_000), endedAt: null,
      };
      const inserted = await repo.insert(db, flow, actorOf(principal), creationKey);
      if (inserted) remember(flow); // the next step starts from it, without reading it back
      if (!inserted && creationKey) {
        const existing = await repo.findIdByCreationKey(db, principal.staffId, creationKey);
        if (existing) return this.get(p, existing);
      }
      return toView(flow, now, policy);
    },

    /** The registration as staff may see it (masked); the read is audited. */
    async get(p: Principal | undefined, id: string): Promise<RegistrationView> {
      const principal = requireStaff(p, ['agent', 'store_manager', 'operator_admin', 'regulator']);
      const found = await repo.find(db, id);
      if (!found) throw new DomainError('registration.not_found');
      assertStoreAccess(principal, found.flow.tenantId, found.flow.storeId);
      await appendAudit(db, { tenantId: found.flow.tenantId, actor: actorOf(principal), action: 'registration.viewed', subjectType: 'registration', subjectId: id });
      return toView(found.flow, clock(), await policyOf(db, found.flow.tenantId));
    },

    captureDocument(p: Principal | undefined, id: string, input: DocumentInput & { idPhoto?: Buffer }, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, async ({ now }) => {
        const { document, docHmac } = readDocument(keyring, input, now);
        return { type: 'capture_document', document, docHmac };
      }, { effects: (flow) => (input.idPhoto ? { putCapture: { kind: 'id_photo', contentEnc: captures.seal(flow.id, 'id_photo', input.idPhoto) } } : {}) });
    },

    recordConsent(p: Principal | undefined, id: string, input: { biometric: boolean; textVersion: string; locale: ConsentLocale }, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, async ({ now }) => {
        const text = consentText(input.textVersion, input.locale);
        if (!text) throw new DomainError('request.invalid', `Unknown consent text ${input.textVersion} (${input.locale})`);
        return { type: 'record_consent', consent: { biometric: input.biometric, textVersion: text.version, textSha256: text.sha256, locale: text.locale, answeredAt: now.toISOString() } };
      });
    },

    /**
     * The face match on the best frame of a passed liveness session. No transaction: the session
     * is used up by the statement that saves the decision, so it is used only with a recorded decision.
     */
    submitFace(p: Principal | undefined, id: string, input: { livenessSessionId: string; idPhoto?: Buffer }, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, (ctx) => rules.faceStep(ctx, input, captures));
    },

    requestManualReview(p: Principal | undefined, id: string, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, async ({ policy }) => ({ type: 'request_manual_review', manualReviewEnabled: policy.manualReviewEnabled }));
    },

    /** A store manager's decision after checking the person against the document in person. */
    decideManualReview(p: Principal | undefined, id: string, input: { approved: boolean; note: string }, idem?: Idempotency) {
      return step(p, id, idem, ['store_manager'], async ({ now, principal }) => ({
        type: 'manual_review_decision', approved: input.approved,
        verification: { method: 'manual_review', reviewerId: principal.staffId, reviewNote: input.note, at: now.toISOString() },
      }));
    },

    async listPendingReview(p: Principal | undefined): Promise<RegistrationView[]> {
      const principal = requireStaff(p, ['store_manager']);
      const flows = await repo.listPendingReview(db, principal.storeId!, 100);
      const now = clock();
      const policy = await policyOf(db, principal.tenantId!);
      return flows.map((f) => toView(f, now, policy));
    },

    addGuardian(p: Principal | undefined, id: string, input: Parameters<typeof rules.guardianStep>[1], idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, (ctx) => rules.guardianStep(ctx, input), { locked: true });
    },

    checkRules(p: Principal | undefined, id: string, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, (ctx) => rules.rulesStep(ctx));
    },

    /** Holds a chosen number for this registration until it ends (one at a time). */
    async reserveNumber(p: Principal | undefined, id: string, msisdn: string): Promise<{ numberId: string; msisdn: string; reservedUntil: string }> {
      const principal = requireStaff(p, FRONT_DESK);
      return db.transaction(async (q) => {
        const found = await repo.find(q, id, undefined, true);
        if (!found) throw new DomainError('registration.not_found');
        const { flow } = found;
        assertStoreAccess(principal, flow.tenantId, flow.storeId);
        const now = clock();
        if (isEnded(flow.state) || flow.state === 'number_assigned') throw new DomainError('registration.invalid_transition', `No number can be reserved in state '${flow.state}'`);
        if (now >= flow.expiresAt) throw new DomainError('registration.expired');
        await numbersRepository.releaseReservation(q, flow.id, now);
        const n = await numbersRepository.reserve(q, { tenantId: flow.tenantId, storeId: flow.storeId, msisdn, registrationId: flow.id, until: flow.expiresAt, now });
        if (!n) throw new DomainError('registration.number_unavailable');
        await appendAudit(q, { tenantId: flow.tenantId, actor: actorOf(principal), action: 'number.reserved', subjectType: 'number', subjectId: n.id, details: { registrationId: flow.id } });
        return { numberId: n.id, msisdn: n.msisdn, reservedUntil: flow.expiresAt.toISOString() };
      });
    },

    /** Takes the reserved (or first available) number, re-checking the caps under the person's lock. */
    assignNumber(p: Principal | undefined, id: string, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, (ctx) => rules.assignStep(ctx), { locked: true });
    },

    complete(p: Principal | undefined, id: string, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, async () => ({ type: 'complete' }));
    },

    cancel(p: Principal | undefined, id: string, reason: string, idem?: Idempotency) {
      return step(p, id, idem, FRONT_DESK, async () => ({ type: 'cancel', reason }));
    },

    /** The customer's receipt of a completed registration (masked); the read is audited. */
    async receipt(p: Principal | undefined, id: string): Promise<Receipt> {
      const principal = requireStaff(p, ['agent', 'store_manager', 'operator_admin']);
      const found = await repo.find(db, id);
      if (!found) throw new DomainError('registration.not_found');
      const { flow } = found;
      assertStoreAccess(principal, flow.tenantId, flow.storeId);
      if (flow.state !== 'completed' || !flow.document || !flow.numberId || !flow.verification || !flow.endedAt) {
        throw new DomainError('registration.invalid_transition', 'A receipt exists only for a completed registration');
      }
      const [tenant, store, number] = await Promise.all([
        tenantsRepository.getTenant(db, flow.tenantId), tenantsRepository.getStore(db, flow.storeId), numbersRepository.findById(db, flow.numberId),
      ]);
      await appendAudit(db, { tenantId: flow.tenantId, actor: actorOf(principal), action: 'registration.receipt_viewed', subjectType: 'registration', subjectId: id });
      return {
        registrationId: flow.id, completedAt: flow.endedAt.toISOString(),
        operator: { code: tenant!.code, name: tenant!.name }, store: { code: store!.code, name: store!.name }, agentId: flow.agentId,
        msisdn: number!.msisdn,
        subscriber: { maskedName: maskName(flow.document.name), documentType: flow.document.type, maskedNumber: maskDocumentNumber(flow.document.number) },
        verification: flow.verification.method, guardian: flow.guardian !== undefined,
      };
    },

    /** Sweeper: ends every open flow whose time is up and releases what it held. */
    async expireDue(limit = 500): Promise<number> {
      const now = clock();
      const ids = await repo.listExpired(db, now, limit);
      let n = 0;
      for (const id of ids) {
        await db.transaction(async (q) => {
          const found = await repo.find(q, id, undefined, true);
          if (!found || isEnded(found.flow.state)) return;
          await persistExpiry(q, found.flow, now, await policyOf(q, found.flow.tenantId));
          n++;
        });
      }
      return n;
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
