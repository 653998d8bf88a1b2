// Action detection on measured series (pure). The series are written out by hand in the shape the
// frame analysis produces at 10 fps; the real clips are in analyze.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectActions, restPose, type PoseSample } from './actions.ts';

/** 10 fps samples from per-frame values; unspecified fields at rest (frontal, eyes open, mouth closed). */
function series(n: number, f: (i: number) => Partial<PoseSample>): PoseSample[] {
  return Array.from({ length: n }, (_, i) => ({ t: i * 100, yawDeg: 10, pitchDeg: 2, eyes: [0.99, 0.98], mouth: 0.02, ear: 0.38, ...f(i) }));
}
const bump = (i: number, from: number, to: number, peak: number) => (i < from || i > to ? 0 : peak * Math.sin(((i - from) / (to - from)) * Math.PI));
const kinds = (s: PoseSample[]) => detectActions(s).map((e) => e.action);

test('the rest pose is the median pose, so an off-axis camera (yaw 10°) reads as frontal', () => {
  const s = series(30, (i) => ({ yawDeg: 10 + bump(i, 5, 12, 35) }));
  assert.equal(restPose(s).yawDeg, 10);
  assert.deepEqual(kinds(series(30, () => ({}))), []);
});

test('turns: nose towards image-right (yaw up) is the person\'s left; a small sway is nothing', () => {
  assert.deepEqual(kinds(series(30, (i) => ({ yawDeg: 10 + bump(i, 5, 14, 35) }))), ['turn_left']);
  assert.deepEqual(kinds(series(30, (i) => ({ yawDeg: 10 - bump(i, 5, 14, 35) }))), ['turn_right']);
  assert.deepEqual(kinds(series(30, (i) => ({ yawDeg: 10 + bump(i, 5, 14, 12) }))), [], '12° is a sway');
  const both = detectActions(series(50, (i) => ({ yawDeg: 10 + bump(i, 5, 15, 35) - bump(i, 25, 35, 35) })));
  assert.deepEqual(both.map((e) => [e.action, e.peakMs]), [['turn_left', 1000], ['turn_right', 3000]]);
});

test('a nod goes down (or up) and comes back; a pitch change that stays, or rides on a turn, is not one', () => {
  assert.deepEqual(kinds(series(30, (i) => ({ pitchDeg: 2 - bump(i, 5, 12, 25) }))), ['nod']);
  assert.deepEqual(kinds(series(30, (i) => ({ pitchDeg: i >= 20 ? -25 : 2 }))), [], 'head lowered at the end and never back');
  assert.deepEqual(kinds(series(30, (i) => ({ pitchDeg: 2 + bump(i, 5, 12, 18), yawDeg: 10 + bump(i, 5, 12, 40) }))), ['turn_left']);
});

test('open mouth: wide and for two frames at least; a smile or a single glitch is not', () => {
  assert.deepEqual(kinds(series(30, (i) => ({ mouth: i >= 10 && i <= 16 ? 0.6 : 0.03 }))), ['open_mouth']);
  assert.deepEqual(kinds(series(30, (i) => ({ mouth: i >= 10 && i <= 16 ? 0.16 : 0.03 }))), []);
  assert.deepEqual(kinds(series(30, (i) => ({ mouth: i === 10 ? 0.9 : 0.03 }))), []);
});

test('a blink: both eyes shut briefly between open frames, with the lids moving in the landmarks too', () => {
  const shut = (i: number) => (i === 10 || i === 11 ? { eyes: [0.01, 0.02] as [number, number], ear: 0.24 } : {});
  assert.deepEqual(kinds(series(30, shut)), ['blink']);
  // the eye model alone (glasses, glare, a photo) is not enough
  assert.deepEqual(kinds(series(30, (i) => (i === 10 ? { eyes: [0.01, 0.02] as [number, number] } : {}))), []);
  // held shut for a second: eyes closed, not a blink
  assert.deepEqual(kinds(series(40, (i) => (i >= 10 && i < 20 ? { eyes: [0.01, 0.02] as [number, number], ear: 0.22 } : {}))), []);
  // one eye only: a wink is not asked for
  assert.deepEqual(kinds(series(30, (i) => (i === 10 ? { eyes: [0.01, 0.95] as [number, number], ear: 0.3 } : {}))), []);
  // eyes read shut while the head is turned: the eye model is not trusted there
  assert.deepEqual(kinds(series(30, (i) => ({ yawDeg: 10 + bump(i, 5, 15, 40), ...(i >= 9 && i <= 11 ? { eyes: [0.01, 0.01] as [number, number], ear: 0.2 } : {}) })))
    .filter((k) => k === 'blink'), []);
});
