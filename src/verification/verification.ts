/**
 * Identity verifications outside a registration: a person proves, by face match against their
 * document or in person before a store manager, that they are the holder of a document. The
 * proof is a short-lived `verifications` row (doc HMAC and the face result, never the document
 * number or name) that another use case then spends: self-service lookup, passing a
 * re-verification, a transfer or a surrender. Types and the pure access rules live here.
 *
 * Lifetime: a verification expires 10 minutes after it was made. Re-verification and transfer
 * verifications are single use (`used_at`). Self-service verifications are a 10-minute window:
 * the lookup and "not mine" reports may use one repeatedly until it expires; `used_at` records
 * the first use (see subscribers.service.ts).
 */
import { DomainError } from '../errors/errors.ts';
import type { Principal } from '../staff/principal.ts';

export const verificationPurposes = ['self_service', 'reverification', 'transfer'] as const;
export type VerificationPurpose = (typeof verificationPurposes)[number];
export type VerificationMethod = 'face' | 'manual_review';

/** How long a verification may be used after it was made. */
export const VERIFICATION_TTL_MS = 10 * 60_000;
/** Target false-match rate when no operator is named (the policy default). */
export const DEFAULT_FACE_FMR = 1e-3;

/** What the verifications row keeps about the decision: codes and scores, no identity data. */
export type VerificationResult =
  | { method: 'face'; score: number; threshold: number; targetFmr: number; estimatedFmr: number; engine: string; documentExpired: boolean }
  | { method: 'manual_review'; reviewerId: string; storeId: string; documentExpired: boolean };

export interface VerificationRecord {
  id: string;
  purpose: VerificationPurpose;
  tenantId: string | null;
  subscriberId: string | null;
  docHmac: Buffer;
  method: VerificationMethod;
  result: VerificationResult;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The answer to a face verification: a usable id, or a coded refusal (nothing stored). */
export type VerifyOutcome =
  | { verified: true; verificationId: string; purpose: VerificationPurpose; method: VerificationMethod; expiresAt: Date; result: VerificationResult }
  | { verified: false; code: 'face.no_match'; reasons: string[]; score: number; threshold: number };


/**
 * Who may have a face verification made, and for which operator it counts:
 * - anyone (no login: a kiosk or the self-service site) for self_service and reverification,
 *   for the operator they name (or none);
 * - agents and store managers at their store for every purpose, always for their own operator;
 * - transfer verifications only at a store (staff), because a transfer is done at the counter.
 * Operator admins, regulators and API keys do not verify people.
 */
export function faceVerificationTenant(p: Principal | undefined, purpose: VerificationPurpose, requestedTenantId: string | undefined): string | undefined {
  if (p === undefined) {
    if (purpose === 'transfer') throw new DomainError('auth.required', 'A transfer verification is made at a store');
    return requestedTenantId;
  }
  if (p.kind !== 'staff' || (p.role !== 'agent' && p.role !== 'store_manager') || !p.tenantId || !p.storeId) throw new DomainError('auth.forbidden');
  if (requestedTenantId !== undefined && requestedTenantId !== p.tenantId) throw new DomainError('auth.forbidden');
  return p.tenantId;
}

/** The manual path: a store manager attests, for a person at the counter, that they match the document. */
export function manualVerificationReviewer(p: Principal | undefined, purpose: VerificationPurpose): { reviewerId: string; tenantId: string; storeId: string } {
  if (!p) throw new DomainError('auth.required');
  if (p.kind !== 'staff' || p.role !== 'store_manager' || !p.tenantId || !p.storeId) throw new DomainError('auth.forbidden', 'Only a store manager may verify a person in place of the face match');
  if (purpose === 'self_service') throw new DomainError('request.invalid', 'Manual verification is for re-verification and transfers');
  return { reviewerId: p.staffId, tenantId: p.tenantId, storeId: p.storeId };
}

/** True when the document carries an expiry date before `now`'s date. */
export function documentExpiredOn(expiryDate: string | undefined, now: Date): boolean {
  return expiryDate !== undefined && expiryDate < now.toISOString().slice(0, 10);
}
