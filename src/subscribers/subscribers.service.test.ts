import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import { maskMsisdn } from '../numbers/numbers.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import type { Principal } from '../staff/principal.ts';
import { readDocument } from './identity.ts';
import { createSubscribersRepository } from './subscribers.repository.ts';
import type { VerificationPurpose } from '../verification/verification.ts';
import { auditOf, codeOf, photo, registerNumber, type Registered, testRegistrations, testVerifications, type TestVerifications } from '../verification/verification.test-support.ts';
import { createSubscribersService, type SubscribersService } from './subscribers.service.ts';

const keyring = testKeyring();
const P = { id: '11010519491231002X', name: 'Zhang San' };
const Q = { id: residentId('19880808', 301), name: '李四' };
const UNKNOWN = { id: residentId('19700707', 302), name: '王五' };
const NO_NUMBERS = { id: residentId('19750505', 303), name: '赵六' };

for (const target of await testTargets()) {
  describe(`self-service lookup, "not mine", three-element check (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let a: World;
    let b: World;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let verifications: TestVerifications;
    let svc: SubscribersService;
    let pA1: Registered; let pA2: Registered; let pB: Registered; let qA: Registered;

    async function verify(person: { id: string; name: string }, purpose: VerificationPurpose = 'self_service'): Promise<string> {
      const o = await verifications.verifyIdentity(undefined, { purpose, document: { type: 'cn_resident_id', number: person.id, name: person.name }, idPhoto: photo('chip'), livenessSessionId: await verifications.live.passForVerification(undefined, purpose, photo('live')) });
      assert.ok(o.verified);
      return o.verificationId;
    }
    const keyOf = (w: World, scopes = ['three_element_check']): Principal => ({ kind: 'api_key', keyId: `key-${w.tenantId}`, tenantId: w.tenantId, scopes });

    before(async () => {
      db = await target.open();
      a = await createWorld(db, { code: `a-${target.name}`, numbers: 10, policy: { reverificationDeadlineHours: 48 } });
      b = await createWorld(db, { code: `b-${target.name}`, numbers: 10 });
      const registrations = testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 });
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      svc = createSubscribersService({ db, keyring, clock: clock.clock });
      pA1 = await registerNumber(db, registrations, a.agent, P.id, P.name);
      pA2 = await registerNumber(db, registrations, a.agent, P.id, P.name);
      clock.advanceMinutes(5);
      pB = await registerNumber(db, registrations, b.agent, P.id, P.name);
      qA = await registerNumber(db, registrations, a.agent, Q.id, Q.name);
      const read = readDocument(keyring, { type: 'cn_resident_id', number: NO_NUMBERS.id, name: NO_NUMBERS.name }, clock.clock());
      await createSubscribersRepository(keyring).upsert(db, read.document, read.docHmac);
    });
    after(async () => { await target.close(db); });

    test('the lookup lists every number under the ID across operators, masked, with state and since-when; audited without PII', async () => {
      const vid = await verify(P);
      const r = await svc.lookup(vid);
      assert.deepEqual(r.numbers.map((n) => [n.operator.code, n.maskedMsisdn, n.state]).sort(), [
        [`a-${target.name}`, maskMsisdn(pA1.msisdn), 'active'], [`a-${target.name}`, maskMsisdn(pA2.msisdn), 'active'], [`b-${target.name}`, maskMsisdn(pB.msisdn), 'active'],
      ].sort());
      assert.deepEqual(new Set(r.numbers.map((n) => n.numberId)), new Set([pA1.numberId, pA2.numberId, pB.numberId]));
      assert.equal(r.numbers.find((n) => n.numberId === pB.numberId)!.operator.name, `Operator b-${target.name}`);
      const since = r.numbers.find((n) => n.numberId === pB.numberId)!.since;
      assert.ok(since > r.numbers.find((n) => n.numberId === pA1.numberId)!.since, 'since = when the holding started');
      const text = JSON.stringify(r);
      for (const m of [pA1, pA2, pB]) assert.equal(text.includes(m.msisdn), false, 'no full number leaves the service');
      assert.match(r.numbers[0]!.maskedMsisdn, /^\d{3}\*{4}\d{4}$/);
      const audit = (await auditOf(db, ['subscriber.self_lookup'])).at(-1)!;
      assert.equal(audit.subject_id, vid);
      assert.deepEqual(audit.details, { numbers: 3, method: 'face' });
      assert.equal(audit.actor_id, pA1.subscriberId);
    });

    test('an unknown ID gets an empty list, exactly like a known person without numbers', async () => {
      const unknown = await svc.lookup(await verify(UNKNOWN));
      const known = await svc.lookup(await verify(NO_NUMBERS));
      assert.deepEqual(unknown.numbers, []);
      assert.deepEqual(Object.keys(unknown), Object.keys(known));
      assert.deepEqual({ ...unknown, verificationExpiresAt: 0 }, { ...known, verificationExpiresAt: 0 });
      const audits = (await auditOf(db, ['subscriber.self_lookup'])).slice(-2);
      assert.deepEqual(audits.map((x) => x.details), [{ numbers: 0, method: 'face' }, { numbers: 0, method: 'face' }]);
    });

    test('a self-service verification is a 10-minute window; other purposes do not open it', async () => {
      const vid = await verify(P);
      assert.equal((await svc.lookup(vid)).numbers.length, 3);
      clock.advanceMinutes(9);
      assert.equal((await svc.lookup(vid)).numbers.length, 3, 'reusable inside the window');
      const { rows } = await db.query<{ used_at: Date }>('SELECT used_at FROM verifications WHERE id = $1', [vid]);
      assert.deepEqual(rows[0]!.used_at, new Date(clock.clock().getTime() - 9 * 60_000), 'used_at keeps the first use');
      clock.advanceMinutes(1);
      assert.equal(await codeOf(svc.lookup(vid)), 'verification.not_found');
      assert.equal(await codeOf(svc.lookup(await verify(P, 'reverification'))), 'verification.not_found');
      assert.equal(await codeOf(svc.lookup('not-a-uuid')), 'verification.not_found');
      assert.equal(await codeOf(svc.lookup('00000000-0000-4000-8000-000000000000')), 'verification.not_found');
    });

    test('"not mine" opens a pending re-verification with the operator\'s deadline; a second report returns it', async () => {
      const vid = await verify(P);
      const now = clock.clock();
      const r = await svc.reportNotMine(vid, pA2.numberId);
      assert.equal(r.created, true);
      assert.equal(r.deadline.getTime() - now.getTime(), 48 * 3_600_000);
      const { rows } = await db.query<{ status: string; reason: string; holder_id: string; tenant_id: string; campaign_id: string | null }>(
        'SELECT status, reason, holder_id, tenant_id, campaign_id FROM reverifications WHERE id = $1', [r.reverificationId]);
      assert.deepEqual(rows[0], { status: 'pending', reason: 'not_mine_report', holder_id: pA2.subscriberId, tenant_id: a.tenantId, campaign_id: null });
      const again = await svc.reportNotMine(vid, pA2.numberId);
      assert.deepEqual(again, { ...r, created: false });
      const listed = (await svc.lookup(vid)).numbers.find((n) => n.numberId === pA2.numberId)!;
      assert.deepEqual(listed.pendingReverification, { id: r.reverificationId, deadline: r.deadline });
      const reported = (await auditOf(db, ['number.reported_not_mine'])).at(-1)!;
      assert.equal(reported.subject_id, pA2.numberId);
      assert.equal(reported.tenant_id, a.tenantId);
      assert.equal(JSON.stringify(reported).includes(pA2.msisdn), false);
      assert.equal((await auditOf(db, ['reverification.started'])).filter((e) => e.subject_id === r.reverificationId).length, 1);

      assert.equal(await codeOf(svc.reportNotMine(vid, qA.numberId)), 'number.not_found', 'only numbers held under the own ID');
      assert.equal(await codeOf(svc.reportNotMine(await verify(UNKNOWN), pA1.numberId)), 'number.not_found');
      assert.equal(await codeOf(svc.reportNotMine(await verify(P, 'reverification'), pA1.numberId)), 'verification.not_found');
    });

    test('three-element check: one code per case, at the key\'s operator only', async () => {
      const check = (name: string, id: string, msisdn: string, key = keyOf(a)) =>
        svc.threeElementCheck(key, { name, documentType: 'cn_resident_id', documentNumber: id, msisdn });
      assert.deepEqual(await check(P.name, P.id, pA1.msisdn), { result: 'match' });
      assert.deepEqual(await check('  zhang   SAN ', P.id.toLowerCase(), pA1.msisdn), { result: 'match' }, 'spaces and case are normalised');
      assert.deepEqual(await check('Zhang Si', P.id, pA1.msisdn), { result: 'name_mismatch' });
      assert.deepEqual(await check(P.name, Q.id, pA1.msisdn), { result: 'document_mismatch' });
      assert.deepEqual(await check(Q.name, UNKNOWN.id, qA.msisdn), { result: 'document_mismatch' });
      assert.deepEqual(await check(P.name, P.id, pB.msisdn), { result: 'number_unknown' }, 'another operator\'s number');
      assert.deepEqual(await check(P.name, P.id, pB.msisdn, keyOf(b)), { result: 'match' });
      assert.deepEqual(await check(P.name, P.id, '19999999999'), { result: 'number_unknown' });
      const [available] = await numbersRepository.listPage(db, { tenantId: a.tenantId, state: 'available', storeId: a.storeId, orUnassigned: true }, 1);
      assert.deepEqual(await check(P.name, P.id, available!.msisdn), { result: 'number_unknown' }, 'not assigned');
      await numbersRepository.setState(db, pA1.numberId, ['active'], 'suspended', clock.clock());
      assert.deepEqual(await check(P.name, P.id, pA1.msisdn), { result: 'number_unknown' }, 'suspended is not active');
      await numbersRepository.setState(db, pA1.numberId, ['suspended'], 'active', clock.clock());

      const audits = (await auditOf(db, ['subscriber.three_element_check'])).slice(-10);
      assert.deepEqual(audits.map((e) => e.details.result), [
        'match', 'match', 'name_mismatch', 'document_mismatch', 'document_mismatch', 'number_unknown', 'match', 'number_unknown', 'number_unknown', 'number_unknown']);
      assert.deepEqual(Object.keys(audits[0]!.details), ['result'], 'the code, never the inputs');
      assert.equal(audits[0]!.actor_type, 'api_key');
      assert.equal(audits[0]!.tenant_id, a.tenantId);
    });

    test('three-element check: bad input is a typed error, audited as invalid_input; only keys with the scope', async () => {
      const input = { name: P.name, documentType: 'cn_resident_id', documentNumber: '110105194912310029', msisdn: pA1.msisdn };
      assert.equal(await codeOf(svc.threeElementCheck(keyOf(a), input)), 'document.invalid');
      assert.equal(await codeOf(svc.threeElementCheck(keyOf(a), { ...input, documentNumber: P.id, msisdn: 'phone' })), 'number.invalid_format');
      assert.deepEqual((await auditOf(db, ['subscriber.three_element_check'])).slice(-2).map((e) => e.details),
        [{ result: 'invalid_input', error: 'document.invalid' }, { result: 'invalid_input', error: 'number.invalid_format' }]);
      const ok = { ...input, documentNumber: P.id };
      assert.equal(await codeOf(svc.threeElementCheck(keyOf(a, ['other']), ok)), 'auth.forbidden');
      assert.equal(await codeOf(svc.threeElementCheck(a.admin, ok)), 'auth.forbidden');
      assert.equal(await codeOf(svc.threeElementCheck(undefined, ok)), 'auth.required');
    });
  });
}
