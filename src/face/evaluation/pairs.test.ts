import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parsePairs, readPairs } from './pairs.ts';

test('parses folds of same and different pairs into image paths', () => {
  const pairs = parsePairs('2\t1\nA\t1\t2\nB\t3\tC\t14\nD 1 4\nE 2 F 1\n', '/img');
  assert.deepEqual(pairs[0], { fold: 1, same: true, a: '/img/A/A_0001.jpg', b: '/img/A/A_0002.jpg' });
  assert.deepEqual(pairs[1], { fold: 1, same: false, a: '/img/B/B_0003.jpg', b: '/img/C/C_0014.jpg' });
  assert.equal(pairs[3]!.fold, 2);
});

test('a malformed line is named by its number', () => {
  assert.throws(() => parsePairs('1\t1\nA\t1\t2\nB\tx\tC\t1\n', '/img'), /line 3/);
  assert.throws(() => parsePairs('1\t2\nA\t1\t2\nB\t1\tC\t1\n', '/img'), /line 3/); // a different pair where a same pair belongs
});

test('the shared LFW list: 8 folds of 300 + 300 pairs', async () => {
  const dir = fileURLToPath(new URL('../../../../shared/data/lfw/', import.meta.url));
  const pairs = await readPairs(`${dir}pairs.txt`, `${dir}images`);
  assert.equal(pairs.length, 4800);
  assert.equal(new Set(pairs.map((p) => p.fold)).size, 8);
  assert.equal(pairs.filter((p) => p.same).length, 2400);
});
