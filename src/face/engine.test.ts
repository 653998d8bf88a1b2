// The engine on real photos from ../shared/data (face_recognition examples, MIT; LFW, research
// use; a phone-selfie clip frame with the eyes held shut). Score ranges are what this
// pipeline produced when the test was written, with a margin; the decisions are the point.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createFaceEngine, type FaceEngine } from './engine.ts';
import { toChipPhoto } from './evaluation/chip-photo.ts';
import { photos, photoWithoutFace, read } from './face.fixtures.ts';

let engine: FaceEngine;
before(async () => { engine = await createFaceEngine(); });

test('the same person on two photos matches at FMR 1e-3; two different people do not', async () => {
  const same = await engine.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.obama2) }, 1e-3);
  assert.equal(same.decision.match, true, JSON.stringify(same.decision));
  assert.ok(same.decision.score > same.decision.threshold + 0.1);
  assert.ok(same.decision.estimatedFmr < 1e-3);
  const other = await engine.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.biden) }, 1e-3);
  assert.equal(other.decision.match, false);
  assert.equal(other.decision.compared, true);
  assert.ok(other.decision.reasons.includes('face.no_match'));
  assert.ok(other.decision.estimatedFmr > 1e-3);
});

test('every decision reports score, threshold, target and estimated FMR, engine and calibration', async () => {
  const { decision: d } = await engine.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.obama3) }, 1e-2);
  assert.equal(d.targetFmr, 1e-2);
  assert.ok(Math.abs(d.threshold - engine.calibration.thresholds['1e-2']!) < 1e-3);
  assert.match(d.engine, new RegExp(`calibration ${engine.calibration.version.replace('.', '\\.')}`));
  const strict = await engine.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.obama3) }, 1e-4);
  assert.ok(strict.decision.threshold > d.threshold);
});

test('ID-photo path: a chip-like copy (102x126, washed out, JPEG q30) still matches its owner', async () => {
  const chip = await toChipPhoto(read(photos.lfw('Wen_Jiabao', 2)));
  for (const n of [1, 3, 4]) {
    const r = await engine.verify({ idPhoto: chip, livePhoto: read(photos.lfw('Wen_Jiabao', n)) }, 1e-3);
    assert.equal(r.id.width, 102);
    assert.equal(r.decision.match, true, JSON.stringify(r.decision));
  }
  for (const n of [1, 2, 3]) {
    const impostor = await engine.verify({ idPhoto: chip, livePhoto: read(photos.lfw('Jiang_Zemin', n)) }, 1e-3);
    assert.equal(impostor.decision.match, false, JSON.stringify(impostor.decision));
  }
});

test('card photos: a card photographed sideways is turned until its face is upright', async () => {
  // documents/cn-idcard-synthetic (MIT, chineseocr): a demo card lying on its side, and a
  // screenshot of the same card at another size next to OCR output
  const card = await engine.analyze(read(photos.cardSideways), 'id');
  assert.equal(card.rotation, 90);
  assert.deepEqual(card.findings, []);
  const screenshot = await engine.analyze(read(photos.cardScreenshot), 'id');
  assert.equal(screenshot.rotation, 90);
  const d = engine.compare(card, screenshot, 1e-4);
  assert.equal(d.match, true, JSON.stringify(d));
  // the live path does not turn photos: a sideways selfie is a bad capture, not a puzzle
  assert.equal((await engine.analyze(read(photos.cardSideways), 'live')).rotation, 0);
});

test('a live photo with two people is refused with a reason, not matched', async () => {
  const r = await engine.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.twoPeople) }, 1e-3);
  assert.equal(r.live.faces, 2);
  assert.deepEqual(r.decision.reasons, ['live:face.multiple_faces']);
  assert.equal(r.decision.match, false);
  assert.equal(r.decision.compared, false);
});

test('a photo without a face is refused with face.none_detected', async () => {
  const r = await engine.verify({ idPhoto: await photoWithoutFace(), livePhoto: read(photos.obama) }, 1e-3);
  assert.deepEqual(r.decision.reasons, ['id:face.none_detected']);
  assert.equal(r.decision.compared, false);
});

test('quality: a live capture with the eyes shut is refused; sizes and pose are measured', async () => {
  const frame = execFileSync('ffmpeg', ['-loglevel', 'error', '-ss', '7.0', '-i', photos.eyesShutClip, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'mjpeg', '-']);
  const shut = await engine.analyze(frame, 'live');
  assert.ok(shut.refusals.includes('quality.eyes_closed'), JSON.stringify(shut.findings));
  const open = await engine.analyze(read(photos.obama), 'live');
  assert.deepEqual(open.refusals, []);
  assert.ok(open.quality!.eyesOpen! > 0.9);
  assert.ok(Math.abs(open.quality!.yawDeg) < 20);
  assert.ok(open.quality!.faceWidthPx > 100);
});

test('a dog is not a person: the detector may see a face, the embedder does not match it', async () => {
  const r = await engine.verify({ idPhoto: read(photos.dogs), livePhoto: read(photos.obama) }, 1e-3);
  assert.equal(r.decision.match, false);
  assert.ok(r.decision.score < 0.2);
});

test('mouth opening is measured (a liveness signal): a yawn against a closed mouth', async () => {
  // liveness/clips/hippoyd_yawn_output_video.gif (Apache-2.0): mouth wide open about 0.8-2.3 s
  const frame = (t: string) => execFileSync('ffmpeg', ['-loglevel', 'error', '-ss', t, '-i', photos.yawnClip, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-']);
  const open = await engine.analyze(frame('1.5'), 'live');
  const closed = await engine.analyze(frame('0.2'), 'live');
  assert.ok(open.quality!.mouthOpen > 0.5, String(open.quality!.mouthOpen));
  assert.ok(closed.quality!.mouthOpen < 0.15, String(closed.quality!.mouthOpen));
});

test('quality: a blurred live photo is refused as blurry; the same blur on an ID photo is only a warning', async () => {
  const sharp = (await import('sharp')).default;
  const blurred = await sharp(read(photos.obama)).blur(6).jpeg().toBuffer();
  const live = await engine.analyze(blurred, 'live');
  assert.ok(live.refusals.includes('quality.blurry'), JSON.stringify(live.quality));
  const veryBlurred = await sharp(read(photos.obama)).blur(14).jpeg().toBuffer();
  const id = await engine.analyze(veryBlurred, 'id');
  assert.deepEqual(id.refusals, []);
  assert.ok(id.findings.some((f) => f.code === 'quality.blurry' && f.severity === 'warn'));
});

test('resolution: the same face at 240p and 1080p embeds to nearly the same vector', async () => {
  const r = await engine.verify({ idPhoto: read(photos.obama240p), livePhoto: read(photos.obama1080p) }, 1e-4);
  assert.equal(r.decision.match, true);
  assert.ok(r.decision.score > 0.8, String(r.decision.score));
});

test('bad input is a typed error, not a crash', async () => {
  await assert.rejects(engine.verify({ idPhoto: Buffer.from('nope'), livePhoto: read(photos.obama) }, 1e-3), (e: { code?: string }) => e.code === 'face.image_invalid');
});

test('repeated analyses do not grow memory', async () => {
  const photo = read(photos.obama2);
  for (let i = 0; i < 5; i++) await engine.analyze(photo, 'live');
  global.gc?.();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 40; i++) await engine.analyze(photo, 'live');
  global.gc?.();
  const grown = (process.memoryUsage().rss - before) / 1e6;
  assert.ok(grown < 40, `RSS grew by ${grown.toFixed(1)} MB over 40 analyses`);
});
