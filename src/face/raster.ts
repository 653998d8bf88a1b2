/**
 * Pixel operations the models need and sharp does not offer on raw buffers: an affine warp
 * with bilinear sampling (face alignment), a box crop resampled to a model's input (landmarks,
 * eyes), and conversion of RGB pixels into normalised planar tensors.
 * Downscaling by large factors is left to sharp (`resizeRgb`), which filters properly.
 */
import sharp from 'sharp';
import type { RgbImage } from './image.ts';

/** Row-major 2x3 affine matrix [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = [number, number, number, number, number, number];

export interface Box { x: number; y: number; width: number; height: number }

export function invertAffine([a, b, c, d, e, f]: Affine): Affine {
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('singular transform');
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

/** Sample `img` (`n` channels) at (x, y) bilinearly into out[o..o+n-1]; outside the image is black. */
function sample(img: RgbImage, n: number, x: number, y: number, out: Uint8Array, o: number): void {
  const { width: w, height: h, data } = img;
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
    // inside: the same sums in the same order as below, without the bounds checks (a third of
    // the liveness analysis's time went here)
    const i00 = (y0 * w + x0) * n, i10 = i00 + w * n;
    const gy = 1 - fy, gx = 1 - fx;
    for (let c = 0; c < n; c++) {
      out[o + c] = Math.round(0 + data[i00 + c]! * gy * gx + data[i00 + n + c]! * gy * fx + data[i10 + c]! * fy * gx + data[i10 + n + c]! * fy * fx);
    }
    return;
  }
  for (let c = 0; c < n; c++) {
    let acc = 0;
    for (let dy = 0; dy <= 1; dy++) {
      const yy = y0 + dy;
      if (yy < 0 || yy >= h) continue;
      const wy = dy ? fy : 1 - fy;
      for (let dx = 0; dx <= 1; dx++) {
        const xx = x0 + dx;
        if (xx < 0 || xx >= w) continue;
        acc += data[(yy * w + xx) * n + c]! * wy * (dx ? fx : 1 - fx);
      }
    }
    out[o + c] = Math.round(acc);
  }
}

/** The image seen through `toSource` (output pixel → source pixel), `width`×`height` pixels, as many channels as `img`. */
export function warpAffine(img: RgbImage, toSource: Affine, width: number, height: number): RgbImage {
  const [a, b, c, d, e, f] = toSource;
  const n = img.channels ?? 3;
  const data = new Uint8Array(width * height * n);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) sample(img, n, a * u + b * v + c, d * u + e * v + f, data, (v * width + u) * n);
  }
  return img.channels ? { data, width, height, channels: img.channels } : { data, width, height };
}

/** `box` of `img` resampled to `width`×`height`. */
export function cropResize(img: RgbImage, box: Box, width: number, height: number): RgbImage {
  const sx = box.width / width, sy = box.height / height;
  return warpAffine(img, [sx, 0, box.x + (sx - 1) / 2, 0, sy, box.y + (sy - 1) / 2], width, height);
}

/** Luma (BT.601) of each pixel, 0-255 (a grey image's own values). */
export function toGray(img: RgbImage): Float32Array {
  if (img.channels === 1) return Float32Array.from(img.data);
  const out = new Float32Array(img.width * img.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = 0.299 * img.data[j]! + 0.587 * img.data[j + 1]! + 0.114 * img.data[j + 2]!;
  }
  return out;
}

export interface TensorLayout {
  /** Channel order the model was trained on. */
  order: 'rgb' | 'bgr';
  mean: number;
  scale: number;
}

/** NCHW float tensor data: (pixel − mean) · scale, channels in the model's order. */
export function toPlanar(img: RgbImage, { order, mean, scale }: TensorLayout, flip = false): Float32Array {
  if (img.channels === 1) throw new Error('a colour model was given a grey image');
  const n = img.width * img.height, src = img.data;
  const out = new Float32Array(n * 3);
  const channel = order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  if (!flip) { // one plane at a time, a plain loop (3x faster than the general one below)
    for (let c = 0; c < 3; c++) {
      for (let i = 0, j = channel[c]!, o = c * n; i < n; i++, j += 3) out[o + i] = (src[j]! - mean) * scale;
    }
    return out;
  }
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + img.width - 1 - x) * 3;
      const dst = y * img.width + x;
      for (let c = 0; c < 3; c++) out[c * n + dst] = (src[s + channel[c]!]! - mean) * scale;
    }
  }
  return out;
}

/** Resize with sharp's filtering (for large downscales, where bilinear sampling aliases). */
export async function resizeRgb(img: RgbImage, width: number, height: number): Promise<RgbImage> {
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels ?? 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .toColourspace(img.channels === 1 ? 'b-w' : 'srgb') // sharp would turn one channel into three
    .raw()
    .toBuffer();
  const out = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return img.channels ? { data: out, width, height, channels: img.channels } : { data: out, width, height };
}

/** The image turned clockwise by `quarterTurns` × 90°. */
export function rotateQuarter(img: RgbImage, quarterTurns: 0 | 1 | 2 | 3): RgbImage {
  if (quarterTurns === 0) return img;
  const { width: w, height: h } = img;
  const [ow, oh] = quarterTurns === 2 ? [w, h] : [h, w];
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [u, v] = quarterTurns === 1 ? [h - 1 - y, x] : quarterTurns === 2 ? [w - 1 - x, h - 1 - y] : [y, w - 1 - x];
      const s = (y * w + x) * 3, d = (v * ow + u) * 3;
      data[d] = img.data[s]!; data[d + 1] = img.data[s + 1]!; data[d + 2] = img.data[s + 2]!;
    }
  }
  return { data, width: ow, height: oh };
}
