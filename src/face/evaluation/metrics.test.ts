import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bestThreshold, equalErrorRate, kFoldAccuracy, nextUp, quantile, rocCurve, tarAtFmr, thresholdAtFmr, type ScoredPair,
} from './metrics.ts';

const near = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);
const pairsOf = (fold: number, genuine: number[], impostor: number[]): ScoredPair[] =>
  [...genuine.map((score) => ({ fold, same: true, score })), ...impostor.map((score) => ({ fold, same: false, score }))];

/** Seeded normal scores (mulberry32 + Box-Muller): the same numbers on every run. */
function normals(n: number, mean: number, sd: number, seed: number): number[] {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()));
}

test('perfect separation: EER 0, accuracy 1, TAR 1 at any FMR', () => {
  const g = [0.8, 0.9, 0.7], i = [0.1, 0.2, 0.3];
  assert.deepEqual(equalErrorRate(g, i), { eer: 0, threshold: 0.7 });
  assert.equal(tarAtFmr(g, i, 1e-3).tar, 1);
  const k = kFoldAccuracy([...pairsOf(1, g, i), ...pairsOf(2, g, i)]);
  assert.equal(k.protocol, 'k-fold');
  assert.deepEqual([k.mean, k.std], [1, 0]);
  assert.equal(kFoldAccuracy(pairsOf(1, g, i)).mean, 1);
});

test('known overlap, by hand: one impostor above one genuine', () => {
  // descending: .9g .8g .7g .65i .5g .3i .2i .1i
  const g = [0.5, 0.7, 0.8, 0.9], i = [0.1, 0.2, 0.3, 0.65];
  assert.deepEqual(rocCurve(g, i).map((p) => [p.threshold, p.fmr, p.tar]), [
    [0.9, 0, 0.25], [0.8, 0, 0.5], [0.7, 0, 0.75], [0.65, 0.25, 0.75], [0.5, 0.25, 1], [0.3, 0.5, 1], [0.2, 0.75, 1], [0.1, 1, 1],
  ]);
  // at 0.65 one impostor of four passes and one genuine of four fails
  assert.deepEqual(equalErrorRate(g, i), { eer: 0.25, threshold: 0.65 });
  const best = bestThreshold(pairsOf(1, g, i));
  assert.equal(best.accuracy, 7 / 8);
  near(best.threshold, 0.675); // midway between the last accepted (0.7) and the first rejected (0.65)
  assert.deepEqual(tarAtFmr(g, i, 0.25), { tar: 1, threshold: nextUp(0.3) });
  assert.deepEqual(tarAtFmr(g, i, 0.2), { tar: 0.75, threshold: nextUp(0.65) });
});

test('EER interpolates across a group of tied genuine and impostor scores', () => {
  // .9g, then {.5g .5i} together, then .1i: the ROC jumps from (FMR 0, FNMR .5) to (.5, 0)
  assert.deepEqual(equalErrorRate([0.9, 0.5], [0.5, 0.1]), { eer: 0.25, threshold: 0.5 });
  // a horizontal ROC step crosses the diagonal inside: FNMR holds at 1/4 while FMR jumps 0 → 1/3
  const r = equalErrorRate([0.9, 0.8, 0.7, 0.2], [0.5, 0.1, 0]);
  near(r.eer, 0.25);
  assert.equal(r.threshold, 0.5);
});

test('ties: one ROC point per distinct score, a threshold never splits a tie', () => {
  assert.deepEqual(rocCurve([0.5, 0.5], [0.5, 0.1]).map((p) => [p.threshold, p.fmr, p.tar]), [[0.5, 0.5, 1], [0.1, 1, 1]]);
  const tied = [...Array<number>(995).fill(0.1), 0.5, 0.5, 0.5, 0.5, 0.5];
  const t = thresholdAtFmr(tied, 3e-3); // 3 may pass, but the 5 tied at 0.5 go together: none passes
  assert.equal(tied.filter((s) => s >= t).length, 0);
  assert.equal(tied.filter((s) => s >= thresholdAtFmr(tied, 5e-3)).length, 5);
  assert.equal(tarAtFmr([0.5, 0.5, 0.9], tied, 3e-3).tar, 1 / 3); // genuine tied with a rejected impostor is rejected too
  assert.equal(bestThreshold(pairsOf(1, [0.5], [0.5])).accuracy, 0.5);
});

test('rocCurve and thresholdAtFmr agree with brute force on heavily tied scores', () => {
  const g = normals(400, 0.5, 0.2, 1).map((s) => Math.round(s * 20) / 20), i = normals(600, 0.2, 0.2, 2).map((s) => Math.round(s * 20) / 20);
  for (const p of rocCurve(g, i)) {
    assert.equal(p.fmr, i.filter((s) => s >= p.threshold).length / i.length);
    assert.equal(p.tar, g.filter((s) => s >= p.threshold).length / g.length);
  }
  assert.equal(rocCurve(g, i).length, new Set([...g, ...i]).size);
  for (const fmr of [0.2, 0.05, 0.01, 1e-3]) {
    const t = thresholdAtFmr(i, fmr);
    assert.ok(i.filter((s) => s >= t).length <= fmr * i.length);
    const lower = Math.max(...i.filter((s) => s < t)); // the next lower candidate lets too many through
    assert.ok(i.filter((s) => s >= lower).length > fmr * i.length);
  }
});

test('thresholdAtFmr on 1000 synthetic impostor scores', () => {
  const impostor = normals(1000, 0.1, 0.08, 42), sorted = [...impostor].sort((a, b) => b - a);
  for (const [fmr, k] of [[1e-1, 100], [1e-2, 10], [1e-3, 1]] as const) {
    const t = thresholdAtFmr(impostor, fmr);
    assert.equal(t, nextUp(sorted[k]!)); // just above the (k+1)-th highest: exactly k pass
    assert.equal(impostor.filter((s) => s >= t).length, k);
    assert.equal(impostor.filter((s) => s >= sorted[k]!).length, k + 1); // any lower threshold passes one more
  }
  // fmr·N < 1: no impostor may pass; the threshold sits just above the highest impostor
  assert.equal(thresholdAtFmr(impostor, 1e-4), nextUp(sorted[0]!));
  assert.equal(thresholdAtFmr(impostor, 0), nextUp(sorted[0]!));
  assert.equal(thresholdAtFmr(impostor, 1), -Infinity);
  assert.throws(() => thresholdAtFmr(impostor, NaN), RangeError);
});

test('k-fold takes each fold\'s threshold from the other folds', () => {
  // Fold 1 alone is perfect at 0.55; folds 2 and 3 are perfect at 0.35. Held out, fold 1 gets 0.35
  // from the others and accepts its own impostor (0.5); folds 2 and 3 get 0.55 (fold 1 + the
  // other fold tie between 0.55 and 0.35, and the higher threshold wins) and reject their genuine.
  const pairs = [...pairsOf(1, [0.6], [0.5]), ...pairsOf(2, [0.4], [0.3]), ...pairsOf(3, [0.4], [0.3])];
  const r = kFoldAccuracy(pairs);
  assert.equal(r.protocol, 'k-fold');
  assert.deepEqual(r.perFold.map((f) => [f.fold, f.accuracy]), [[1, 0.5], [2, 0.5], [3, 0.5]]);
  near(r.perFold[0]!.threshold, 0.35);
  near(r.perFold[1]!.threshold, 0.55);
  assert.deepEqual([r.mean, r.std], [0.5, 0]);
  // fitted on the whole set instead, the same scores look far better: that is what k-fold guards against
  assert.equal(bestThreshold(pairs).accuracy, 5 / 6);
  const single = kFoldAccuracy(pairsOf(7, [0.6], [0.5]));
  assert.equal(single.protocol, 'best-threshold-on-set');
  assert.deepEqual(single.perFold.map((f) => [f.fold, f.accuracy]), [[7, 1]]);
});

test('a pair without a score is a non-match: wrong if same person, right if not', () => {
  const pairs: ScoredPair[] = [{ fold: 1, same: true, score: null }, { fold: 1, same: false, score: null }, ...pairsOf(1, [0.9], [0.1])];
  assert.equal(bestThreshold(pairs).accuracy, 0.75);
  assert.equal(kFoldAccuracy(pairs).mean, 0.75);
  // in k-fold the failed pairs stay in their fold's denominator
  const k = kFoldAccuracy([...pairs, ...pairsOf(2, [0.8, 0.7], [0.2, 0.3])]);
  assert.deepEqual(k.perFold.map((f) => f.accuracy), [0.75, 1]);
});

test('std is over the folds (population), mean of per-fold accuracies', () => {
  // fold 3's genuine pair scores below its impostor: with 0.5 from the others it gets one of two right
  const k = kFoldAccuracy([...pairsOf(1, [0.9], [0.1]), ...pairsOf(2, [0.9], [0.1]), ...pairsOf(3, [0.05], [0.1])]);
  assert.deepEqual(k.perFold.map((f) => f.accuracy), [1, 1, 0.5]);
  near(k.mean, 5 / 6);
  near(k.std, Math.sqrt(1 / 18));
});

test('quantiles', () => {
  assert.equal(quantile([3, 1, 2], 0.5), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  near(quantile(Array.from({ length: 101 }, (_, k) => 100 - k), 0.95), 95);
  assert.equal(quantile([7], 0.95), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.throws(() => quantile([1], 1.5), RangeError);
});

test('bad input is refused, not averaged into NaN', () => {
  assert.throws(() => rocCurve([], [0.1]), RangeError);
  assert.throws(() => equalErrorRate([0.5, NaN], [0.1]), /NaN/);
  assert.throws(() => kFoldAccuracy([]), RangeError);
  assert.equal(tarAtFmr([-Infinity, 0.9], [0.1, -Infinity], 0.5).tar, 0.5); // a failed pair mapped to -Infinity is fine
});

// A quadratic pass over 200,000 pairs (4e10 steps) would run for many minutes: the timeout catches it without
// timing a fast run on a shared machine (the benchmark prints real timings).
test('200,000 scored pairs in 10 folds: accuracy as expected, no quadratic pass', { timeout: 120_000 }, () => {
  const g = normals(100_000, 0.6, 0.15, 3), i = normals(100_000, 0.1, 0.1, 4);
  const scored = [...g, ...i].map((score, k) => ({ fold: (k % 10) + 1, same: k < g.length, score }));
  const k = kFoldAccuracy(scored);
  equalErrorRate(g, i);
  tarAtFmr(g, i, 1e-3);
  assert.ok(k.mean > 0.95 && k.mean < 0.99, String(k.mean)); // two normals 3.5 sd apart: about 97.8%
});
