import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cropResize, invertAffine, resizeRgb, rotateQuarter, toPlanar, type Affine } from './raster.ts';

// a 3x2 image whose red channel numbers the pixels row by row: 0 1 2 / 3 4 5
const img = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? i / 3 : 0)) };
const reds = (m: { data: Uint8Array }) => Array.from(m.data.filter((_, i) => i % 3 === 0));

test('quarter turns move pixels clockwise, and four of them are the identity', () => {
  const once = rotateQuarter(img, 1);
  assert.deepEqual([once.width, once.height], [2, 3]);
  assert.deepEqual(reds(once), [3, 0, 4, 1, 5, 2]);
  assert.deepEqual(reds(rotateQuarter(img, 2)), [5, 4, 3, 2, 1, 0]);
  assert.deepEqual(reds(rotateQuarter(img, 3)), [2, 5, 1, 4, 0, 3]);
  assert.deepEqual(rotateQuarter(rotateQuarter(once, 2), 1).data, img.data);
});

test('an affine transform and its inverse cancel out', () => {
  const m: Affine = [1.5, -0.4, 10, 0.4, 1.5, -3];
  const [a, b, c, d, e, f] = invertAffine(m);
  const x = 7, y = -2, u = m[0] * x + m[1] * y + m[2], v = m[3] * x + m[4] * y + m[5];
  assert.ok(Math.abs(a * u + b * v + c - x) < 1e-12 && Math.abs(d * u + e * v + f - y) < 1e-12);
  assert.throws(() => invertAffine([1, 2, 0, 2, 4, 0]), /singular/);
});

test('a crop at the same size copies the pixels; planar tensors keep the channel order asked for', () => {
  assert.deepEqual(reds(cropResize(img, { x: 0, y: 0, width: 3, height: 2 }, 3, 2)), [0, 1, 2, 3, 4, 5]);
  const px = { width: 1, height: 1, data: Uint8Array.from([10, 20, 30]) };
  assert.deepEqual(Array.from(toPlanar(px, { order: 'bgr', mean: 0, scale: 1 })), [30, 20, 10]);
  assert.deepEqual(Array.from(toPlanar(px, { order: 'rgb', mean: 10, scale: 0.5 })), [0, 5, 10]);
});

test('planar tensors: a flipped image mirrors each row', () => {
  const row = { width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(Array.from(toPlanar(row, { order: 'rgb', mean: 0, scale: 1 }, true)), [4, 1, 5, 2, 6, 3]);
});

test('resizing keeps a grey image grey (one channel out, not sharp\'s three)', async () => {
  const grey = { width: 8, height: 4, channels: 1 as const, data: new Uint8Array(32).fill(200) };
  const small = await resizeRgb(grey, 4, 2);
  assert.equal(small.channels, 1);
  assert.equal(small.data.length, 8);
  assert.ok(small.data.every((v) => v === 200));
  const colour = await resizeRgb({ width: 8, height: 4, data: new Uint8Array(96).fill(90) }, 4, 2);
  assert.equal(colour.data.length, 24);
});
