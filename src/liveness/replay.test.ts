// Replay fingerprints (pure) on real frames, made as the analysis makes them (frames shrunk for
// analysis): a re-encoded copy of a session in which the face moves is a replay; another moment
// of the same person is not, and neither is a person keeping still twice before the same camera.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { sharedData } from '../face/face.fixtures.ts';
import { analysisSize, greyGrid } from './frame-signals.ts';
import { decodeFrame } from './frame-decode.ts';
import { difference, fingerprint, packFingerprints, replays, unpackFingerprints } from './replay.ts';
import { decodeVideo } from './video.ts';
import type { FrameInput } from './liveness.ts';

const thumbs = (frames: FrameInput[]) => Promise.all(frames.map(async (f, i) => fingerprint(greyGrid(await decodeFrame(f.bytes, i, analysisSize), 32, 24))));
const reencode = (frames: FrameInput[]) => Promise.all(frames.map(async (f) => ({ t: f.t + 33, bytes: await sharp(f.bytes).resize(430).jpeg({ quality: 65 }).toBuffer() })));
const webcam = `${sharedData}liveness/replay-apfol/videos/real2.webm`; // turns left and right from 0.7 s
const still = `${sharedData}liveness/clips/repeating_video.mp4`; // a man keeping his head still
let turns: FrameInput[], stillFrames: FrameInput[];
before(async () => {
  turns = await decodeVideo(webcam, { fps: 10, fromSec: 0.2, toSec: 2.7 });
  stillFrames = await decodeVideo(still, { fps: 10, fromSec: 0, toSec: 1.5 });
});

test('fingerprints ignore brightness and contrast: a copy made lighter is still a copy', async () => {
  const [a, lighter] = await thumbs([turns[0]!, { t: 0, bytes: await sharp(turns[0]!.bytes).linear(0.8, 30).jpeg({ quality: 75 }).toBuffer() }]);
  assert.ok(difference(a!, lighter!) < 1.5, String(difference(a!, lighter!)));
});

test('a re-encoded replay of a moving session is found, also with frames dropped; another moment of the same person is not', async () => {
  const original = await thumbs(turns);
  assert.ok(replays(await thumbs(await reencode(turns)), original));
  assert.ok(replays(await thumbs((await reencode(turns)).filter((_, i) => i % 2 === 0)), original), 'every second frame');
  assert.equal(replays(await thumbs(await decodeVideo(webcam, { fps: 10, fromSec: 2.7, toSec: 4.7 })), original), false);
  assert.deepEqual(unpackFingerprints(packFingerprints(original), 768).map((t) => Buffer.from(t).toString('hex')), original.map((t) => Buffer.from(t).toString('hex')));
});

test('a person keeping still a second later is not a replay; a copy of his session is (its blink is motion enough)', async () => {
  const first = await thumbs(stillFrames);
  const later = await thumbs(await decodeVideo(still, { fps: 10, fromSec: 1.6, toSec: 3.1 }));
  assert.ok(Math.min(...later.map((x) => Math.min(...first.map((y) => difference(x, y))))) < 1.5, 'the frames look alike');
  assert.equal(replays(later, first), false);
  assert.equal(replays(await thumbs(await reencode(stillFrames)), first), true);
});
