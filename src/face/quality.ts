/**
 * Quality of one analysed face: size in pixels, sharpness, brightness, head pose and eye state,
 * each compared with the limits for its kind of photo. A live capture that fails a limit is
 * refused (the agent takes another); an ID photo cannot be retaken, so its findings are
 * reported as warnings and the match score decides.
 */
import type { Point } from './landmarks.ts';
import type { RgbImage } from './image.ts';
import { toGray } from './raster.ts';

export type PhotoKind = 'id' | 'live';

export interface QualityMeasures {
  /** Width of the detected face box in source pixels. */
  faceWidthPx: number;
  /** Distance between the eye centres in source pixels. */
  eyeDistancePx: number;
  /** Variance of the Laplacian over the aligned face (higher = sharper). */
  sharpness: number;
  /** Mean luma of the aligned face, 0-255. */
  brightness: number;
  /** Head yaw and pitch in degrees, estimated from the landmark geometry (approximate, ±10°). */
  yawDeg: number;
  pitchDeg: number;
  /** Probability that the more open eye is open: low only when both eyes look shut. */
  eyesOpen: number | undefined;
  /** Gap between the inner lips over the mouth's width (0 closed, about 0.3 and more wide open). */
  mouthOpen: number;
}

export interface QualityLimits {
  minFaceWidthPx: number;
  minSharpness: number;
  minBrightness: number;
  maxBrightness: number;
  maxAbsYawDeg: number;
  maxAbsPitchDeg: number;
  minEyesOpen: number;
}

export interface QualityFinding {
  code: 'quality.face_too_small' | 'quality.blurry' | 'quality.too_dark' | 'quality.too_bright' | 'quality.pose_yaw' | 'quality.pose_pitch' | 'quality.eyes_closed';
  /** `refuse` stops the decision (retake the photo); `warn` is reported with it. */
  severity: 'refuse' | 'warn';
  value: number;
  limit: number;
}

/**
 * Limits per kind. Live: a frontal selfie from a kiosk or phone camera. ID: chip photos are
 * about 102x126 with the face some 60 px wide, so the size floor is low and nothing refuses.
 */
export const defaultQualityLimits: Record<PhotoKind, QualityLimits> = {
  live: { minFaceWidthPx: 80, minSharpness: 35, minBrightness: 50, maxBrightness: 215, maxAbsYawDeg: 30, maxAbsPitchDeg: 25, minEyesOpen: 0.3 },
  id: { minFaceWidthPx: 40, minSharpness: 10, minBrightness: 40, maxBrightness: 235, maxAbsYawDeg: 30, maxAbsPitchDeg: 25, minEyesOpen: 0.3 },
};

export function assessQuality(m: QualityMeasures, kind: PhotoKind, limits = defaultQualityLimits[kind]): QualityFinding[] {
  const severity = kind === 'live' ? 'refuse' : 'warn';
  const out: QualityFinding[] = [];
  const low = (code: QualityFinding['code'], value: number, limit: number) => { if (value < limit) out.push({ code, severity, value, limit }); };
  const high = (code: QualityFinding['code'], value: number, limit: number) => { if (value > limit) out.push({ code, severity, value, limit }); };
  low('quality.face_too_small', m.faceWidthPx, limits.minFaceWidthPx);
  low('quality.blurry', m.sharpness, limits.minSharpness);
  low('quality.too_dark', m.brightness, limits.minBrightness);
  high('quality.too_bright', m.brightness, limits.maxBrightness);
  high('quality.pose_yaw', Math.abs(m.yawDeg), limits.maxAbsYawDeg);
  high('quality.pose_pitch', Math.abs(m.pitchDeg), limits.maxAbsPitchDeg);
  if (m.eyesOpen !== undefined) low('quality.eyes_closed', m.eyesOpen, limits.minEyesOpen);
  return out;
}

/** Sharpness and brightness over the central part of the aligned face (cheeks to chin). */
export function imageMeasures(aligned: RgbImage): { sharpness: number; brightness: number } {
  const g = toGray(aligned), w = aligned.width;
  const x0 = Math.round(w * 0.2), x1 = Math.round(w * 0.8), y0 = Math.round(aligned.height * 0.25), y1 = Math.round(aligned.height * 0.9);
  let sum = 0, n = 0, lapSum = 0, lapSq = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      sum += g[i]!;
      const lap = g[i - 1]! + g[i + 1]! + g[i - w]! + g[i + w]! - 4 * g[i]!;
      lapSum += lap; lapSq += lap * lap; n++;
    }
  }
  const lapMean = lapSum / n;
  return { sharpness: lapSq / n - lapMean * lapMean, brightness: sum / n };
}

const deg = (rad: number) => (rad * 180) / Math.PI;
/** Nose-tip depth in front of the eye plane, as a fraction of the eye distance (adult average). */
const noseDepth = 0.5;
/** In a frontal face the nose tip sits this far from the eye line towards the mouth (template). */
const frontalNoseRatio = 0.494;

/** Mouth opening from the 68 landmarks: inner-lip gap (62-66) over inner-corner distance (60-64). */
export function mouthOpening(p: Point[]): number {
  const width = Math.hypot(p[64]![0] - p[60]![0], p[64]![1] - p[60]![1]) || 1;
  return Math.hypot(p[66]![0] - p[62]![0], p[66]![1] - p[62]![1]) / width;
}

/** Yaw and pitch from the five points: how far the nose tip is off where a frontal face has it. */
export function poseFromPoints([le, re, nose, lm, rm]: Point[]): { yawDeg: number; pitchDeg: number } {
  const eyeMid: Point = [(le![0] + re![0]) / 2, (le![1] + re![1]) / 2];
  const mouthMid: Point = [(lm![0] + rm![0]) / 2, (lm![1] + rm![1]) / 2];
  const eyeDist = Math.hypot(re![0] - le![0], re![1] - le![1]) || 1;
  // work in the face's own frame: x along the eye line, y from eyes to mouth
  const ux = (re![0] - le![0]) / eyeDist, uy = (re![1] - le![1]) / eyeDist;
  const nx = nose![0] - eyeMid[0], ny = nose![1] - eyeMid[1];
  const along = nx * ux + ny * uy;
  const mouthDown = (mouthMid[0] - eyeMid[0]) * -uy + (mouthMid[1] - eyeMid[1]) * ux || 1;
  const down = nx * -uy + ny * ux;
  const yawDeg = deg(Math.atan(along / eyeDist / noseDepth));
  const pitchDeg = deg(Math.asin(Math.max(-1, Math.min(1, (frontalNoseRatio - down / mouthDown) * 2))));
  return { yawDeg, pitchDeg };
}
