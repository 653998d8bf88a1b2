/**
 * Test support for the access matrix (not a test file): the whole server on an in-memory
 * PGlite with two operators A and B, one logged-in account per role (real sessions through
 * /v1/auth/login, one-time passwords replaced through /v1/auth/password), an agent at a second
 * store of A, a partner API key of A, and real resources of A (at its first store). `fresh`
 * makes a new resource for a request whose success would otherwise consume a shared one (a
 * registration step, a verification, a session). The server's clock can be moved
 * (`clock.shift`), for session expiry.
 */
import { openPglite } from '../db/database.ts';
import { loadConfig } from '../config/config.ts';
import { createPortrait, type Portrait } from '../server/server.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { harnessFrames, scriptedLivenessChecker } from '../liveness/liveness.test-harness.ts';
import { systemActor } from '../audit/audit.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { residentId } from '../registration/registration.fixtures.ts';
import { verifyIdentity } from '../verification/verification.service.ts';
import type { VerificationPurpose } from '../verification/verification.ts';
import { openReverification } from '../reverification/reverification.service.ts';
import type { Role, StaffPrincipal } from '../staff/principal.ts';

export const callers = ['anonymous', 'agentA', 'managerA', 'adminA', 'regulator', 'apiKeyA', 'agentB', 'managerB', 'adminB', 'agentA2'] as const;
export type Caller = (typeof callers)[number];
export type StaffCaller = Exclude<Caller, 'anonymous' | 'apiKeyA'>;
export const staffCallers: readonly StaffCaller[] = ['agentA', 'managerA', 'adminA', 'regulator', 'agentB', 'managerB', 'adminB', 'agentA2'];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface Reply { status: number; contentType: string; body: string; json: () => Record<string, unknown> }

/** A person: a valid resident ID (Beijing Dongcheng, born 1980) and a name. */
export interface Person { type: 'cn_resident_id'; number: string; name: string }

/** A number held after a completed registration. */
export interface Held { registrationId: string; numberId: string; msisdn: string; holderId: string; person: Person }

export type OpenState = 'created' | 'document_captured' | 'consent_recorded' | 'manual_review_pending' | 'face_verified' | 'rules_passed' | 'number_assigned';

export const base64 = (s: string): string => Buffer.from(`image bytes of ${s} (access matrix)`).toString('base64');

const config = loadConfig({ PORTRAIT_MASTER_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent', PORTRAIT_TEST_HARNESS: '1' });
const strongPassword = (who: string, n: number) => `Matrix-${who}-Pass-${n}!`;

export async function buildWorld() {
  const face = scriptedFaceVerifier({ testHarness: config.testHarness, fallback: true });
  let clockOffsetMs = 0;
  const now = () => new Date(Date.now() + clockOffsetMs);
  const liveness = scriptedLivenessChecker({ testHarness: config.testHarness });
  const portrait: Portrait = await createPortrait(config, { db: await openPglite(), face, liveness, clock: now, background: false, warn: () => undefined });
  const { db, services } = portrait;
  const tokens = {} as Record<StaffCaller, string>;
  const passwords = {} as Record<StaffCaller, string>;
  const usernames = {} as Record<StaffCaller, string>;
  const principals = {} as Record<StaffCaller, StaffPrincipal>;
  let apiKeyA = '';
  let counter = 0;
  const next = () => ++counter;

  function headersOf(caller: Caller, token?: string): Record<string, string> {
    if (caller === 'anonymous') return {};
    if (caller === 'apiKeyA') return { 'x-api-key': apiKeyA };
    return { authorization: `Bearer ${token ?? tokens[caller]}` };
  }

  /** One request through the real HTTP stack with exactly these headers (credentials included). */
  async function raw(method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
    const res = await portrait.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body, json: () => JSON.parse(res.body) as Record<string, unknown> };
  }

  /** One request through the real HTTP stack, as `caller` (or with a given session token). */
  async function http(caller: Caller, method: Method, url: string, body?: unknown, token?: string): Promise<Reply> {
    return raw(method, url, headersOf(caller, token), body);
  }

  async function ok(caller: Caller, method: Method, url: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await http(caller, method, url, body);
    if (r.status >= 300) throw new Error(`setup ${method} ${url} as ${caller}: ${r.status} ${r.body}`);
    return r.body ? r.json() : {};
  }

  async function login(who: StaffCaller): Promise<string> {
    return String((await ok('anonymous', 'POST', '/v1/auth/login', { username: usernames[who], password: passwords[who] })).token);
  }

  // Operator A: the demo operator (store, one account per role, 1,000 numbers), first logins as in production.
  const seed = await seedDemo(db, services.staff);
  const tenantA = seed.tenantId;
  const storeA = seed.storeId;
  const seeded: Record<'agent' | 'store_manager' | 'operator_admin' | 'regulator', StaffCaller> = {
    agent: 'agentA', store_manager: 'managerA', operator_admin: 'adminA', regulator: 'regulator',
  };
  await Promise.all(seed.accounts.map(async (a) => {
    const who = seeded[a.role];
    usernames[who] = a.username;
    passwords[who] = a.oneTimePassword;
    tokens[who] = await login(who);
    const fresh = strongPassword(who, 0);
    await ok(who, 'POST', '/v1/auth/password', { currentPassword: a.oneTimePassword, newPassword: fresh });
    passwords[who] = fresh;
  }));

  // Operator B: created by system code, as the CLI does; its admin opens the store.
  const tenantB = (await services.tenants.createTenant({ code: 'op-b', name: 'Operator B' })).id;
  async function systemAccount(who: StaffCaller, role: Role, tenantId: string, storeId?: string): Promise<void> {
    usernames[who] = `matrix.${who.toLowerCase()}`;
    passwords[who] = strongPassword(who, 0);
    await services.staff.createStaffAsSystem({
      username: usernames[who], displayName: who, role, tenantId, ...(storeId ? { storeId } : {}), password: passwords[who], mustChangePassword: false,
    });
  }
  await systemAccount('adminB', 'operator_admin', tenantB);
  tokens.adminB = await login('adminB');
  const storeB = String((await ok('adminB', 'POST', `/v1/tenants/${tenantB}/stores`, { code: 'B-001', name: 'Store B' })).id);
  await Promise.all([systemAccount('agentB', 'agent', tenantB, storeB), systemAccount('managerB', 'store_manager', tenantB, storeB)]);
  await Promise.all((['agentB', 'managerB'] as const).map(async (who) => { tokens[who] = await login(who); }));

  // A second store of A, opened by A's admin, with an agent of its own.
  const storeA2 = String((await ok('adminA', 'POST', `/v1/tenants/${tenantA}/stores`, { code: 'BJ-002', name: 'Store A2' })).id);
  await systemAccount('agentA2', 'agent', tenantA, storeA2);
  tokens.agentA2 = await login('agentA2');

  for (const who of staffCallers) {
    const me = await ok(who, 'GET', '/v1/auth/me');
    principals[who] = { kind: 'staff', staffId: String(me.id), role: me.role as Role, tenantId: me.tenantId as string | null, storeId: me.storeId as string | null };
  }

  // Transfers open at both operators, so that a refusal is about access, not policy.
  await ok('adminA', 'PUT', `/v1/tenants/${tenantA}/policy`, { transferEnabled: true });
  await ok('adminB', 'PUT', `/v1/tenants/${tenantB}/policy`, { transferEnabled: true });
  apiKeyA = String((await ok('adminA', 'POST', `/v1/tenants/${tenantA}/api-keys`, { name: 'Partner of A', scopes: ['three_element_check'] })).key);

  // An account used only to probe POST /v1/auth/login.
  const probe = { username: 'matrix.login-probe', password: strongPassword('probe', 0) };
  await services.staff.createStaffAsSystem({ username: probe.username, displayName: 'Login probe', role: 'agent', tenantId: tenantA, storeId: storeA, password: probe.password, mustChangePassword: false });

  const reg = services.registrations;
  const agent = () => principals.agentA;
  const person = (): Person => ({ type: 'cn_resident_id', number: residentId('19800101', next()), name: '王小明' });

  /** A registration of A's store (started by agentA) advanced to `state`, for a new person. */
  async function registration(state: OpenState): Promise<{ id: string; person: Person }> {
    const p = person();
    const { id } = await reg.start(agent());
    const order: OpenState[] = ['created', 'document_captured', 'consent_recorded', 'face_verified', 'rules_passed', 'number_assigned'];
    const upTo = state === 'manual_review_pending' ? order.indexOf('consent_recorded') : order.indexOf(state);
    if (upTo >= 1) await reg.captureDocument(agent(), id, { type: p.type, number: p.number, name: p.name, idPhoto: Buffer.from(base64('chip'), 'base64') });
    if (upTo >= 2) await reg.recordConsent(agent(), id, { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' });
    if (state === 'manual_review_pending') await reg.requestManualReview(agent(), id);
    if (upTo >= 3) await reg.submitFace(agent(), id, { livenessSessionId: await passedLiveness(id) });
    if (upTo >= 4) await reg.checkRules(agent(), id);
    if (upTo >= 5) await reg.assignNumber(agent(), id);
    const now = await reg.get(agent(), id);
    if (now.state !== state) throw new Error(`setup: registration reached ${now.state}, not ${state}`);
    return { id, person: p };
  }

  /** A passed liveness challenge of a minor's guardian in A's registration `id`, as agentA starts it. */
  async function passedGuardianLiveness(id: string): Promise<string> {
    const c = await services.liveness.createForGuardian(agent(), id);
    await services.liveness.submitFrames(agent(), c.sessionId, c.nonce, harnessFrames(Buffer.from(base64(`guardian ${next()}`), 'base64')));
    return c.sessionId;
  }

  /** A liveness challenge of A's registration `id` (at consent_recorded), as agentA starts it. */
  async function livenessSession(id: string) {
    return services.liveness.createForRegistration(agent(), id);
  }

  /** A passed liveness session of A's registration `id` (the scripted analysis passes it). */
  async function passedLiveness(id: string): Promise<string> {
    const c = await livenessSession(id);
    await services.liveness.submitFrames(agent(), c.sessionId, c.nonce, harnessFrames(Buffer.from(base64(`live ${next()}`), 'base64')));
    return c.sessionId;
  }

  /** A completed registration of A: a number held by a new person. */
  async function held(): Promise<Held> {
    const r = await registration('number_assigned');
    const done = await reg.complete(agent(), r.id);
    const n = await numbersRepository.findById(db, done.numberId!);
    if (!n?.holderId) throw new Error('setup: the number has no holder');
    return { registrationId: r.id, numberId: n.id, msisdn: n.msisdn, holderId: n.holderId, person: r.person };
  }

  /**
   * A passed liveness session for a verification of `purpose`: started without login (usable for
   * any operator), or for a transfer by agentA at A's store (transfers are verified at a store).
   */
  async function verificationLiveness(purpose: VerificationPurpose = 'reverification'): Promise<string> {
    const who = purpose === 'transfer' ? agent() : undefined;
    const c = await services.liveness.createForVerification(who, { purpose });
    await services.liveness.submitFrames(who, c.sessionId, c.nonce, harnessFrames(Buffer.from(base64(`live ${next()}`), 'base64')));
    return c.sessionId;
  }

  /** A face verification of `p` for A (the scripted engine matches). */
  async function verification(purpose: VerificationPurpose, p: Person): Promise<string> {
    const o = await verifyIdentity({ db, keyring: portrait.keyring, clock: now, face, liveness: services.liveness },
      { purpose, tenantId: tenantA, document: p, idPhoto: Buffer.from(base64('id')), livenessSessionId: await verificationLiveness(purpose) });
    if (!o.verified) throw new Error('setup: verification did not match');
    return o.verificationId;
  }

  /** A pending re-verification of `h`'s number (the existing one, if pending) and a verification to pass it. */
  async function reverification(h: Held): Promise<{ id: string; verificationId: string }> {
    const at = now();
    const r = await openReverification(db, {
      tenantId: tenantA, numberId: h.numberId, holderId: h.holderId, reason: 'periodic_check', campaignId: null,
      deadline: new Date(at.getTime() + 24 * 3_600_000), now: at, actor: systemActor,
    });
    return { id: r.id, verificationId: await verification('reverification', h.person) };
  }

  async function availableMsisdn(): Promise<string> {
    const { rows } = await db.query<{ msisdn: string }>(
      "SELECT msisdn FROM numbers WHERE tenant_id = $1 AND store_id = $2 AND state = 'available' ORDER BY msisdn DESC LIMIT 1", [tenantA, storeA]);
    if (!rows[0]) throw new Error('setup: no available number');
    return rows[0].msisdn;
  }

  // Shared resources of A, read by many requests and consumed by none.
  const inProgress = await registration('document_captured');
  const done = await held();
  const flagged = await held();
  const selfService = await verification('self_service', done.person);
  const campaign = await ok('adminA', 'POST', `/v1/tenants/${tenantA}/reverification-campaigns`, { name: 'Periodic check', reason: 'periodic_check', msisdns: [done.msisdn] });
  const staffAccount = await ok('adminA', 'POST', `/v1/tenants/${tenantA}/staff`, { username: 'matrix.staff-of-a', displayName: 'Staff of A', role: 'agent', storeId: storeA });
  const blocked = await ok('adminA', 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: residentId('19750101', 1), reason: 'fraud' });

  return {
    portrait, face, http, raw, ok, login, next, person, headersOf,
    tenantA, tenantB, storeA, storeA2, storeB, probe, passwords, usernames, tokens, principals,
    /** The server's clock: real time moved by `shift` (ms; 0 puts it back). */
    clock: { now, shift(ms: number): void { clockOffsetMs = ms; } },
    staffSessionTtlMs: config.staffSessionTtlMinutes * 60_000,
    shared: {
      inProgress: inProgress.id, done, flagged, selfService,
      campaign: String((campaign.campaign as { id: string }).id),
      staffAccount: String((staffAccount.staff as { id: string }).id),
      blocklistEntry: String(blocked.id),
    },
    fresh: {
      registration, held, verification, reverification, availableMsisdn, livenessSession, passedLiveness, passedGuardianLiveness, verificationLiveness,
      async session(who: StaffCaller): Promise<string> { return login(who); },
      async apiKey(): Promise<string> {
        return String((await ok('adminA', 'POST', `/v1/tenants/${tenantA}/api-keys`, { name: `Key ${next()}`, scopes: ['three_element_check'] })).id);
      },
      async blocklistEntry(): Promise<string> {
        return String((await ok('adminA', 'POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: residentId('19750101', next()), reason: 'fraud' })).id);
      },
    },
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
