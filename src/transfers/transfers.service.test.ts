import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import { numbersRepository } from '../numbers/numbers.repository.ts';
import type { StaffPrincipal } from '../staff/principal.ts';
import { createReverificationService } from '../reverification/reverification.service.ts';
import { createSubscribersService } from '../subscribers/subscribers.service.ts';
import { auditOf, codeOf, photo, registerNumber, testRegistrations, testVerifications, type TestRegistrations, type TestVerifications } from '../verification/verification.test-support.ts';
import { createTransfersService, type TransfersService } from './transfers.service.ts';

const keyring = testKeyring();
const person = (seq: number, name: string) => ({ id: residentId('19810101', seq), name });
const TO = { id: residentId('19820202', 602), name: '何二' };
const FULL = { id: residentId('19830303', 603), name: '高三' };
const MINOR = { id: residentId('20250101', 604), name: '小四' };
type Person = typeof TO;

for (const target of await testTargets()) {
  describe(`transfers and surrender (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let a: World;
    let off: World;
    const clock = testClock();
    const face = scriptedFaceVerifier({ testHarness: true });
    let registrations: TestRegistrations;
    let verifications: TestVerifications;
    let svc: TransfersService;

    async function verify(person: Person, agent: StaffPrincipal = a.agent): Promise<string> {
      const o = await verifications.verifyIdentity(agent, { purpose: 'transfer', document: { type: 'cn_resident_id', number: person.id, name: person.name }, idPhoto: photo('chip'), livenessSessionId: await verifications.live.passForVerification(agent, 'transfer', photo('live')) });
      assert.ok(o.verified);
      return o.verificationId;
    }
    const usedAt = async (id: string) => (await db.query<{ used_at: Date | null }>('SELECT used_at FROM verifications WHERE id = $1', [id])).rows[0]!.used_at;

    before(async () => {
      db = await target.open();
      a = await createWorld(db, { numbers: 12, policy: { transferEnabled: true, coolingOffDays: 30, maxActiveNumbersPerPerson: 2 } });
      off = await createWorld(db, { numbers: 3 });
      registrations = testRegistrations({ db, keyring, clock: clock.clock, face, deploymentCap: 10 });
      verifications = testVerifications({ db, keyring, clock: clock.clock, face });
      svc = createTransfersService({ db, keyring, clock: clock.clock, deploymentCap: 10 });
    });
    after(async () => { await target.close(db); });

    test('refused where the operator has not enabled transfers', async () => {
      const FROM = person(611, '郭0');
      const n = await registerNumber(db, registrations, off.agent, FROM.id, FROM.name);
      const input = { msisdn: n.msisdn, fromVerificationId: await verify(FROM, off.agent), toVerificationId: await verify(TO, off.agent) };
      assert.equal(await codeOf(svc.transfer(off.agent, input)), 'policy.transfer_disabled');
      assert.equal(await codeOf(svc.transfer(a.admin, input)), 'auth.forbidden', 'done at a store');
    });

    test('refused when a verification is missing, used, of the wrong person or for another operator; nothing is spent', async () => {
      const FROM = person(612, '郭1');
      const n = await registerNumber(db, registrations, a.agent, FROM.id, FROM.name);
      const from = await verify(FROM);
      const to = await verify(TO);
      const missing = '00000000-0000-4000-8000-000000000000';
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: missing, toVerificationId: to })), 'verification.not_found');
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: from, toVerificationId: missing })), 'verification.not_found');
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: to, toVerificationId: from })), 'verification.not_holder', 'the first must be the holder');
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: from, toVerificationId: await verify(FROM) })), 'request.invalid', 'to oneself');
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: await verify(FROM, off.agent), toVerificationId: to })), 'verification.not_found', 'another operator\'s verification');
      const selfService = await verifications.verifyIdentity(undefined, { purpose: 'self_service', document: { type: 'cn_resident_id', number: FROM.id, name: FROM.name }, idPhoto: photo('c'), livenessSessionId: await verifications.live.passForVerification(undefined, 'self_service', photo('l')) });
      assert.ok(selfService.verified);
      assert.equal(await codeOf(svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: selfService.verificationId, toVerificationId: to })), 'verification.not_found', 'wrong purpose');
      assert.equal(await usedAt(from), null);
      assert.equal(await usedAt(to), null);
      assert.equal((await numbersRepository.findById(db, n.numberId))!.holderId, n.subscriberId);

      // A used verification cannot be used again.
      const done = await svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: from, toVerificationId: to });
      assert.ok(done.transferId);
      const back = { msisdn: n.msisdn, fromVerificationId: await verify(TO), toVerificationId: to };
      assert.equal(await codeOf(svc.transfer(a.agent, back)), 'verification.not_found');
      clock.advanceMinutes(11);
      assert.equal(await codeOf(svc.transfer(a.agent, { ...back, toVerificationId: await verify(FROM), fromVerificationId: back.fromVerificationId })), 'verification.not_found', 'expired');
    });

    test('refused above the new holder\'s cap and for a minor, recounted under lock', async () => {
      const FROM = person(613, '郭2');
      const n = await registerNumber(db, registrations, a.agent, FROM.id, FROM.name);
      await registerNumber(db, registrations, a.agent, FULL.id, FULL.name);
      await registerNumber(db, registrations, a.agent, FULL.id, FULL.name);
      const e = await svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: await verify(FROM), toVerificationId: await verify(FULL) }).catch((x: unknown) => x);
      assert.equal((e as { code: string }).code, 'transfer.refused');
      assert.deepEqual((e as { extra: unknown }).extra, { refusals: ['policy.operator_cap_reached'] });
      assert.equal((await numbersRepository.findById(db, n.numberId))!.holderId, n.subscriberId);
      const minor = await svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: await verify(FROM), toVerificationId: await verify(MINOR) }).catch((x: unknown) => x);
      assert.deepEqual((minor as { extra: unknown }).extra, { refusals: ['policy.guardian_required'] });
    });

    test('concurrent transfers to one person cannot take them above the cap', async () => {
      const taker = person(690, '罗九');
      await registerNumber(db, registrations, a.agent, taker.id, taker.name);
      const givers = [person(691, '甲一'), person(692, '乙二'), person(693, '丙三')];
      const numbers = await Promise.all(givers.map((g) => registerNumber(db, registrations, a.agent, g.id, g.name)));
      const inputs = await Promise.all(givers.map(async (g, i) => ({ msisdn: numbers[i]!.msisdn, fromVerificationId: await verify(g), toVerificationId: await verify(taker) })));
      const results = await Promise.allSettled(inputs.map((input) => svc.transfer(a.agent, input)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one slot was left under the cap of 2');
      assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code), ['transfer.refused', 'transfer.refused']);
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM numbers n JOIN subscribers s ON s.id = n.holder_id WHERE s.doc_hmac = $1 AND n.state = 'active'",
        [keyring.documentHmac('cn_resident_id', taker.id)]);
      assert.equal(rows[0]!.n, 2);
    });

    test('a transfer moves the holder, records both verifications, shows in the history, cancels open re-verifications', async () => {
      const FROM = person(614, '郭3');
      const n = await registerNumber(db, registrations, a.agent, FROM.id, FROM.name);
      const campaign = await createReverificationService({ db, clock: clock.clock }).startCampaign(a.admin, a.tenantId, { name: 'c', reason: 'periodic_check', msisdns: [n.msisdn] });
      const from = await verify(FROM);
      const to = (await verifications.verifyManually(a.manager, { purpose: 'transfer', document: { type: 'cn_resident_id', number: TO.id, name: TO.name } })).verificationId;
      const done = await svc.transfer(a.agent, { msisdn: n.msisdn, fromVerificationId: from, toVerificationId: to });
      const now = clock.clock();
      assert.deepEqual(done, { transferId: done.transferId, numberId: n.numberId, msisdn: n.msisdn, at: now });
      const number = (await numbersRepository.findById(db, n.numberId))!;
      const toId = (await db.query<{ subscriber_id: string }>('SELECT subscriber_id FROM verifications WHERE id = $1', [to])).rows[0]!.subscriber_id;
      assert.deepEqual([number.state, number.holderId], ['active', toId]);
      const { rows: t } = await db.query<Record<string, unknown>>('SELECT * FROM transfers WHERE id = $1', [done.transferId]);
      assert.deepEqual([t[0]!.from_subscriber_id, t[0]!.to_subscriber_id, t[0]!.from_verification_id, t[0]!.to_verification_id, t[0]!.agent_id],
        [n.subscriberId, toId, from, to, a.agent.staffId]);
      assert.ok(await usedAt(from) && await usedAt(to), 'both verifications are spent');

      const history = await svc.holdingHistory(a.manager, a.tenantId, n.msisdn);
      assert.deepEqual(history.holdings.map((h) => [h.subscriberId, h.startedBy, h.endedBy, h.sourceId]), [
        [n.subscriberId, 'registration', 'transfer', n.registrationId],
        [toId, 'transfer', null, done.transferId],
      ]);
      assert.deepEqual(history.holdings[0]!.endedAt, now);
      assert.equal(history.holdings[1]!.endedAt, null);
      assert.equal(await codeOf(svc.holdingHistory(off.admin, a.tenantId, n.msisdn)), 'auth.forbidden');

      const revId = campaign.rows[0]!.outcome === 'created' ? campaign.rows[0]!.reverificationId : assert.fail('not created');
      assert.equal((await db.query<{ status: string }>('SELECT status FROM reverifications WHERE id = $1', [revId])).rows[0]!.status, 'cancelled');
      const ev = (await auditOf(db, ['number.transferred'])).at(-1)!;
      assert.deepEqual([ev.subject_id, ev.details.transferId, ev.details.methods, ev.details.cancelledReverifications], [n.numberId, done.transferId, ['face', 'manual_review'], [revId]]);
      assert.equal(JSON.stringify(ev).includes(n.msisdn), false);

      const lookup = createSubscribersService({ db, keyring, clock: clock.clock });
      const selfService = async (p: Person) => {
        const o = await verifications.verifyIdentity(undefined, { purpose: 'self_service', document: { type: 'cn_resident_id', number: p.id, name: p.name }, idPhoto: photo('c'), livenessSessionId: await verifications.live.passForVerification(undefined, 'self_service', photo('l')) });
        assert.ok(o.verified);
        return (await lookup.lookup(o.verificationId)).numbers.map((x) => x.numberId);
      };
      assert.ok((await selfService(TO)).includes(n.numberId), 'the new holder sees the number');
      assert.equal((await selfService(FROM)).includes(n.numberId), false, 'the old holder no longer does');
    });

    test('surrender → cooling_off → not assignable before the period → available after recycleNumbers', async () => {
      const FROM = person(615, '郭4');
      const n = await registerNumber(db, registrations, a.agent, FROM.id, FROM.name);
      assert.equal(await codeOf(svc.surrender(a.agent, { msisdn: n.msisdn, verificationId: await verify(TO) })), 'verification.not_holder');
      const v = await verify(FROM);
      const done = await svc.surrender(a.agent, { msisdn: n.msisdn, verificationId: v });
      const until = new Date(clock.clock().getTime() + 30 * 86_400_000);
      assert.deepEqual(done, { numberId: n.numberId, msisdn: n.msisdn, state: 'cooling_off', coolingOffUntil: until });
      const number = (await numbersRepository.findById(db, n.numberId))!;
      assert.deepEqual([number.state, number.holderId, number.coolingOffUntil], ['cooling_off', null, until]);
      const history = await svc.holdingHistory(a.admin, a.tenantId, n.msisdn);
      assert.equal(history.holdings.at(-1)!.endedBy, 'surrender');
      assert.equal(await codeOf(svc.surrender(a.agent, { msisdn: n.msisdn, verificationId: await verify(FROM) })), 'number.invalid_state');
      assert.equal((await auditOf(db, ['number.surrendered'])).at(-1)!.subject_id, n.numberId);

      const tryReserve = async () => {
        const r = await registrations.start(a.agent);
        return codeOf(registrations.reserveNumber(a.agent, r.id, n.msisdn));
      };
      assert.equal(await tryReserve(), 'registration.number_unavailable');
      clock.advanceMinutes(29 * 24 * 60);
      assert.equal((await svc.recycleNumbers()).recycled, 0);
      assert.equal(await tryReserve(), 'registration.number_unavailable', 'still cooling off after 29 days');
      clock.advanceMinutes(24 * 60);
      assert.ok((await svc.recycleNumbers()).recycled >= 1);
      assert.equal((await numbersRepository.findById(db, n.numberId))!.state, 'available');
      assert.equal(await tryReserve(), 'no error', 'assignable again');
      assert.ok((await auditOf(db, ['numbers.recycled'])).length >= 1);
    });
  });
}
