// Matching the actions seen against the actions asked (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LivenessAction } from './challenge.ts';
import type { ActionEvent } from './liveness.ts';
import { matchSequence } from './sequence.ts';

const ev = (action: LivenessAction, startMs: number, endMs = startMs + 600): ActionEvent => ({ action, startMs, endMs, peakMs: (startMs + endMs) / 2, strength: 1 });

test('the asked actions in the asked order, each within its window', () => {
  const r = matchSequence(['turn_left', 'blink', 'open_mouth'], [ev('turn_left', 500), ev('blink', 1800, 1900), ev('open_mouth', 2600)]);
  assert.deepEqual(r.reasons, []);
  assert.deepEqual(r.asked.map((a) => a.found?.startMs), [500, 1800, 2600]);
});

test('spontaneous blinks and other actions in between do not count against a session', () => {
  const r = matchSequence(['turn_left', 'nod'], [ev('blink', 100, 200), ev('turn_left', 500), ev('blink', 1200, 1300), ev('open_mouth', 1500), ev('nod', 2400)]);
  assert.deepEqual(r.reasons, []);
});

test('wrong order: a later action done first, or the asked ones only in another order', () => {
  assert.deepEqual(matchSequence(['turn_left', 'turn_right'], [ev('turn_right', 300), ev('turn_left', 1500)]).reasons, ['liveness.wrong_order']);
  // both present after a fashion, but the later-asked one came (wholly) before the first asked one
  assert.deepEqual(matchSequence(['blink', 'open_mouth', 'nod'], [ev('nod', 200), ev('blink', 1200, 1300), ev('open_mouth', 2000), ev('nod', 3500)]).reasons, ['liveness.wrong_order']);
  // overlapping is not "before": a chin raised during a turn
  assert.deepEqual(matchSequence(['turn_left', 'nod'], [ev('nod', 300, 1000), ev('turn_left', 400, 1000), ev('nod', 2500)]).reasons, []);
});

test('missing and too slow', () => {
  assert.deepEqual(matchSequence(['turn_left', 'open_mouth'], [ev('turn_left', 300)]).reasons, ['liveness.action_missing']);
  assert.deepEqual(matchSequence(['blink'], []).reasons, ['liveness.action_missing']);
  assert.deepEqual(matchSequence(['turn_left', 'blink'], [ev('turn_left', 300), ev('blink', 7000, 7100)]).reasons, ['liveness.too_slow']);
  assert.deepEqual(matchSequence(['blink'], [ev('blink', 6500, 6600)]).reasons, ['liveness.too_slow']);
});
