/**
 * The registration workflow as data: the flow record, its states, and one pure
 * `transition(flow, event, now)` that returns the next flow or a refusal. Nothing here
 * touches the database or the clock; the service persists what this decides.
 *
 * created → document_captured → consent_recorded → face_verified → rules_passed
 *   → number_assigned → completed, with manual_review_pending as the non-face path
 *   between consent_recorded and face_verified; rejected / expired / cancelled end it.
 */
import type { ErrorCode } from '../errors/errors.ts';

export const openStates = [
  'created', 'document_captured', 'consent_recorded', 'manual_review_pending',
  'face_verified', 'rules_passed', 'number_assigned',
] as const;
export const endStates = ['completed', 'rejected', 'expired', 'cancelled'] as const;
export type OpenState = (typeof openStates)[number];
export type EndState = (typeof endStates)[number];
export type RegistrationState = OpenState | EndState;

export const MAX_FACE_ATTEMPTS = 3;

/** States in which a minor's guardian can be recorded (and take a liveness challenge): from the document's capture until the rules are checked. */
export const guardianStates: readonly RegistrationState[] = ['document_captured', 'consent_recorded', 'manual_review_pending', 'face_verified'];

/** The document as captured and validated; held encrypted at rest. */
export interface CapturedDocument {
  type: string;
  number: string;
  name: string;
  birthDate?: string;
  sex?: 'M' | 'F';
  expiryDate?: string;
  regionCode?: string;
  source: 'manual_entry' | 'card_reader' | 'document_photo';
}

export interface Consent {
  biometric: boolean;
  textVersion: string;
  textSha256: string;
  locale: string;
  answeredAt: string;
}

export interface Verification {
  method: 'face' | 'manual_review';
  score?: number;
  threshold?: number;
  targetFmr?: number;
  estimatedFmr?: number;
  engine?: string;
  reviewerId?: string;
  reviewNote?: string;
  at: string;
}

export interface Guardian {
  subscriberId: string;
  relation: 'parent' | 'legal_guardian';
  method: 'face' | 'manual_review';
  age: number | undefined;
  at: string;
}

export interface RegistrationFlow {
  id: string;
  tenantId: string;
  storeId: string;
  agentId: string;
  state: RegistrationState;
  reasonCode: string | null;
  version: number;
  document: CapturedDocument | undefined;
  docHmac: Buffer | undefined;
  consent: Consent | undefined;
  verification: Verification | undefined;
  faceAttempts: number;
  guardian: Guardian | undefined;
  rules: Record<string, unknown> | undefined;
  numberId: string | null;
  subscriberId: string | null;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export type RegistrationEvent =
  | { type: 'capture_document'; document: CapturedDocument; docHmac: Buffer }
  | { type: 'record_consent'; consent: Consent }
  | { type: 'face_result'; match: boolean; verification: Verification; reasons: string[] }
  | { type: 'request_manual_review'; manualReviewEnabled: boolean }
  | { type: 'manual_review_decision'; approved: boolean; verification: Verification }
  | { type: 'add_guardian'; guardian: Guardian }
  | { type: 'rules_result'; passed: boolean; refusals: string[]; rules: Record<string, unknown>; subscriberId: string }
  | { type: 'number_assigned'; numberId: string }
  | { type: 'assignment_refused'; reason: string }
  | { type: 'complete' }
  | { type: 'cancel'; reason: string }
  | { type: 'expire' };

export type TransitionResult =
  | { ok: true; flow: RegistrationFlow; action: string; details: Record<string, unknown> }
  | { ok: false; code: ErrorCode; detail: string };

/** Which events each open state accepts (besides cancel and expire, accepted by all). */
const accepts: Record<OpenState, readonly RegistrationEvent['type'][]> = {
  created: ['capture_document'],
  document_captured: ['capture_document', 'record_consent', 'add_guardian'],
  consent_recorded: ['face_result', 'request_manual_review', 'add_guardian'],
  manual_review_pending: ['manual_review_decision', 'add_guardian'],
  face_verified: ['rules_result', 'add_guardian'],
  rules_passed: ['number_assigned', 'assignment_refused'],
  number_assigned: ['complete'],
};

export function isEnded(state: RegistrationState): state is EndState {
  return (endStates as readonly string[]).includes(state);
}

function refuse(code: ErrorCode, detail: string): TransitionResult {
  return { ok: false, code, detail };
}

function end(flow: RegistrationFlow, state: EndState, reason: string | null, now: Date): RegistrationFlow {
  return { ...flow, state, reasonCode: reason, endedAt: now };
}

export function transition(flow: RegistrationFlow, event: RegistrationEvent, now: Date): TransitionResult {
  if (isEnded(flow.state)) return refuse('registration.ended', `The registration ended as ${flow.state}`);
  const expired = now.getTime() >= flow.expiresAt.getTime();
  if (event.type === 'expire') {
    if (!expired) return refuse('registration.invalid_transition', 'The registration has not expired yet');
    return ok(end(flow, 'expired', 'registration.expired', now), 'registration.expired', { from: flow.state });
  }
  if (expired) return refuse('registration.expired', 'The registration session has expired; start a new one');
  if (event.type === 'cancel') {
    return ok(end(flow, 'cancelled', event.reason, now), 'registration.cancelled', { from: flow.state, reason: event.reason });
  }
  const state = flow.state as OpenState;
  if (!accepts[state].includes(event.type)) {
    return refuse('registration.invalid_transition', `'${event.type}' is not allowed in state '${state}'`);
  }
  switch (event.type) {
    case 'capture_document':
      return ok({ ...flow, state: 'document_captured', document: event.document, docHmac: event.docHmac },
        'registration.document_captured', { docType: event.document.type, source: event.document.source, recapture: state === 'document_captured' });
    case 'record_consent':
      return ok({ ...flow, state: 'consent_recorded', consent: event.consent },
        'registration.consent_recorded', { biometric: event.consent.biometric, textVersion: event.consent.textVersion, textSha256: event.consent.textSha256, locale: event.consent.locale });
    case 'face_result': {
      if (!flow.consent?.biometric) return refuse('registration.invalid_transition', 'No biometric consent was given; use manual review');
      const attempts = flow.faceAttempts + 1;
      const details = { match: event.match, attempt: attempts, score: event.verification.score, threshold: event.verification.threshold, targetFmr: event.verification.targetFmr, reasons: event.reasons };
      if (event.match) return ok({ ...flow, state: 'face_verified', verification: event.verification, faceAttempts: attempts }, 'registration.face_verified', details);
      const next = { ...flow, faceAttempts: attempts };
      if (attempts >= MAX_FACE_ATTEMPTS) return ok(end(next, 'rejected', 'face.no_match', now), 'registration.rejected', { ...details, reason: 'face.no_match' });
      return ok(next, 'registration.face_attempt_failed', details);
    }
    case 'request_manual_review':
      if (!event.manualReviewEnabled) return refuse('registration.invalid_transition', 'Manual review is disabled for this operator');
      return ok({ ...flow, state: 'manual_review_pending' }, 'registration.manual_review_requested', { biometricConsent: flow.consent?.biometric ?? false });
    case 'manual_review_decision':
      if (!event.approved) {
        return ok(end({ ...flow, verification: event.verification }, 'rejected', 'manual_review.rejected', now),
          'registration.rejected', { reason: 'manual_review.rejected', reviewerId: event.verification.reviewerId });
      }
      return ok({ ...flow, state: 'face_verified', verification: event.verification },
        'registration.manually_verified', { reviewerId: event.verification.reviewerId, note: event.verification.reviewNote });
    case 'add_guardian':
      return ok({ ...flow, guardian: event.guardian }, 'registration.guardian_recorded',
        { guardianSubscriberId: event.guardian.subscriberId, relation: event.guardian.relation, method: event.guardian.method });
    case 'rules_result':
      if (!event.passed) {
        const reason = event.refusals[0] ?? 'policy.refused';
        return ok(end({ ...flow, rules: event.rules, subscriberId: event.subscriberId }, 'rejected', reason, now),
          'registration.rejected', { reason, refusals: event.refusals, ...event.rules });
      }
      return ok({ ...flow, state: 'rules_passed', rules: event.rules, subscriberId: event.subscriberId }, 'registration.rules_passed', event.rules);
    case 'number_assigned':
      return ok({ ...flow, state: 'number_assigned', numberId: event.numberId }, 'registration.number_assigned', { numberId: event.numberId });
    case 'assignment_refused':
      return ok(end(flow, 'rejected', event.reason, now), 'registration.rejected', { reason: event.reason });
    case 'complete':
      return ok(end(flow, 'completed', null, now), 'registration.completed', { numberId: flow.numberId });
  }
}

function ok(flow: RegistrationFlow, action: string, details: Record<string, unknown>): TransitionResult {
  return { ok: true, flow: { ...flow, version: flow.version + 1 }, action, details };
}
