/**
 * Verification metrics over similarity scores (higher = more alike; match iff score ≥ t):
 * ROC points, the threshold for a false-match rate, TAR at an FMR, the equal error rate, and
 * accuracy by the LFW protocol (threshold chosen on the other folds, applied to each fold).
 */

export interface RocPoint { threshold: number; fmr: number; tar: number }

const desc = (xs: number[]) => [...xs].sort((a, b) => b - a);

/** One point per distinct score, thresholds descending (FMR and TAR ascending). */
export function rocCurve(genuine: number[], impostor: number[]): RocPoint[] {
  const all = [...genuine.map((s) => [s, 1] as const), ...impostor.map((s) => [s, 0] as const)].sort((a, b) => b[0] - a[0]);
  const out: RocPoint[] = [];
  let g = 0, im = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i]![1]) g++; else im++;
    if (i + 1 < all.length && all[i + 1]![0] === all[i]![0]) continue; // ties: one point after the whole group
    out.push({ threshold: all[i]![0], fmr: im / impostor.length, tar: g / genuine.length });
  }
  return out;
}

/**
 * The lowest threshold at which at most `fmr` of the impostor scores are accepted. When
 * fmr·N < 1 no impostor may pass: the threshold is then just above the highest impostor
 * score, and the real FMR there is only known to be below about 1/N.
 */
export function thresholdAtFmr(impostor: number[], fmr: number): number {
  const s = desc(impostor);
  const allowed = Math.floor(fmr * s.length + 1e-9);
  if (allowed >= s.length) return -Infinity;
  // accept the top `allowed` scores but not the next one (nor anything tied with it)
  return nextUp(s[allowed]!);
}

const nextUp = (x: number) => x + Math.max(Math.abs(x) * 1e-12, 1e-12);

export function tarAtFmr(genuine: number[], impostor: number[], fmr: number): { tar: number; threshold: number } {
  const threshold = thresholdAtFmr(impostor, fmr);
  return { tar: genuine.filter((s) => s >= threshold).length / genuine.length, threshold };
}

/** Where false non-match and false match rates cross, interpolated between ROC points. */
export function equalErrorRate(genuine: number[], impostor: number[]): { eer: number; threshold: number } {
  const roc = rocCurve(genuine, impostor);
  let prev = { threshold: Infinity, fmr: 0, fnmr: 1 };
  for (const p of roc) {
    const cur = { threshold: p.threshold, fmr: p.fmr, fnmr: 1 - p.tar };
    if (cur.fmr >= cur.fnmr) {
      const d0 = prev.fnmr - prev.fmr, d1 = cur.fnmr - cur.fmr;
      const t = d0 - d1 === 0 ? 0 : d0 / (d0 - d1);
      return { eer: prev.fmr + t * (cur.fmr - prev.fmr), threshold: Number.isFinite(prev.threshold) ? prev.threshold + t * (cur.threshold - prev.threshold) : cur.threshold };
    }
    prev = cur;
  }
  return { eer: 0, threshold: roc.at(-1)?.threshold ?? 0 };
}

export interface ScoredPair { fold: number; same: boolean; score: number | null }

/** The threshold with the best accuracy on `pairs` (failed pairs count as non-matches), and that accuracy. */
export function bestThreshold(pairs: ScoredPair[]): { threshold: number; accuracy: number } {
  const scored = pairs.filter((p) => p.score !== null) as { same: boolean; score: number }[];
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  // threshold above everything: all rejected → correct = all different pairs
  let correct = pairs.filter((p) => !p.same).length;
  let best = { threshold: nextUp(sorted[0]?.score ?? 0), correct };
  for (let i = 0; i < sorted.length; i++) {
    correct += sorted[i]!.same ? 1 : -1;
    if (i + 1 < sorted.length && sorted[i + 1]!.score === sorted[i]!.score) continue;
    const next = sorted[i + 1]?.score;
    if (correct > best.correct) best = { threshold: next === undefined ? sorted[i]!.score : (sorted[i]!.score + next) / 2, correct };
  }
  return { threshold: best.threshold, accuracy: best.correct / pairs.length };
}

/**
 * LFW protocol: for each fold, the accuracy-maximising threshold of the other folds applied to
 * it. A pair without a score (no face found) is a non-match decision: wrong if the pair is
 * the same person, right if not. With one fold: the best threshold on the set itself.
 */
export function kFoldAccuracy(pairs: ScoredPair[]): { mean: number; std: number; protocol: 'k-fold' | 'best-threshold-on-set'; perFold: { fold: number; accuracy: number; threshold: number }[] } {
  const folds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  if (folds.length < 2) {
    const b = bestThreshold(pairs);
    return { mean: b.accuracy, std: 0, protocol: 'best-threshold-on-set', perFold: [{ fold: folds[0] ?? 1, accuracy: b.accuracy, threshold: b.threshold }] };
  }
  const perFold = folds.map((fold) => {
    const { threshold } = bestThreshold(pairs.filter((p) => p.fold !== fold));
    const test = pairs.filter((p) => p.fold === fold);
    const right = test.filter((p) => (p.score !== null && p.score >= threshold) === p.same).length;
    return { fold, accuracy: right / test.length, threshold };
  });
  const mean = perFold.reduce((s, f) => s + f.accuracy, 0) / perFold.length;
  const std = Math.sqrt(perFold.reduce((s, f) => s + (f.accuracy - mean) ** 2, 0) / perFold.length);
  return { mean, std, protocol: 'k-fold', perFold };
}

/** Quantile by linear interpolation (q = 0.5: median, 0.95: p95). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
