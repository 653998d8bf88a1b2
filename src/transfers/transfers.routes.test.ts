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
import { headerAuthenticate, registerNumber, testRegistrations, testVerifications, type TestRegistrations, type TestVerifications } from '../verification/verification.test-support.ts';
import { createTransfersService } from './transfers.service.ts';
import { transfersRoutes } from './transfers.routes.ts';

const keyring = testKeyring();
const bytes = (s: string) => Buffer.from(`image bytes of ${s}`);
const b64 = (s: string) => bytes(s).toString('base64');
const person = (seq: number, name: string) => ({ id: residentId('19860606', seq), name });

for (const target of await testTargets()) {
  describe(`transfers HTTP routes (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let on: World;
    let off: World;
    let app: App;
    let registrations: TestRegistrations;
    let verifications: TestVerifications;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let principals: Record<string, Principal> = {};

    before(async () => {
      db = await target.open();
      on = await createWorld(db, { numbers: 5, policy: { transferEnabled: true, coolingOffDays: 7 } });
      off = await createWorld(db, { numbers: 2 });
      principals = { agentOn: on.agent, managerOn: on.manager, adminOn: on.admin, agentOff: off.agent, adminOff: off.admin };
      registrations = testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 });
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      app = await buildApp({
        bodyLimitBytes: 65536, logLevel: 'silent', version: 'test', authenticate: headerAuthenticate(() => principals), health: async () => ({}),
        routes: [
          verificationRoutes({ verifications }),
          transfersRoutes({ transfers: createTransfersService({ db, keyring, clock: clock.clock, deploymentCap: 10 }) }),
        ],
      });
    });
    after(async () => { await app.close(); await target.close(db); });

    const call = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
      app.inject({ method, url, ...(payload ? { payload } : {}), headers: who ? { 'x-test-principal': who } : {} });
    async function verify(who: string, p: { id: string; name: string }): Promise<string> {
      const res = await call('POST', '/v1/verifications', who, { purpose: 'transfer', document: { type: 'cn_resident_id', number: p.id, name: p.name }, idPhoto: b64('c'), livenessSessionId: await verifications.live.passForVerification(principals[who], 'transfer', bytes('l')) });
      assert.equal(res.statusCode, 201);
      return res.json().verificationId;
    }

    test('transfer at a store: 201; disabled operator: 403 policy.transfer_disabled; wrong roles refused', async () => {
      const from = person(801, '韩一');
      const to = person(802, '唐二');
      const n = await registerNumber(db, registrations, on.agent, from.id, from.name);
      const body = { msisdn: n.msisdn, fromVerificationId: await verify('agentOn', from), toVerificationId: await verify('agentOn', to) };
      assert.equal((await call('POST', '/v1/transfers', undefined, body)).statusCode, 401);
      assert.equal((await call('POST', '/v1/transfers', 'adminOn', body)).statusCode, 403);
      const disabled = await call('POST', '/v1/transfers', 'agentOff', body);
      assert.equal(disabled.statusCode, 403);
      assert.equal(disabled.json().type, 'https://portrait.dev/problems/policy.transfer_disabled');
      const done = await call('POST', '/v1/transfers', 'agentOn', body);
      assert.equal(done.statusCode, 201);
      assert.equal(done.json().numberId, n.numberId);
      const reused = await call('POST', '/v1/transfers', 'agentOn', body);
      assert.equal(reused.statusCode, 404);
      assert.equal(reused.json().type, 'https://portrait.dev/problems/verification.not_found');

      const history = await call('GET', `/v1/tenants/${on.tenantId}/numbers/${n.msisdn}/holdings`, 'managerOn');
      assert.equal(history.statusCode, 200);
      assert.deepEqual(history.json().holdings.map((h: { startedBy: string; endedBy: string | null }) => [h.startedBy, h.endedBy]),
        [['registration', 'transfer'], ['transfer', null]]);
      assert.equal((await call('GET', `/v1/tenants/${on.tenantId}/numbers/${n.msisdn}/holdings`, 'adminOff')).statusCode, 403);
    });

    test('surrender: the verified holder gives the number up; it cools off', async () => {
      const holder = person(803, '冯三');
      const n = await registerNumber(db, registrations, on.agent, holder.id, holder.name);
      const wrong = await call('POST', '/v1/surrenders', 'agentOn', { msisdn: n.msisdn, verificationId: await verify('agentOn', person(804, '许四')) });
      assert.equal(wrong.statusCode, 403);
      assert.equal(wrong.json().type, 'https://portrait.dev/problems/verification.not_holder');
      const res = await call('POST', '/v1/surrenders', 'managerOn', { msisdn: n.msisdn, verificationId: await verify('managerOn', holder) });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().state, 'cooling_off');
      assert.equal(new Date(res.json().coolingOffUntil).getTime() - clock.clock().getTime(), 7 * 86_400_000);
      assert.equal((await call('POST', '/v1/surrenders', 'agentOn', { msisdn: 'not-a-number', verificationId: '00000000-0000-4000-8000-000000000000' })).statusCode, 400);
    });
  });
}
