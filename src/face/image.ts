/**
 * Decoding an uploaded photo into raw RGB pixels, the only form the rest of the engine sees.
 * Limits on bytes and megapixels are checked before any pixel is decoded, EXIF orientation is
 * applied, and anything that is not an image is refused with `face.image_invalid`.
 * JPEG, PNG and WebP go through sharp (libvips); BMP, which the chip readers of ID cards
 * produce and libvips does not read, through bmp-ts.
 */
import sharp, { type Metadata } from 'sharp';
import { decode as decodeBmp } from 'bmp-ts';
import { DomainError } from '../errors/errors.ts';

/** Interleaved 8-bit RGB, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1: a grey image (liveness reads tracked frames in grey, half the decoding); absent: RGB. */
  channels?: 1;
}

export interface DecodeLimits {
  /** Largest accepted upload in bytes. */
  maxBytes: number;
  /** Largest accepted image in pixels (width × height). */
  maxPixels: number;
}

export const defaultDecodeLimits: DecodeLimits = { maxBytes: 8 * 1024 * 1024, maxPixels: 24_000_000 };

const isBmp = (b: Uint8Array) => b.length > 26 && b[0] === 0x42 && b[1] === 0x4d;

export async function decodeImage(input: Uint8Array, limits: DecodeLimits = defaultDecodeLimits): Promise<RgbImage> {
  if (input.length === 0) throw new DomainError('face.image_invalid', 'The image is empty');
  if (input.length > limits.maxBytes) {
    throw new DomainError('face.image_too_large', `The image has ${input.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.length);
  return isBmp(buffer) ? decodeBmpImage(buffer, limits) : decodeWithSharp(buffer, limits);
}

async function decodeWithSharp(buffer: Buffer, limits: DecodeLimits): Promise<RgbImage> {
  let meta: Metadata;
  try {
    meta = await sharp(buffer, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('face.image_invalid');
  }
  if (!meta.width || !meta.height || !['jpeg', 'png', 'webp'].includes(meta.format ?? '')) {
    throw new DomainError('face.image_invalid', `Unsupported image format: ${meta.format ?? 'unknown'}`);
  }
  checkPixels(meta.width, meta.height, limits);
  try {
    const { data, info } = await sharp(buffer, { limitInputPixels: limits.maxPixels, failOn: 'error' })
      .rotate() // EXIF orientation
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    throw new DomainError('face.image_invalid', 'The image data is damaged or truncated');
  }
}

function decodeBmpImage(buffer: Buffer, limits: DecodeLimits): RgbImage {
  const width = Math.abs(buffer.readInt32LE(18));
  const height = Math.abs(buffer.readInt32LE(22));
  if (!width || !height) throw new DomainError('face.image_invalid', 'The BMP header has no size');
  checkPixels(width, height, limits);
  let rgba: Buffer;
  try {
    rgba = decodeBmp(buffer, { toRGBA: true }).data;
  } catch {
    throw new DomainError('face.image_invalid', 'The BMP data is damaged or uses an unsupported encoding');
  }
  if (rgba.length < width * height * 4) throw new DomainError('face.image_invalid', 'The BMP data is truncated');
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i]!;
    data[j + 1] = rgba[i + 1]!;
    data[j + 2] = rgba[i + 2]!;
  }
  return { data, width, height };
}

function checkPixels(width: number, height: number, limits: DecodeLimits): void {
  if (width * height > limits.maxPixels) {
    throw new DomainError('face.image_too_large', `The image has ${width}x${height} pixels; the limit is ${limits.maxPixels}`);
  }
}
