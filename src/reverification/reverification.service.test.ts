import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import { randomUUID } from 'node:crypto';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import type { Principal } from '../staff/principal.ts';
import { auditOf, codeOf, photo, registerNumber, type Registered, testRegistrations, testVerifications, type TestRegistrations, type TestVerifications } from '../verification/verification.test-support.ts';
import { createReverificationService, type ReverificationService } from './reverification.service.ts';

const keyring = testKeyring();
const P = { id: residentId('19770707', 501), name: '陈一' };
const Q = { id: residentId('19780808', 502), name: '林二' };
const regulator: Principal = { kind: 'staff', staffId: '00000000-0000-4000-8000-0000000000aa', role: 'regulator', tenantId: null, storeId: null };

for (const target of await testTargets()) {
  describe(`re-verification campaigns (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let a: World;
    let b: World;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let registrations: TestRegistrations;
    let verifications: TestVerifications;
    let svc: ReverificationService;

    async function verify(person: { id: string; name: string }, who?: Principal): Promise<string> {
      const o = await verifications.verifyIdentity(who, { purpose: 'reverification', document: { type: 'cn_resident_id', number: person.id, name: person.name }, idPhoto: photo('chip'), livenessSessionId: await verifications.live.passForVerification(who, 'reverification', photo('live')) });
      assert.ok(o.verified);
      return o.verificationId;
    }
    const stateOf = async (r: Registered) => (await numbersRepository.findById(db, r.numberId))!.state;
    const statusOf = async (id: string) => (await db.query<{ status: string }>('SELECT status FROM reverifications WHERE id = $1', [id])).rows[0]!.status;

    before(async () => {
      db = await target.open();
      a = await createWorld(db, { numbers: 20, policy: { reverificationDeadlineHours: 72 } });
      b = await createWorld(db, { numbers: 5 });
      registrations = testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 });
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      svc = createReverificationService({ db, clock: clock.clock });
    });
    after(async () => { await target.close(db); });

    test('a campaign over a list flags held numbers and reports every skipped row', async () => {
      const p1 = await registerNumber(db, registrations, a.agent, P.id, P.name);
      const q1 = await registerNumber(db, registrations, a.agent, Q.id, Q.name);
      const otherOp = await registerNumber(db, registrations, b.agent, Q.id, Q.name);
      const [free] = await numbersRepository.listPage(db, { tenantId: a.tenantId, state: 'available', storeId: a.storeId, orUnassigned: true }, 1);
      const report = await svc.startCampaign(a.admin, a.tenantId, {
        name: 'Spring check', reason: 'periodic_check', msisdns: [p1.msisdn, ` ${q1.msisdn} `, free!.msisdn, otherOp.msisdn, 'abc', p1.msisdn, '13999999999'],
      });
      assert.equal(report.campaign.deadlineHours, 72, 'default from the operator policy');
      assert.equal(report.deadline.getTime() - clock.clock().getTime(), 72 * 3_600_000);
      assert.deepEqual(report.rows.map((r) => (r.outcome === 'created' ? 'created' : r.reason)),
        ['created', 'created', 'number.not_held', 'number.not_found', 'number.invalid_format', 'duplicate', 'number.not_found']);
      assert.deepEqual([report.created, report.skipped], [2, 5]);
      const progress = await svc.campaignProgress(a.admin, report.campaign.id);
      assert.deepEqual(progress.counts, { pending: 2, passed: 0, suspended: 0, cancelled: 0, total: 2 });
      const again = await svc.startCampaign(a.admin, a.tenantId, { name: 'Again', reason: 'periodic_check', deadlineHours: 5, msisdns: [p1.msisdn] });
      assert.deepEqual(again.rows, [{ msisdn: p1.msisdn, outcome: 'skipped', reason: 'already_pending' }]);
      const started = (await auditOf(db, ['reverification.campaign_started'])).find((e) => e.subject_id === report.campaign.id)!;
      assert.equal(started.details.created, 2);
      assert.equal(JSON.stringify(started).includes(p1.msisdn), false);
    });

    test('a campaign over a store flags its active numbers; access is the operator admin\'s', async () => {
      // A pool number (no store) registered at the store counts; a number of another store does not.
      await numbersRepository.importNumbers(db, a.tenantId, null, ['17000000001']);
      const pooled = await registerNumber(db, registrations, a.agent, P.id, P.name, '17000000001');
      const s2 = await tenantsRepository.createStore(db, { tenantId: a.tenantId, code: 'S2', name: 'Store two' });
      await numbersRepository.importNumbers(db, a.tenantId, s2.id, ['17000000002']);
      const elsewhere = await db.transaction((q) => numbersRepository.activateWithinCaps(q, {
        tenantId: a.tenantId, storeId: s2.id, registrationId: randomUUID(), subscriberId: pooled.subscriberId, now: clock.clock(), operatorCap: 5, deploymentCap: 10 }));
      assert.equal(elsewhere.number?.msisdn, '17000000002');

      const report = await svc.startCampaign(a.admin, a.tenantId, { name: 'Store audit', reason: 'store_audit', deadlineHours: 24, storeId: a.storeId });
      const { rows } = await db.query<{ msisdn: string }>("SELECT msisdn FROM numbers WHERE store_id = $1 AND state = 'active'", [a.storeId]);
      assert.deepEqual(report.rows.map((r) => r.msisdn).sort(), [...rows.map((r) => r.msisdn), pooled.msisdn].sort());
      assert.deepEqual(report.rows.map((r) => (r.outcome === 'created' ? r.msisdn : r.reason)).sort(),
        [pooled.msisdn, 'already_pending', 'already_pending'].sort(), 'the first campaign flagged the other two');
      assert.equal(await codeOf(svc.startCampaign(a.admin, a.tenantId, { name: 'x', reason: 'store_audit', storeId: b.storeId })), 'store.not_found');
      assert.equal(await codeOf(svc.startCampaign(a.agent, a.tenantId, { name: 'x', reason: 'store_audit', storeId: a.storeId })), 'auth.forbidden');
      assert.equal(await codeOf(svc.startCampaign(b.admin, a.tenantId, { name: 'x', reason: 'store_audit', storeId: a.storeId })), 'auth.forbidden');
      assert.equal(await codeOf(svc.startCampaign(regulator, a.tenantId, { name: 'x', reason: 'store_audit', storeId: a.storeId })), 'auth.forbidden');
      assert.equal(await codeOf(svc.startCampaign(a.admin, a.tenantId, { name: 'x', reason: 'Free text!', storeId: a.storeId })), 'request.invalid');
      assert.equal(await codeOf(svc.startCampaign(a.admin, a.tenantId, { name: 'x', reason: 'store_audit' })), 'request.invalid');
      assert.equal((await svc.campaignProgress(regulator, report.campaign.id)).id, report.campaign.id, 'regulators read progress');
      assert.equal(await codeOf(svc.campaignProgress(b.admin, report.campaign.id)), 'auth.forbidden');
      assert.ok((await svc.listCampaigns(a.admin, a.tenantId)).length >= 3);
    });

    test('overdue → suspended (sweeper, audited) → the holder passes → the number is active again', async () => {
      const r = await registerNumber(db, registrations, b.agent, P.id, P.name);
      const c = await svc.startCampaign(b.admin, b.tenantId, { name: 'Short', reason: 'suspected_fraud', deadlineHours: 1, msisdns: [r.msisdn] });
      const revId = c.rows[0]!.outcome === 'created' ? c.rows[0]!.reverificationId : assert.fail('not created');
      clock.advanceMinutes(59);
      assert.equal(await svc.suspendOverdue(), 0, 'not overdue yet');
      clock.advanceMinutes(1);
      assert.ok(await svc.suspendOverdue() >= 1);
      assert.equal(await stateOf(r), 'suspended');
      assert.equal(await statusOf(revId), 'suspended');
      const ev = (await auditOf(db, ['reverification.overdue_suspended'])).find((e) => e.subject_id === revId)!;
      assert.deepEqual([ev.actor_type, ev.details.numberId, ev.details.numberWasActive], ['system', r.numberId, true]);
      assert.equal(await svc.suspendOverdue(), 0, 'nothing left to suspend');
      assert.deepEqual((await svc.campaignProgress(b.admin, c.campaign.id)).counts, { pending: 0, passed: 0, suspended: 1, cancelled: 0, total: 1 });

      const passed = await svc.pass(undefined, revId, await verify(P));
      assert.deepEqual(passed, { reverificationId: revId, status: 'passed', numberRestored: true });
      assert.equal(await stateOf(r), 'active');
      assert.equal(await statusOf(revId), 'passed');
      assert.equal(await codeOf(svc.pass(undefined, revId, await verify(P))), 'reverification.not_pending');
      const ev2 = (await auditOf(db, ['reverification.passed'])).find((e) => e.subject_id === revId)!;
      assert.deepEqual([ev2.actor_type, ev2.details.method, ev2.details.numberRestored], ['subscriber', 'face', true]);
    });

    test('passing needs an unused reverification verification of the holder; a refused pass spends nothing', async () => {
      const r = await registerNumber(db, registrations, b.agent, Q.id, Q.name);
      const c = await svc.startCampaign(b.admin, b.tenantId, { name: 'Check', reason: 'periodic_check', msisdns: [r.msisdn] });
      const revId = c.rows[0]!.outcome === 'created' ? c.rows[0]!.reverificationId : assert.fail('not created');
      const wrong = await verify(P);
      assert.equal(await codeOf(svc.pass(undefined, revId, wrong)), 'verification.not_holder');
      assert.equal((await db.query<{ used_at: Date | null }>('SELECT used_at FROM verifications WHERE id = $1', [wrong])).rows[0]!.used_at, null);
      const selfService = await verifications.verifyIdentity(undefined, { purpose: 'self_service', document: { type: 'cn_resident_id', number: Q.id, name: Q.name }, idPhoto: photo('c'), livenessSessionId: await verifications.live.passForVerification(undefined, 'self_service', photo('l')) });
      assert.ok(selfService.verified);
      assert.equal(await codeOf(svc.pass(undefined, revId, selfService.verificationId)), 'verification.not_found', 'wrong purpose');
      assert.equal(await codeOf(svc.pass(a.agent, revId, await verify(Q))), 'auth.forbidden', 'staff of another operator');
      assert.equal(await codeOf(svc.pass(b.admin, revId, await verify(Q))), 'auth.forbidden');
      assert.equal(await codeOf(svc.pass(undefined, '00000000-0000-4000-8000-000000000000', await verify(Q))), 'reverification.not_found');

      const manual = await verifications.verifyManually(b.manager, { purpose: 'reverification', document: { type: 'cn_resident_id', number: Q.id, name: Q.name } });
      const passed = await svc.pass(b.agent, revId, manual.verificationId);
      assert.deepEqual(passed, { reverificationId: revId, status: 'passed', numberRestored: false });
      assert.equal(await stateOf(r), 'active', 'a pending (not yet suspended) number stays active');
      const ev = (await auditOf(db, ['reverification.passed'])).find((e) => e.subject_id === revId)!;
      assert.deepEqual([ev.actor_id, ev.details.method], [b.agent.staffId, 'manual_review']);
      assert.equal(await codeOf(svc.pass(undefined, revId, manual.verificationId)), 'reverification.not_pending');
    });

    test('a number stays suspended while another overdue re-verification still holds it', async () => {
      const r = await registerNumber(db, registrations, b.agent, P.id, P.name);
      const first = await svc.startCampaign(b.admin, b.tenantId, { name: 'One', reason: 'periodic_check', deadlineHours: 1, msisdns: [r.msisdn] });
      clock.advanceMinutes(61);
      await svc.suspendOverdue();
      const second = await svc.startCampaign(b.admin, b.tenantId, { name: 'Two', reason: 'suspected_fraud', deadlineHours: 1, msisdns: [r.msisdn] });
      assert.equal(second.created, 1, 'a suspended number can be flagged again');
      clock.advanceMinutes(61);
      await svc.suspendOverdue();
      const ids = [first, second].map((c) => (c.rows[0]!.outcome === 'created' ? c.rows[0]!.reverificationId : assert.fail('not created')));
      assert.deepEqual(await Promise.all(ids.map(statusOf)), ['suspended', 'suspended']);
      assert.equal((await svc.pass(undefined, ids[0]!, await verify(P))).numberRestored, false);
      assert.equal(await stateOf(r), 'suspended');
      assert.equal((await svc.pass(undefined, ids[1]!, await verify(P))).numberRestored, true);
      assert.equal(await stateOf(r), 'active');
    });
  });
}
