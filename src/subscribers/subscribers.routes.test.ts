import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import { maskMsisdn } from '../numbers/numbers.ts';
import type { Principal } from '../staff/principal.ts';
import { verificationRoutes } from '../verification/verification.routes.ts';
import { headerAuthenticate, registerNumber, type Registered, testRegistrations, testVerifications, type TestVerifications } from '../verification/verification.test-support.ts';
import { createSubscribersService } from './subscribers.service.ts';
import { subscribersRoutes } from './subscribers.routes.ts';

const keyring = testKeyring();
const ID = residentId('19820202', 401);
const NAME = '钱七';
const bytes = (s: string) => Buffer.from(`image bytes of ${s}`);
const b64 = (s: string) => bytes(s).toString('base64');

for (const target of await testTargets()) {
  describe(`subscribers HTTP routes (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let world: World;
    let app: App;
    let held: Registered;
    let verifications: TestVerifications;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let principals: Record<string, Principal> = {};

    before(async () => {
      db = await target.open();
      world = await createWorld(db, { numbers: 5 });
      principals = {
        slowKey: { kind: 'api_key', keyId: 'k-slow', tenantId: world.tenantId, scopes: ['three_element_check'], rateLimitPerMinute: 3 },
        fastKey: { kind: 'api_key', keyId: 'k-fast', tenantId: world.tenantId, scopes: ['three_element_check'], rateLimitPerMinute: 100 },
        noScope: { kind: 'api_key', keyId: 'k-none', tenantId: world.tenantId, scopes: [], rateLimitPerMinute: 100 },
        agent: world.agent,
      };
      const registrations = testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 });
      held = await registerNumber(db, registrations, world.agent, ID, NAME);
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      app = await buildApp({
        bodyLimitBytes: 65536, logLevel: 'silent', version: 'test', authenticate: headerAuthenticate(() => principals), health: async () => ({}),
        routes: [
          verificationRoutes({ verifications }),
          subscribersRoutes({ subscribers: createSubscribersService({ db, keyring, clock: clock.clock }) }),
        ],
      });
    });
    after(async () => { await app.close(); await target.close(db); });

    const post = (url: string, payload: object, who?: string) =>
      app.inject({ method: 'POST', url, payload, headers: who ? { 'x-test-principal': who } : {} });

    async function selfServiceVerification(id = ID, name = NAME): Promise<string> {
      const res = await post('/v1/verifications', { purpose: 'self_service', document: { type: 'cn_resident_id', number: id, name }, idPhoto: b64('chip'), livenessSessionId: await verifications.live.passForVerification(undefined, 'self_service', bytes('live')) });
      assert.equal(res.statusCode, 201);
      return res.json().verificationId;
    }

    test('self-service: verify, list masked numbers, report one as not mine', async () => {
      const vid = await selfServiceVerification();
      const list = await post('/v1/self-service/lookup', { verificationId: vid });
      assert.equal(list.statusCode, 200);
      const body = list.json();
      assert.equal(body.numbers.length, 1);
      assert.equal(body.numbers[0].maskedMsisdn, maskMsisdn(held.msisdn));
      assert.equal(body.numbers[0].state, 'active');
      assert.equal(body.numbers[0].pendingReverification, null);
      assert.equal(list.body.includes(held.msisdn), false);

      const report = await post(`/v1/self-service/numbers/${held.numberId}/not-mine`, { verificationId: vid });
      assert.equal(report.statusCode, 201);
      assert.equal(report.json().created, true);
      const after = (await post('/v1/self-service/lookup', { verificationId: vid })).json();
      assert.equal(after.numbers[0].pendingReverification.id, report.json().reverificationId);

      const unknown = await post('/v1/self-service/lookup', { verificationId: await selfServiceVerification(residentId('19820202', 402), '孙八') });
      assert.deepEqual(unknown.json().numbers, []);
      const bad = await post('/v1/self-service/lookup', { verificationId: '00000000-0000-4000-8000-000000000000' });
      assert.equal(bad.statusCode, 404);
      assert.equal(bad.json().type, 'https://portrait.dev/problems/verification.not_found');
      assert.equal((await post('/v1/self-service/lookup', { verificationId: 'x' })).statusCode, 400);
    });

    test('three-element check answers a code only; scope and schema enforced', async () => {
      const input = { name: NAME, documentType: 'cn_resident_id', documentNumber: ID, msisdn: held.msisdn };
      const ok = await post('/v1/partner/three-element-check', input, 'fastKey');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { result: 'match' });
      assert.deepEqual((await post('/v1/partner/three-element-check', { ...input, name: '钱八' }, 'fastKey')).json(), { result: 'name_mismatch' });
      assert.equal((await post('/v1/partner/three-element-check', input, 'noScope')).statusCode, 403);
      assert.equal((await post('/v1/partner/three-element-check', input, 'agent')).statusCode, 403);
      assert.equal((await post('/v1/partner/three-element-check', input)).statusCode, 401);
      assert.equal((await post('/v1/partner/three-element-check', { ...input, extra: 1 }, 'fastKey')).statusCode, 400);
    });

    test('each API key is rate-limited at its own rateLimitPerMinute: 429 rate_limited as problem+json', async () => {
      const input = { name: NAME, documentType: 'cn_resident_id', documentNumber: ID, msisdn: held.msisdn };
      for (let i = 1; i <= 3; i++) {
        const res = await post('/v1/partner/three-element-check', input, 'slowKey');
        assert.equal(res.statusCode, 200, `call ${i}`);
        assert.equal(res.headers['x-ratelimit-limit'], '3');
      }
      const { rows: before } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'subscriber.three_element_check' AND actor_id = 'k-slow'");
      const limited = await post('/v1/partner/three-element-check', input, 'slowKey');
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(limited.json().type, 'https://portrait.dev/problems/rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const { rows: after } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'subscriber.three_element_check' AND actor_id = 'k-slow'");
      assert.equal(after[0]!.n, before[0]!.n, 'a refused call does not reach the registry');
      assert.equal((await post('/v1/partner/three-element-check', input, 'fastKey')).statusCode, 200, 'another key has its own budget');
      assert.equal((await post('/v1/self-service/lookup', { verificationId: await selfServiceVerification() })).statusCode, 200, 'other routes are not limited');
    });
  });
}
