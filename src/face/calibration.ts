/**
 * Calibration: the link between a similarity score and a false-match rate. `npm run calibrate`
 * scores impostor pairs (different people) from LFW and from the East-Asian set, keeps for
 * every score the higher (stricter) of the two false-match rates, and writes a versioned file
 * that pins the pipeline it was measured with. The engine refuses a calibration file made for
 * another pipeline: a threshold only means something for the model and preprocessing it came from.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const calibrationFormat = 'portrait-face-calibration/1';

export interface CalibrationSet {
  name: string;
  identities: number;
  images: number;
  impostorPairs: number;
  /** Thresholds measured on this set alone, by target FMR ("1e-2", "1e-3", "1e-4"). */
  thresholds: Record<string, number>;
  /** Same-person pairs in the set, and the share of them accepted at this set's thresholds. */
  genuinePairs: number;
  tarAtThreshold: Record<string, number | null>;
}

export interface Calibration {
  format: typeof calibrationFormat;
  /** Bumped each time the file is regenerated: recorded with every decision. */
  version: string;
  createdAt: string;
  /** Identifies the pipeline: embedder model digest and preprocessing. */
  pipeline: string;
  sets: CalibrationSet[];
  /** Stricter of the sets, by target FMR. */
  thresholds: Record<string, number>;
  /** Points (score, FMR) of the stricter false-match curve, scores ascending, FMR descending. */
  fmrCurve: [number, number][];
  /** Smallest FMR the impostor sample can support (about 10 / impostor pairs). */
  minSupportedFmr: number;
}

export const defaultCalibrationPath = path.join(import.meta.dirname, 'calibration', 'calibration.json');

export class CalibrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationError';
  }
}

export function loadCalibration(pipeline: string, file = defaultCalibrationPath): Calibration {
  let c: Calibration;
  try {
    c = JSON.parse(readFileSync(file, 'utf8')) as Calibration;
  } catch (e) {
    throw new CalibrationError(`Cannot read the face calibration ${file}: ${(e as Error).message}. Run \`npm run calibrate\`.`);
  }
  if (c.format !== calibrationFormat) throw new CalibrationError(`${file} is not a ${calibrationFormat} file`);
  if (c.pipeline !== pipeline) {
    throw new CalibrationError(`${file} was made for pipeline ${c.pipeline}, the engine runs ${pipeline}. Run \`npm run calibrate\`.`);
  }
  if (!Array.isArray(c.fmrCurve) || c.fmrCurve.length < 2) throw new CalibrationError(`${file} has no FMR curve`);
  return c;
}

/**
 * Threshold for a target FMR: read off the curve, interpolating log(FMR) linearly between
 * its points. Targets below what the sample supports are refused rather than extrapolated.
 */
export function thresholdFor(c: Calibration, targetFmr: number): number {
  if (!(targetFmr > 0 && targetFmr < 1)) throw new CalibrationError(`target FMR ${targetFmr} is not in (0, 1)`);
  if (targetFmr < c.minSupportedFmr) {
    throw new CalibrationError(`target FMR ${targetFmr} is below ${c.minSupportedFmr}, the lowest this calibration can vouch for`);
  }
  const curve = c.fmrCurve;
  for (let i = 1; i < curve.length; i++) {
    const [s0, f0] = curve[i - 1]!, [s1, f1] = curve[i]!;
    if (f1 <= targetFmr) {
      if (f0 === f1) return s1;
      const t = (Math.log(f0) - Math.log(targetFmr)) / (Math.log(f0) - Math.log(f1));
      return s0 + Math.max(0, Math.min(1, t)) * (s1 - s0);
    }
  }
  return curve[curve.length - 1]![0];
}

/** The false-match rate at `score` (fraction of impostor pairs scoring at least this high). */
export function estimatedFmrAt(c: Calibration, score: number): number {
  const curve = c.fmrCurve;
  if (score <= curve[0]![0]) return curve[0]![1];
  for (let i = 1; i < curve.length; i++) {
    const [s0, f0] = curve[i - 1]!, [s1, f1] = curve[i]!;
    if (score <= s1) {
      const t = (score - s0) / (s1 - s0 || 1);
      return Math.exp(Math.log(f0) + t * (Math.log(f1) - Math.log(f0)));
    }
  }
  return curve[curve.length - 1]![1];
}
