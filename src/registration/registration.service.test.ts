import { describe, test, before, after } from 'node:test';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { createRegistrationService, type RegistrationService } from './registration.service.ts';
import { createWorld, residentId, type World } from './registration.fixtures.ts';
import type { Principal } from '../staff/principal.ts';
import { testLiveness, type TestLiveness } from '../liveness/liveness.test-harness.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';

const keyring = testKeyring();
const consent = { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' as const };
const photo = (s: string) => Buffer.from(`image:${s}`);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as { code: string }).code; }
  return 'no error';
}

/** Runs a registration up to `until` (inclusive) and returns its id. */
async function register(svc: RegistrationService, live: TestLiveness, agent: Principal, idNumber: string, until: 'rules' | 'assign' | 'complete' = 'complete', name = '张三') {
  const r = await svc.start(agent);
  await svc.captureDocument(agent, r.id, { type: 'cn_resident_id', number: idNumber, name, idPhoto: photo('chip') });
  await svc.recordConsent(agent, r.id, consent);
  await svc.submitFace(agent, r.id, { livenessSessionId: await live.pass(agent, r.id, photo('live')) });
  const ruled = await svc.checkRules(agent, r.id);
  if (until === 'rules' || ruled.state !== 'rules_passed') return ruled;
  const assigned = await svc.assignNumber(agent, r.id);
  if (until === 'assign' || assigned.state !== 'number_assigned') return assigned;
  return svc.complete(agent, r.id);
}

for (const target of await testTargets()) {
  describe(`registration workflow (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let world: World;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let svc: RegistrationService;
    let live: TestLiveness;
    before(async () => {
      db = await target.open();
      world = await createWorld(db, { numbers: 40 });
      live = testLiveness(db, keyring, clock.clock);
      svc = createRegistrationService({ db, keyring, clock: clock.clock, face, liveness: live.service, deploymentCap: 10 });
    });
    after(async () => { await target.close(db); });

    test('a registration walks every state to a receipt, audited, with captures deleted after the decision', async () => {
      const id = residentId('19850412', 11);
      const r = await svc.start(world.agent);
      assert.equal(r.state, 'created');
      const captured = await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: id, name: '王小明', idPhoto: photo('chip') });
      assert.equal(captured.state, 'document_captured');
      assert.equal(captured.document?.maskedNumber, `${id.slice(0, 6)}********${id.slice(-4)}`);
      assert.equal(captured.document?.maskedName, '王*明');
      assert.equal(JSON.stringify(captured).includes(id), false, 'the full number never leaves the service');
      assert.equal((await db.query('SELECT 1 FROM captures WHERE registration_id = $1', [r.id])).rows.length, 1);
      assert.equal((await svc.recordConsent(world.agent, r.id, consent)).state, 'consent_recorded');
      const verified = await svc.submitFace(world.agent, r.id, { livenessSessionId: await live.pass(world.agent, r.id, photo('live')) });
      assert.equal(verified.state, 'face_verified');
      assert.equal(face.calls.at(-1)?.idPhoto.toString(), 'image:chip', 'the stored chip photo was compared');
      assert.equal((await db.query('SELECT 1 FROM captures WHERE registration_id = $1', [r.id])).rows.length, 0, 'raw images deleted');
      assert.equal((await svc.checkRules(world.agent, r.id)).state, 'rules_passed');
      const assigned = await svc.assignNumber(world.agent, r.id);
      assert.equal(assigned.state, 'number_assigned');
      assert.ok(assigned.numberId);
      const done = await svc.complete(world.agent, r.id);
      assert.equal(done.state, 'completed');
      const receipt = await svc.receipt(world.agent, r.id);
      assert.match(receipt.msisdn, /^\d{11}$/);
      assert.equal(receipt.subscriber.maskedName, '王*明');
      assert.equal(receipt.verification, 'face');
      const { rows } = await db.query<{ action: string; details: Record<string, unknown> }>(
        "SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id", [r.id]);
      assert.deepEqual(rows.map((x) => x.action).filter((a) => a.startsWith('registration.') && a !== 'registration.receipt_viewed'), [
        'registration.created', 'registration.document_captured', 'registration.consent_recorded', 'registration.face_verified',
        'registration.rules_passed', 'registration.number_assigned', 'registration.completed',
      ]);
      assert.equal(JSON.stringify(rows).includes(id), false, 'no document number in the audit log');
      const { rows: stored } = await db.query<{ document_enc: Buffer }>('SELECT document_enc FROM registrations WHERE id = $1', [r.id]);
      assert.equal(stored[0]!.document_enc.includes(Buffer.from(id)), false, 'the document is encrypted at rest');
    });

    test('no step can be skipped or repeated out of order', async () => {
      const r = await svc.start(world.agent);
      assert.equal(await codeOf(svc.recordConsent(world.agent, r.id, consent)), 'registration.invalid_transition');
      assert.equal(await codeOf(svc.submitFace(world.agent, r.id, { livenessSessionId: randomUUID() })), 'registration.invalid_transition');
      assert.equal(await codeOf(svc.assignNumber(world.agent, r.id)), 'registration.invalid_transition');
      assert.equal(await codeOf(svc.complete(world.agent, r.id)), 'registration.invalid_transition');
      await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19900101', 12), name: '李四' });
      assert.equal(await codeOf(svc.checkRules(world.agent, r.id)), 'registration.invalid_transition');
      const cancelled = await svc.cancel(world.agent, r.id, 'customer_left');
      assert.equal(cancelled.state, 'cancelled');
      assert.equal(await codeOf(svc.recordConsent(world.agent, r.id, consent)), 'registration.ended');
    });

    test('an invalid document is refused with its codes and nothing is saved', async () => {
      const r = await svc.start(world.agent);
      const good = residentId('19900101', 13);
      const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
      const err = await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: bad, name: '李四' })
        .then(() => undefined, (e: { code: string; extra: { errors: { code: string }[] } }) => e);
      assert.equal(err?.code, 'document.invalid');
      assert.deepEqual(err?.extra.errors.map((e) => e.code), ['id.checksum']);
      assert.equal((await svc.get(world.agent, r.id)).state, 'created');
    });

    test('a retried step with the same idempotency key returns the first answer; a different body is refused', async () => {
      const r = await svc.start(world.agent, 'kiosk-retry-1');
      assert.equal((await svc.start(world.agent, 'kiosk-retry-1')).id, r.id, 'creation is idempotent too');
      const input = { type: 'cn_resident_id', number: residentId('19920202', 14), name: '赵六' };
      const first = await svc.captureDocument(world.agent, r.id, input, { key: 'k1', body: input });
      const again = await svc.captureDocument(world.agent, r.id, input, { key: 'k1', body: input });
      assert.deepEqual(again, first);
      const { rows } = await db.query("SELECT 1 FROM audit_events WHERE subject_id = $1 AND action = 'registration.document_captured'", [r.id]);
      assert.equal(rows.length, 1, 'the retry changed nothing');
      const other = { ...input, name: '钱七' };
      assert.equal(await codeOf(svc.captureDocument(world.agent, r.id, other, { key: 'k1', body: other })), 'conflict.idempotency_key_reused');
    });

    test('sessions expire: steps are refused, the expiry is recorded, the sweeper ends the rest and frees reserved numbers', async () => {
      const a = await svc.start(world.agent);
      const b = await svc.start(world.agent);
      const { rows: avail } = await db.query<{ msisdn: string }>("SELECT msisdn FROM numbers WHERE tenant_id = $1 AND state = 'available' ORDER BY msisdn DESC LIMIT 1", [world.tenantId]);
      await svc.reserveNumber(world.agent, b.id, avail[0]!.msisdn);
      clock.advanceMinutes(16);
      assert.equal(await codeOf(svc.captureDocument(world.agent, a.id, { type: 'cn_resident_id', number: residentId('19900101', 15), name: '孙八' })), 'registration.expired');
      assert.equal((await svc.get(world.agent, a.id)).state, 'expired');
      assert.ok(await svc.expireDue() >= 1);
      assert.equal((await svc.get(world.agent, b.id)).state, 'expired');
      const { rows } = await db.query<{ state: string }>('SELECT state FROM numbers WHERE msisdn = $1', [avail[0]!.msisdn]);
      assert.equal(rows[0]!.state, 'available');
    });

    test('three failed face matches reject the registration', async () => {
      face.next(false, false, false);
      const r = await svc.start(world.agent);
      await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19800303', 16), name: '周九', idPhoto: photo('chip') });
      await svc.recordConsent(world.agent, r.id, consent);
      const attempt = async (frame: string) => svc.submitFace(world.agent, r.id, { livenessSessionId: await live.pass(world.agent, r.id, photo(frame)) });
      assert.equal((await attempt('a')).state, 'consent_recorded');
      assert.equal((await attempt('b')).faceAttempts, 2);
      const last = await attempt('c');
      assert.equal(last.state, 'rejected');
      assert.equal(last.reasonCode, 'face.no_match');
    });

    test('without a face engine only manual review is open, decided by a store manager and recorded as such', async () => {
      const noEngine = createRegistrationService({ db, keyring, clock: clock.clock, face: undefined, liveness: undefined, deploymentCap: 10 });
      const r = await noEngine.start(world.agent);
      await noEngine.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19750505', 17), name: '吴十' });
      await noEngine.recordConsent(world.agent, r.id, { ...consent, biometric: false });
      assert.equal(await codeOf(noEngine.submitFace(world.agent, r.id, { livenessSessionId: randomUUID(), idPhoto: photo('y') })), 'registration.face_engine_unavailable');
      assert.equal((await noEngine.requestManualReview(world.agent, r.id)).state, 'manual_review_pending');
      assert.deepEqual((await noEngine.listPendingReview(world.manager)).map((x) => x.id).includes(r.id), true);
      assert.equal(await codeOf(noEngine.decideManualReview(world.agent, r.id, { approved: true, note: 'checked' })), 'auth.forbidden');
      const approved = await noEngine.decideManualReview(world.manager, r.id, { approved: true, note: 'document and person checked' });
      assert.equal(approved.state, 'face_verified');
      assert.equal(approved.verification?.method, 'manual_review');
      const { rows } = await db.query<{ verification: { reviewerId: string } }>('SELECT verification FROM registrations WHERE id = $1', [r.id]);
      assert.equal(rows[0]!.verification.reviewerId, world.manager.staffId);
    });

    test('declining biometric consent closes the face step', async () => {
      const r = await svc.start(world.agent);
      await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19750505', 18), name: '郑一' });
      await svc.recordConsent(world.agent, r.id, { ...consent, biometric: false });
      assert.equal(await codeOf(svc.submitFace(world.agent, r.id, { livenessSessionId: randomUUID(), idPhoto: photo('y') })), 'registration.invalid_transition');
    });

    test('an agent cannot touch another store\'s registration; the regulator can read but not act', async () => {
      const other = await createWorld(db, { numbers: 1 });
      const r = await svc.start(world.agent);
      assert.equal(await codeOf(svc.get(other.agent, r.id)), 'auth.forbidden');
      assert.equal(await codeOf(svc.cancel(other.agent, r.id, 'x')), 'auth.forbidden');
      const regulator: Principal = { kind: 'staff', staffId: world.admin.staffId, role: 'regulator', tenantId: null, storeId: null };
      assert.equal((await svc.get(regulator, r.id)).id, r.id);
      assert.equal(await codeOf(svc.cancel(regulator, r.id, 'x')), 'auth.forbidden');
      assert.equal(await codeOf(svc.cancel(world.admin, r.id, 'x')), 'auth.forbidden');
    });

    test('a flow survives a restart: a new service instance continues it', async () => {
      const r = await svc.start(world.agent);
      await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19880808', 19), name: '冯二', idPhoto: photo('chip') });
      const restarted = createRegistrationService({ db, keyring, clock: clock.clock, face, liveness: live.service, deploymentCap: 10 });
      assert.equal((await restarted.recordConsent(world.agent, r.id, consent)).state, 'consent_recorded');
    });

    test("the number step takes the registration's reservation, else the store's lowest available number, else the shared stock's", async () => {
      const w = await createWorld(db, { numbers: 0 });
      const base = 13900000000 + Math.floor(Math.random() * 90_000_000);
      // the shared stock (no store) holds the lowest numbers: the store's own still go first
      await numbersRepository.importNumbers(db, w.tenantId, null, [String(base), String(base + 1)]);
      await numbersRepository.importNumbers(db, w.tenantId, w.storeId, [String(base + 12), String(base + 11), String(base + 10)]);
      const msisdnOf = async (id: string) => (await svc.receipt(w.agent, id)).msisdn;
      const reserved = await register(svc, live, w.agent, residentId('19800101', 31), 'rules');
      await svc.reserveNumber(w.agent, reserved.id, String(base + 12));
      await svc.assignNumber(w.agent, reserved.id);
      await svc.complete(w.agent, reserved.id);
      assert.equal(await msisdnOf(reserved.id), String(base + 12), 'the reserved number');
      const picked: string[] = [];
      for (const [i, born] of ['19800202', '19800303', '19800404', '19800505'].entries()) {
        const r = await register(svc, live, w.agent, residentId(born, 32 + i));
        assert.equal(r.state, 'completed');
        picked.push(await msisdnOf(r.id));
      }
      assert.deepEqual(picked, [String(base + 10), String(base + 11), String(base), String(base + 1)]);
      assert.equal(await codeOf(register(svc, live, w.agent, residentId('19800606', 36))), 'registration.number_unavailable', 'none left anywhere');
    });
  });

  describe(`policy rules in the workflow (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let svc: RegistrationService;
    let live: TestLiveness;
    before(async () => {
      db = await target.open();
      live = testLiveness(db, keyring, clock.clock);
      svc = createRegistrationService({ db, keyring, clock: clock.clock, face, liveness: live.service, deploymentCap: 7 });
    });
    after(async () => { await target.close(db); });

    test('the per-operator cap (5) and the deployment cap hold', async () => {
      const a = await createWorld(db, { numbers: 10 });
      const b = await createWorld(db, { numbers: 10 });
      const id = residentId('19700101', 21);
      for (let i = 0; i < 5; i++) assert.equal((await register(svc, live, a.agent, id)).state, 'completed');
      const sixth = await register(svc, live, a.agent, id);
      assert.equal(sixth.state, 'rejected');
      assert.equal(sixth.reasonCode, 'policy.operator_cap_reached');
      assert.equal((await register(svc, live, b.agent, id)).state, 'completed');
      assert.equal((await register(svc, live, b.agent, id)).state, 'completed');
      const eighth = await register(svc, live, b.agent, id);
      assert.equal(eighth.reasonCode, 'policy.deployment_cap_reached', 'deployment cap 7 across both operators');
    });

    test('the cap is configurable per operator', async () => {
      const w = await createWorld(db, { numbers: 5, policy: { maxActiveNumbersPerPerson: 1 } });
      const id = residentId('19700101', 22);
      assert.equal((await register(svc, live, w.agent, id)).state, 'completed');
      assert.equal((await register(svc, live, w.agent, id)).reasonCode, 'policy.operator_cap_reached');
    });

    test('who needs a guardian follows the operator\'s minor age', async () => {
      const w = await createWorld(db, { numbers: 2, policy: { minorAgeYears: 10 } });
      const start = async (number: string) => {
        const r = await svc.start(w.agent);
        return svc.captureDocument(w.agent, r.id, { type: 'cn_resident_id', number, name: '周一', idPhoto: photo('chip') });
      };
      const eleven = await start(residentId('20180315', 29));
      assert.deepEqual([eleven.document?.age, eleven.guardianRequired], [11, false]);
      const nine = await start(residentId('20200315', 30));
      assert.deepEqual([nine.document?.age, nine.guardianRequired], [9, true]);
      assert.equal((await start(residentId('19900101', 31))).guardianRequired, false);
    });

    test('a blocklisted document is rejected with its reason', async () => {
      const w = await createWorld(db, { numbers: 2 });
      const id = residentId('19650606', 23);
      await db.query('INSERT INTO blocklist (id, tenant_id, doc_hmac, reason) VALUES (gen_random_uuid(), NULL, $1, $2)',
        [keyring.documentHmac('cn_resident_id', id), 'fraud ring']);
      const r = await register(svc, live, w.agent, id);
      assert.equal(r.state, 'rejected');
      assert.equal(r.reasonCode, 'policy.blocklisted');
    });

    test('a minor needs a verified adult guardian', async () => {
      const w = await createWorld(db, { numbers: 3 });
      const child = residentId('20180315', 24);
      const alone = await register(svc, live, w.agent, child, 'rules', '冯小');
      assert.equal(alone.reasonCode, 'policy.guardian_required');

      const r = await svc.start(w.agent);
      const captured = await svc.captureDocument(w.agent, r.id, { type: 'cn_resident_id', number: child, name: '冯小', idPhoto: photo('chip') });
      assert.equal(captured.guardianRequired, true, 'the view says a guardian is needed before the rules end the registration');
      assert.equal((await svc.get(w.agent, r.id)).guardianRequired, true);
      // refused at the guardian step, the registration still open: the person registering, a guardian under 18
      const teen = { type: 'cn_resident_id', number: residentId('20160101', 25), name: '冯大' };
      assert.equal(await codeOf(svc.addGuardian(w.manager, r.id, { document: { type: 'cn_resident_id', number: child, name: '冯小' }, relation: 'parent', method: 'manual_review' })), 'registration.guardian_same_person');
      assert.equal(await codeOf(svc.addGuardian(w.manager, r.id, { document: teen, relation: 'parent', method: 'manual_review' })), 'policy.guardian_not_adult');
      const mother = { type: 'cn_resident_id', number: residentId('19850101', 28), name: '冯母' };
      assert.equal(await codeOf(svc.addGuardian(w.agent, r.id, { document: mother, relation: 'parent', method: 'manual_review' })), 'auth.forbidden');
      const still = await svc.get(w.agent, r.id);
      assert.equal(still.state, 'document_captured');
      assert.equal(still.guardian, null);
      const recorded = await svc.addGuardian(w.manager, r.id, { document: mother, relation: 'parent', method: 'manual_review' });
      assert.deepEqual(recorded.guardian, { relation: 'parent', method: 'manual_review' });
      assert.equal(recorded.state, 'document_captured', 'recording a guardian does not move the registration on');
      await svc.recordConsent(w.agent, r.id, consent);
      await svc.submitFace(w.agent, r.id, { livenessSessionId: await live.pass(w.agent, r.id, photo('live')) });
      assert.equal((await svc.checkRules(w.agent, r.id)).state, 'rules_passed');

      const r2 = await svc.start(w.agent);
      await svc.captureDocument(w.agent, r2.id, { type: 'cn_resident_id', number: child, name: '冯小', idPhoto: photo('chip') });
      await svc.recordConsent(w.agent, r2.id, consent);
      const father = { type: 'cn_resident_id', number: residentId('19800101', 26), name: '冯父' };
      // the guardian's face is checked on their own liveness challenge: never without one, and
      // neither person's session stands in for the other's
      assert.equal(await codeOf(svc.addGuardian(w.agent, r2.id, { document: father, relation: 'parent', method: 'face', idPhoto: photo('g-chip') })), 'request.invalid');
      const minorsSession = await live.pass(w.agent, r2.id, photo('live'));
      assert.equal(await codeOf(svc.addGuardian(w.agent, r2.id, { document: father, relation: 'parent', method: 'face', idPhoto: photo('g-chip'), livenessSessionId: minorsSession })), 'liveness.required');
      const guardiansSession = await live.passGuardian(w.agent, r2.id, photo('g-live'));
      assert.equal(await codeOf(svc.submitFace(w.agent, r2.id, { livenessSessionId: guardiansSession })), 'liveness.required');
      // a face that does not match the guardian's document is refused, and their session is kept for a corrected document
      face.next(false);
      assert.equal(await codeOf(svc.addGuardian(w.agent, r2.id, { document: father, relation: 'parent', method: 'face', idPhoto: photo('g-chip'), livenessSessionId: guardiansSession })), 'verification.failed');
      assert.equal((await svc.get(w.agent, r2.id)).guardian, null);
      await svc.addGuardian(w.agent, r2.id, { document: father, relation: 'parent', method: 'face', idPhoto: photo('g-chip'), livenessSessionId: guardiansSession });
      assert.equal(face.calls.at(-1)!.livePhoto.toString(), photo('g-live').toString(), 'the guardian\'s best frame is what is matched');
      assert.equal(await codeOf(svc.addGuardian(w.agent, r2.id, { document: father, relation: 'parent', method: 'face', idPhoto: photo('g-chip'), livenessSessionId: guardiansSession })), 'liveness.required', 'used up');
      await svc.submitFace(w.agent, r2.id, { livenessSessionId: minorsSession });
      const passed = await svc.checkRules(w.agent, r2.id);
      assert.equal(passed.state, 'rules_passed');
      assert.deepEqual(passed.guardian, { relation: 'parent', method: 'face' });
    });

    test('50 simultaneous registrations of one person never exceed the cap nor share a number', async () => {
      const w = await createWorld(db, { numbers: 60 });
      const id = residentId('19600101', 27);
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => register(svc, live, w.agent, id)));
      const done = results.filter((r) => r.status === 'fulfilled' && r.value.state === 'completed').length;
      const { rows } = await db.query<{ n: number; distinct_numbers: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT n.id)::int AS distinct_numbers FROM numbers n
          JOIN subscribers s ON s.id = n.holder_id WHERE s.doc_hmac = $1 AND n.state = 'active'`, [keyring.documentHmac('cn_resident_id', id)]);
      assert.equal(rows[0]!.n, 5, 'exactly the cap');
      assert.equal(done, 5);
      assert.equal(rows[0]!.distinct_numbers, 5);
      const { rows: holdings } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM number_holdings h JOIN numbers n ON n.id = h.number_id WHERE n.tenant_id = $1 AND h.ended_at IS NULL`, [w.tenantId]);
      assert.equal(holdings[0]!.n, 5, 'one open holding per number');
      for (const r of results) {
        if (r.status === 'rejected') assert.match(String((r.reason as { code?: string }).code), /^registration\.concurrent_update$/);
        else if (r.value.state !== 'completed') assert.equal(r.value.reasonCode, 'policy.operator_cap_reached');
      }
    });

    test('50 simultaneous registrations of different people each get their own number', async () => {
      const w = await createWorld(db, { numbers: 50 });
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => register(svc, live, w.agent, residentId('19700101', 100 + i, '110102'))));
      assert.equal(results.filter((r) => r.state === 'completed').length, 50);
      const { rows } = await db.query<{ n: number; d: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT holder_id)::int AS d FROM numbers WHERE tenant_id = $1 AND state = 'active'", [w.tenantId]);
      assert.deepEqual(rows[0], { n: 50, d: 50 });
      const r = await svc.start(w.agent);
      await svc.captureDocument(w.agent, r.id, { type: 'cn_resident_id', number: residentId('19700101', 999, '110102'), name: '多一', idPhoto: photo('c') });
      await svc.recordConsent(w.agent, r.id, consent);
      await svc.submitFace(w.agent, r.id, { livenessSessionId: await live.pass(w.agent, r.id, photo('l')) });
      await svc.checkRules(w.agent, r.id);
      assert.equal(await codeOf(svc.assignNumber(w.agent, r.id)), 'registration.number_unavailable', 'inventory exhausted');
    });
  });
}
