import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestThreshold, equalErrorRate, kFoldAccuracy, quantile, rocCurve, tarAtFmr, thresholdAtFmr } from './metrics.ts';

test('perfect separation: EER 0, accuracy 1, TAR 1 at any FMR', () => {
  const g = [0.8, 0.9, 0.7], i = [0.1, 0.2, 0.3];
  assert.equal(equalErrorRate(g, i).eer, 0);
  assert.equal(tarAtFmr(g, i, 1e-3).tar, 1);
  assert.equal(bestThreshold([...g.map((score) => ({ fold: 1, same: true, score })), ...i.map((score) => ({ fold: 1, same: false, score }))]).accuracy, 1);
});

test('overlap: EER where the two error rates cross', () => {
  // genuine 0.4..1.3 (10 scores), impostor 0..0.9 (10 scores): errors cross at 20%
  const g = Array.from({ length: 10 }, (_, k) => 0.4 + k * 0.1), i = Array.from({ length: 10 }, (_, k) => k * 0.1);
  const { eer } = equalErrorRate(g, i);
  assert.ok(Math.abs(eer - 0.25) < 0.051, String(eer));
});

test('ties share one ROC point', () => {
  const roc = rocCurve([0.5, 0.5], [0.5, 0.1]);
  assert.deepEqual(roc.map((p) => [p.threshold, p.fmr, p.tar]), [[0.5, 0.5, 1], [0.1, 1, 1]]);
});

test('threshold at FMR: at most that share of impostors pass, ties never slip through', () => {
  const impostor = Array.from({ length: 1000 }, (_, k) => k / 1000);
  const t = thresholdAtFmr(impostor, 1e-2);
  assert.equal(impostor.filter((s) => s >= t).length, 10);
  const tied = [...Array(995).fill(0.1), 0.5, 0.5, 0.5, 0.5, 0.5];
  const t2 = thresholdAtFmr(tied, 3e-3);
  assert.equal(tied.filter((s) => s >= t2).length, 0);
  const strict = thresholdAtFmr(impostor, 1e-4); // fewer than one impostor allowed
  assert.ok(strict > 0.999);
});

test('k-fold takes each fold\'s threshold from the other folds', () => {
  // fold 1 alone would be perfect at 0.55; folds 2 and 3 want 0.35, which fold 1 then gets wrong once
  const p = (fold: number, same: boolean, score: number) => ({ fold, same, score });
  const pairs = [
    p(1, true, 0.6), p(1, false, 0.5), p(2, true, 0.4), p(2, false, 0.3), p(3, true, 0.4), p(3, false, 0.3),
  ];
  const r = kFoldAccuracy(pairs);
  assert.equal(r.protocol, 'k-fold');
  assert.equal(r.perFold[0]!.accuracy, 0.5);
  assert.ok(Math.abs(r.perFold[0]!.threshold - 0.35) < 1e-9);
  assert.equal(kFoldAccuracy(pairs.filter((x) => x.fold === 1)).protocol, 'best-threshold-on-set');
});

test('a pair without a score is a non-match decision', () => {
  const r = bestThreshold([{ fold: 1, same: true, score: null }, { fold: 1, same: false, score: null }, { fold: 1, same: true, score: 0.9 }, { fold: 1, same: false, score: 0.1 }]);
  assert.equal(r.accuracy, 0.75);
});

test('quantiles', () => {
  assert.equal(quantile([3, 1, 2], 0.5), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
