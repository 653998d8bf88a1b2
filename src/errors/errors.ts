/**
 * The one list of domain error codes. Services throw `DomainError(code)`; the HTTP layer
 * maps a code to a status and an `application/problem+json` body whose `type` is
 * `https://portrait.dev/problems/<code>` — stable, documented, never renamed.
 * Expected outcomes (face mismatch, bad check digit) are results, not errors.
 */
export const errorCodes = {
  // generic
  'request.invalid': { status: 400, title: 'The request is not valid' },
  'request.too_large': { status: 413, title: 'The request body is too large' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported content type' },
  'not_found': { status: 404, title: 'Not found' },
  'rate_limited': { status: 429, title: 'Too many requests' },
  'internal': { status: 500, title: 'Internal error' },
  'conflict.idempotency_key_reused': { status: 422, title: 'Idempotency key was used for a different request' },
  // auth
  'auth.required': { status: 401, title: 'Authentication required' },
  'auth.invalid_credentials': { status: 401, title: 'Wrong username or password' },
  'auth.locked_out': { status: 429, title: 'Too many failed logins; try again later' },
  'auth.forbidden': { status: 403, title: 'Not allowed for this role or scope' },
  'auth.password_change_required': { status: 403, title: 'A new password must be set first' },
  'auth.password_weak': { status: 400, title: 'The new password is too weak' },
  // documents
  'document.invalid': { status: 422, title: 'The identity document is not valid' },
  // face engine: input that cannot be analysed at all (a face that is not found is a result, not an error)
  'face.image_invalid': { status: 422, title: 'The image cannot be decoded (not a JPEG, PNG, BMP or WebP image)' },
  'face.image_too_large': { status: 413, title: 'The image is larger than the configured byte or pixel limit' },
  'face.engine_busy': { status: 503, title: 'The face engine is at capacity; try again shortly' },
  // liveness: uploads that cannot be analysed, and sessions that cannot take them (a face that
  // does not blink is a result with reasons, not an error)
  'liveness.frames_invalid': { status: 422, title: 'A frame cannot be decoded, or the upload breaks the documented limits' },
  'liveness.session_not_found': { status: 404, title: 'Liveness session not found' },
  'liveness.nonce_mismatch': { status: 403, title: 'The frames are not tagged with this session\'s nonce' },
  'liveness.nonce_used': { status: 409, title: 'This liveness session has already taken its frames; start a new challenge' },
  'liveness.challenge_expired': { status: 410, title: 'The liveness challenge has expired; start a new one' },
  'liveness.too_many_sessions': { status: 429, title: 'Too many liveness challenges for this registration; use manual review' },
  'liveness.required': { status: 409, title: 'The face step needs a passed liveness session of this registration' },
  // registration workflow
  'registration.not_found': { status: 404, title: 'Registration not found' },
  'registration.invalid_transition': { status: 409, title: 'This step is not allowed in the current state' },
  'registration.expired': { status: 410, title: 'The registration session has expired' },
  'registration.ended': { status: 409, title: 'The registration has already ended' },
  'registration.concurrent_update': { status: 409, title: 'The registration was changed by another request' },
  'registration.face_engine_unavailable': { status: 503, title: 'No face engine is configured; use manual review' },
  'registration.number_unavailable': { status: 409, title: 'The chosen number is not available' },
  'registration.guardian_same_person': { status: 422, title: 'The guardian must be another person than the one registering' },
  // policy
  'policy.invalid_settings': { status: 400, title: 'The policy settings are not valid' },
  'policy.transfer_disabled': { status: 403, title: 'Number transfer is disabled for this operator' },
  'policy.guardian_not_adult': { status: 422, title: 'The guardian must be an adult (18 or older), as their document shows' },
  // numbers
  'number.not_found': { status: 404, title: 'Number not found' },
  'number.invalid_state': { status: 409, title: 'The number is not in a state that allows this' },
  'number.invalid_format': { status: 400, title: 'The phone number is not valid' },
  // verification
  'verification.failed': { status: 403, title: 'Identity verification failed' },
  'verification.not_found': { status: 404, title: 'Verification not found or expired' },
  // tenants, stores, staff
  'tenant.not_found': { status: 404, title: 'Operator not found' },
  'store.not_found': { status: 404, title: 'Store not found' },
  'staff.username_taken': { status: 409, title: 'Username already taken' },
  'campaign.not_found': { status: 404, title: 'Campaign not found' },
  // staff accounts and API keys
  'staff.not_found': { status: 404, title: 'Staff account not found' },
  'api_key.not_found': { status: 404, title: 'API key not found' },
  // after registration: verification, re-verification, transfers
  'verification.not_holder': { status: 403, title: 'The verified person is not the holder of this number' },
  'reverification.not_found': { status: 404, title: 'Re-verification not found' },
  'reverification.not_pending': { status: 409, title: 'The re-verification is already resolved' },
  'transfer.refused': { status: 409, title: 'The new holder may not take this number under the operator\'s rules' },
  // operator administration: tenants, stores, blocklist
  'tenant.code_taken': { status: 409, title: 'An operator with this code already exists' },
  'store.code_taken': { status: 409, title: 'This operator already has a store with this code' },
  'blocklist.not_found': { status: 404, title: 'Blocklist entry not found' },
  'blocklist.already_listed': { status: 409, title: 'This document is already on this blocklist' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export const problemTypeBase = 'https://portrait.dev/problems/';

/** A refusal with a stable code; `detail` is a plain sentence and must not contain PII. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>) {
    super(detail ?? errorCodes[code].title);
    this.name = 'DomainError';
    this.code = code;
    this.extra = extra;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
