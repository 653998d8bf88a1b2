/**
 * The steps of a registration that consult something outside the flow: the face engine, the
 * guardian's document, the policy counts, the number inventory. Each turns a request into a
 * workflow event; the service persists it. Side effects here happen inside the step's
 * transaction (assignment, guardian) so a refused step leaves nothing behind.
 */
import type { Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { FaceVerifier } from '../face/face.ts';
import type { StaffPrincipal } from '../staff/principal.ts';
import { evaluateRules, guardianAdultAgeYears, type PolicySettings } from '../policy/policy.ts';
import type { SubscribersRepository } from '../subscribers/subscribers.repository.ts';
import { ageFromDocument, readDocument, type DocumentInput } from '../subscribers/identity.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { guardianStates, type RegistrationEvent, type RegistrationFlow } from './registration.ts';
import type { createCapturesRepository } from './captures.repository.ts';
import type { SaveEffects } from './registration.repository.ts';
import type { LivenessSessionUse } from '../liveness/liveness.service.ts';

interface Ctx { flow: RegistrationFlow; now: Date; q: Queryable; principal: StaffPrincipal; policy: PolicySettings }

export interface GuardianInput {
  document: DocumentInput;
  relation: 'parent' | 'legal_guardian';
  method: 'face' | 'manual_review';
  /** Face method: the guardian's document photo, and their passed liveness session of this registration (POST /v1/registrations/{id}/guardian/liveness). */
  idPhoto?: Buffer;
  livenessSessionId?: string;
}

function requireState(flow: RegistrationFlow, ...states: RegistrationFlow['state'][]): void {
  if (!states.includes(flow.state)) throw new DomainError('registration.invalid_transition', `Not allowed in state '${flow.state}'`);
}

/** Where the face steps get the live face: the best frame of a passed liveness session of the registration (the person's, or their guardian's). */
export interface LivenessGate {
  /** The person's session: its frame, read; the session is used up by the save that records the decision. */
  readBestFrame(q: Queryable, sessionId: string, registrationId: string, now: Date): Promise<{ frame: Buffer; use: LivenessSessionUse }>;
  /** The guardian's session: its frame, and the session used up, inside the step's transaction. */
  takeGuardianFrame(q: Queryable, sessionId: string, registrationId: string, now: Date): Promise<Buffer>;
}

/** An event and what its save must do besides the flow itself. */
export interface StepDecision { event: RegistrationEvent; effects: SaveEffects }

export function createRuleSteps(deps: { keyring: Keyring; subscribers: SubscribersRepository; deploymentCap: number; face: FaceVerifier | undefined; liveness: LivenessGate | undefined }) {
  const { keyring, subscribers } = deps;

  function engine(): FaceVerifier {
    if (!deps.face) throw new DomainError('registration.face_engine_unavailable');
    return deps.face;
  }

  return {
    /**
     * 1:1 match of the live face against the document photo, at the operator's target FMR. The
     * live face is the best frame of a passed liveness session of this registration: no photo
     * from elsewhere can stand in. The session is used up by the statement that saves the
     * decision, only if it is still passed and fresh then, so it serves exactly one decision.
     */
    async faceStep(ctx: Ctx, input: { livenessSessionId: string; idPhoto?: Buffer }, captures: ReturnType<typeof createCapturesRepository>): Promise<StepDecision> {
      const face = engine();
      if (!deps.liveness) throw new DomainError('registration.face_engine_unavailable');
      requireState(ctx.flow, 'consent_recorded');
      if (!ctx.flow.consent?.biometric) throw new DomainError('registration.invalid_transition', 'No biometric consent was given; use manual review');
      const idPhoto = input.idPhoto ?? await captures.get(ctx.q, ctx.flow.id, 'id_photo');
      if (!idPhoto) throw new DomainError('request.invalid', 'No photo of the document: send idPhoto or capture it with the document');
      const live = await deps.liveness.readBestFrame(ctx.q, input.livenessSessionId, ctx.flow.id, ctx.now);
      const d = await face.verify({ idPhoto, livePhoto: live.frame }, ctx.policy.faceFalseMatchRate);
      return {
        event: {
          type: 'face_result', match: d.match, reasons: d.reasons,
          verification: { method: 'face', score: d.score, threshold: d.threshold, targetFmr: d.targetFmr, estimatedFmr: d.estimatedFmr, engine: d.engine, at: ctx.now.toISOString() },
        },
        effects: { useLivenessSession: live.use },
      };
    },

    /**
     * A minor's guardian: their own document, verified by face (their document photo against the
     * best frame of their own liveness challenge) or by a store manager in person. A guardian who
     * is the person registering, or whose document does not show an adult, is refused here, before
     * any face work, and the registration stays open for the right guardian (the rules step would
     * otherwise end it with `policy.guardian_not_adult`).
     */
    async guardianStep(ctx: Ctx, input: GuardianInput): Promise<RegistrationEvent> {
      requireState(ctx.flow, ...guardianStates);
      const { document, docHmac } = readDocument(keyring, input.document, ctx.now);
      if (ctx.flow.docHmac && docHmac.equals(ctx.flow.docHmac)) throw new DomainError('registration.guardian_same_person', 'The guardian must be another person');
      const age = ageFromDocument(document, ctx.now);
      if (age === undefined || age < guardianAdultAgeYears) {
        throw new DomainError('policy.guardian_not_adult', age === undefined ? 'The guardian\'s document shows no birth date' : `The guardian must be at least ${guardianAdultAgeYears}`);
      }
      if (input.method === 'manual_review') {
        if (ctx.principal.role !== 'store_manager') throw new DomainError('auth.forbidden', 'Only a store manager may verify a guardian in person');
      } else {
        const face = engine();
        if (!deps.liveness) throw new DomainError('registration.face_engine_unavailable');
        if (!input.idPhoto || !input.livenessSessionId) throw new DomainError('request.invalid', 'Face verification of the guardian needs idPhoto and livenessSessionId');
        // the guardian's own passed challenge of this registration: their live face, not a photo
        const livePhoto = await deps.liveness.takeGuardianFrame(ctx.q, input.livenessSessionId, ctx.flow.id, ctx.now);
        const d = await face.verify({ idPhoto: input.idPhoto, livePhoto }, ctx.policy.faceFalseMatchRate);
        if (!d.match) throw new DomainError('verification.failed', 'The guardian\'s face did not match their document', { reasons: d.reasons, score: d.score, threshold: d.threshold });
      }
      const subscriberId = await subscribers.upsert(ctx.q, document, docHmac);
      return {
        type: 'add_guardian',
        guardian: { subscriberId, relation: input.relation, method: input.method, age, at: ctx.now.toISOString() },
      };
    },

    /** Blocklist, caps, document expiry and minors, with the counts the decision rested on. */
    async rulesStep(ctx: Ctx): Promise<RegistrationEvent> {
      requireState(ctx.flow, 'face_verified');
      const { document, docHmac } = ctx.flow;
      if (!document || !docHmac) throw new DomainError('registration.invalid_transition', 'No document captured');
      const { id: subscriberId, held, blocklisted } = await subscribers.upsertWithRuleFacts(ctx.q, document, docHmac, ctx.flow.tenantId);
      const today = ctx.now.toISOString().slice(0, 10);
      const outcome = evaluateRules({
        policy: ctx.policy, deploymentCap: deps.deploymentCap, age: ageFromDocument(document, ctx.now), blocklisted,
        activeAtOperator: held.atOperator, activeInDeployment: held.inDeployment,
        guardian: ctx.flow.guardian ? { verified: true, age: ctx.flow.guardian.age } : undefined,
        documentExpired: document.expiryDate !== undefined && document.expiryDate < today,
      });
      return {
        type: 'rules_result', passed: outcome.passed, refusals: outcome.refusals, subscriberId,
        rules: { ...outcome.facts, minor: outcome.minor, refusals: outcome.refusals },
      };
    },

    /**
     * Runs in the step's transaction: locks the person, recounts, and takes a number only if
     * the caps still hold. Concurrent registrations of one person queue on that lock.
     */
    async assignStep(ctx: Ctx): Promise<RegistrationEvent> {
      requireState(ctx.flow, 'rules_passed');
      const subscriberId = ctx.flow.subscriberId;
      if (!subscriberId) throw new DomainError('registration.invalid_transition', 'Rules were not checked');
      await subscribers.lock(ctx.q, subscriberId);
      const { held, number: n } = await numbersRepository.activateWithinCaps(ctx.q, {
        tenantId: ctx.flow.tenantId, storeId: ctx.flow.storeId, registrationId: ctx.flow.id, subscriberId, now: ctx.now,
        operatorCap: ctx.policy.maxActiveNumbersPerPerson, deploymentCap: deps.deploymentCap,
      });
      if (held.atOperator >= ctx.policy.maxActiveNumbersPerPerson) return { type: 'assignment_refused', reason: 'policy.operator_cap_reached' };
      if (held.inDeployment >= deps.deploymentCap) return { type: 'assignment_refused', reason: 'policy.deployment_cap_reached' };
      if (!n) throw new DomainError('registration.number_unavailable', 'No number is available at this store');
      return { type: 'number_assigned', numberId: n.id };
    },
  };
}
