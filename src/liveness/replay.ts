/**
 * Replay detection: has this upload (or a part of it) been seen in an earlier session?
 * Pure. Three fingerprints per frame:
 * - the SHA-256 of its bytes: a verbatim replay;
 * - a 64-bit difference hash, split into four 16-bit bands: a cheap index to find earlier
 *   sessions with similar-looking frames (same kiosk, same background);
 * - a 32x24 grey thumbnail, normalised to zero mean and unit spread: the confirmation.
 *
 * Why the thumbnail: a person who keeps still in front of the same camera gives frames whose
 * difference hashes are within 1-2 bits of each other minutes apart, so the hash alone would
 * call every genuine retry a replay. Measured on the real clips in ../shared/data: a
 * re-encoded copy of a frame (resized, JPEG quality 50) differs from the original by 0.3 units
 * (mean absolute difference of the normalised thumbnails), while frames of the same still
 * person at other moments differ by 1.7 or more.
 */

/** Mean absolute difference, in these units, below which a frame is a copy of another. */
export const copyMaxDifference = 0.8;
/** A session is a replay when this many of its frames (or this share of them) copy one earlier session's. */
export const replayMinFrames = 5;
export const replayMinShare = 0.3;

const SCALE = 50;

/** The thumbnail brought to zero mean and a spread of 50 grey levels, as bytes (centred at 128). */
export function fingerprint(thumb: Float32Array): Uint8Array {
  const mean = thumb.reduce((a, b) => a + b, 0) / thumb.length;
  const sd = Math.sqrt(thumb.reduce((a, b) => a + (b - mean) ** 2, 0) / thumb.length) || 1;
  return Uint8Array.from(thumb, (v) => Math.max(0, Math.min(255, Math.round(128 + ((v - mean) / sd) * SCALE))));
}

export function difference(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/** The four bands of a 64-bit hex difference hash, tagged with their position (band << 16 | value). */
export function hashBands(dhashHex: string): number[] {
  return [0, 1, 2, 3].map((b) => (b << 16) | Number.parseInt(dhashHex.slice(b * 4, b * 4 + 4), 16));
}

/** How many of `frames` are copies of some frame in `earlier`. */
export function copiedFrames(frames: Uint8Array[], earlier: Uint8Array[]): number {
  return frames.filter((f) => earlier.some((e) => e.length === f.length && difference(f, e) < copyMaxDifference)).length;
}

export function isReplay(copied: number, frames: number): boolean {
  return copied >= replayMinFrames || (frames > 0 && copied / frames >= replayMinShare && copied >= 2);
}

/** Thumbnails packed into one buffer (all the same length) and back, for storage. */
export function packFingerprints(fps: Uint8Array[]): Buffer {
  return Buffer.concat(fps.map((f) => Buffer.from(f.buffer, f.byteOffset, f.length)));
}

export function unpackFingerprints(buf: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o + size <= buf.length; o += size) out.push(buf.subarray(o, o + size));
  return out;
}
