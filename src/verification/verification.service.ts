/**
 * Verification use cases: a face verification (anyone for self-service and re-verification,
 * staff at a store for transfers) and the manual verification by a store manager. Other
 * concepts spend the resulting row with `spendVerification` inside their own transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit, type Actor } from '../audit/audit.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { FaceVerifier } from '../face/face.ts';
import { actorOf, type Principal } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { readDocument, type DocumentInput } from '../subscribers/identity.ts';
import { createSubscribersRepository } from '../subscribers/subscribers.repository.ts';
import { verificationRepository, type SpendFilter } from './verification.repository.ts';
import {
  DEFAULT_FACE_FMR, VERIFICATION_TTL_MS, documentExpiredOn, faceVerificationTenant, manualVerificationReviewer, verificationPurposes,
  type VerificationMethod, type VerificationPurpose, type VerificationRecord, type VerificationResult, type VerifyOutcome,
} from './verification.ts';
import { isUuid } from '../db/ids.ts';

export interface VerificationDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
  /** The face engine; undefined = face verification unavailable (503), manual path only. */
  face: FaceVerifier | undefined;
  /** Passed liveness sessions, whose best frame is the live face; undefined = face verification unavailable. */
  liveness: LivenessFrames | undefined;
}

/** Where a face verification gets the live face: a passed liveness session started for its purpose. */
export interface LivenessFrames {
  takeForVerification(q: Queryable, sessionId: string, purpose: VerificationPurpose, tenantId: string | undefined, now: Date): Promise<Buffer>;
}

export interface VerifyIdentityInput {
  purpose: VerificationPurpose;
  /** The operator the verification is for (its target FMR; spending checks it); none = any. */
  tenantId?: string | undefined;
  document: DocumentInput;
  idPhoto: Buffer;
  /** A passed liveness session started for this purpose (POST /v1/liveness/challenges); used up here. */
  livenessSessionId: string;
  /** Who asked (audit); default: the person themselves (self-service). */
  actor?: Actor;
}

const selfServiceActor: Actor = { type: 'subscriber', id: null };

function checkPurpose(purpose: string): asserts purpose is VerificationPurpose {
  if (!(verificationPurposes as readonly string[]).includes(purpose)) throw new DomainError('request.invalid', 'Unknown verification purpose');
}

async function targetFmrOf(q: Queryable, tenantId: string | undefined): Promise<number> {
  if (tenantId === undefined) return DEFAULT_FACE_FMR;
  const tenant = isUuid(tenantId) ? await tenantsRepository.getTenant(q, tenantId) : undefined;
  if (!tenant) throw new DomainError('tenant.not_found');
  return tenant.policy.faceFalseMatchRate;
}

/**
 * Stores a verified identity: the doc HMAC, the decision, and the person's row when known.
 * A transfer verification creates the person's row if needed, because the new holder of a
 * number may never have registered and the row is where their identity is kept (encrypted).
 */
async function store(deps: VerificationDeps, q: Queryable, a: {
  purpose: VerificationPurpose; tenantId: string | null; method: VerificationMethod; result: VerificationResult;
  read: ReturnType<typeof readDocument>; now: Date; actor: Actor;
}): Promise<VerificationRecord> {
  const subscribers = createSubscribersRepository(deps.keyring);
  const subscriberId = a.purpose === 'transfer'
    ? await subscribers.upsert(q, a.read.document, a.read.docHmac)
    : await subscribers.findIdByHmac(q, a.read.docHmac) ?? null;
  const record: VerificationRecord = {
    id: randomUUID(), purpose: a.purpose, tenantId: a.tenantId, subscriberId, docHmac: a.read.docHmac, method: a.method,
    result: a.result, createdAt: a.now, expiresAt: new Date(a.now.getTime() + VERIFICATION_TTL_MS), usedAt: null,
  };
  await verificationRepository.insert(q, record);
  const { documentExpired: _omit, ...facts } = a.result;
  await appendAudit(q, {
    tenantId: a.tenantId, actor: a.actor, action: 'verification.created', subjectType: 'verification', subjectId: record.id, at: a.now,
    details: { purpose: a.purpose, docType: a.read.document.type, ...facts },
  });
  return record;
}

/**
 * Validates the document, takes the live face from a passed liveness session, runs the face
 * engine at the operator's (or the default) target false-match rate, and on a match stores a
 * verification usable for 10 minutes. A non-match stores nothing but an audit event with the
 * codes and score (and uses the liveness session up). No access checks: callers decide
 * who may verify (see `createVerificationService`).
 */
export async function verifyIdentity(deps: VerificationDeps, input: VerifyIdentityInput): Promise<VerifyOutcome> {
  const { face, liveness } = deps;
  if (!face || !liveness) throw new DomainError('registration.face_engine_unavailable');
  checkPurpose(input.purpose);
  const now = deps.clock();
  const read = readDocument(deps.keyring, input.document, now);
  if (input.idPhoto.length === 0) throw new DomainError('request.invalid', 'The document photo is needed');
  const targetFmr = await targetFmrOf(deps.db, input.tenantId);
  const actor = input.actor ?? selfServiceActor;
  const tenantId = input.tenantId ?? null;
  // one transaction: the liveness session is used up exactly when a decision is recorded
  return deps.db.transaction(async (q): Promise<VerifyOutcome> => {
    const livePhoto = await liveness.takeForVerification(q, input.livenessSessionId, input.purpose, input.tenantId, now);
    const d = await face.verify({ idPhoto: input.idPhoto, livePhoto }, targetFmr);
    if (!d.match) {
      await appendAudit(q, {
        tenantId, actor, action: 'verification.failed', at: now,
        details: { purpose: input.purpose, method: 'face', livenessSessionId: input.livenessSessionId, score: d.score, threshold: d.threshold, targetFmr: d.targetFmr, engine: d.engine, reasons: d.reasons },
      });
      return { verified: false, code: 'face.no_match', reasons: d.reasons, score: d.score, threshold: d.threshold };
    }
    const result: VerificationResult = {
      method: 'face', score: d.score, threshold: d.threshold, targetFmr: d.targetFmr, estimatedFmr: d.estimatedFmr, engine: d.engine,
      documentExpired: documentExpiredOn(read.document.expiryDate, now),
    };
    const record = await store(deps, q, { purpose: input.purpose, tenantId, method: 'face', result, read, now, actor });
    return { verified: true, verificationId: record.id, purpose: record.purpose, method: 'face', expiresAt: record.expiresAt, result };
  });
}

/** Spends a verification inside the caller's transaction; `verification.not_found` when it cannot be used. */
export async function spendVerification(q: Queryable, f: SpendFilter): Promise<VerificationRecord> {
  const v = isUuid(f.id) ? await verificationRepository.spend(q, f) : undefined;
  if (!v) throw new DomainError('verification.not_found', 'The verification is unknown, expired, already used or for another purpose');
  return v;
}

export function createVerificationService(deps: VerificationDeps) {
  return {
    /** Face verification, with the access rules of `faceVerificationTenant`. */
    async verifyIdentity(p: Principal | undefined, input: Omit<VerifyIdentityInput, 'actor'>): Promise<VerifyOutcome> {
      if (!deps.face || !deps.liveness) throw new DomainError('registration.face_engine_unavailable');
      checkPurpose(input.purpose);
      const tenantId = faceVerificationTenant(p, input.purpose, input.tenantId);
      return verifyIdentity(deps, { ...input, tenantId, actor: p ? actorOf(p) : selfServiceActor });
    },

    /**
     * A store manager checks the person at the counter against their document (photo, security
     * features) and attests it: for re-verification or a transfer, at the manager's operator.
     */
    async verifyManually(p: Principal | undefined, input: { purpose: VerificationPurpose; document: DocumentInput }): Promise<VerifyOutcome & { verified: true }> {
      checkPurpose(input.purpose);
      const reviewer = manualVerificationReviewer(p, input.purpose);
      const now = deps.clock();
      const read = readDocument(deps.keyring, input.document, now);
      const tenant = await tenantsRepository.getTenant(deps.db, reviewer.tenantId);
      if (!tenant) throw new DomainError('tenant.not_found');
      if (!tenant.policy.manualReviewEnabled) throw new DomainError('auth.forbidden', 'Manual verification is disabled for this operator');
      const result: VerificationResult = {
        method: 'manual_review', reviewerId: reviewer.reviewerId, storeId: reviewer.storeId, documentExpired: documentExpiredOn(read.document.expiryDate, now),
      };
      const record = await deps.db.transaction((q) => store(deps, q, {
        purpose: input.purpose, tenantId: reviewer.tenantId, method: 'manual_review', result, read, now, actor: actorOf(p!),
      }));
      return { verified: true, verificationId: record.id, purpose: record.purpose, method: 'manual_review', expiresAt: record.expiresAt, result };
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
