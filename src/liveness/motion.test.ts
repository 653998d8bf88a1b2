// Checks on the frame series apart from the actions (pure): capture times, presence, shape change,
// cuts, zig-zags. Real clips are in analyze.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '../face/landmarks.ts';
import { affineResidual, checkPresence, checkTiming, deformation, findCuts, zigzags } from './motion.ts';

const at10fps = (n: number) => Array.from({ length: n }, (_, i) => i * 100);

test('capture times: a camera\'s rate, in order, without long gaps, within the challenge\'s life', () => {
  assert.deepEqual(checkTiming(at10fps(30)), []);
  assert.deepEqual(checkTiming(at10fps(30), 4000), []);
  assert.deepEqual(checkTiming(at10fps(8)), ['liveness.too_few_frames']);
  assert.deepEqual(checkTiming(at10fps(30).reverse()), ['liveness.timestamps_implausible'], 'backwards');
  assert.deepEqual(checkTiming(at10fps(30).map((t, i) => (i === 7 ? 600 : t))), ['liveness.timestamps_implausible'], 'a repeated time');
  assert.deepEqual(checkTiming(Array.from({ length: 60 }, (_, i) => i * 16)), ['liveness.timestamps_implausible'], '60 fps');
  assert.deepEqual(checkTiming(Array.from({ length: 30 }, (_, i) => i * 300)), ['liveness.timestamps_implausible'], '3 fps');
  assert.deepEqual(checkTiming(at10fps(30).map((t) => (t >= 1500 ? t + 900 : t))), ['liveness.timestamps_implausible'], 'a 1 s gap');
  assert.deepEqual(checkTiming(at10fps(12)), [], '1.1 s');
  assert.deepEqual(checkTiming(Array.from({ length: 14 }, (_, i) => i * 60)), ['liveness.timestamps_implausible'], 'shorter than 1 s');
  assert.deepEqual(checkTiming(at10fps(60), 3000), ['liveness.timestamps_implausible'], '5.9 s of frames from a challenge 3 s old');
  assert.deepEqual(checkTiming([0, 100, Number.NaN, ...at10fps(20).map((t) => t + 300)]), ['liveness.timestamps_implausible']);
});

test('presence: a face in most frames and never gone for long', () => {
  const frames = (missing: (i: number) => boolean) => at10fps(40).map((t, i) => ({ t, hasFace: !missing(i) }));
  assert.deepEqual(checkPresence(frames(() => false)), []);
  assert.deepEqual(checkPresence(frames((i) => i === 10 || i === 11)), [], 'lost for two frames in a turn');
  assert.deepEqual(checkPresence(frames((i) => i >= 10 && i < 20)), ['liveness.face_missing']);
  assert.deepEqual(checkPresence(frames((i) => i % 5 === 0)), ['liveness.face_missing'], '20% of frames');
});

/** A face-like set of 68 points (a jaw arc, brows, nose, eyes, mouth), enough for the geometry here. */
function face(): Point[] {
  return Array.from({ length: 68 }, (_, i) => [100 + 60 * Math.cos(i * 0.37) + (i % 7) * 3, 120 + 70 * Math.sin(i * 0.53) + (i % 5) * 2] as Point);
}

test('a photo moved, zoomed, rotated or sheared keeps its landmark shape; a turning head does not', () => {
  const ref = face();
  const moved = ref.map(([x, y]) => [0.9 * x + 0.2 * y + 31, -0.15 * x + 1.1 * y - 12] as Point);
  assert.ok(affineResidual(ref, moved) < 1e-6);
  const noisy = moved.map(([x, y], i) => [x + ((i * 7) % 3 - 1) * 0.3, y + ((i * 5) % 3 - 1) * 0.3] as Point);
  assert.ok(deformation([ref, moved, noisy], ref) < 0.02, 'landmark jitter stays small');
  const turned = ref.map(([x, y], i) => (i >= 27 && i <= 35 ? [x + 25, y] as Point : [x, y] as Point)); // the nose moves inside the face
  assert.ok(deformation(Array.from({ length: 10 }, (_, i) => (i < 5 ? ref : turned)), ref) > 0.06);
});

test('cuts: a scene change far above the usual, an isolated spike, a face that jumps; repeated frames are not a cut', () => {
  const thumb = (v: number, k = 0) => Float32Array.from({ length: 768 }, (_, i) => v + ((i * 31 + k) % 17) * 0.1);
  const still = at10fps(20).map((t, i) => ({ t, thumb: thumb(100, i) }));
  assert.deepEqual(findCuts(still), []);
  assert.deepEqual(findCuts(still.map((f, i) => (i >= 10 ? { ...f, thumb: thumb(140, i) } : f))), [1000], 'another scene');
  assert.deepEqual(findCuts(still.map((f, i) => (i >= 10 ? { ...f, thumb: thumb(104, i) } : f))), [1000], 'a splice of one recording: 4 grey levels out of nowhere');
  const duplicated = still.map((f, i) => ({ ...f, thumb: thumb(100 + Math.floor(i / 2) * 3, 0) }));
  assert.deepEqual(findCuts(duplicated), [], 'a slow camera: each frame twice, steady motion');
  const jumping = still.map((f, i) => ({ ...f, centre: [i === 10 ? 400 : 200, 200] as Point, width: 150 }));
  assert.deepEqual(findCuts(jumping), [1000, 1100], 'the face jumps 1.3 widths in 100 ms and back');
});

test('zig-zags: frames out of order step back and forth', () => {
  const smooth = Array.from({ length: 30 }, (_, i) => ({ yawDeg: 40 * Math.sin(i / 6), centreX: 300 + i * 2, width: 150 }));
  assert.equal(zigzags(smooth), 0);
  const order = [0, 9, 3, 14, 1, 20, 5, 11, 2, 17, 8, 25, 4, 13, 6];
  assert.ok(zigzags(order.map((k) => smooth[k]!)) >= 5);
});
