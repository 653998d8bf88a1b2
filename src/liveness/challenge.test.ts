import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionPrompts, challengeRefusal, createChallenge, livenessActions } from './challenge.ts';

const now = new Date('2026-11-25T08:00:00Z');

test('a challenge asks for 2-3 distinct actions, expires after its TTL, and carries a 256-bit nonce', () => {
  const c = createChallenge('registration', 'reg-1', now);
  assert.equal(c.actions.length, 3);
  assert.equal(new Set(c.actions).size, 3);
  assert.equal(c.expiresAt.getTime() - now.getTime(), 60_000);
  assert.equal(Buffer.from(c.nonce, 'base64url').length, 32);
  assert.equal(createChallenge('self_service', 'v-1', now, { ttlSeconds: 30, actionCount: 2 }).actions.length, 2);
  assert.notEqual(createChallenge('registration', 'reg-1', now).nonce, c.nonce);
});

test('turn left and turn right are never asked back to back', () => {
  // a source that always picks the last candidate would otherwise produce nod, turn_left, turn_right ...
  for (let seed = 0; seed < 500; seed++) {
    let s = seed;
    const c = createChallenge('registration', 'r', now, { ttlSeconds: 60, actionCount: 3 }, (max) => { s = (s * 1103515245 + 12345) % 2 ** 31; return s % max; });
    for (let i = 1; i < c.actions.length; i++) {
      const pair = [c.actions[i - 1], c.actions[i]].sort().join();
      assert.notEqual(pair, 'turn_left,turn_right', c.actions.join());
    }
  }
});

test('every action can be drawn, in every position', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 400; i++) createChallenge('registration', 'r', now).actions.forEach((a, k) => seen.add(`${k}:${a}`));
  for (const a of livenessActions) for (const k of [0, 1, 2]) assert.ok(seen.has(`${k}:${a}`), `${a} at ${k}`);
});

test('an expired challenge is refused; the TTL is bounded', () => {
  const c = createChallenge('registration', 'r', now);
  assert.equal(challengeRefusal(c, new Date(now.getTime() + 59_999)), undefined);
  assert.equal(challengeRefusal(c, c.expiresAt), 'liveness.challenge_expired');
  assert.throws(() => createChallenge('registration', 'r', now, { ttlSeconds: 5, actionCount: 2 }), /ttlSeconds/);
});

test('every action has a prompt in English and Chinese', () => {
  for (const a of livenessActions) assert.ok(actionPrompts[a].en && actionPrompts[a]['zh-CN']);
});
