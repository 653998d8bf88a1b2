/**
 * Embedding and comparison: the aligned face through the recognition network into a
 * unit-length vector; two faces compare by cosine similarity (higher = more alike).
 */
import type ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { runModel } from './models.ts';
import { toPlanar, type TensorLayout } from './raster.ts';

export interface EmbedderConfig {
  layout: TensorLayout;
  /** Also embed the mirrored face and average the two (test-time augmentation). */
  flip: boolean;
}

/**
 * Measured on LFW: this InsightFace-style model expects BGR input (OpenCV's order); RGB costs
 * about 0.6 points of accuracy (../shared/notes/face-models.md).
 */
export const defaultEmbedderConfig: EmbedderConfig = { layout: { order: 'bgr', mean: 127.5, scale: 1 / 128 }, flip: false };

export async function embedFace(session: ort.InferenceSession, aligned: RgbImage, cfg: EmbedderConfig): Promise<Float32Array> {
  const dims = [1, 3, aligned.height, aligned.width];
  const v = Float32Array.from((await runModel(session, toPlanar(aligned, cfg.layout), dims)).output!);
  if (cfg.flip) {
    const m = (await runModel(session, toPlanar(aligned, cfg.layout, true), dims)).output!;
    for (let i = 0; i < v.length; i++) v[i] = v[i]! + m[i]!;
  }
  return normalize(v);
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`embedding sizes differ: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
