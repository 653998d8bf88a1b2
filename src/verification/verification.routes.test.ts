import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import type { Principal } from '../staff/principal.ts';
import { createVerificationService } from './verification.service.ts';
import { verificationRoutes } from './verification.routes.ts';
import type { VerificationPurpose } from './verification.ts';
import { headerAuthenticate, testVerifications, type TestVerifications } from './verification.test-support.ts';

const keyring = testKeyring();
const bytes = (s: string) => Buffer.from(`image bytes of ${s}`);
const b64 = (s: string) => bytes(s).toString('base64');

for (const target of await testTargets()) {
  describe(`verification HTTP routes (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let world: World;
    let app: App;
    let noEngine: App;
    let verifications: TestVerifications;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let principals: Record<string, Principal> = {};

    before(async () => {
      db = await target.open();
      world = await createWorld(db, { numbers: 1 });
      principals = { agent: world.agent, manager: world.manager, admin: world.admin };
      const opts = { bodyLimitBytes: 65536, logLevel: 'silent', version: 'test', authenticate: headerAuthenticate(() => principals), health: async () => ({}) };
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      app = await buildApp({ ...opts, routes: [verificationRoutes({ verifications })] });
      noEngine = await buildApp({ ...opts, routes: [verificationRoutes({ verifications: createVerificationService({ db, keyring, clock: clock.clock, face: undefined, liveness: undefined }) })] });
    });
    after(async () => { await app.close(); await noEngine.close(); await target.close(db); });

    const body = (purpose: string, extra: Record<string, unknown> = {}) => ({
      purpose, document: { type: 'cn_resident_id', number: residentId('19900101', 201), name: '张三' }, idPhoto: b64('chip'), livenessSessionId: randomUUID(), ...extra,
    });
    /** A fresh passed liveness session (of the principal named `who`, else anonymous) whose best frame is the live photo. */
    const live = async (purpose: VerificationPurpose, who?: string) =>
      ({ livenessSessionId: await verifications.live.passForVerification(who ? principals[who] : undefined, purpose, bytes('live')) });
    const post = (a: App, url: string, payload: unknown, who?: string) =>
      a.inject({ method: 'POST', url, payload: payload as object, headers: who ? { 'x-test-principal': who } : {} });

    test('self-service face verification: 201 with an id valid for 10 minutes', async () => {
      const res = await post(app, '/v1/verifications', body('self_service', await live('self_service')));
      assert.equal(res.statusCode, 201);
      const out = res.json();
      assert.match(out.verificationId, /^[0-9a-f-]{36}$/);
      assert.equal(out.method, 'face');
      assert.equal(new Date(out.expiresAt).getTime() - clock.clock().getTime(), 600_000);
      assert.equal(out.result.documentExpired, false);
      assert.equal(res.body.includes(residentId('19900101', 201)), false);
    });

    test('no match: 403 verification.failed with reason codes', async () => {
      face.next(false);
      const res = await post(app, '/v1/verifications', body('self_service', await live('self_service')));
      assert.equal(res.statusCode, 403);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      const p = res.json();
      assert.equal(p.type, 'https://portrait.dev/problems/verification.failed');
      assert.deepEqual(p.reasons, ['face.no_match']);
    });

    test('no face engine: 503; transfer without login: 401; bad input: 400/422', async () => {
      assert.equal((await post(noEngine, '/v1/verifications', body('self_service'))).json().type, 'https://portrait.dev/problems/registration.face_engine_unavailable');
      assert.equal((await post(noEngine, '/v1/verifications', body('self_service'))).statusCode, 503);
      assert.equal((await post(app, '/v1/verifications', body('transfer'))).statusCode, 401);
      assert.equal((await post(app, '/v1/verifications', body('transfer', await live('transfer', 'agent')), 'agent')).statusCode, 201);
      assert.equal((await post(app, '/v1/verifications', body('nonsense'))).statusCode, 400);
      assert.equal((await post(app, '/v1/verifications', body('self_service', { extra: 1 }))).statusCode, 400);
      const badDoc = await post(app, '/v1/verifications', body('self_service', { document: { type: 'cn_resident_id', number: '110105194912310029', name: 'x' } }));
      assert.equal(badDoc.statusCode, 422);
      assert.equal(badDoc.json().type, 'https://portrait.dev/problems/document.invalid');
    });

    test('manual verification: store manager only', async () => {
      const manual = { purpose: 'transfer', document: body('x').document };
      const expected: Record<string, number> = { manager: 201, agent: 403, admin: 403, anonymous: 401 };
      for (const [who, status] of Object.entries(expected)) {
        const res = await post(app, '/v1/verifications/manual', manual, who === 'anonymous' ? undefined : who);
        assert.equal(res.statusCode, status, who);
      }
      const ok = (await post(app, '/v1/verifications/manual', manual, 'manager')).json();
      assert.equal(ok.method, 'manual_review');
      assert.equal(ok.result.reviewerId, world.manager.staffId);
      assert.equal((await post(app, '/v1/verifications/manual', { ...manual, purpose: 'self_service' }, 'manager')).statusCode, 400);
    });
  });
}
