import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { calibrationFormat, estimatedFmrAt, loadCalibration, thresholdFor, type Calibration } from './calibration.ts';

const calibration: Calibration = {
  format: calibrationFormat, version: 'test.1', createdAt: '2026-11-25T00:00:00Z', pipeline: 'p1', sets: [], thresholds: {},
  fmrCurve: [[0.1, 0.1], [0.2, 1e-2], [0.3, 1e-3], [0.4, 1e-4], [0.5, 2e-5]],
  minSupportedFmr: 5e-5,
};

test('thresholds read off the curve, log-interpolated between its points', () => {
  assert.equal(thresholdFor(calibration, 1e-2), 0.2);
  assert.equal(thresholdFor(calibration, 1e-3), 0.3);
  assert.ok(Math.abs(thresholdFor(calibration, Math.sqrt(1e-3 * 1e-4)) - 0.35) < 1e-9);
});

test('a stricter target never gets a lower threshold', () => {
  let last = -Infinity;
  for (const fmr of [1e-2, 5e-3, 1e-3, 3e-4, 1e-4]) { const t = thresholdFor(calibration, fmr); assert.ok(t >= last); last = t; }
});

test('targets the calibration cannot vouch for are refused, not extrapolated', () => {
  assert.throws(() => thresholdFor(calibration, 1e-5), /below/);
  assert.throws(() => thresholdFor(calibration, 0), /not in/);
});

test('the estimated FMR at a score is the curve read the other way round', () => {
  assert.ok(Math.abs(estimatedFmrAt(calibration, 0.3) - 1e-3) < 1e-12);
  assert.ok(Math.abs(estimatedFmrAt(calibration, 0.35) - Math.sqrt(1e-7)) < 1e-9);
  assert.equal(estimatedFmrAt(calibration, 0.9), 2e-5);
  assert.equal(estimatedFmrAt(calibration, -1), 0.1);
});

test('a calibration made for another pipeline is refused', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cal-')), 'c.json');
  writeFileSync(file, JSON.stringify(calibration));
  assert.equal(loadCalibration('p1', file).version, 'test.1');
  assert.throws(() => loadCalibration('p2', file), /was made for pipeline p1/);
  assert.throws(() => loadCalibration('p1', `${file}.missing`), /npm run calibrate/);
});

test('the shipped calibration covers the three stated targets, stricter than or equal to each set', async () => {
  const { createFaceAnalyzer } = await import('./engine.ts');
  const { pipeline } = await createFaceAnalyzer();
  const shipped = loadCalibration(pipeline);
  for (const target of ['1e-2', '1e-3', '1e-4']) {
    const t = shipped.thresholds[target]!;
    assert.ok(t > 0 && t < 1, `${target}: ${t}`);
    for (const set of shipped.sets) assert.ok(t >= set.thresholds[target]! - 1e-3, `${target} ${set.name}`);
    assert.ok(Math.abs(thresholdFor(shipped, Number(target)) - t) < 2e-3);
  }
  assert.ok(shipped.sets.some((s) => s.name === 'east-asian') && shipped.sets.some((s) => s.name === 'lfw-chip'));
});
