/**
 * Checks on the frame series as a whole, apart from the actions: plausible capture times, a
 * face in the frames, one person in view, a face that changes shape (not a photo moved around),
 * and motion without jumps (not shuffled or spliced frames). Pure.
 */
import type { Point } from '../face/landmarks.ts';
import { frameLimits, type LivenessReason } from './liveness.ts';

export const motionLimits = {
  /** Share of frames that must show a face, and the longest run without one, ms. */
  minFaceShare: 0.85,
  maxFacelessMs: 800,
  /** Frames in which a second person is close by before the session is refused. */
  maxCrowdedFrames: 2,
  /**
   * Non-rigidity: RMS residual of the best affine map from the rest frame's landmarks to a
   * frame's, over the eye distance. A photo moved, zoomed, rotated or tilted in front of the
   * camera stays near landmark jitter; a head that turns, blinks or opens its mouth does not.
   */
  staticMaxDeformation: 0.06,
  /**
   * Continuity between consecutive frames: the scene (a 32x24 grey thumbnail) changing by more
   * than this mean absolute difference (0-255) and this multiple of the session's typical
   * change, or the face centre moving faster than `maxJumpPerSecond` face widths a second.
   */
  cutMinDiff: 18, cutMedianMultiple: 4, maxJumpPerSecond: 6,
  /** An isolated spike: at least this difference and this multiple of the differences on either side. */
  spikeMinDiff: 2.5, spikeMultiple: 3,
  /**
   * Consecutive frames closer than this are one camera frame captured twice (a frame read in
   * grey and one read in colour differ by about 0.1 in these thumbnails).
   */
  repeatMaxDiff: 0.15,
  /** Cuts tolerated before the session is refused. */
  maxCuts: 0,
  /** Zig-zags (out-of-order frames): a step of more than this yaw or these face widths and straight back, and how many are tolerated. */
  zigzagYawDeg: 8, zigzagWidths: 0.12, maxZigzags: 2,
} as const;

/** Capture times: increasing, at a camera's rate, without long gaps, within the challenge's life. */
export function checkTiming(times: number[], challengeAgeMs?: number): LivenessReason[] {
  if (times.length < frameLimits.minFrames) return ['liveness.too_few_frames'];
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const span = times.at(-1)! - times[0]!;
  const fps = span > 0 ? ((times.length - 1) * 1000) / span : Infinity;
  const bad = !times.every(Number.isFinite)
    || gaps.some((g) => g < 1000 / 120 || g > frameLimits.maxGapMs)
    || fps < frameLimits.minFps || fps > frameLimits.maxFps
    || span < frameLimits.minSpanMs || span > frameLimits.maxSpanMs
    || (challengeAgeMs !== undefined && span > challengeAgeMs + 1000);
  return bad ? ['liveness.timestamps_implausible'] : [];
}

/** A face in enough frames, with no long stretch without one. */
export function checkPresence(frames: { t: number; hasFace: boolean }[]): LivenessReason[] {
  const share = frames.filter((f) => f.hasFace).length / Math.max(1, frames.length);
  let longest = 0, since: number | undefined;
  for (const [i, f] of frames.entries()) {
    if (!f.hasFace) { since ??= i > 0 ? frames[i - 1]!.t : f.t; longest = Math.max(longest, f.t - since); } else if (since !== undefined) { longest = Math.max(longest, f.t - since); since = undefined; }
  }
  return share < motionLimits.minFaceShare || longest > motionLimits.maxFacelessMs ? ['liveness.face_missing'] : [];
}

/** Least-squares affine map (6 parameters) from `a` to `b`, and its RMS residual. */
export function affineResidual(a: Point[], b: Point[]): number {
  // normal equations for x' = p0 x + p1 y + p2 (and the same for y'), solved by Cramer's rule on the 3x3 system
  let sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0;
  let bx = [0, 0, 0], by = [0, 0, 0];
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const [x, y] = a[i]!, [u, v] = b[i]!;
    sxx += x * x; sxy += x * y; syy += y * y; sx += x; sy += y;
    bx = [bx[0]! + x * u, bx[1]! + y * u, bx[2]! + u];
    by = [by[0]! + x * v, by[1]! + y * v, by[2]! + v];
  }
  const m = [[sxx, sxy, sx], [sxy, syy, sy], [sx, sy, n]] as const;
  const det3 = (c: number[][]) => c[0]![0]! * (c[1]![1]! * c[2]![2]! - c[1]![2]! * c[2]![1]!) - c[0]![1]! * (c[1]![0]! * c[2]![2]! - c[1]![2]! * c[2]![0]!) + c[0]![2]! * (c[1]![0]! * c[2]![1]! - c[1]![1]! * c[2]![0]!);
  const D = det3(m.map((r) => [...r]));
  if (Math.abs(D) < 1e-9) return Infinity;
  const solve = (rhs: number[]) => [0, 1, 2].map((k) => det3(m.map((r, i) => r.map((v, j) => (j === k ? rhs[i]! : v)))) / D);
  const px = solve(bx), py = solve(by);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = a[i]!, [u, v] = b[i]!;
    sum += (px[0]! * x + px[1]! * y + px[2]! - u) ** 2 + (py[0]! * x + py[1]! * y + py[2]! - v) ** 2;
  }
  return Math.sqrt(sum / n);
}

const eyeDistance = (p: Point[]) => Math.hypot(p[45]![0] - p[36]![0], p[45]![1] - p[36]![1]) || 1;

/**
 * How much the face changes shape over the session: for each frame, the affine residual
 * against the reference frame over the eye distance; the session's value is the 90th
 * percentile (a landmark glitch in one frame does not make a photo alive).
 */
export function deformation(landmarks: Point[][], reference: Point[]): number {
  if (landmarks.length === 0) return 0;
  const scale = eyeDistance(reference);
  const r = landmarks.map((p) => affineResidual(reference, p) / scale).sort((a, b) => a - b);
  return r[Math.min(r.length - 1, Math.floor(r.length * 0.9))]!;
}

export interface ContinuitySample { t: number; thumb: Float32Array; centre?: Point; width?: number }

const meanAbsDiff = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k]! - b[k]!);
  return s / a.length;
};

/**
 * Where the picture cuts between consecutive frames: a scene change far above the session's
 * typical change (another place, another camera), an isolated spike (a splice of one recording
 * with itself: the frames before and after change little, the cut itself a few grey levels;
 * measured on the EyeBlink8 splice in ../shared/data), or the face jumping across the frame.
 * Repeated frames (a camera slower than the capture rate) are skipped first.
 */
export function findCuts(frames: ContinuitySample[]): number[] {
  const distinct = frames.filter((f, i) => i === 0 || meanAbsDiff(f.thumb, frames[i - 1]!.thumb) >= motionLimits.repeatMaxDiff);
  const diffs = distinct.slice(1).map((f, i) => meanAbsDiff(f.thumb, distinct[i]!.thumb));
  const typical = [...diffs].sort((a, b) => a - b)[diffs.length >> 1] ?? 0;
  const cuts: number[] = [];
  for (let i = 1; i < distinct.length; i++) {
    const a = distinct[i - 1]!, b = distinct[i]!, d = diffs[i - 1]!;
    const sceneCut = d >= motionLimits.cutMinDiff && d >= motionLimits.cutMedianMultiple * Math.max(typical, 1);
    const around = Math.max(diffs[i - 2] ?? 0, diffs[i] ?? 0, 1);
    const spike = d >= motionLimits.spikeMinDiff && d >= motionLimits.spikeMultiple * around;
    const jump = a.centre && b.centre && a.width && b.width
      && Math.hypot(b.centre[0] - a.centre[0], b.centre[1] - a.centre[1]) / ((a.width + b.width) / 2) > motionLimits.maxJumpPerSecond * Math.max(b.t - a.t, 1000 / frameLimits.maxFps) / 1000;
    if (sceneCut || spike || jump) cuts.push(b.t);
  }
  return cuts;
}

/**
 * Reversals of motion from one frame to the next: yaw (degrees) or the face centre (face
 * widths) stepping one way by more than the limit and straight back. A head turns smoothly
 * over several frames; frames put out of order zig-zag.
 */
export function zigzags(samples: { yawDeg: number; centreX: number; width: number }[]): number {
  let n = 0;
  for (let i = 1; i + 1 < samples.length; i++) {
    const [a, b, c] = [samples[i - 1]!, samples[i]!, samples[i + 1]!];
    const yaw = (b.yawDeg - a.yawDeg) * (c.yawDeg - b.yawDeg) < 0 && Math.min(Math.abs(b.yawDeg - a.yawDeg), Math.abs(c.yawDeg - b.yawDeg)) > motionLimits.zigzagYawDeg;
    const w = (a.width + b.width + c.width) / 3;
    const dx1 = (b.centreX - a.centreX) / w, dx2 = (c.centreX - b.centreX) / w;
    const x = dx1 * dx2 < 0 && Math.min(Math.abs(dx1), Math.abs(dx2)) > motionLimits.zigzagWidths;
    if (yaw || x) n++;
  }
  return n;
}
