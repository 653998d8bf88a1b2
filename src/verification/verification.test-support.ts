/**
 * Test support for the after-registration tests (verification, subscribers, re-verification,
 * transfers; not a test file): numbers registered through the real registration workflow with
 * the scripted face verifier and liveness checker, and the header-to-principal authenticator for `app.inject()`.
 */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { createRegistrationService, type RegistrationService, type RegistrationServiceDeps } from '../registration/registration.service.ts';
import { createVerificationService, type VerificationDeps, type VerificationService } from './verification.service.ts';
import { testLiveness, type TestLiveness } from '../liveness/liveness.test-harness.ts';
import type { Principal, StaffPrincipal } from '../staff/principal.ts';

export const photo = (s: string): Buffer => Buffer.from(`image:${s}`);

/** The registration service with the scripted liveness checker's sessions in front of its face step. */
export type TestRegistrations = RegistrationService & { live: TestLiveness };

export function testRegistrations(deps: Omit<RegistrationServiceDeps, 'liveness'>): TestRegistrations {
  const live = testLiveness(deps.db, deps.keyring, deps.clock);
  return Object.assign(createRegistrationService({ ...deps, liveness: live.service }), { live });
}

/** The verification service with the scripted liveness checker's sessions as its live faces. */
export type TestVerifications = VerificationService & { live: TestLiveness };

export function testVerifications(deps: Omit<VerificationDeps, 'liveness'>): TestVerifications {
  const live = testLiveness(deps.db, deps.keyring, deps.clock);
  return Object.assign(createVerificationService({ ...deps, liveness: live.service }), { live });
}

export interface Registered { numberId: string; msisdn: string; subscriberId: string; registrationId: string }

/** Registers one number (the chosen `msisdn`, else the first available) for a person through every step of the real workflow. */
export async function registerNumber(db: Database, svc: TestRegistrations, agent: StaffPrincipal, idNumber: string, name: string, msisdn?: string): Promise<Registered> {
  const r = await svc.start(agent);
  if (msisdn) await svc.reserveNumber(agent, r.id, msisdn);
  await svc.captureDocument(agent, r.id, { type: 'cn_resident_id', number: idNumber, name, idPhoto: photo('chip') });
  await svc.recordConsent(agent, r.id, { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' });
  await svc.submitFace(agent, r.id, { livenessSessionId: await svc.live.pass(agent, r.id, photo('live')) });
  const ruled = await svc.checkRules(agent, r.id);
  if (ruled.state !== 'rules_passed') throw new Error(`registration refused: ${ruled.reasonCode}`);
  const assigned = await svc.assignNumber(agent, r.id);
  if (!assigned.numberId) throw new Error(`no number assigned: ${assigned.reasonCode}`);
  await svc.complete(agent, r.id);
  const n = await numbersRepository.findById(db, assigned.numberId);
  if (!n?.holderId) throw new Error('the assigned number has no holder');
  return { numberId: n.id, msisdn: n.msisdn, subscriberId: n.holderId, registrationId: r.id };
}

/** Code of the DomainError a promise rejects with ('no error' when it resolves). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as { code?: string }).code ?? String(e); }
  return 'no error';
}

/**
 * Test seam for `buildApp`: the `x-test-principal` header names one of `principals` (the
 * staff/API-key authenticator is tested in the staff module); the access rules are the real ones.
 */
export function headerAuthenticate(principals: () => Record<string, Principal>) {
  return async (req: FastifyRequest): Promise<Principal | undefined> => {
    const name = req.headers['x-test-principal'];
    if (name === undefined) return undefined;
    const p = principals()[String(name)];
    if (!p) throw new DomainError('auth.invalid_credentials');
    return p;
  };
}

/** Rows of audit events with these actions, oldest first. */
export async function auditOf(db: Database, actions: readonly string[]) {
  const { rows } = await db.query<{ action: string; tenant_id: string | null; actor_type: string; actor_id: string | null; subject_id: string | null; details: Record<string, unknown> }>(
    'SELECT action, tenant_id, actor_type, actor_id, subject_id, details FROM audit_events WHERE action = ANY($1::text[]) ORDER BY id', [actions]);
  return rows;
}
