import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parsePairs, readPairs } from './pairs.ts';

test('parses folds of same and different pairs into absolute image paths, tabs or spaces', () => {
  const pairs = parsePairs('2\t1\nA_B\t1\t2\r\nB\t3\tC\t14\n\nD 1 4\nE  2 F 1\n', '/img');
  assert.deepEqual(pairs, [
    { fold: 1, same: true, a: '/img/A_B/A_B_0001.jpg', b: '/img/A_B/A_B_0002.jpg' },
    { fold: 1, same: false, a: '/img/B/B_0003.jpg', b: '/img/C/C_0014.jpg' },
    { fold: 2, same: true, a: '/img/D/D_0001.jpg', b: '/img/D/D_0004.jpg' },
    { fold: 2, same: false, a: '/img/E/E_0002.jpg', b: '/img/F/F_0001.jpg' },
  ]);
  assert.ok(path.isAbsolute(parsePairs('A 1 2', 'relative/dir')[0]!.a));
});

test('a header of one number is one fold; no header: one fold, kind by field count', () => {
  const one = parsePairs('2\nA 1 2\nB 1 3\nC 1 D 2\nE 4 F 5\n', '/i');
  assert.deepEqual(one.map((p) => [p.fold, p.same]), [[1, true], [1, true], [1, false], [1, false]]);
  const none = parsePairs('C 1 D 2\nA 1 2\n', '/i');
  assert.deepEqual(none.map((p) => [p.fold, p.same]), [[1, false], [1, true]]);
});

test('a malformed line is named by its number in the file (blank lines counted)', () => {
  assert.throws(() => parsePairs('1\t1\nA\t1\t2\nB\tx\tC\t1\n', '/img'), /line 3/);
  assert.throws(() => parsePairs('1\t1\n\nA\t1\t2\nB\t1\tC\n', '/img'), /line 4/); // 3 fields where a different pair belongs
  assert.throws(() => parsePairs('1\t2\nA\t1\t2\nB\t1\tC\t1\n', '/img'), /line 3.*same-person/); // a different pair where a same pair belongs
  assert.throws(() => parsePairs('1\t1\nA\t0\t2\nB\t1\tC\t1\n', '/img'), /line 2/); // image numbers start at 1
  assert.throws(() => parsePairs('1\t1\nA\t1\t2\nB\t1\tC\t1\nD\t1\t2\n', '/img'), /line 4.*goes on/);
  assert.throws(() => parsePairs('2\t1\nA\t1\t2\nB\t1\tC\t1\n', '/img'), /line 1.*has 2 pairs/);
  assert.throws(() => parsePairs('A 1 2 3 4\n', '/img'), /line 1/);
});

test('readPairs names the file in its errors', async () => {
  await assert.rejects(readPairs(path.resolve(import.meta.dirname, 'pairs.test.ts'), '/img'), /pairs\.test\.ts: pairs line 1/);
});

test('the shared LFW list: 8 folds of 300 + 300 pairs', async () => {
  const dir = path.resolve(import.meta.dirname, '../../../../shared/data/lfw');
  const pairs = await readPairs(path.join(dir, 'pairs.txt'), path.join(dir, 'images'));
  assert.equal(pairs.length, 4800);
  assert.deepEqual([...new Set(pairs.map((p) => p.fold))], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(pairs.filter((p) => p.same).length, 2400);
  for (let f = 1; f <= 8; f++) assert.equal(pairs.filter((p) => p.fold === f && p.same).length, 300);
  assert.deepEqual(pairs[0], { fold: 1, same: true, a: path.join(dir, 'images/Abel_Pacheco/Abel_Pacheco_0001.jpg'), b: path.join(dir, 'images/Abel_Pacheco/Abel_Pacheco_0004.jpg') });
});
