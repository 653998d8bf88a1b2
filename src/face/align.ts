/**
 * Alignment: the similarity transform (rotation, uniform scale, translation) that maps the
 * five detected points onto the ArcFace 112x112 template in the least-squares sense
 * (Umeyama 1991), and the aligned crop the embedder reads.
 */
import type { RgbImage } from './image.ts';
import type { Point } from './landmarks.ts';
import { invertAffine, warpAffine, type Affine } from './raster.ts';

/** Where the eyes, nose tip and mouth corners sit in a 112x112 ArcFace input. */
export const arcfaceTemplate: Point[] = [
  [38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041],
];

export const alignedSize = 112;

/** Least-squares similarity transform taking `src` points onto `dst` points. */
export function similarityTransform(src: Point[], dst: Point[]): Affine {
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) { sx += src[i]![0]; sy += src[i]![1]; dx += dst[i]![0]; dy += dst[i]![1]; }
  sx /= n; sy /= n; dx /= n; dy /= n;
  // For 2-D similarity the Umeyama solution reduces to: a = Σ(s·d)/Σ|s|², b = Σ(s×d)/Σ|s|²
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const ux = src[i]![0] - sx, uy = src[i]![1] - sy;
    const vx = dst[i]![0] - dx, vy = dst[i]![1] - dy;
    dot += ux * vx + uy * vy;
    cross += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  if (norm === 0) throw new Error('degenerate landmarks');
  const a = dot / norm, b = cross / norm;
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

/** The face cut out and rotated so its five points land on the template. */
export function alignFace(img: RgbImage, points: Point[]): RgbImage {
  const toTemplate = similarityTransform(points, arcfaceTemplate);
  return warpAffine(img, invertAffine(toTemplate), alignedSize, alignedSize);
}

/**
 * How far the five points are from a face shape: RMS distance, in template pixels (of 112),
 * between the template and the points mapped onto it. Upright faces stay within a few pixels;
 * landmarks read off a face lying sideways scatter far more.
 */
export function templateResidual(points: Point[]): number {
  const [a, b, c, d, e, f] = similarityTransform(points, arcfaceTemplate);
  let sum = 0;
  points.forEach(([x, y], i) => { sum += (a * x + b * y + c - arcfaceTemplate[i]![0]) ** 2 + (d * x + e * y + f - arcfaceTemplate[i]![1]) ** 2; });
  return Math.sqrt(sum / points.length);
}
