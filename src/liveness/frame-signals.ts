/**
 * What one frame of a liveness upload shows, measured with the face engine's models: how many
 * faces, where the face is, its 68 landmarks, head pose, eye and mouth state, plus the
 * fingerprints the sequence checks need (a small grey thumbnail for scene cuts, a perceptual
 * hash and a SHA-256 for replays). The actions and attacks are judged later, on the series.
 */
import { createHash } from 'node:crypto';
import { chooseFace, readLandmarks, type FaceModels } from '../face/analyze.ts';
import { detectFaces, inputHeight, inputWidth, type Detection } from '../face/detect.ts';
import { eyesOpen } from '../face/eyes.ts';
import type { RgbImage } from '../face/image.ts';
import { fivePoints, type Point } from '../face/landmarks.ts';
import { mouthOpening, poseFromPoints } from '../face/quality.ts';
import type { Box } from '../face/raster.ts';

export interface FrameSignals {
  index: number;
  t: number;
  /** Size of the frame as uploaded, and the width it was measured at (positions below are in those pixels). */
  width: number;
  height: number;
  analysedWidth: number;
  /** Faces the detector found (at the frame's confidence floor); 1 on a tracked frame. */
  faces: number;
  /** Whether the detector ran on this frame (else the face was tracked from the previous frame). */
  detected: boolean;
  /** A second face, found surely, at least 40% as wide as the chosen one (someone close by). */
  crowded: boolean;
  box?: Detection;
  /** 68 landmarks in frame pixels. */
  landmarks?: Point[];
  yawDeg?: number;
  pitchDeg?: number;
  /** Roll of the eye line, degrees. */
  rollDeg?: number;
  /** Probability that each eye is open (left, right as seen); undefined when the face is too small to tell. */
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
/**
 * The eyes are judged only on a face at least this wide in the analysed frame (about 112 px in
 * a 640x480 frame): on smaller faces the eye crops are a few pixels and the eye model and the
 * lids' landmarks read noise (a moved photo of a 50 px face "blinked" in a test).
 */
export const eyesMinFaceWidth = 56;
/** A second face counts only when found this surely (insets, posters and reflections score lower). */
const secondFaceMinScore = 0.8;

/** Split of each source pixel (along one axis) between the one or two grid cells it overlaps. */
function axisWeights(size: number, cells: number): { cell: Uint16Array; share: Float32Array } {
  const cell = new Uint16Array(size), share = new Float32Array(size);
  for (let p = 0; p < size; p++) {
    const a = (p * cells) / size, b = ((p + 1) * cells) / size, c = Math.floor(a);
    cell[p] = Math.min(c, cells - 1);
    share[p] = Math.min(1, (Math.min(b, c + 1) - a) / (b - a)); // the rest goes to cell c + 1
  }
  return { cell, share };
}

/** How much of the axis each of its `cells` cells holds: the sum of the shares `axisWeights` gives it. */
function cellTotals({ cell, share }: { cell: Uint16Array; share: Float32Array }, cells: number): Float64Array {
  const total = new Float64Array(cells);
  for (let p = 0; p < cell.length; p++) {
    const c0 = cell[p]!, s = share[p]!;
    total[c0] = total[c0]! + s;
    if (s < 1) { const c1 = Math.min(c0 + 1, cells - 1); total[c1] = total[c1]! + 1 - s; }
  }
  return total;
}

/**
 * Mean grey of `img` over a `w`x`h` grid of cells, each pixel shared between the cells it
 * overlaps: two copies of a frame at different sizes give the same grid (replay fingerprints).
 * The shares are separable (a pixel's share of a cell is its column's share times its row's),
 * so each image row is first summed into the grid's columns, and each such row of sums is then
 * added to the one or two grid rows the image row overlaps: two multiply-adds per pixel.
 */
export function greyGrid(img: RgbImage, w: number, h: number): Float32Array {
  const { data, width, height } = img;
  if (width % w === 0 && height % h === 0) return blockMeans(img, w, h); // 320x240 into 32x24: whole blocks
  const n = img.channels ?? 3;
  const cols = axisWeights(width, w), rows = axisWeights(height, h);
  const colWeight = cellTotals(cols, w), rowWeight = cellTotals(rows, h);
  const sum = new Float64Array(w * h), line = new Float64Array(w);
  for (let y = 0, i = 0; y < height; y++) {
    line.fill(0);
    for (let x = 0; x < width; x++, i += n) {
      const v = n === 1 ? data[i]! : 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      const c0 = cols.cell[x]!, cx = cols.share[x]!;
      line[c0] = line[c0]! + v * cx;
      if (cx < 1) { const c1 = Math.min(c0 + 1, w - 1); line[c1] = line[c1]! + v * (1 - cx); }
    }
    const r0 = rows.cell[y]!, ry = rows.share[y]!, r1 = Math.min(r0 + 1, h - 1);
    for (let c = 0, o = r0 * w; c < w; c++, o++) sum[o] = sum[o]! + line[c]! * ry;
    if (ry < 1) for (let c = 0, o = r1 * w; c < w; c++, o++) sum[o] = sum[o]! + line[c]! * (1 - ry);
  }
  const out = new Float32Array(w * h);
  for (let r = 0, o = 0; r < h; r++) for (let c = 0; c < w; c++, o++) out[o] = sum[o]! / Math.max(1e-9, rowWeight[r]! * colWeight[c]!);
  return out;
}

/** greyGrid when the cells are whole blocks of pixels. */
function blockMeans(img: RgbImage, w: number, h: number): Float32Array {
  const { data, width, height } = img;
  const bw = width / w, bh = height / h;
  const out = new Float32Array(w * h);
  const grey = img.channels === 1;
  for (let y = 0, i = 0; y < height; y++) {
    const row = Math.floor(y / bh) * w;
    for (let cx = 0; cx < w; cx++) {
      let s = 0;
      if (grey) for (let k = 0; k < bw; k++, i++) s += data[i]!;
      else for (let k = 0; k < bw; k++, i += 3) s += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      out[row + cx] = out[row + cx]! + s;
    }
  }
  const n = bw * bh;
  for (let c = 0; c < out.length; c++) out[c] = out[c]! / n;
  return out;
}

/** Means of a one-channel `width`x`height` grid over a coarser `w`x`h` grid. */
function coarser(v: Float32Array, width: number, height: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h), n = new Uint16Array(w * h);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = Math.min(h - 1, Math.floor((y * h) / height)) * w + Math.min(w - 1, Math.floor((x * w) / width));
      out[c] = out[c]! + v[y * width + x]!;
      n[c]!++;
    }
  }
  return out.map((s, i) => s / Math.max(1, n[i]!));
}

/** Difference hash of a 32x24 thumbnail: 8 rows of 9 cells, one bit per horizontal neighbour pair (64 bits, hex). */
export function differenceHash(thumb: Float32Array): string {
  const g = coarser(thumb, 32, 24, 9, 8);
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) byte = (byte << 1) | (g[row * 9 + col]! > g[row * 9 + col + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** The size frames are measured at: the detector's input. */
export const analysisSize = { width: inputWidth, height: inputHeight } as const;

/**
 * One frame's measures. `img` is the frame decoded at `analysisSize`; `size` its size as
 * uploaded (frames of one session must agree). Positions (box, landmarks) are in `img` pixels.
 * With `tracked` (where the face is expected, followed from earlier frames) the detector is not
 * run: the landmarks are read there (the analysis runs the detector every few frames and
 * whenever tracking is lost).
 */
export async function frameSignals(models: FaceModels, img: RgbImage, size: { width: number; height: number }, bytes: Uint8Array, index: number, t: number,
  tracked?: Box): Promise<FrameSignals> {
  const thumb = greyGrid(img, 32, 24);
  const base: FrameSignals = {
    index, t, width: size.width, height: size.height, analysedWidth: img.width, faces: 0, detected: !tracked, crowded: false,
    thumb, dhash: differenceHash(thumb), sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  let faces: Detection[] = [], chosen: Detection;
  if (tracked) {
    chosen = { ...tracked, score: 1 };
  } else {
    faces = await detectFaces(models.detector, img, { minScore, nmsIou: 0.4 });
    if (faces.length === 0) return base;
    chosen = chooseFace(faces, img);
  }
  const { img: src, landmarks: local } = await readLandmarks(models, img, chosen);
  const eyes = chosen.width >= eyesMinFaceWidth ? await eyesOpen(models.eyes, src, local) : undefined;
  const scale = img.width / src.width;
  const landmarks = local.map(([x, y]): Point => [x * scale, y * scale]);
  const five = fivePoints(landmarks);
  const { yawDeg, pitchDeg } = poseFromPoints(five);
  const rollDeg = (Math.atan2(five[1]![1] - five[0]![1], five[1]![0] - five[0]![0]) * 180) / Math.PI;
  return {
    ...base, faces: tracked ? 1 : faces.length, box: chosen,
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
