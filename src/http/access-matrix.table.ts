/**
 * The role × endpoint access matrix of the whole API (test support, not a test file).
 *
 * `expected` states, for every route and every caller, what must happen: `ok` (a 2xx; the
 * request is well-formed and its resources are fresh, so an allowed call really succeeds),
 * 401 (auth.required), 403 (auth.forbidden), or 404 where the service deliberately answers
 * "not found" for what the caller may not see (the code is in `hiddenAs`). The expectations
 * come from the product rules and the services' requireStaff / assertTenantAccess /
 * assertStoreAccess calls, not from running the code:
 * - agent: own store; store manager: own store, manual review; operator admin: own operator;
 * - agents and store managers are confined to their own store for registrations (reading, every
 *   step, receipt) and the manual-review queue; some counter work is deliberately operator-wide
 *   (a number's holdings, transfers, surrenders, re-verification pass: the services check the
 *   operator only, `assertTenantAccess`);
 * - regulator: reads across operators (statistics, audit, exports, operator data), changes
 *   nothing (deployment-wide blocklist entries are added by system code only);
 * - partner API key: the three-element check only; anonymous: self-service, with a verification id.
 * Callers of B act on A's resources (A's ids and numbers in the URL or body). A's resources are
 * at A's first store; agentA2 is an agent at A's second store, so its column separates the
 * store-confined routes from the operator-wide ones.
 */
import { currentConsentVersion } from '../consent/consent.ts';
import type { ErrorCode } from '../errors/errors.ts';
import { residentId } from '../registration/registration.fixtures.ts';
import { base64, staffCallers, type Caller, type Reply, type StaffCaller, type World } from './access-matrix.world.ts';

export type Outcome = 'ok' | 401 | 403 | 404;
const O = 'ok', U = 401, F = 403, N = 404;

export const expected: Record<string, readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  //                                                          anon agentA mgrA adminA reg keyA agentB mgrB adminB agentA2
  'POST /v1/auth/login':                                        [O, O, O, O, O, O, O, O, O, O],
  'POST /v1/auth/logout':                                       [U, O, O, O, O, F, O, O, O, O],
  'POST /v1/auth/password':                                     [U, O, O, O, O, F, O, O, O, O],
  'GET /v1/auth/me':                                            [U, O, O, O, O, F, O, O, O, O],
  'GET /v1/tenants/{tenantId}/staff':                           [U, F, O, O, F, F, F, F, F, F],
  'POST /v1/tenants/{tenantId}/staff':                          [U, F, F, O, F, F, F, F, F, F],
  'POST /v1/staff/{staffId}/disable':                           [U, F, F, O, F, F, F, F, N, F],
  'POST /v1/staff/{staffId}/enable':                            [U, F, F, O, F, F, F, F, N, F],
  'POST /v1/staff/{staffId}/password-reset':                    [U, F, F, O, F, F, F, F, N, F],
  'GET /v1/tenants/{tenantId}/api-keys':                        [U, F, F, O, F, F, F, F, F, F],
  'POST /v1/tenants/{tenantId}/api-keys':                       [U, F, F, O, F, F, F, F, F, F],
  'DELETE /v1/api-keys/{keyId}':                                [U, F, F, O, F, F, F, F, N, F],
  'GET /v1/consent-texts/current':                              [O, O, O, O, O, O, O, O, O, O],
  // Front desk: agents and store managers at their own store. Starting needs no resource of A:
  // B's front desk and agentA2 start at their own store. Every later step, the reading and the
  // receipt are store-confined (assertStoreAccess): agentA2 is refused at A's first store.
  'POST /v1/registrations':                                     [U, O, O, F, F, F, O, O, F, O],
  'GET /v1/registrations/{id}':                                 [U, O, O, O, O, F, F, F, F, F],
  'POST /v1/registrations/{id}/document':                       [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/consent':                        [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/liveness':                       [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/liveness/{sessionId}/frames':                       [U, O, O, F, F, F, F, F, F, F],
  'GET /v1/liveness/{sessionId}':                               [U, O, O, O, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/face':                           [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/manual-review':                  [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/manual-review/decision':         [U, F, O, F, F, F, F, F, F, F],
  'GET /v1/manual-reviews':                                     [U, F, O, F, F, F, F, O, F, F],
  'POST /v1/registrations/{id}/guardian/liveness':              [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/guardian':                       [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/rules':                          [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/number-reservation':             [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/number':                         [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/complete':                       [U, O, O, F, F, F, F, F, F, F],
  'POST /v1/registrations/{id}/cancel':                         [U, O, O, F, F, F, F, F, F, F],
  'GET /v1/registrations/{id}/receipt':                         [U, O, O, O, F, F, F, F, F, F],
  // Face verification: anyone for self-service/re-verification, front desk for its own operator only.
  'POST /v1/liveness/challenges':                               [O, O, O, F, F, F, F, F, F, O],
  'POST /v1/verifications':                                     [O, O, O, F, F, F, F, F, F, O],
  'POST /v1/verifications/manual':                              [U, F, O, F, F, F, F, O, F, F],
  // Anonymous by design: the verification id is the credential, whoever else calls.
  'POST /v1/self-service/lookup':                               [O, O, O, O, O, O, O, O, O, O],
  'POST /v1/self-service/numbers/{numberId}/not-mine':          [O, O, O, O, O, O, O, O, O, O],
  'POST /v1/partner/three-element-check':                       [U, F, F, F, F, O, F, F, F, F],
  'POST /v1/tenants/{tenantId}/reverification-campaigns':       [U, F, F, O, F, F, F, F, F, F],
  'GET /v1/tenants/{tenantId}/reverification-campaigns':        [U, F, F, O, O, F, F, F, F, F],
  'GET /v1/reverification-campaigns/{id}':                      [U, F, F, O, O, F, F, F, F, F],
  // Counter staff at any store of the number's operator (assertTenantAccess), so agentA2 too.
  'POST /v1/reverifications/{id}/pass':                         [U, O, O, F, F, F, F, F, F, O],
  'POST /v1/self-service/reverifications/{id}/pass':            [O, O, O, O, O, O, O, O, O, O],
  // At the counter of the caller's own operator, any store of it (operator-wide by design: the
  // number is looked up in the caller's operator, the holdings check assertTenantAccess):
  // agentA2 transfers, surrenders and reads the holdings of a number registered at A's first
  // store. B's front desk does not find A's number.
  'POST /v1/transfers':                                         [U, O, O, F, F, F, N, N, F, O],
  'POST /v1/surrenders':                                        [U, O, O, F, F, F, N, N, F, O],
  'GET /v1/tenants/{tenantId}/numbers/{msisdn}/holdings':       [U, O, O, O, O, F, F, F, F, O],
  'GET /v1/tenants':                                            [U, F, F, O, O, F, F, F, O, F],
  'GET /v1/tenants/{tenantId}':                                 [U, F, F, O, O, F, F, F, F, F],
  'GET /v1/tenants/{tenantId}/stores':                          [U, F, F, O, O, F, F, F, F, F],
  'POST /v1/tenants/{tenantId}/stores':                         [U, F, F, O, F, F, F, F, F, F],
  'PATCH /v1/stores/{storeId}':                                 [U, F, F, O, F, F, F, F, N, F],
  'GET /v1/tenants/{tenantId}/policy':                          [U, F, F, O, O, F, F, F, F, F],
  'PUT /v1/tenants/{tenantId}/policy':                          [U, F, F, O, F, F, F, F, F, F],
  'POST /v1/tenants/{tenantId}/numbers/import':                 [U, F, F, O, F, F, F, F, F, F],
  // Counter staff: available numbers of their own store and the operator pool only (checked below).
  'GET /v1/tenants/{tenantId}/numbers':                         [U, O, O, O, F, F, F, F, F, O],
  'GET /v1/tenants/{tenantId}/numbers/counts':                  [U, F, F, O, F, F, F, F, F, F],
  'GET /v1/blocklist':                                          [U, F, F, O, O, F, F, F, F, F],
  // Operator admins only; the regulator reads and writes nothing. B's admin adds to B's list.
  // Removing A's entry: not in B's scope.
  'POST /v1/blocklist':                                         [U, F, F, O, F, F, F, F, O, F],
  'DELETE /v1/blocklist/{entryId}':                             [U, F, F, O, F, F, F, F, N, F],
  'GET /v1/statistics/registrations':                           [U, F, O, O, O, F, F, F, F, F],
  'GET /v1/statistics/anomalies':                               [U, F, F, O, O, F, F, F, F, F],
  'GET /v1/audit/events':                                       [U, F, F, O, O, F, F, F, F, F],
  'POST /v1/audit/verify':                                      [U, F, F, F, O, F, F, F, F, F],
  'GET /v1/audit/export.csv':                                   [U, F, F, F, O, F, F, F, F, F],
};

/** The problem type of the designed 404s above. */
export const hiddenAs: Record<string, ErrorCode> = {
  'POST /v1/staff/{staffId}/disable': 'staff.not_found',
  'POST /v1/staff/{staffId}/enable': 'staff.not_found',
  'POST /v1/staff/{staffId}/password-reset': 'staff.not_found',
  'DELETE /v1/api-keys/{keyId}': 'api_key.not_found',
  'PATCH /v1/stores/{storeId}': 'store.not_found',
  'DELETE /v1/blocklist/{entryId}': 'blocklist.not_found',
  'POST /v1/transfers': 'number.not_found',
  'POST /v1/surrenders': 'number.not_found',
};

export interface Request {
  url: string;
  body?: unknown;
  /** A session token to use instead of the caller's shared one (the request ends it). */
  token?: string;
  /** Runs on the reply when the call was allowed: bookkeeping, or a check that nothing of A leaked. */
  allowed?: (r: Reply) => void;
}

type Build = (w: World, c: Caller) => Promise<Request>;

const isStaff = (c: Caller): c is StaffCaller => (staffCallers as readonly string[]).includes(c);
const photo = base64('photo');
const items = (r: Reply) => r.json().items as Record<string, unknown>[];

/** How to call each route well-formed, on A's resources; fresh resources where a success consumes them. */
export const requests: Record<string, Build> = {
  'POST /v1/auth/login': async (w) => ({ url: '/v1/auth/login', body: { username: w.probe.username, password: w.probe.password } }),
  'POST /v1/auth/logout': async (w, c) => ({ url: '/v1/auth/logout', ...(isStaff(c) ? { token: await w.fresh.session(c) } : {}) }),
  'POST /v1/auth/password': async (w, c) => {
    const newPassword = `Matrix-${c}-Pass-${w.next()}!`;
    return {
      url: '/v1/auth/password', body: { currentPassword: isStaff(c) ? w.passwords[c] : 'not-a-password', newPassword },
      allowed: () => { if (isStaff(c)) w.passwords[c] = newPassword; },
    };
  },
  'GET /v1/auth/me': async () => ({ url: '/v1/auth/me' }),
  'GET /v1/tenants/{tenantId}/staff': async (w) => ({ url: `/v1/tenants/${w.tenantA}/staff` }),
  'POST /v1/tenants/{tenantId}/staff': async (w) => ({
    url: `/v1/tenants/${w.tenantA}/staff`, body: { username: `matrix.new-${w.next()}`, displayName: 'New agent', role: 'agent', storeId: w.storeA },
  }),
  'POST /v1/staff/{staffId}/disable': async (w) => ({ url: `/v1/staff/${w.shared.staffAccount}/disable` }),
  'POST /v1/staff/{staffId}/enable': async (w) => ({ url: `/v1/staff/${w.shared.staffAccount}/enable` }),
  'POST /v1/staff/{staffId}/password-reset': async (w) => ({
    url: `/v1/staff/${w.shared.staffAccount}/password-reset`,
    allowed: (r) => { if (typeof r.json().oneTimePassword !== 'string') throw new Error('no one-time password in the answer'); },
  }),
  'GET /v1/tenants/{tenantId}/api-keys': async (w) => ({ url: `/v1/tenants/${w.tenantA}/api-keys` }),
  'POST /v1/tenants/{tenantId}/api-keys': async (w) => ({ url: `/v1/tenants/${w.tenantA}/api-keys`, body: { name: 'Another partner', scopes: ['three_element_check'] } }),
  'DELETE /v1/api-keys/{keyId}': async (w) => ({ url: `/v1/api-keys/${await w.fresh.apiKey()}` }),
  'GET /v1/consent-texts/current': async () => ({ url: '/v1/consent-texts/current?locale=en' }),

  'POST /v1/registrations': async (w, c) => ({
    url: '/v1/registrations',
    allowed: (r) => { if (isStaff(c) && r.json().storeId !== w.principals[c].storeId) throw new Error(`${c} started a registration outside its store`); },
  }),
  'GET /v1/registrations/{id}': async (w) => ({ url: `/v1/registrations/${w.shared.inProgress}` }),
  'POST /v1/registrations/{id}/document': async (w) => ({
    url: `/v1/registrations/${(await w.fresh.registration('created')).id}/document`,
    body: { document: w.person(), source: 'card_reader', idPhoto: photo },
  }),
  'POST /v1/registrations/{id}/consent': async (w) => ({
    url: `/v1/registrations/${(await w.fresh.registration('document_captured')).id}/consent`,
    body: { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' },
  }),
  'POST /v1/registrations/{id}/liveness': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('consent_recorded')).id}/liveness`, body: {} }),
  'POST /v1/liveness/{sessionId}/frames': async (w) => {
    const c = await w.fresh.livenessSession((await w.fresh.registration('consent_recorded')).id);
    return { url: `/v1/liveness/${c.sessionId}/frames`, body: { nonce: c.nonce, frames: Array.from({ length: 15 }, (_, i) => ({ t: i * 100, image: base64(`frame ${i}`) })) } };
  },
  'GET /v1/liveness/{sessionId}': async (w) => {
    const id = (await w.fresh.registration('consent_recorded')).id;
    return { url: `/v1/liveness/${await w.fresh.passedLiveness(id)}` };
  },
  'POST /v1/registrations/{id}/face': async (w) => {
    const id = (await w.fresh.registration('consent_recorded')).id;
    return { url: `/v1/registrations/${id}/face`, body: { livenessSessionId: await w.fresh.passedLiveness(id) } };
  },
  'POST /v1/registrations/{id}/manual-review': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('consent_recorded')).id}/manual-review` }),
  'POST /v1/registrations/{id}/manual-review/decision': async (w) => ({
    url: `/v1/registrations/${(await w.fresh.registration('manual_review_pending')).id}/manual-review/decision`,
    body: { approved: true, note: 'Checked the person against the document in person' },
  }),
  'GET /v1/manual-reviews': async (w, c) => ({
    url: '/v1/manual-reviews',
    allowed: (r) => {
      const seen = r.json() as unknown as { tenantId: string }[];
      if (c === 'managerB' && seen.some((v) => v.tenantId === w.tenantA)) throw new Error("B's manager sees A's reviews");
    },
  }),
  'POST /v1/registrations/{id}/guardian/liveness': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('document_captured')).id}/guardian/liveness`, body: {} }),
  'POST /v1/registrations/{id}/guardian': async (w) => {
    const { id } = await w.fresh.registration('document_captured');
    return { url: `/v1/registrations/${id}/guardian`, body: { document: w.person(), relation: 'parent', method: 'face', idPhoto: photo, livenessSessionId: await w.fresh.passedGuardianLiveness(id) } };
  },
  'POST /v1/registrations/{id}/rules': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('face_verified')).id}/rules` }),
  'POST /v1/registrations/{id}/number-reservation': async (w) => ({
    url: `/v1/registrations/${(await w.fresh.registration('created')).id}/number-reservation`, body: { msisdn: await w.fresh.availableMsisdn() },
  }),
  'POST /v1/registrations/{id}/number': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('rules_passed')).id}/number` }),
  'POST /v1/registrations/{id}/complete': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('number_assigned')).id}/complete` }),
  'POST /v1/registrations/{id}/cancel': async (w) => ({ url: `/v1/registrations/${(await w.fresh.registration('created')).id}/cancel`, body: { reason: 'customer_left' } }),
  'GET /v1/registrations/{id}/receipt': async (w) => ({ url: `/v1/registrations/${w.shared.done.registrationId}/receipt` }),

  'POST /v1/liveness/challenges': async (w) => ({ url: '/v1/liveness/challenges', body: { purpose: 'reverification', tenantId: w.tenantA } }),
  'POST /v1/verifications': async (w) => ({
    url: '/v1/verifications', body: { purpose: 'reverification', tenantId: w.tenantA, document: w.person(), idPhoto: photo, livenessSessionId: await w.fresh.verificationLiveness() },
  }),
  'POST /v1/verifications/manual': async (w) => ({ url: '/v1/verifications/manual', body: { purpose: 'reverification', document: w.person() } }),
  'POST /v1/self-service/lookup': async (w) => ({ url: '/v1/self-service/lookup', body: { verificationId: w.shared.selfService } }),
  'POST /v1/self-service/numbers/{numberId}/not-mine': async (w) => ({
    url: `/v1/self-service/numbers/${w.shared.done.numberId}/not-mine`, body: { verificationId: w.shared.selfService },
  }),
  'POST /v1/partner/three-element-check': async (w) => {
    const { person, msisdn } = w.shared.done;
    return { url: '/v1/partner/three-element-check', body: { name: person.name, documentType: person.type, documentNumber: person.number, msisdn } };
  },

  'POST /v1/tenants/{tenantId}/reverification-campaigns': async (w) => ({
    url: `/v1/tenants/${w.tenantA}/reverification-campaigns`, body: { name: 'Spot check', reason: 'spot_check', msisdns: [w.shared.done.msisdn] },
  }),
  'GET /v1/tenants/{tenantId}/reverification-campaigns': async (w) => ({ url: `/v1/tenants/${w.tenantA}/reverification-campaigns` }),
  'GET /v1/reverification-campaigns/{id}': async (w) => ({ url: `/v1/reverification-campaigns/${w.shared.campaign}` }),
  'POST /v1/reverifications/{id}/pass': async (w) => {
    const r = await w.fresh.reverification(w.shared.flagged);
    return { url: `/v1/reverifications/${r.id}/pass`, body: { verificationId: r.verificationId } };
  },
  'POST /v1/self-service/reverifications/{id}/pass': async (w) => {
    const r = await w.fresh.reverification(w.shared.flagged);
    return { url: `/v1/self-service/reverifications/${r.id}/pass`, body: { verificationId: r.verificationId } };
  },

  'POST /v1/transfers': async (w) => {
    const h = await w.fresh.held();
    const [fromVerificationId, toVerificationId] = await Promise.all([w.fresh.verification('transfer', h.person), w.fresh.verification('transfer', w.person())]);
    return { url: '/v1/transfers', body: { msisdn: h.msisdn, fromVerificationId, toVerificationId } };
  },
  'POST /v1/surrenders': async (w) => {
    const h = await w.fresh.held();
    return { url: '/v1/surrenders', body: { msisdn: h.msisdn, verificationId: await w.fresh.verification('transfer', h.person) } };
  },
  'GET /v1/tenants/{tenantId}/numbers/{msisdn}/holdings': async (w) => ({ url: `/v1/tenants/${w.tenantA}/numbers/${w.shared.done.msisdn}/holdings` }),

  'GET /v1/tenants': async (w, c) => ({
    url: '/v1/tenants',
    allowed: (r) => { if (c === 'adminB' && items(r).some((t) => t.id !== w.tenantB)) throw new Error("B's admin sees another operator"); },
  }),
  'GET /v1/tenants/{tenantId}': async (w) => ({ url: `/v1/tenants/${w.tenantA}` }),
  'GET /v1/tenants/{tenantId}/stores': async (w) => ({ url: `/v1/tenants/${w.tenantA}/stores` }),
  'POST /v1/tenants/{tenantId}/stores': async (w) => ({ url: `/v1/tenants/${w.tenantA}/stores`, body: { code: `M-${w.next()}`, name: 'New store', regionCode: '110101' } }),
  'PATCH /v1/stores/{storeId}': async (w) => ({ url: `/v1/stores/${w.storeA}`, body: { name: '北京东城营业厅 Dongcheng Store' } }),
  'GET /v1/tenants/{tenantId}/policy': async (w) => ({ url: `/v1/tenants/${w.tenantA}/policy` }),
  'PUT /v1/tenants/{tenantId}/policy': async (w) => ({ url: `/v1/tenants/${w.tenantA}/policy`, body: { transferEnabled: true } }),
  'POST /v1/tenants/{tenantId}/numbers/import': async (w) => ({
    url: `/v1/tenants/${w.tenantA}/numbers/import`, body: { numbers: [{ msisdn: `1890000${String(w.next()).padStart(4, '0')}` }] },
  }),
  'GET /v1/tenants/{tenantId}/numbers': async (w, c) => ({
    url: `/v1/tenants/${w.tenantA}/numbers?limit=5`,
    allowed: (r) => {
      const own = isStaff(c) ? w.principals[c].storeId : null;
      if (own !== null && items(r).some((n) => n.storeId !== own && n.storeId !== null)) throw new Error(`${c} sees numbers of another store`);
    },
  }),
  'GET /v1/tenants/{tenantId}/numbers/counts': async (w) => ({ url: `/v1/tenants/${w.tenantA}/numbers/counts` }),

  'GET /v1/blocklist': async (w) => ({ url: `/v1/blocklist?tenantId=${w.tenantA}` }),
  'POST /v1/blocklist': async (w) => ({ url: '/v1/blocklist', body: { documentType: 'cn_resident_id', documentNumber: residentId('19750101', w.next()), reason: 'fraud' } }),
  'DELETE /v1/blocklist/{entryId}': async (w) => ({ url: `/v1/blocklist/${await w.fresh.blocklistEntry()}` }),
  'GET /v1/statistics/registrations': async (w) => ({ url: `/v1/statistics/registrations?tenantId=${w.tenantA}` }),
  'GET /v1/statistics/anomalies': async (w) => ({ url: `/v1/statistics/anomalies?tenantId=${w.tenantA}` }),
  'GET /v1/audit/events': async (w) => ({ url: `/v1/audit/events?tenantId=${w.tenantA}&limit=5` }),
  'POST /v1/audit/verify': async () => ({ url: '/v1/audit/verify' }),
  'GET /v1/audit/export.csv': async (w) => ({ url: `/v1/audit/export.csv?tenantId=${w.tenantA}` }),
};
