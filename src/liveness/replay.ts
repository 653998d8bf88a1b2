/**
 * Replay detection: has this upload (or a part of it) been seen in an earlier session?
 * Pure. Three fingerprints per frame:
 * - the SHA-256 of its bytes: a verbatim replay;
 * - a 64-bit difference hash: an index to earlier sessions with frames that look the same
 *   (measured on real clips: a re-encoded copy keeps 14-25 of 25 frames' hashes exactly, a
 *   moving person a moment later none, a person keeping still before the same camera many);
 * - a 32x24 grey thumbnail, normalised to zero mean and unit spread: the confirmation.
 *
 * Why the thumbnail: a person who keeps still in front of the same camera gives frames whose
 * difference hashes are within 1-2 bits of each other minutes apart, so the hash alone would
 * call every genuine retry a replay. Measured on four real clips in ../shared/data, with the
 * thumbnails the analysis makes (from frames shrunk for analysis): a copy of a frame resized to
 * 430 px wide and re-encoded at JPEG quality 65 differs from the original by 0.17-0.95 units
 * (mean absolute difference of the normalised thumbnails), frames of the same person at other
 * moments by 2.65 or more (the stillest clips).
 */

/** Mean absolute difference, in these units, below which a frame is a copy of another... */
export const copyMaxDifference = 1.5;
/** ...and below which it is a copy whatever it shows (a still face a second later differs by more). */
export const exactCopyMaxDifference = 0.55;
/** A replay: at least this many consecutive frames copying an earlier session's frames in order... */
export const replayMinRun = 5;
/** ...whose copies are exact, or whose picture changes within the run by at least this much (a face that moves). */
export const replayMinMotion = 3;
/** Frames an earlier session may skip between two copied frames (the replayer dropped frames). */
const maxStep = 3;

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

/**
 * Does `frames` replay `earlier`? True when a run of at least `replayMinRun` consecutive frames
 * copies frames of `earlier` in the same order (a few dropped frames allowed), and either the
 * copies are exact to re-encoding (`exactCopyMaxDifference`) or the picture moves within the run.
 * A person keeping still before the same camera a second time makes frames that copy the first
 * session's by the looser measure (0.56-1.4 units a second later in repeating_video.mp4, where
 * re-encoded copies differ by 0.4-0.95): a heavily re-encoded copy of a still session is left to
 * the single-use nonce, the frame digests and the random order of the actions.
 */
export function replays(frames: Uint8Array[], earlier: Uint8Array[]): boolean {
  const runFrom = (i: number, j: number, maxDiff: number) => {
    let run = 1, at = j, motion = 0;
    while (i + run < frames.length) {
      let next = -1, best = maxDiff;
      for (let k = at + 1; k <= Math.min(at + maxStep, earlier.length - 1); k++) {
        const d = difference(frames[i + run]!, earlier[k]!);
        if (d < best) { best = d; next = k; }
      }
      if (next < 0) break;
      motion = Math.max(motion, difference(frames[i]!, frames[i + run]!));
      at = next;
      run++;
    }
    return { run, motion };
  };
  for (let i = 0; i + replayMinRun <= frames.length; i++) {
    for (let j = 0; j < earlier.length; j++) {
      const d = difference(frames[i]!, earlier[j]!);
      if (d >= copyMaxDifference) continue;
      if (d < exactCopyMaxDifference && runFrom(i, j, exactCopyMaxDifference).run >= replayMinRun) return true;
      const loose = runFrom(i, j, copyMaxDifference);
      if (loose.run >= replayMinRun && loose.motion >= replayMinMotion) return true;
    }
  }
  return false;
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
