/**
 * Verification metrics over similarity scores: ROC points, the threshold for a false-match
 * rate (FMR), the true-accept rate (TAR) there, the equal error rate, accuracy by the LFW
 * protocol, and quantiles for latencies. (Score → FMR for decisions is the calibration's job:
 * src/face/calibration.ts.)
 *
 * Conventions everywhere: a higher score means more alike, and the decision is
 * "match iff score >= threshold", so a score tied with the threshold is accepted. Every
 * function sorts once (O(n log n)) and treats tied scores as one step: a threshold can never
 * accept part of a group of equal scores. Scores may be ±Infinity (e.g. a failed pair mapped to
 * -Infinity); NaN is refused, because it would silently break the sort.
 */

export interface RocPoint { threshold: number; fmr: number; tar: number }

function check(scores: number[], what: string): void {
  if (scores.length === 0) throw new RangeError(`${what}: no scores`);
  if (scores.some((s) => Number.isNaN(s))) throw new RangeError(`${what}: NaN score`);
}

const desc = (xs: number[]) => Float64Array.from(xs).sort().reverse();

/** The next double above x: a threshold that rejects x and everything tied with it, and nothing above. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + (x > 0 ? 1n : -1n);
  return f[0]!;
}

/**
 * One point per distinct score, thresholds descending (so FMR and TAR ascending): at each
 * point, the share of impostor (fmr) and genuine (tar) scores >= threshold. The implicit start
 * (threshold above everything, 0, 0) is not listed; the last point is (lowest score, 1, 1).
 */
export function rocCurve(genuine: number[], impostor: number[]): RocPoint[] {
  check(genuine, 'rocCurve genuine'); check(impostor, 'rocCurve impostor');
  const g = desc(genuine), im = desc(impostor);
  const out: RocPoint[] = [];
  let i = 0, j = 0;
  while (i < g.length || j < im.length) {
    // the next threshold is the larger of the two heads; take every score equal to it from both lists
    const t = j >= im.length || (i < g.length && g[i]! >= im[j]!) ? g[i]! : im[j]!;
    while (i < g.length && g[i] === t) i++;
    while (j < im.length && im[j] === t) j++;
    out.push({ threshold: t, fmr: j / im.length, tar: i / g.length });
  }
  return out;
}

/**
 * The smallest threshold t with (impostor scores >= t) / N <= fmr. With the scores sorted
 * descending s[0] >= s[1] >= ..., that is the double just above s[k], k = floor(fmr·N): the top
 * k scores may pass, s[k] and everything tied with it may not (so with ties fewer than k pass).
 *
 * When fmr·N < 1 no impostor may pass and t is just above the highest impostor score: the FMR
 * measured there is 0, but N impostors cannot show a rate below about 1/N (with none seen, the
 * 95% upper bound is about 3/N), so the threshold is only as good as the sample size. fmr >= 1
 * gives -Infinity (accept everything).
 */
export function thresholdAtFmr(impostor: number[], fmr: number): number {
  check(impostor, 'thresholdAtFmr impostor');
  if (!(fmr >= 0)) throw new RangeError(`thresholdAtFmr: fmr must be >= 0, got ${fmr}`);
  const s = desc(impostor);
  // the epsilon keeps 0.01·1000 from flooring to 9 through rounding
  const allowed = Math.floor(fmr * s.length + 1e-9);
  return allowed >= s.length ? -Infinity : nextUp(s[allowed]!);
}

/** TAR at the threshold `thresholdAtFmr(impostor, fmr)` (same sample-size caveat). */
export function tarAtFmr(genuine: number[], impostor: number[], fmr: number): { tar: number; threshold: number } {
  check(genuine, 'tarAtFmr genuine');
  const threshold = thresholdAtFmr(impostor, fmr);
  let accepted = 0;
  for (const s of genuine) if (s >= threshold) accepted++;
  return { tar: accepted / genuine.length, threshold };
}

/**
 * Where the false non-match rate (1 - TAR) meets the FMR. Both are step functions of the
 * threshold, so the crossing is found on the ROC polyline: between the last point with
 * FMR < FNMR and the first with FMR >= FNMR, linearly (a segment across a group of tied genuine
 * and impostor scores is what a random tie-break would give). `threshold` is that first point's
 * threshold, where FMR has just caught up with FNMR.
 */
export function equalErrorRate(genuine: number[], impostor: number[]): { eer: number; threshold: number } {
  const roc = rocCurve(genuine, impostor);
  let prevFmr = 0, prevFnmr = 1;
  for (const p of roc) {
    const fnmr = 1 - p.tar;
    if (p.fmr >= fnmr) {
      const d0 = prevFnmr - prevFmr, d1 = fnmr - p.fmr; // d0 > 0 >= d1
      const u = d0 / (d0 - d1);
      return { eer: prevFmr + u * (p.fmr - prevFmr), threshold: p.threshold };
    }
    prevFmr = p.fmr; prevFnmr = fnmr;
  }
  return { eer: 0, threshold: roc.at(-1)!.threshold }; // not reached: the last point has FMR 1, FNMR 0
}

/** A scored pair; score null = no comparison (no face found), a non-match decision. */
export interface ScoredPair { fold: number; same: boolean; score: number | null }

interface Sweep { same: boolean; score: number }

/**
 * The accuracy-maximising threshold over `sorted` (scores descending) plus `nullSame` /
 * `nullDifferent` unscored pairs, which are always rejected. The threshold is put midway
 * between the last accepted and the first rejected score; on equal accuracy the higher
 * threshold (fewer false matches) wins.
 */
function sweep(sorted: Sweep[], nullSame: number, nullDifferent: number): { threshold: number; accuracy: number } {
  const total = sorted.length + nullSame + nullDifferent;
  let correct = nullDifferent;
  for (const p of sorted) if (!p.same) correct++; // threshold above everything: every different pair right
  let best = { threshold: sorted.length ? nextUp(sorted[0]!.score) : Infinity, correct };
  for (let i = 0; i < sorted.length;) {
    const t = sorted[i]!.score;
    for (; i < sorted.length && sorted[i]!.score === t; i++) correct += sorted[i]!.same ? 1 : -1;
    if (correct > best.correct) {
      const next = sorted[i]?.score;
      best = { threshold: next === undefined || !Number.isFinite(next) || !Number.isFinite(t) ? t : (t + next) / 2, correct };
    }
  }
  return { threshold: best.threshold, accuracy: best.correct / total };
}

function prepare(pairs: ScoredPair[]): (Sweep & { fold: number })[] {
  if (pairs.some((p) => p.score !== null && Number.isNaN(p.score))) throw new RangeError('NaN score');
  return pairs.filter((p): p is ScoredPair & { score: number } => p.score !== null).sort((a, b) => b.score - a.score);
}

const countNull = (pairs: ScoredPair[], same: boolean) => pairs.filter((p) => p.score === null && p.same === same).length;

/** The best threshold on `pairs` themselves and its accuracy (optimistic: fitted on what it is scored on). */
export function bestThreshold(pairs: ScoredPair[]): { threshold: number; accuracy: number } {
  if (pairs.length === 0) throw new RangeError('bestThreshold: no pairs');
  return sweep(prepare(pairs), countNull(pairs, true), countNull(pairs, false));
}

export interface FoldAccuracy { fold: number; accuracy: number; threshold: number }
export interface KFoldResult { mean: number; std: number; protocol: 'k-fold' | 'best-threshold-on-set'; perFold: FoldAccuracy[] }

/**
 * Accuracy by the LFW protocol: for each fold, the accuracy-maximising threshold of all the
 * OTHER folds is applied to that fold; `mean` and `std` (population std, as LFW results
 * report it) are over the folds. A pair with score null (no face found) is a non-match
 * decision: wrong for a same-person pair, right for a different-person pair, and it stays in
 * the denominator, so detector failures cost accuracy instead of vanishing.
 *
 * With a single fold there is nothing to hold out: the best threshold on the set itself is
 * used, `protocol` says 'best-threshold-on-set', and the accuracy is optimistic.
 * O(n log n + folds·n): one sort, one sweep per fold.
 */
export function kFoldAccuracy(pairs: ScoredPair[]): KFoldResult {
  if (pairs.length === 0) throw new RangeError('kFoldAccuracy: no pairs');
  const folds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  const sorted = prepare(pairs);
  const decide = (p: ScoredPair, t: number) => (p.score !== null && p.score >= t) === p.same;
  let perFold: FoldAccuracy[];
  if (folds.length === 1) {
    const { threshold, accuracy } = sweep(sorted, countNull(pairs, true), countNull(pairs, false));
    perFold = [{ fold: folds[0]!, accuracy, threshold }];
  } else {
    perFold = folds.map((fold) => {
      const others = pairs.filter((p) => p.fold !== fold);
      const { threshold } = sweep(sorted.filter((p) => p.fold !== fold), countNull(others, true), countNull(others, false));
      const test = pairs.filter((p) => p.fold === fold);
      return { fold, accuracy: test.filter((p) => decide(p, threshold)).length / test.length, threshold };
    });
  }
  const mean = perFold.reduce((s, f) => s + f.accuracy, 0) / perFold.length;
  const std = Math.sqrt(perFold.reduce((s, f) => s + (f.accuracy - mean) ** 2, 0) / perFold.length);
  return { mean, std, protocol: folds.length === 1 ? 'best-threshold-on-set' : 'k-fold', perFold };
}

/** Quantile by linear interpolation between order statistics (q 0.5: median, 0.95: p95); NaN for no values. */
export function quantile(values: number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

