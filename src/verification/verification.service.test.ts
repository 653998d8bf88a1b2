import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import type { Principal } from '../staff/principal.ts';
import { createVerificationService, spendVerification, verifyIdentity } from './verification.service.ts';
import type { VerificationPurpose } from './verification.ts';
import { auditOf, codeOf, photo, testVerifications, type TestVerifications } from './verification.test-support.ts';

const keyring = testKeyring();
const images = { idPhoto: photo('chip') };

for (const target of await testTargets()) {
  describe(`identity verification (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let world: World;
    let other: World;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let svc: TestVerifications;
    /** A fresh passed liveness session of `who` for `purpose` whose best frame is the live photo (one per verification). */
    const live = async (who: Principal | undefined, purpose: VerificationPurpose, tenantId?: string) =>
      ({ livenessSessionId: await svc.live.passForVerification(who, purpose, photo('live'), tenantId) });
    /** For attempts refused before the liveness session is taken. */
    const anySession = () => ({ livenessSessionId: randomUUID() });
    before(async () => {
      db = await target.open();
      world = await createWorld(db, { numbers: 2, policy: { faceFalseMatchRate: 1e-4 } });
      other = await createWorld(db, { numbers: 2, policy: { manualReviewEnabled: false } });
      svc = testVerifications({ db, keyring, clock: clock.clock, face });
    });
    after(async () => { await target.close(db); });

    test('a face match stores a 10-minute verification with the document HMAC, never the number or name', async () => {
      const id = residentId('19850412', 101);
      const before = (await auditOf(db, ['verification.created'])).length;
      const o = await svc.verifyIdentity(undefined, { purpose: 'self_service', document: { type: 'cn_resident_id', number: id, name: '王小明' }, ...images, ...await live(undefined, 'self_service') });
      assert.equal(o.verified, true);
      if (!o.verified) return;
      assert.equal(o.expiresAt.getTime() - clock.clock().getTime(), 10 * 60_000);
      assert.equal(o.result.method, 'face');
      const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM verifications WHERE id = $1', [o.verificationId]);
      const row = rows[0]!;
      assert.deepEqual(row.doc_hmac, keyring.documentHmac('cn_resident_id', id));
      assert.equal(row.purpose, 'self_service');
      assert.equal(row.method, 'face');
      assert.equal(row.tenant_id, null);
      assert.equal(row.subscriber_id, null, 'an unknown person gets no subscriber row from a self-service verification');
      assert.equal(row.used_at, null);
      assert.equal((row.result as { targetFmr: number }).targetFmr, 1e-3, 'default FMR without an operator');
      const stored = JSON.stringify(row);
      assert.equal(stored.includes(id), false);
      assert.equal(stored.includes('王小明'), false);
      const audit = await auditOf(db, ['verification.created']);
      assert.equal(audit.length, before + 1);
      assert.equal(audit.at(-1)!.subject_id, o.verificationId);
      assert.equal(JSON.stringify(audit.at(-1)).includes(id), false);
    });

    test('the operator\'s target FMR is passed to the engine and kept with the result', async () => {
      const o = await svc.verifyIdentity(undefined, { purpose: 'reverification', tenantId: world.tenantId, document: { type: 'cn_resident_id', number: residentId('19850412', 102), name: '李四' }, ...images, ...await live(undefined, 'reverification', world.tenantId) });
      assert.ok(o.verified && o.result.method === 'face' && o.result.targetFmr === 1e-4);
      assert.equal(await codeOf(svc.verifyIdentity(undefined, { purpose: 'reverification', tenantId: '00000000-0000-4000-8000-000000000000', document: { type: 'cn_resident_id', number: residentId('19850412', 102), name: '李四' }, ...images, ...anySession() })), 'tenant.not_found');
    });

    test('no match: a coded failure, no verification row, an audit event without identity data', async () => {
      const id = residentId('19700101', 103);
      const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM verifications')).rows[0]!.n;
      const n = await count();
      face.next(false);
      const o = await svc.verifyIdentity(undefined, { purpose: 'self_service', document: { type: 'cn_resident_id', number: id, name: '赵六' }, ...images, ...await live(undefined, 'self_service') });
      assert.deepEqual(o, { verified: false, code: 'face.no_match', reasons: ['face.no_match'], score: 0.21, threshold: 0.5 });
      assert.equal(await count(), n);
      const failed = (await auditOf(db, ['verification.failed'])).at(-1)!;
      assert.equal(failed.details.purpose, 'self_service');
      assert.deepEqual(failed.details.reasons, ['face.no_match']);
      assert.equal(JSON.stringify(failed).includes(id), false);
    });

    test('without a face engine: registration.face_engine_unavailable; a bad document: document.invalid', async () => {
      const none = createVerificationService({ db, keyring, clock: clock.clock, face: undefined, liveness: undefined });
      const input = { purpose: 'self_service' as const, document: { type: 'cn_resident_id', number: residentId('19700101', 104), name: '孙八' }, ...images, ...anySession() };
      assert.equal(await codeOf(none.verifyIdentity(undefined, input)), 'registration.face_engine_unavailable');
      assert.equal(await codeOf(verifyIdentity({ db, keyring, clock: clock.clock, face: undefined, liveness: undefined }, input)), 'registration.face_engine_unavailable');
      assert.equal(await codeOf(svc.verifyIdentity(undefined, { ...input, document: { ...input.document, number: '110105194912310029' } })), 'document.invalid');
    });

    test('who may verify: transfers only at a store, staff only for their operator, manual only by a store manager', async () => {
      const doc = { type: 'cn_resident_id', number: residentId('19800808', 105), name: '周九' };
      const api: Principal = { kind: 'api_key', keyId: 'k', tenantId: world.tenantId, scopes: ['three_element_check'] };
      assert.equal(await codeOf(svc.verifyIdentity(undefined, { purpose: 'transfer', document: doc, ...images, ...anySession() })), 'auth.required');
      assert.equal(await codeOf(svc.verifyIdentity(world.admin, { purpose: 'self_service', document: doc, ...images, ...anySession() })), 'auth.forbidden');
      assert.equal(await codeOf(svc.verifyIdentity(api, { purpose: 'self_service', document: doc, ...images, ...anySession() })), 'auth.forbidden');
      assert.equal(await codeOf(svc.verifyIdentity(world.agent, { purpose: 'transfer', tenantId: other.tenantId, document: doc, ...images, ...anySession() })), 'auth.forbidden');
      const atStore = await svc.verifyIdentity(world.agent, { purpose: 'transfer', document: doc, ...images, ...await live(world.agent, 'transfer') });
      assert.ok(atStore.verified);
      const { rows } = await db.query<{ tenant_id: string; subscriber_id: string | null }>('SELECT tenant_id, subscriber_id FROM verifications WHERE id = $1', [atStore.verificationId]);
      assert.equal(rows[0]!.tenant_id, world.tenantId, 'staff verify for their own operator');
      assert.ok(rows[0]!.subscriber_id, 'a transfer verification keeps the person (the new holder may be new)');

      assert.equal(await codeOf(svc.verifyManually(world.agent, { purpose: 'transfer', document: doc })), 'auth.forbidden');
      assert.equal(await codeOf(svc.verifyManually(undefined, { purpose: 'transfer', document: doc })), 'auth.required');
      assert.equal(await codeOf(svc.verifyManually(world.manager, { purpose: 'self_service', document: doc })), 'request.invalid');
      assert.equal(await codeOf(svc.verifyManually(other.manager, { purpose: 'transfer', document: doc })), 'auth.forbidden', 'manual review disabled by policy');
      const manual = await svc.verifyManually(world.manager, { purpose: 'reverification', document: doc });
      assert.equal(manual.method, 'manual_review');
      assert.deepEqual(manual.result, { method: 'manual_review', reviewerId: world.manager.staffId, storeId: world.storeId, documentExpired: false });
      const created = (await auditOf(db, ['verification.created'])).at(-1)!;
      assert.equal(created.actor_id, world.manager.staffId);
      assert.equal(created.details.method, 'manual_review');
    });

    test('a verification is spent once, only for its purpose and operator, and only within 10 minutes', async () => {
      const doc = { type: 'cn_resident_id', number: residentId('19661212', 106), name: '吴十' };
      const v = await svc.verifyIdentity(world.agent, { purpose: 'transfer', document: doc, ...images, ...await live(world.agent, 'transfer') });
      assert.ok(v.verified);
      const spend = (id: string, tenantId: string, purposes: ('transfer' | 'reverification')[] = ['transfer']) =>
        db.transaction((q) => spendVerification(q, { id, purposes, now: clock.clock(), tenantId }));
      assert.equal(await codeOf(spend(v.verificationId, world.tenantId, ['reverification'])), 'verification.not_found');
      assert.equal(await codeOf(spend(v.verificationId, other.tenantId)), 'verification.not_found');
      assert.equal(await codeOf(spend('not-a-uuid', world.tenantId)), 'verification.not_found');
      const spent = await spend(v.verificationId, world.tenantId);
      assert.deepEqual(spent.usedAt, clock.clock());
      assert.equal(await codeOf(spend(v.verificationId, world.tenantId)), 'verification.not_found', 'single use');

      const anyOperator = await svc.verifyIdentity(undefined, { purpose: 'reverification', document: doc, ...images, ...await live(undefined, 'reverification') });
      const late = await svc.verifyIdentity(world.agent, { purpose: 'transfer', document: doc, ...images, ...await live(world.agent, 'transfer') });
      assert.ok(anyOperator.verified && late.verified);
      assert.equal((await db.transaction((q) => spendVerification(q, { id: anyOperator.verificationId, purposes: ['reverification'], now: clock.clock(), tenantId: other.tenantId }))).id,
        anyOperator.verificationId, 'a verification made for no operator counts for any');
      clock.advanceSeconds(600);
      assert.equal(await codeOf(spend(late.verificationId, world.tenantId)), 'verification.not_found', 'expired after 10 minutes');
    });
  });
}
