// Liveness sessions in the database, on PGlite and PostgreSQL: who may start one and when, one
// upload per nonce, expiry, the cap per registration, the binding of a passed session to its own
// registration's face step, replays of earlier uploads, the sweeper, and the audit trail. The
// frame analysis is the test harness's script here (its real behaviour is pinned in
// analyze.test.ts); the replay check on real frames uses the real analysis.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { createRegistrationService, type RegistrationService } from '../registration/registration.service.ts';
import { createWorld, residentId, type World } from '../registration/registration.fixtures.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import type { FaceVerifier } from '../face/face.ts';
import { createFaceAnalyzer } from '../face/engine.ts';
import { sharedData } from '../face/face.fixtures.ts';
import { codeOf } from '../verification/verification.test-support.ts';
import { analyzeLiveness } from './analyze.ts';
import { createLivenessService, type LivenessService } from './liveness.service.ts';
import { harnessFrames, scriptedLivenessChecker, type ScriptedLivenessChecker } from './liveness.test-harness.ts';
import { decodeVideo } from './video.ts';

const keyring = testKeyring();
const consent = { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' as const };

for (const target of await testTargets()) {
  describe(`liveness sessions (${target.name})`, { skip: target.skip }, () => {
    let db: Database, world: World, other: World;
    const clock = testClock();
    let checker: ScriptedLivenessChecker, liveness: LivenessService, registrations: RegistrationService;
    let serial = 0;
    before(async () => {
      db = await target.open();
      world = await createWorld(db, { numbers: 5 });
      other = await createWorld(db, { numbers: 1 });
      checker = scriptedLivenessChecker({ testHarness: true, realDigests: true });
      liveness = createLivenessService({ db, keyring, clock: clock.clock, checker, testHarness: true });
      registrations = createRegistrationService({ db, keyring, clock: clock.clock, face: scriptedFaceVerifier({ testHarness: true }), liveness, deploymentCap: 10 });
    });
    after(async () => { await target.close(db); });

    async function atConsent(biometric = true) {
      const r = await registrations.start(world.agent);
      await registrations.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19910101', ++serial), name: '陈一', idPhoto: Buffer.from('chip') });
      await registrations.recordConsent(world.agent, r.id, { ...consent, biometric });
      return r.id;
    }
    const frames = (tag: string) => harnessFrames(Buffer.from(`best frame ${tag}`), 20).map((f, i) => (i ? { ...f, bytes: Buffer.from(`frame ${i} of ${tag}`) } : f));

    test('a challenge: random distinct actions, a nonce, an expiry; only after biometric consent, only at the agent\'s store', async () => {
      const id = await atConsent();
      const c = await liveness.createForRegistration(world.agent, id);
      assert.equal(c.actions.length, 3);
      assert.equal(new Set(c.actions).size, 3);
      assert.ok(c.nonce.length >= 43);
      assert.equal(Date.parse(c.expiresAt) - clock.clock().getTime(), 60_000);
      assert.equal(c.prompts.length, 3);
      const { rows } = await db.query<{ nonce_hash: Buffer }>('SELECT nonce_hash FROM liveness_sessions WHERE id = $1', [c.sessionId]);
      assert.equal(rows[0]!.nonce_hash.includes(Buffer.from(c.nonce)), false, 'only the nonce\'s hash is stored');
      assert.equal(await codeOf(liveness.createForRegistration(other.agent, id)), 'auth.forbidden');
      assert.equal(await codeOf(liveness.createForRegistration(world.agent, await atConsent(false))), 'registration.invalid_transition');
      const fixed = createLivenessService({ db, keyring, clock: clock.clock, checker, testHarness: false });
      assert.equal(await codeOf(fixed.createForRegistration(world.agent, id, { actions: ['blink'] })), 'request.invalid', 'fixed actions only in the test harness');
      const r = await registrations.start(world.agent);
      assert.equal(await codeOf(liveness.createForRegistration(world.agent, r.id)), 'registration.invalid_transition', 'no document, no consent yet');
    });

    test('a pinned challenge (PORTRAIT_TEST_CHALLENGE) gives every challenge its actions, only in the test harness', async () => {
      const pinned = createLivenessService({ db, keyring, clock: clock.clock, checker, testHarness: true, testChallenge: ['turn_left', 'turn_right'] });
      const c = await pinned.createForRegistration(world.agent, await atConsent());
      assert.deepEqual(c.actions, ['turn_left', 'turn_right']);
      assert.deepEqual(c.prompts.map((p) => p.action), ['turn_left', 'turn_right']);
      assert.deepEqual((await pinned.createForRegistration(world.agent, await atConsent(), { actions: ['blink'] })).actions, ['blink'], 'a caller\'s fixed actions come first');
      const refused = createLivenessService({ db, keyring, clock: clock.clock, checker, testHarness: false, testChallenge: ['turn_left'] });
      assert.equal(await codeOf(refused.createForRegistration(world.agent, await atConsent())), 'request.invalid');
    });

    test('one upload per nonce; a wrong nonce, another store, or an expired challenge is refused', async () => {
      const id = await atConsent();
      const c = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      clock.advanceSeconds(3);
      assert.equal(await codeOf(liveness.submitFrames(world.agent, c.sessionId, `${c.nonce}x`, frames('a'))), 'liveness.nonce_mismatch');
      assert.equal(await codeOf(liveness.submitFrames(other.agent, c.sessionId, c.nonce, frames('a'))), 'auth.forbidden');
      const r = await liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames('a'));
      assert.equal(r.live, true);
      assert.equal(r.state, 'passed');
      assert.equal(await codeOf(liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames('b'))), 'liveness.nonce_used');
      const late = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      clock.advanceSeconds(61);
      assert.equal(await codeOf(liveness.submitFrames(world.agent, late.sessionId, late.nonce, frames('c'))), 'liveness.challenge_expired');
    });

    test('an upload that cannot be analysed leaves the challenge open for a corrected one', async () => {
      const id = await atConsent();
      const c = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      const failing = createLivenessService({ db, keyring, clock: clock.clock, testHarness: true, checker: { checkLiveness: async () => { throw Object.assign(new Error('bad frame'), { code: 'liveness.frames_invalid' }); } } });
      assert.equal(await codeOf(failing.submitFrames(world.agent, c.sessionId, c.nonce, frames('d'))), 'liveness.frames_invalid');
      assert.equal((await liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames('d'))).live, true);
    });

    test('at most five challenges per registration; then manual review is the way on', async () => {
      const id = await atConsent();
      for (let i = 0; i < 5; i++) await liveness.createForRegistration(world.agent, id);
      assert.equal(await codeOf(liveness.createForRegistration(world.agent, id)), 'liveness.too_many_sessions');
    });

    test('simultaneous challenges for one registration (the person\'s and the guardian\'s) never exceed the cap', async () => {
      const id = await atConsent();
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 3 ? liveness.createForRegistration(world.agent, id) : liveness.createForGuardian(world.agent, id))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'liveness.too_many_sessions');
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM liveness_sessions WHERE registration_id = $1', [id]);
      assert.equal(rows[0]!.n, 5);
      const events = await db.query("SELECT 1 FROM audit_events WHERE subject_id = $1 AND action = 'liveness.challenge_created'", [id]);
      assert.equal(events.rows.length, 5, 'one audit event per session created, none for a refused one');
    });

    test('simultaneous uploads to one challenge: one is analysed, the other refused', async () => {
      const c = await liveness.createForRegistration(world.agent, await atConsent(), { actions: ['blink'] });
      const before = checker.calls.length;
      const results = await Promise.allSettled([frames('m1'), frames('m2')].map((f) => liveness.submitFrames(world.agent, c.sessionId, c.nonce, f)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok')).sort().join(), 'liveness.nonce_used,ok');
      assert.equal(checker.calls.length - before, 1);
    });

    test('simultaneous face steps with one session: one decision, the session used once (also when the face does not match)', async () => {
      for (const match of [true, false]) {
        const id = await atConsent();
        const s = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
        await liveness.submitFrames(world.agent, s.sessionId, s.nonce, frames(`n${match}`));
        const face = scriptedFaceVerifier({ testHarness: true, fallback: match });
        const svc = createRegistrationService({ db, keyring, clock: clock.clock, face, liveness, deploymentCap: 10 });
        const results = await Promise.allSettled(Array.from({ length: 4 }, () => svc.submitFace(world.agent, id, { livenessSessionId: s.sessionId })));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `match ${match}`);
        for (const r of results) if (r.status === 'rejected') assert.match(String((r.reason as { code?: string }).code), /^(liveness\.required|registration\.(concurrent_update|invalid_transition))$/);
        assert.equal((await registrations.get(world.agent, id)).faceAttempts, 1);
        const { rows } = await db.query<{ state: string }>('SELECT state FROM liveness_sessions WHERE id = $1', [s.sessionId]);
        assert.equal(rows[0]!.state, 'used');
      }
    });

    test('a session that ends between the face step\'s read and its save is not used, and no decision is saved', async () => {
      const id = await atConsent();
      const s = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      await liveness.submitFrames(world.agent, s.sessionId, s.nonce, frames('o'));
      const sweptDuringMatch: FaceVerifier = {
        async verify(_images, targetFmr) {
          await db.query("UPDATE liveness_sessions SET state = 'expired', best_frame_enc = NULL WHERE id = $1", [s.sessionId]);
          return { match: true, compared: true, score: 0.9, threshold: 0.5, targetFmr, estimatedFmr: 1e-6, engine: 'test', reasons: [] };
        },
      };
      const svc = createRegistrationService({ db, keyring, clock: clock.clock, face: sweptDuringMatch, liveness, deploymentCap: 10 });
      assert.equal(await codeOf(svc.submitFace(world.agent, id, { livenessSessionId: s.sessionId })), 'liveness.required');
      const r = await registrations.get(world.agent, id);
      assert.deepEqual([r.state, r.faceAttempts], ['consent_recorded', 0]);
    });

    test('the face step takes a passed session of its own registration once; failed, foreign, used or stale sessions are refused', async () => {
      const a = await atConsent(), b = await atConsent();
      const failed = await liveness.createForRegistration(world.agent, a, { actions: ['nod'] });
      checker.next(['liveness.static_face', 'liveness.action_missing']);
      const f = await liveness.submitFrames(world.agent, failed.sessionId, failed.nonce, frames('e'));
      assert.deepEqual([f.live, f.state, f.reasons], [false, 'failed', ['liveness.static_face', 'liveness.action_missing']]);
      assert.equal(await codeOf(registrations.submitFace(world.agent, a, { livenessSessionId: failed.sessionId })), 'liveness.required');

      const ofB = await liveness.createForRegistration(world.agent, b, { actions: ['blink'] });
      await liveness.submitFrames(world.agent, ofB.sessionId, ofB.nonce, frames('f'));
      assert.equal(await codeOf(registrations.submitFace(world.agent, a, { livenessSessionId: ofB.sessionId })), 'liveness.required', 'another registration\'s session');
      assert.equal((await registrations.get(world.agent, a)).faceAttempts, 0, 'a refused face step changes nothing');

      assert.equal((await registrations.submitFace(world.agent, b, { livenessSessionId: ofB.sessionId })).state, 'face_verified');
      const { rows } = await db.query<{ state: string; best_frame_enc: Buffer | null }>('SELECT state, best_frame_enc FROM liveness_sessions WHERE id = $1', [ofB.sessionId]);
      assert.deepEqual(rows[0], { state: 'used', best_frame_enc: null });

      const stale = await liveness.createForRegistration(world.agent, a, { actions: ['blink'] });
      await liveness.submitFrames(world.agent, stale.sessionId, stale.nonce, frames('g'));
      clock.advanceMinutes(11);
      assert.equal(await codeOf(registrations.submitFace(world.agent, a, { livenessSessionId: stale.sessionId })), 'liveness.required');
    });

    test('the passed session\'s best frame is stored encrypted until the face step, and is what the face step compares', async () => {
      const id = await atConsent();
      const c = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      await liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames('h'));
      const { rows } = await db.query<{ best_frame_enc: Buffer }>('SELECT best_frame_enc FROM liveness_sessions WHERE id = $1', [c.sessionId]);
      assert.equal(rows[0]!.best_frame_enc.includes(Buffer.from('best frame h')), false);
      const face = scriptedFaceVerifier({ testHarness: true });
      const svc = createRegistrationService({ db, keyring, clock: clock.clock, face, liveness, deploymentCap: 10 });
      await svc.submitFace(world.agent, id, { livenessSessionId: c.sessionId });
      assert.equal(face.calls[0]!.livePhoto.toString(), 'best frame h');
    });

    test('a verbatim replay of an earlier upload, even to a new challenge, is refused with liveness.frames_replayed', async () => {
      const first = await liveness.createForRegistration(world.agent, await atConsent(), { actions: ['blink'] });
      const upload = frames('i');
      assert.equal((await liveness.submitFrames(world.agent, first.sessionId, first.nonce, upload)).live, true);
      const again = await liveness.createForRegistration(world.agent, await atConsent(), { actions: ['blink'] });
      const r = await liveness.submitFrames(world.agent, again.sessionId, again.nonce, upload);
      assert.deepEqual([r.live, r.reasons], [false, ['liveness.frames_replayed']]);
    });

    test('audit: challenge and decision recorded with reasons and scores, no personal data', async () => {
      const id = await atConsent();
      const c = await liveness.createForRegistration(world.agent, id, { actions: ['turn_left'] });
      checker.next(['liveness.spoof_suspected']);
      await liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames('j'));
      const { rows } = await db.query<{ action: string; details: Record<string, unknown> }>(
        "SELECT action, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'liveness.%' ORDER BY id", [id]);
      assert.deepEqual(rows.map((r) => r.action), ['liveness.challenge_created', 'liveness.failed']);
      assert.deepEqual(rows[1]!.details.reasons, ['liveness.spoof_suspected']);
      assert.equal(JSON.stringify(rows).includes('陈一'), false);
    });

    test('the sweeper expires challenges, drops best frames that waited too long, and forgets fingerprints after the window', async () => {
      const id = await atConsent();
      const open = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      const passed = await liveness.createForRegistration(world.agent, id, { actions: ['blink'] });
      await liveness.submitFrames(world.agent, passed.sessionId, passed.nonce, frames('k'));
      clock.advanceMinutes(15);
      assert.ok(await liveness.sweep() >= 2);
      const { rows } = await db.query<{ id: string; state: string; best_frame_enc: Buffer | null }>(
        'SELECT id, state, best_frame_enc FROM liveness_sessions WHERE id = ANY($1::uuid[]) ORDER BY created_at', [[open.sessionId, passed.sessionId]]);
      assert.deepEqual(rows.map((r) => [r.state, r.best_frame_enc]), [['expired', null], ['expired', null]]);
      assert.ok((await db.query('SELECT 1 FROM liveness_frame_hashes WHERE session_id = $1', [passed.sessionId])).rows.length > 0);
      clock.advanceMinutes(24 * 60);
      await liveness.sweep();
      const left = await db.query('SELECT 1 FROM liveness_fingerprints WHERE session_id = $1', [passed.sessionId]);
      assert.equal(left.rows.length, 0);
      const hashes = await db.query('SELECT 1 FROM liveness_frame_hashes WHERE session_id = $1', [passed.sessionId]);
      assert.equal(hashes.rows.length, 0, 'the frame hashes are forgotten with the fingerprints');
    });
  });
}

describe('replays on real frames (the real analysis, PGlite)', () => {
  test('a re-encoded copy of a genuine upload is a replay; another moment of the same person is not', async () => {
    const target = (await testTargets())[0]!;
    const db = await target.open();
    const clock = testClock();
    const analyzer = await createFaceAnalyzer({ threads: 1 });
    const liveness = createLivenessService({ db, keyring, clock: clock.clock, testHarness: true, checker: { checkLiveness: (f, req) => analyzeLiveness(analyzer, f, req) } });
    const registrations = createRegistrationService({ db, keyring, clock: clock.clock, face: undefined, liveness: undefined, deploymentCap: 10 });
    const world = await createWorld(db, { numbers: 1 });
    const clip = `${sharedData}liveness/replay-apfol/videos/real2.webm`; // turns left then right at 0.7-2.4 s and 2.7-4.5 s
    const submit = async (n: number, frames: Awaited<ReturnType<typeof decodeVideo>>) => {
      const r = await registrations.start(world.agent);
      await registrations.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19920202', n), name: '周二' });
      await registrations.recordConsent(world.agent, r.id, consent);
      const c = await liveness.createForRegistration(world.agent, r.id, { actions: ['turn_left', 'turn_right'] });
      clock.advanceSeconds(3);
      return liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames);
    };
    const genuine = await decodeVideo(clip, { fps: 10, fromSec: 0.2, toSec: 2.7 });
    assert.deepEqual((await submit(1, genuine)).reasons, []);
    const copy = await Promise.all(genuine.map(async (f) => ({ t: f.t + 40, bytes: await sharp(f.bytes).resize(430).jpeg({ quality: 65 }).toBuffer() })));
    assert.deepEqual((await submit(2, copy)).reasons, ['liveness.frames_replayed']);
    assert.deepEqual((await submit(3, await decodeVideo(clip, { fps: 10, fromSec: 2.7, toSec: 4.7 }))).reasons, [], 'the same man a moment later: a new session');
    await target.close(db);
  });
});
