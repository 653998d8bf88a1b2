// The liveness analysis on real frames from ../shared/data (clips and their labels:
// src/liveness/fixtures/clips.labels.json): genuine sessions pass, and each reason code is pinned
// on an attack made from the same real material (how, is said at each test).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createFaceAnalyzer, type FaceAnalyzer } from '../face/engine.ts';
import { photos, read, sharedData } from '../face/face.fixtures.ts';
import { analyzeLiveness, detectionInterval, framesToAnalyse } from './analyze.ts';
import type { LivenessAction } from './challenge.ts';
import type { FrameInput } from './liveness.ts';
import { decodeVideo } from './video.ts';

const clips = {
  shenasa: `${sharedData}liveness/clips/shenasa_sample.gif`, // turn left 0.45-1.55 s, right 1.65-2.85 s, look up 3.35-4.35 s, down 4.65-5.45 s
  real2: `${sharedData}liveness/replay-apfol/videos/real2.webm`, // webcam: turns; blinks at 10.58 and 11.04 s
  fake2: `${sharedData}liveness/replay-apfol/videos/fake2.webm`, // real2's person, replayed on a screen and filmed
  repeating: `${sharedData}liveness/clips/repeating_video.mp4`, // phone selfie, still head, blinks at 0.43, 1.69, 3.45, 4.66 s
  yawn: `${sharedData}liveness/clips/hippoyd_yawn_output_video.gif`, // mouth wide open 0.75-2.42 s
  eyeblink8: `${sharedData}liveness/clips/eyeblink8_v4_concentrated.mp4`, // published as a splice: cuts at 2.3, 4.5, 6.67 s
};

describe('liveness analysis on real frames', () => {
  let analyzer: FaceAnalyzer;
  const frames = new Map<string, FrameInput[]>();
  const clip = async (file: string, from: number, to: number, fps = 10) => {
    const key = `${file} ${from} ${to} ${fps}`;
    if (!frames.has(key)) frames.set(key, await decodeVideo(file, { fps, fromSec: from, toSec: to }));
    return frames.get(key)!;
  };
  const analyze = (f: FrameInput[], actions: LivenessAction[]) => analyzeLiveness(analyzer, f, { actions });
  before(async () => { analyzer = await createFaceAnalyzer({ threads: 1 }); });

  test('genuine: turns and a nod in the asked order, each found near its labelled time; the best frame is frontal', async () => {
    const f = await clip(clips.shenasa, 0, 5);
    const r = await analyze(f, ['turn_left', 'turn_right', 'nod']);
    assert.deepEqual(r.reasons, []);
    assert.equal(r.live, true);
    const [left, right, nod] = r.asked.map((a) => a.found!.peakMs);
    assert.ok(left! >= 450 && left! <= 1550, String(left));
    assert.ok(right! >= 1650 && right! <= 2850, String(right));
    assert.ok(nod! >= 3350 && nod! <= 4350, String(nod));
    const best = r.bestFrame!;
    assert.ok(r.events.every((e) => f[best]!.t < e.startMs || f[best]!.t > e.endMs), 'the best frame is outside every action');
    assert.ok(r.passiveScore! > -2.7 && r.identityMin! > 0.6);
  });

  test('genuine: a blink (phone selfie), an open mouth (a yawn in a car), a webcam\'s turns and blink', async () => {
    assert.deepEqual((await analyze(await clip(clips.repeating, 0, 1.5), ['blink'])).reasons, []);
    assert.deepEqual((await analyze(await clip(clips.yawn, 0, 3), ['open_mouth'])).reasons, []);
    assert.deepEqual((await analyze(await clip(clips.real2, 0.2, 2.7), ['turn_left', 'turn_right'])).reasons, []);
    assert.deepEqual((await analyze(await clip(clips.real2, 10.1, 11.65, 15), ['blink'])).reasons, []);
  });

  test('liveness.wrong_order: the same genuine frames against the reversed challenge', async () => {
    assert.deepEqual((await analyze(await clip(clips.shenasa, 0, 5), ['nod', 'turn_right', 'turn_left'])).reasons, ['liveness.wrong_order']);
  });

  test('liveness.action_missing: a genuine session that never opens its mouth', async () => {
    assert.deepEqual((await analyze(await clip(clips.shenasa, 0, 5), ['turn_left', 'open_mouth'])).reasons, ['liveness.action_missing']);
  });

  test('liveness.too_slow: the blink comes nine seconds after the turn', async () => {
    assert.deepEqual((await analyze(await clip(clips.real2, 0.2, 11.65), ['turn_left', 'blink'])).reasons, ['liveness.too_slow']);
  });

  test('liveness.static_face: a photo moved, zoomed and turned in front of the camera (an LFW photo, derived frames)', async () => {
    const photo = read(photos.lfw('Wen_Jiabao', 1));
    const moved = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      // the photo held close enough for its face to be judged (about 150 px wide in the frame)
      const held = await sharp(photo).resize(Math.round(360 * (1 + 0.1 * Math.sin(i / 4)))).rotate(5 * Math.sin(i / 3), { background: '#777' }).toBuffer();
      const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#777' } })
        .composite([{ input: held, left: 100 + 2 * i, top: 20 + (i % 7) }]).jpeg({ quality: 80 }).toBuffer();
      return { t: i * 100, bytes };
    }));
    const r = await analyze(moved, ['blink', 'turn_left']);
    assert.equal(r.live, false);
    assert.equal(r.reasons[0], 'liveness.static_face', r.reasons.join());
    assert.ok(r.measures.deformation! < 0.06);
  });

  test('liveness.identity_changed: one person turns left, another turns right (two real clips joined)', async () => {
    const a = await clip(clips.shenasa, 0, 1.6), b = await clip(clips.real2, 1.6, 2.6);
    const joined = [...a, ...b.map((f, i) => ({ t: a.at(-1)!.t + 100 * (i + 1), bytes: f.bytes }))];
    const r = await analyze(joined, ['turn_left', 'turn_right']);
    assert.ok(r.reasons.includes('liveness.identity_changed'), r.reasons.join());
    assert.ok(r.identityMin! < 0.35);
  });

  test('liveness.motion_discontinuous: genuine frames shuffled, and a published splice of one recording', async () => {
    const f = await clip(clips.shenasa, 0, 5);
    const order = f.map((_, i) => i).sort((a, b) => ((a * 7919) % 53) - ((b * 7919) % 53));
    const shuffled = f.map((x, i) => ({ t: x.t, bytes: f[order[i]!]!.bytes }));
    assert.ok((await analyze(shuffled, ['turn_left', 'turn_right', 'nod'])).reasons.includes('liveness.motion_discontinuous'));
    const spliced = await analyze(await clip(clips.eyeblink8, 1.0, 6.0), []);
    assert.ok(spliced.reasons.includes('liveness.motion_discontinuous'), spliced.reasons.join()); // she also keeps still: static_face
    assert.ok(spliced.measures.cuts.length >= 1);
  });

  test('liveness.spoof_suspected: the webcam session replayed on a screen', async () => {
    const r = await analyze(await clip(clips.fake2, 0.4, 3.6), ['turn_left', 'turn_right']);
    assert.ok(r.reasons.includes('liveness.spoof_suspected'), r.reasons.join()); // the face on the screen is also small: face_too_small
    assert.ok(r.passiveScore! < -2.7);
  });

  test('liveness.timestamps_implausible and liveness.too_few_frames', async () => {
    const f = await clip(clips.shenasa, 0, 3.2);
    assert.ok((await analyze(f.map((x, i) => ({ t: i * 16, bytes: x.bytes })), ['turn_left', 'turn_right'])).reasons.includes('liveness.timestamps_implausible'));
    assert.ok((await analyzeLiveness(analyzer, f, { actions: ['turn_left'], challengeAgeMs: 1000 })).reasons.includes('liveness.timestamps_implausible'));
    const few = await analyze(f.slice(0, 8), ['turn_left']);
    assert.deepEqual(few.reasons, ['liveness.too_few_frames']);
    assert.equal(few.timings.frames, undefined, 'refused before any frame is analysed');
  });

  test('liveness.face_too_small: a genuine webcam session shrunk to a third (a person far from the camera)', async () => {
    const f = await clip(clips.real2, 0.2, 2.7);
    const far = await Promise.all(f.map(async (x) => ({ ...x, bytes: await sharp(x.bytes).resize(214).extend({ top: 160, bottom: 160, left: 213, right: 213, background: '#333' }).jpeg().toBuffer() })));
    const r = await analyze(far, ['turn_left', 'turn_right']);
    assert.ok(r.reasons.includes('liveness.face_too_small'), r.reasons.join());
  });

  test('liveness.face_missing, liveness.multiple_faces, liveness.frames_inconsistent (real frames, edited)', async () => {
    const f = await clip(clips.repeating, 0, 2.5);
    const blank = await sharp(f[0]!.bytes).extract({ left: 0, top: 0, width: 480, height: 120 }).resize(480, 854).jpeg().toBuffer(); // the wall above his head
    const covered = f.map((x, i) => (i >= 8 && i < 18 ? { ...x, bytes: blank } : x));
    assert.ok((await analyze(covered, ['blink'])).reasons.includes('liveness.face_missing'));
    const stranger = await sharp(read(photos.lfw('Jiang_Zemin', 1))).resize(300).toBuffer();
    const crowded = await Promise.all(f.map(async (x) => ({ ...x, bytes: await sharp(x.bytes).composite([{ input: stranger, left: 170, top: 520 }]).jpeg().toBuffer() })));
    assert.ok((await analyze(crowded, ['blink'])).reasons.includes('liveness.multiple_faces'));
    const resized = await Promise.all(f.map(async (x, i) => (i % 2 ? { ...x, bytes: await sharp(x.bytes).resize(360).jpeg().toBuffer() } : x)));
    assert.ok((await analyze(resized, ['blink'])).reasons.includes('liveness.frames_inconsistent'));
  });

  test('a 15 fps upload is analysed as 12 fps; the frames left out must still be images of the same size', async () => {
    const f = await clip(clips.shenasa, 0, 5, 15);
    const kept = new Set(framesToAnalyse(f));
    assert.ok(kept.size < f.length && kept.size >= 0.75 * f.length, `${kept.size} of ${f.length}`);
    const r = await analyze(f, ['turn_left', 'turn_right', 'nod']);
    assert.deepEqual(r.reasons, []);
    assert.ok(kept.has(r.bestFrame!), 'the best frame is one that was analysed, by its index in the upload');
    const skipped = f.findIndex((_, i) => !kept.has(i));
    const smaller = await sharp(f[skipped]!.bytes).resize(200).jpeg().toBuffer();
    const resized = f.map((x, i) => (i === skipped ? { ...x, bytes: smaller } : x));
    assert.ok((await analyze(resized, ['turn_left', 'turn_right', 'nod'])).reasons.includes('liveness.frames_inconsistent'));
    const garbage = f.map((x, i) => (i === skipped ? { ...x, bytes: Buffer.from('not a jpeg at all') } : x));
    await assert.rejects(analyze(garbage, ['turn_left']), (e: { code?: string }) => e.code === 'liveness.frames_invalid');
  });

  test('frames that are not images are bad input, not a decision', async () => {
    const f = await clip(clips.repeating, 0, 1.5);
    await assert.rejects(analyze([...f.slice(0, 14), { t: 1500, bytes: Buffer.from('not a jpeg at all') }], ['blink']), (e: { code?: string }) => e.code === 'liveness.frames_invalid');
  });
});

/** Capture times of `n` frames at `fps`, in whole milliseconds as cameras stamp them. */
const at = (fps: number, n = 60) => Array.from({ length: n }, (_, i) => ({ t: Math.round((i * 1000) / fps) }));

test('the detector runs about every 400 ms of capture: every 4th frame at 10 fps and below, 5th at 12, 6th at 15 and above', () => {
  assert.deepEqual([5, 10, 12, 15, 30].map((fps) => detectionInterval(at(fps))), [4, 4, 5, 6, 6]);
  assert.equal(detectionInterval([{ t: 0 }]), 4, 'one frame: no interval to go by');
  assert.equal(detectionInterval(at(1000)), 6, 'frames 1 ms apart (refused on their timing anyway) stay bounded');
});

test('at most one frame of each 1/12 s is analysed: all of a 10 or 12 fps capture (whole-ms times), 4 of 5 at 15 fps, 2 of 5 at 30 fps', () => {
  assert.equal(framesToAnalyse(at(10)).length, 60);
  assert.equal(framesToAnalyse(at(12)).length, 60);
  assert.equal(framesToAnalyse(at(15)).length, 48);
  assert.equal(framesToAnalyse(at(30)).length, 24);
  assert.deepEqual(framesToAnalyse([{ t: 0 }, { t: 10 }, { t: 200 }]), [0, 2], 'a frame 10 ms after the last is left out');
});

