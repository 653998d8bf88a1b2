// The registration's face step with the real engine in its worker pool (not the scripted
// harness): LFW photos (research use) from ../shared/data, the document photo turned into a
// chip-like 102x126 image as a card reader would deliver it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { testClock, testKeyring } from '../staff/staff.fixtures.ts';
import { currentConsentVersion } from '../consent/consent.ts';
import { createFacePool, type FacePool } from '../face/face.pool.ts';
import { toChipPhoto } from '../face/evaluation/chip-photo.ts';
import { photos, read } from '../face/face.fixtures.ts';
import { createRegistrationService, type RegistrationService } from './registration.service.ts';
import { createWorld, residentId, type World } from './registration.fixtures.ts';

const consent = { biometric: true, textVersion: currentConsentVersion, locale: 'zh-CN' as const };

describe('registration face step with the real face engine', () => {
  let db: Database, world: World, pool: FacePool, svc: RegistrationService;
  let chip: Buffer;
  before(async () => {
    db = await openPglite();
    await migrate(db);
    world = await createWorld(db, { numbers: 5, policy: { faceFalseMatchRate: 1e-3 } });
    pool = await createFacePool({ size: 1 });
    svc = createRegistrationService({ db, keyring: testKeyring(), clock: testClock().clock, face: pool, deploymentCap: 10 });
    chip = await toChipPhoto(read(photos.lfw('Wen_Jiabao', 2)));
  });
  after(async () => { await pool.close(); await db.close(); });

  async function atFaceStep(serial: number) {
    const r = await svc.start(world.agent);
    await svc.captureDocument(world.agent, r.id, { type: 'cn_resident_id', number: residentId('19700405', serial), name: '温家宝', idPhoto: chip });
    await svc.recordConsent(world.agent, r.id, consent);
    return r.id;
  }

  test('the holder of the document passes; the decision is recorded and the document photo deleted', async () => {
    const id = await atFaceStep(21);
    const v = await svc.submitFace(world.agent, id, { livePhoto: read(photos.lfw('Wen_Jiabao', 3)) });
    assert.equal(v.state, 'face_verified');
    assert.equal(v.verification?.method, 'face');
    assert.equal(v.verification?.targetFmr, 1e-3);
    assert.ok(v.verification!.score! > v.verification!.threshold!);
    assert.equal((await db.query('SELECT 1 FROM captures WHERE registration_id = $1', [id])).rows.length, 0);
    const { rows } = await db.query<{ details: { score: number; reasons: string[] } }>(
      "SELECT details FROM audit_events WHERE action = 'registration.face_verified' AND subject_id = $1", [id]);
    assert.equal(rows[0]!.details.score, v.verification!.score);
  });

  test('someone else in front of the camera fails with face.no_match and may try again', async () => {
    const id = await atFaceStep(22);
    const v = await svc.submitFace(world.agent, id, { livePhoto: read(photos.lfw('Jiang_Zemin', 4)) });
    assert.equal(v.state, 'consent_recorded');
    assert.equal(v.faceAttempts, 1);
    assert.equal((await db.query('SELECT 1 FROM captures WHERE registration_id = $1', [id])).rows.length, 1, 'kept for the next attempt');
  });

  test('a live photo that is not an image is a typed error and changes nothing', async () => {
    const id = await atFaceStep(23);
    await assert.rejects(svc.submitFace(world.agent, id, { livePhoto: Buffer.from('not a photo at all') }), (e: { code?: string }) => e.code === 'face.image_invalid');
    assert.equal((await svc.get(world.agent, id)).state, 'consent_recorded');
  });
});
