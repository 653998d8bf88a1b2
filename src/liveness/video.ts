/**
 * Turning a recorded video or a folder of frames into the frame list a liveness upload carries
 * (JPEG bytes with capture times in milliseconds), for the CLI, the benchmark and the tests.
 * Videos are decoded by ffmpeg (Debian's package; not needed by the server itself): resampled to
 * a steady frame rate as a kiosk camera delivers it, scaled down to at most 640 px wide, display
 * rotation applied; frame k of the resampled stream is captured k/fps after the first.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DomainError } from '../errors/errors.ts';
import type { FrameInput } from './liveness.ts';

const run = promisify(execFile);

export interface DecodeVideoOptions {
  /** Frames per second to resample to (default 15, as the browser helper captures). */
  fps?: number;
  /** Largest width in pixels; wider videos are scaled down (default 640). */
  maxWidth?: number;
  /** Start and end of the span to keep, in seconds of the video. */
  fromSec?: number;
  toSec?: number;
}

/** Splits ffmpeg's concatenated JPEG stream at the end-of-image markers. */
export function splitJpegStream(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = 0;
  for (let i = 2; i < buf.length - 1; i++) {
    if (buf[i] === 0xff && buf[i + 1] === 0xd9) {
      frames.push(buf.subarray(start, i + 2));
      start = i + 2;
      i++;
    }
  }
  return frames;
}

export async function decodeVideo(file: string, opts: DecodeVideoOptions = {}): Promise<FrameInput[]> {
  const fps = opts.fps ?? 15, maxWidth = opts.maxWidth ?? 640;
  const span = [...(opts.fromSec !== undefined ? ['-ss', String(opts.fromSec)] : []), ...(opts.toSec !== undefined ? ['-to', String(opts.toSec)] : [])];
  let out: { stdout: Buffer; stderr: Buffer } | undefined, failure: { code?: string; stderr?: Buffer } | undefined;
  try {
    out = await run('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...span, '-i', file,
      '-vf', `fps=${fps},scale='min(${maxWidth},iw)':-2`, '-f', 'image2pipe', '-vcodec', 'mjpeg', '-q:v', '3', '-'],
    { encoding: 'buffer', maxBuffer: 1 << 30 }) as unknown as { stdout: Buffer; stderr: Buffer };
  } catch (e) {
    failure = e as { code?: string; stderr?: Buffer };
  }
  if (!out) {
    if (failure?.code === 'ENOENT') throw new Error('ffmpeg is not installed (apt-get install ffmpeg)');
    throw new DomainError('liveness.frames_invalid', `The video cannot be decoded: ${lastLine(failure?.stderr)}`);
  }
  const frames = splitJpegStream(out.stdout);
  if (frames.length === 0) throw new DomainError('liveness.frames_invalid', 'The video has no frames');
  // the fps filter emits frame k at exactly k/fps after the first
  return frames.map((bytes, i) => ({ t: Math.round((i * 1000) / fps), bytes }));
}

const lastLine = (b: Buffer | undefined) => (b?.toString().trim().split('\n').at(-1) ?? 'unknown error').slice(0, 200);

/**
 * A folder of JPEG or PNG frames, in name order. Capture times come from the names when they
 * carry one (`frame_000123ms.jpg`, or the first number in the name read as milliseconds when
 * `timesFromNames`), otherwise from `fps`.
 */
export async function readFrameFolder(dir: string, opts: { fps?: number } = {}): Promise<FrameInput[]> {
  const names = (await readdir(dir)).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort(naturalOrder);
  if (names.length === 0) throw new DomainError('liveness.frames_invalid', 'The folder holds no JPEG, PNG or WebP frames');
  const ms = names.map((n) => /(\d+)ms\b/.exec(n)?.[1]);
  const named = ms.every((m) => m !== undefined);
  const step = 1000 / (opts.fps ?? 15);
  return Promise.all(names.map(async (n, i) => ({ t: named ? Number(ms[i]) : Math.round(i * step), bytes: await readFile(path.join(dir, n)) })));
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** A video file or a folder of frames, whichever `input` is. */
export async function readFrames(input: string, opts: DecodeVideoOptions = {}): Promise<FrameInput[]> {
  const s = await stat(input).catch(() => undefined);
  if (!s) throw new DomainError('liveness.frames_invalid', `${input} does not exist`);
  return s.isDirectory() ? readFrameFolder(input, opts) : decodeVideo(input, opts);
}
