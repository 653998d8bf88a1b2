/**
 * What one frame of a liveness upload shows, measured with the face engine's models: how many
 * faces, where the face is, its 68 landmarks, head pose, eye and mouth state, plus the
 * fingerprints the sequence checks need (a small grey thumbnail for scene cuts, a perceptual
 * hash and a SHA-256 for replays). The actions and attacks are judged later, on the series.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { chooseFace, type FaceModels } from '../face/analyze.ts';
import { detectFaces, type Detection } from '../face/detect.ts';
import { eyesOpen } from '../face/eyes.ts';
import { DomainError } from '../errors/errors.ts';
import type { RgbImage } from '../face/image.ts';
import { detectLandmarks, fivePoints, type Point } from '../face/landmarks.ts';
import { mouthOpening, poseFromPoints } from '../face/quality.ts';
import { resizeRgb, type Box } from '../face/raster.ts';
import { frameLimits } from './liveness.ts';

export interface FrameSignals {
  index: number;
  t: number;
  width: number;
  height: number;
  /** Faces the detector found (at the frame's confidence floor). */
  faces: number;
  /** A second face, found surely, at least 40% as wide as the chosen one (someone close by). */
  crowded: boolean;
  box?: Detection;
  /** 68 landmarks in frame pixels. */
  landmarks?: Point[];
  yawDeg?: number;
  pitchDeg?: number;
  /** Roll of the eye line, degrees. */
  rollDeg?: number;
  /** Probability that each eye is open (left, right as seen). */
  eyes?: [number, number];
  mouth?: number;
  /** Eye aspect ratio from the landmarks (lid gap over eye width, both eyes averaged): drops by a third in a blink. */
  ear?: number;
  /** 32x24 grey thumbnail of the whole frame (area means): scene cuts, and replay fingerprints. */
  thumb: Float32Array;
  /** 64-bit difference hash of the whole frame, hex. */
  dhash: string;
  sha256: string;
}

export interface DecodedFrame { img: RgbImage; signals: FrameSignals }

/** Detector confidence floor for frames of a live capture (the face engine uses 0.7 for photos). */
const minScore = 0.6;
const secondFaceRatio = 0.4;
/** A second face counts only when found this surely (insets, posters and reflections score lower). */
const secondFaceMinScore = 0.8;
/** Landmarks are read on a copy where the face is at most this wide (as the face engine does). */
const maxFaceWidth = 224;

/** Decodes one frame to RGB, refusing what is not an image or is too large. */
export async function decodeFrame(bytes: Uint8Array, index: number): Promise<RgbImage> {
  if (bytes.length === 0 || bytes.length > frameLimits.maxFrameBytes) {
    throw new DomainError('liveness.frames_invalid', `Frame ${index} has ${bytes.length} bytes; 1 to ${frameLimits.maxFrameBytes} are accepted`);
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: frameLimits.maxFramePixels, failOn: 'error' })
      .rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    throw new DomainError('liveness.frames_invalid', `Frame ${index} is not a JPEG, PNG or WebP image of at most ${frameLimits.maxFramePixels} pixels`);
  }
}

/** Mean grey of `img` over a `w`x`h` grid of cells. */
export function greyGrid(img: RgbImage, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const counts = new Uint32Array(w * h);
  const { data, width, height } = img;
  for (let y = 0; y < height; y++) {
    const cy = Math.min(h - 1, Math.floor((y * h) / height));
    for (let x = 0; x < width; x++) {
      const cx = Math.min(w - 1, Math.floor((x * w) / width));
      const i = (y * width + x) * 3;
      out[cy * w + cx]! += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      counts[cy * w + cx]!++;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / Math.max(1, counts[i]!);
  return out;
}

/** Difference hash: 8 rows of 9 grey cells, one bit per horizontal neighbour pair (64 bits, hex). */
export function differenceHash(img: RgbImage): string {
  const g = greyGrid(img, 9, 8);
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) byte = (byte << 1) | (g[row * 9 + col]! > g[row * 9 + col + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

export async function frameSignals(models: FaceModels, img: RgbImage, bytes: Uint8Array, index: number, t: number): Promise<FrameSignals> {
  const base: FrameSignals = {
    index, t, width: img.width, height: img.height, faces: 0, crowded: false,
    thumb: greyGrid(img, 32, 24), dhash: differenceHash(img), sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const faces = await detectFaces(models.detector, img, { minScore, nmsIou: 0.4 });
  if (faces.length === 0) return base;
  const chosen = chooseFace(faces, img);
  let src = img, box: Box = chosen;
  if (box.width > maxFaceWidth) {
    const k = maxFaceWidth / box.width;
    src = await resizeRgb(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k)));
    box = { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k };
  }
  const local = await detectLandmarks(models.landmarks, src, box);
  const eyes = await eyesOpen(models.eyes, src, local);
  const scale = img.width / src.width;
  const landmarks = local.map(([x, y]): Point => [x * scale, y * scale]);
  const five = fivePoints(landmarks);
  const { yawDeg, pitchDeg } = poseFromPoints(five);
  const rollDeg = (Math.atan2(five[1]![1] - five[0]![1], five[1]![0] - five[0]![0]) * 180) / Math.PI;
  return {
    ...base, faces: faces.length, box: chosen,
    crowded: faces.some((f) => f !== chosen && f.score >= secondFaceMinScore && f.width >= chosen.width * secondFaceRatio),
    landmarks, yawDeg, pitchDeg, rollDeg, eyes, mouth: mouthOpening(landmarks), ear: eyeAspectRatio(landmarks),
  };
}

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Eye aspect ratio (Soukupová and Čech 2016) of the 68 landmarks, mean of both eyes. */
export function eyeAspectRatio(p: Point[]): number {
  const eye = (c0: number) => (dist(p[c0 + 1]!, p[c0 + 5]!) + dist(p[c0 + 2]!, p[c0 + 4]!)) / (2 * (dist(p[c0]!, p[c0 + 3]!) || 1));
  return (eye(36) + eye(42)) / 2;
}
