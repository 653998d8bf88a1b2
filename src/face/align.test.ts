import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignFace, arcfaceTemplate, similarityTransform } from './align.ts';
import type { Point } from './landmarks.ts';
import { poseFromPoints } from './quality.ts';

const apply = ([a, b, c, d, e, f]: number[], [x, y]: Point): Point => [a! * x + b! * y + c!, d! * x + e! * y + f!];

test('recovers a known rotation, scale and shift exactly', () => {
  const angle = 0.3, scale = 2.5, tx = 40, ty = -12;
  const src: Point[] = arcfaceTemplate.map(([x, y]) => [
    scale * (Math.cos(angle) * x - Math.sin(angle) * y) + tx, scale * (Math.sin(angle) * x + Math.cos(angle) * y) + ty]);
  const m = similarityTransform(src, arcfaceTemplate);
  src.forEach((p, i) => {
    const q = apply(m, p);
    assert.ok(Math.hypot(q[0] - arcfaceTemplate[i]![0], q[1] - arcfaceTemplate[i]![1]) < 1e-9);
  });
});

test('refuses landmarks that collapse to one point', () => {
  assert.throws(() => similarityTransform(Array.from({ length: 5 }, () => [10, 10] as Point), arcfaceTemplate), /degenerate/);
});

test('an aligned crop puts the landmarks where the template has them', () => {
  // a synthetic 300x300 image: a bright dot at each landmark, the face turned and shifted
  const size = 300, data = new Uint8Array(size * size * 3);
  const pts: Point[] = arcfaceTemplate.map(([x, y]) => [1.8 * (x * Math.cos(-0.2) - y * Math.sin(-0.2)) + 60, 1.8 * (x * Math.sin(-0.2) + y * Math.cos(-0.2)) + 90]);
  for (const [x, y] of pts) for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) data.fill(255, ((Math.round(y) + dy) * size + Math.round(x) + dx) * 3, ((Math.round(y) + dy) * size + Math.round(x) + dx) * 3 + 3);
  const aligned = alignFace({ data, width: size, height: size }, pts);
  assert.deepEqual([aligned.width, aligned.height], [112, 112]);
  for (const [x, y] of arcfaceTemplate) assert.ok(aligned.data[(Math.round(y) * 112 + Math.round(x)) * 3]! > 200, `bright at ${x},${y}`);
});

test('pose estimate: the template is frontal; a nose off to one side reads as yaw', () => {
  const frontal = poseFromPoints(arcfaceTemplate);
  assert.ok(Math.abs(frontal.yawDeg) < 1 && Math.abs(frontal.pitchDeg) < 1, JSON.stringify(frontal));
  const turned = arcfaceTemplate.map((p, i) => (i === 2 ? [p[0] + 15, p[1]] : p) as Point);
  assert.ok(poseFromPoints(turned).yawDeg > 25);
  const up = arcfaceTemplate.map((p, i) => (i === 2 ? [p[0], p[1] - 10] : p) as Point);
  assert.ok(poseFromPoints(up).pitchDeg > 20);
});
