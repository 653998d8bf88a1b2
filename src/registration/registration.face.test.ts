// The registration's face step with the real engine in its worker pool (not the scripted
// harness), from a real liveness session to the decision: frames of a real webcam clip
// (liveness/replay-apfol/videos/real2.webm, a person turning left then right) analysed by the
// server, the best frame matched against a document photo turned into a chip-like 102x126 image
// as a card reader would deliver it. The holder's document photo is derived from a frontal frame
// of the same clip at 10.75 s (outside the frames of the sessions): a head-and-shoulders crop
// turned into a chip-like photo. Someone else's document photo is an LFW photo.
import { describe, test, before, after } from 'node:test';
import sharp from 'sharp';
import assert from 'node:assert/strict';
import { openPglite, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { createFacePool, type FacePool } from '../face/face.pool.ts';
import { toChipPhoto } from '../face/evaluation/chip-photo.ts';
import { photos, read, sharedData } from '../face/face.fixtures.ts';
import { createLivenessService, type LivenessService } from '../liveness/liveness.service.ts';
import { decodeVideo } from '../liveness/video.ts';
import type { FrameInput } from '../liveness/liveness.ts';
import { createRegistrationService, type RegistrationService } from './registration.service.ts';
import { createWorld, residentId, type World } from './registration.fixtures.ts';

const consent = { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' as const };
const webcamClip = `${sharedData}liveness/replay-apfol/videos/real2.webm`;

describe('registration face step with the real face engine and liveness', () => {
  let db: Database, world: World, pool: FacePool, svc: RegistrationService, liveness: LivenessService;
  let holderChip: Buffer, otherChip: Buffer;
  let turns: FrameInput[], laterTurns: FrameInput[];
  const clock = testClock();
  before(async () => {
    db = await openPglite();
    await migrate(db);
    world = await createWorld(db, { numbers: 5, policy: { faceFalseMatchRate: 1e-3 } });
    pool = await createFacePool({ size: 1 });
    const keyring = testKeyring();
    liveness = createLivenessService({ db, keyring, clock: clock.clock, checker: pool, testHarness: true });
    svc = createRegistrationService({ db, keyring, clock: clock.clock, face: pool, liveness, deploymentCap: 10 });
    const [frontal] = await decodeVideo(webcamClip, { fps: 10, fromSec: 10.75, toSec: 10.8, maxWidth: 640 });
    holderChip = await toChipPhoto(await sharp(frontal!.bytes).extract({ left: 108, top: 54, width: 390, height: 390 }).toBuffer());
    otherChip = await toChipPhoto(read(photos.lfw('Wen_Jiabao', 2)));
    turns = await decodeVideo(webcamClip, { fps: 10, fromSec: 0.4, toSec: 2.7 }); // turn left 0.7-1.6 s, right 1.7-2.4 s
    laterTurns = await decodeVideo(webcamClip, { fps: 10, fromSec: 2.7, toSec: 4.7 }); // left until 3.5 s, right 3.6-4.5 s
  });
  after(async () => { await pool.close(); await db.close(); });

  async function atFaceStep(serial: number, chip: Buffer) {
    const r = await svc.start(world.agent);
    await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19900405', serial), name: '李明', idPhoto: chip });
    await svc.recordConsent(world.agent, r.id, consent);
    return r.id;
  }

  async function live(id: string, frames: FrameInput[]) {
    const c = await liveness.createForRegistration(world.agent, id, { actions: ['turn_left', 'turn_right'] });
    clock.advanceSeconds(3);
    return { c, result: await liveness.submitFrames(world.agent, c.sessionId, c.nonce, frames) };
  }

  test('the holder passes liveness and the match on the best frame; the decision is recorded, frame and document photo deleted', async () => {
    const id = await atFaceStep(21, holderChip);
    const { c, result } = await live(id, turns);
    assert.deepEqual(result.reasons, [], JSON.stringify(result));
    assert.equal(result.live, true);
    assert.deepEqual(result.asked.map((a) => a.found?.action), ['turn_left', 'turn_right']);
    const v = await svc.submitFace(world.agent, id, { livenessSessionId: c.sessionId });
    assert.equal(v.state, 'face_verified', JSON.stringify(v));
    assert.ok(v.verification!.score! > v.verification!.threshold!);
    assert.equal((await db.query('SELECT 1 FROM captures WHERE registration_id = $1', [id])).rows.length, 0);
    const { rows } = await db.query<{ state: string; best_frame_enc: Buffer | null }>('SELECT state, best_frame_enc FROM liveness_sessions WHERE id = $1', [c.sessionId]);
    assert.deepEqual(rows[0], { state: 'used', best_frame_enc: null });
  });

  test('a live person who is not the document holder fails with face.no_match, and the session is used up', async () => {
    const id = await atFaceStep(22, otherChip);
    const { c, result } = await live(id, laterTurns);
    assert.equal(result.live, true, JSON.stringify(result.reasons));
    const v = await svc.submitFace(world.agent, id, { livenessSessionId: c.sessionId });
    assert.equal(v.state, 'consent_recorded');
    assert.equal(v.faceAttempts, 1);
    await assert.rejects(svc.submitFace(world.agent, id, { livenessSessionId: c.sessionId }), (e: { code?: string }) => e.code === 'liveness.required');
  });
});
