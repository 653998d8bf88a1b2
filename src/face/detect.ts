/**
 * Face detection: the image letterboxed into the detector's 320x240 input, candidate boxes
 * above a confidence, then non-maximum suppression. Boxes come back in source pixels,
 * most confident first.
 */
import type ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { runModel } from './models.ts';
import { resizeRgb, toPlanar, type Box } from './raster.ts';

export interface Detection extends Box { score: number }

/** The detector's input: an image that fits inside it is analysed without resampling. */
export const inputWidth = 320;
export const inputHeight = 240;

export interface DetectOptions {
  /** Candidates below this confidence are dropped (0-1). */
  minScore: number;
  /** Overlap (IoU) above which the weaker of two boxes is suppressed. */
  nmsIou: number;
}

export async function detectFaces(session: ort.InferenceSession, img: RgbImage, opts: DetectOptions): Promise<Detection[]> {
  if (img.channels === 1) throw new Error('the face detector needs a colour image');
  const scale = Math.min(inputWidth / img.width, inputHeight / img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const resized = w === img.width && h === img.height ? img : await resizeRgb(img, w, h);
  const ox = Math.floor((inputWidth - w) / 2), oy = Math.floor((inputHeight - h) / 2);
  let canvas = resized.data;
  if (w !== inputWidth || h !== inputHeight) { // letterbox: grey bars around the image
    canvas = new Uint8Array(inputWidth * inputHeight * 3).fill(127);
    for (let y = 0; y < h; y++) canvas.set(resized.data.subarray(y * w * 3, (y + 1) * w * 3), ((y + oy) * inputWidth + ox) * 3);
  }
  const tensor = toPlanar({ data: canvas, width: inputWidth, height: inputHeight }, { order: 'rgb', mean: 127, scale: 1 / 128 });
  const out = await runModel(session, tensor, [1, 3, inputHeight, inputWidth]);
  const scores = out.scores!, boxes = out.boxes!;
  const candidates: Detection[] = [];
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[i * 2 + 1]!;
    if (score < opts.minScore) continue;
    const x1 = (boxes[i * 4]! * inputWidth - ox) / scale, y1 = (boxes[i * 4 + 1]! * inputHeight - oy) / scale;
    const x2 = (boxes[i * 4 + 2]! * inputWidth - ox) / scale, y2 = (boxes[i * 4 + 3]! * inputHeight - oy) / scale;
    candidates.push({ x: x1, y: y1, width: x2 - x1, height: y2 - y1, score });
  }
  return nonMaxSuppression(candidates, opts.nmsIou);
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

export function nonMaxSuppression(candidates: Detection[], maxIou: number): Detection[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const c of sorted) if (kept.every((k) => iou(k, c) <= maxIou)) kept.push(c);
  return kept;
}
