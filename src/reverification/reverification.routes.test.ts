import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import type { Principal } from '../staff/principal.ts';
import { verificationRoutes } from '../verification/verification.routes.ts';
import { headerAuthenticate, registerNumber, type Registered, testRegistrations, testVerifications, type TestVerifications } from '../verification/verification.test-support.ts';
import { createReverificationService } from './reverification.service.ts';
import { reverificationRoutes } from './reverification.routes.ts';

const keyring = testKeyring();
const H = { id: residentId('19840404', 701), name: '罗一' };
const bytes = (s: string) => Buffer.from(`image bytes of ${s}`);
const b64 = (s: string) => bytes(s).toString('base64');

for (const target of await testTargets()) {
  describe(`re-verification HTTP routes (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let a: World;
    let b: World;
    let app: App;
    let held: Registered;
    let verifications: TestVerifications;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let principals: Record<string, Principal> = {};

    before(async () => {
      db = await target.open();
      a = await createWorld(db, { numbers: 5 });
      b = await createWorld(db, { numbers: 1 });
      principals = {
        adminA: a.admin, agentA: a.agent, managerA: a.manager, adminB: b.admin,
        regulator: { kind: 'staff', staffId: '00000000-0000-4000-8000-0000000000bb', role: 'regulator', tenantId: null, storeId: null },
      };
      held = await registerNumber(db, testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 }), a.agent, H.id, H.name);
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      app = await buildApp({
        bodyLimitBytes: 65536, logLevel: 'silent', version: 'test', authenticate: headerAuthenticate(() => principals), health: async () => ({}),
        routes: [
          verificationRoutes({ verifications }),
          reverificationRoutes({ reverifications: createReverificationService({ db, clock: clock.clock }) }),
        ],
      });
    });
    after(async () => { await app.close(); await target.close(db); });

    const call = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
      app.inject({ method, url, ...(payload ? { payload } : {}), headers: who ? { 'x-test-principal': who } : {} });

    test('campaign routes: role × endpoint', async () => {
      const url = `/v1/tenants/${a.tenantId}/reverification-campaigns`;
      const body = { name: 'HTTP campaign', reason: 'periodic_check', msisdns: [held.msisdn, '123'] };
      const expected: Record<string, [number, number]> = {
        adminA: [201, 200], agentA: [403, 403], managerA: [403, 403], adminB: [403, 403], regulator: [403, 200], anonymous: [401, 401],
      };
      for (const [who, [post, list]] of Object.entries(expected)) {
        const w = who === 'anonymous' ? undefined : who;
        assert.equal((await call('POST', url, w, { ...body, name: 'Matrix', msisdns: ['13000000000'] })).statusCode, post, `${who} POST`);
        assert.equal((await call('GET', url, w)).statusCode, list, `${who} GET`);
      }
      const created = await call('POST', url, 'adminA', body);
      assert.equal(created.statusCode, 201);
      const report = created.json();
      assert.deepEqual(report.rows.map((r: { outcome: string; reason?: string }) => r.reason ?? r.outcome), ['created', 'number.invalid_format']);
      const progress = await call('GET', `/v1/reverification-campaigns/${report.campaign.id}`, 'regulator');
      assert.deepEqual(progress.json().counts, { pending: 1, passed: 0, suspended: 0, cancelled: 0, total: 1 });
      assert.equal((await call('GET', `/v1/reverification-campaigns/${report.campaign.id}`, 'adminB')).statusCode, 403);
      assert.equal((await call('GET', '/v1/reverification-campaigns/00000000-0000-4000-8000-000000000000', 'adminA')).json().type,
        'https://portrait.dev/problems/campaign.not_found');
      assert.equal((await call('POST', url, 'adminA', { ...body, reason: 'Not a code' })).statusCode, 400);
      assert.equal((await call('POST', url, 'adminA', { name: 'x', reason: 'periodic_check' })).statusCode, 400);
    });

    test('the holder passes self-service, or at a store with staff', async () => {
      const list = (await call('GET', `/v1/tenants/${a.tenantId}/reverification-campaigns`, 'adminA')).json();
      const campaign = list.items.find((c: { name: string }) => c.name === 'HTTP campaign');
      assert.ok(campaign);
      const { rows } = await db.query<{ id: string }>("SELECT id FROM reverifications WHERE campaign_id = $1 AND status = 'pending'", [campaign.id]);
      const revId = rows[0]!.id;
      const verification = await call('POST', '/v1/verifications', undefined, {
        purpose: 'reverification', tenantId: a.tenantId, document: { type: 'cn_resident_id', number: H.id, name: H.name }, idPhoto: b64('c'),
        livenessSessionId: await verifications.live.passForVerification(undefined, 'reverification', bytes('l'), a.tenantId),
      });
      const verificationId = verification.json().verificationId;
      assert.equal((await call('POST', `/v1/reverifications/${revId}/pass`, undefined, { verificationId })).statusCode, 401, 'the store route needs staff');
      assert.equal((await call('POST', `/v1/reverifications/${revId}/pass`, 'adminA', { verificationId })).statusCode, 403);
      const passed = await call('POST', `/v1/self-service/reverifications/${revId}/pass`, undefined, { verificationId });
      assert.equal(passed.statusCode, 200);
      assert.deepEqual(passed.json(), { reverificationId: revId, status: 'passed', numberRestored: false });
      const again = await call('POST', `/v1/reverifications/${revId}/pass`, 'agentA', { verificationId });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().type, 'https://portrait.dev/problems/reverification.not_pending');
    });
  });
}
