/**
 * Decoding uploaded frames, the largest cost of a liveness analysis (dozens of frames per
 * session). JPEG, what cameras and browsers send, goes through libjpeg-turbo directly
 * (@julusian/jpeg-turbo, prebuilt): about 1.6 ms for 640x480 here against about 5 ms through
 * sharp, whose pipeline set-up dominates at this size (measured side by side, 2026-11-29). PNG
 * and WebP frames, and any JPEG libjpeg-turbo refuses, go through sharp. Frames are read as
 * stored: a browser canvas writes no EXIF, so no orientation is applied.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { DomainError } from '../errors/errors.ts';
import type { RgbImage } from '../face/image.ts';
import { frameLimits } from './liveness.ts';

interface JpegTurbo {
  decompressSync(image: Buffer, out: Buffer, options: { format: number }): { data: Buffer; width: number; height: number };
  FORMAT_RGB: number;
  FORMAT_GRAY: number;
}
const turbo = createRequire(import.meta.url)('@julusian/jpeg-turbo') as JpegTurbo;

export type DecodedFrame = RgbImage & { source: { width: number; height: number } };

/** Width and height from a JPEG's start-of-frame marker, without decoding; undefined if none is found. */
export function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    }
    i += 2 + length;
  }
  return undefined;
}

/**
 * `img` shrunk by the largest whole factor (mean of each k x k block) that keeps it at least as
 * large as `fit` in one direction: 640x480 to 320x240, 1280x720 to 320x180, 400x220 unchanged
 * (a factor of 2 would halve its detail; the detector scales it itself).
 */
export function shrinkToFit(img: RgbImage, fit: { width: number; height: number }, into?: Uint8Array): RgbImage {
  const k = Math.floor(Math.max(img.width / fit.width, img.height / fit.height));
  if (k <= 1) return img;
  const n = img.channels ?? 3;
  const w = Math.floor(img.width / k), h = Math.floor(img.height / k), src = img.data, stride = img.width * n;
  const out = into && into.length >= w * h * n ? into.subarray(0, w * h * n) : new Uint8Array(w * h * n);
  const shaped = (data: Uint8Array): RgbImage => (img.channels ? { data, width: w, height: h, channels: img.channels } : { data, width: w, height: h });
  if (k === 2) { // 640x480 to 320x240, the common case: its own loops (2-3x faster than the general one)
    (n === 1 ? halveGrey : halveRgb)(src, img.width, w, h, out);
    return shaped(out);
  }
  const area = k * k, half = area >> 1;
  for (let y = 0, o = 0; y < h; y++) {
    const top = y * k * stride;
    for (let x = 0; x < w; x++) {
      const left = top + x * k * n;
      for (let c = 0; c < n; c++, o++) {
        let sum = half;
        for (let dy = 0, r = left + c; dy < k; dy++, r += stride) {
          for (let dx = 0, p = r; dx < k; dx++, p += n) sum += src[p]!;
        }
        out[o] = (sum / area) | 0;
      }
    }
  }
  return shaped(out);
}

/** 2x2 block means of a grey image (`width` the source's, `w`x`h` the result's). */
function halveGrey(src: Uint8Array, width: number, w: number, h: number, out: Uint8Array): void {
  let o = 0;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * width, b = a + width;
    for (let x = 0; x < w; x++, a += 2, b += 2) out[o++] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2;
  }
}

/** 2x2 block means of an RGB image. */
function halveRgb(src: Uint8Array, width: number, w: number, h: number, out: Uint8Array): void {
  const stride = width * 3;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * stride, b = a + stride;
    for (let x = 0; x < w; x++, a += 6, b += 6) {
      out[o++] = (src[a]! + src[a + 3]! + src[b]! + src[b + 3]! + 2) >> 2;
      out[o++] = (src[a + 1]! + src[a + 4]! + src[b + 1]! + src[b + 4]! + 2) >> 2;
      out[o++] = (src[a + 2]! + src[a + 5]! + src[b + 2]! + src[b + 5]! + 2) >> 2;
    }
  }
}

const invalid = (index: number) => new DomainError('liveness.frames_invalid', `Frame ${index} is not a JPEG, PNG or WebP image of at most ${frameLimits.maxFramePixels} pixels`);

/**
 * Decodes frames one after another into buffers it keeps (a session's frames share a size): no
 * new megabyte per frame for the garbage collector. An image it returns is valid until the next
 * call. `decode(bytes, index, fit, grey)`: one frame as RGB (or grey: the luma JPEG stores, half
 * the work), refusing what is not an image or is too large (bytes or pixels, checked before
 * decoding); with `fit`, shrunk towards that size (`shrinkToFit`: the series is measured at about
 * the detector's input size, and only frames whose face is embedded are decoded in full).
 */
export function createFrameDecoder() {
  let full = Buffer.alloc(0), small = new Uint8Array(0);
  return async function decode(bytes: Uint8Array, index: number, fit?: { width: number; height: number }, grey = false): Promise<DecodedFrame> {
    if (bytes.length === 0 || bytes.length > frameLimits.maxFrameBytes) {
      throw new DomainError('liveness.frames_invalid', `Frame ${index} has ${bytes.length} bytes; 1 to ${frameLimits.maxFrameBytes} are accepted`);
    }
    let img: RgbImage | undefined;
    const size = jpegSize(bytes);
    if (size) {
      if (size.width * size.height > frameLimits.maxFramePixels || size.width === 0 || size.height === 0) throw invalid(index);
      const need = size.width * size.height * (grey ? 1 : 3);
      if (full.length < need) full = Buffer.alloc(need);
      try {
        const d = turbo.decompressSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), full, { format: grey ? turbo.FORMAT_GRAY : turbo.FORMAT_RGB });
        const data = new Uint8Array(d.data.buffer, d.data.byteOffset, d.width * d.height * (grey ? 1 : 3));
        img = grey ? { data, width: d.width, height: d.height, channels: 1 } : { data, width: d.width, height: d.height };
      } catch {
        img = undefined; // damaged, or a variant libjpeg-turbo does not read: sharp decides
      }
    }
    if (!img) {
      try {
        const { data, info } = await sharp(bytes, { limitInputPixels: frameLimits.maxFramePixels, failOn: 'error' })
          .removeAlpha().toColourspace(grey ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
        const px = new Uint8Array(data.buffer, data.byteOffset, data.length);
        img = grey ? { data: px, width: info.width, height: info.height, channels: 1 } : { data: px, width: info.width, height: info.height };
      } catch {
        throw invalid(index);
      }
    }
    const source = { width: img.width, height: img.height };
    if (!fit) return { ...img, source };
    if (small.length < img.data.length) small = new Uint8Array(img.data.length);
    return { ...shrinkToFit(img, fit, small), source };
  };
}

/** One frame decoded on its own (its own buffers): see `createFrameDecoder`. */
export async function decodeFrame(bytes: Uint8Array, index: number, fit?: { width: number; height: number }, grey = false): Promise<DecodedFrame> {
  const d = await createFrameDecoder()(bytes, index, fit, grey);
  return d;
}
