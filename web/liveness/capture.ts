/**
 * Browser helper for liveness capture: opens the camera, captures frames at a steady rate as
 * JPEG with their capture times, and shapes the upload of `POST /v1/liveness/{sessionId}/frames`.
 * Frames are taken from the video as the camera delivers it: a preview may be mirrored with CSS
 * for the person's comfort, but the frames are not (the server reads "turn left" in unmirrored
 * frames). Only new camera frames are taken (`requestVideoFrameCallback` where the browser has
 * it), so a camera slower than the asked rate gives fewer frames, never repeated ones.
 */

export interface CaptureOptions {
  /** Frames per second to keep (default 10: about 450 ms of server CPU for a 6 s challenge; the server accepts 5-30). */
  fps?: number;
  /** How long to capture, ms (the challenge's actions need about 2 s each). */
  durationMs: number;
  /** Largest frame size sent (default 640x480, the frame is scaled down to fit, never up). */
  maxWidth?: number;
  maxHeight?: number;
  /** JPEG quality 0-1 (default 0.85: about 30-50 KB per 640x480 frame). */
  quality?: number;
  /** Called after each kept frame (progress: count and capture time in ms). */
  onFrame?: (count: number, t: number) => void;
  /** Stops the capture early; the frames so far are returned. */
  signal?: AbortSignal;
}

export interface CapturedFrame {
  /** Capture time in ms from the first frame. */
  t: number;
  /** JPEG bytes, base64 (what the API takes). */
  image: string;
}

export interface Capture {
  frames: CapturedFrame[];
  width: number;
  height: number;
}

/** The camera, facing the user, at about 640x480, playing in `video` (muted, inline). */
export async function openCamera(video: HTMLVideoElement, constraints: MediaTrackConstraints = {}): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false, video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, ...constraints },
  });
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  if (video.videoWidth === 0) await new Promise<void>((resolve) => video.addEventListener('loadedmetadata', () => resolve(), { once: true }));
  return stream;
}

export function closeCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

type FrameCallbackVideo = HTMLVideoElement & { requestVideoFrameCallback?: (cb: (now: number) => void) => number };

/** Waits for the next new camera frame (or the next animation frame where the browser cannot tell). */
function nextFrame(video: FrameCallbackVideo): Promise<number> {
  return new Promise((resolve) => {
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback((now) => resolve(now));
    else requestAnimationFrame((now) => resolve(now));
  });
}

/** Captures frames from a playing `video` for `durationMs` at about `fps`. */
export async function captureFrames(video: HTMLVideoElement, opts: CaptureOptions): Promise<Capture> {
  const fps = opts.fps ?? 10, quality = opts.quality ?? 0.85;
  const scale = Math.min(1, (opts.maxWidth ?? 640) / video.videoWidth, (opts.maxHeight ?? 480) / video.videoHeight);
  const width = Math.round(video.videoWidth * scale), height = Math.round(video.videoHeight * scale);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('No 2D canvas in this browser');
  const interval = 1000 / fps;
  const frames: CapturedFrame[] = [];
  const pending: Promise<void>[] = [];
  let first: number | undefined, last = -Infinity;
  for (;;) {
    const now = await nextFrame(video);
    if (opts.signal?.aborted) break;
    first ??= now;
    const t = now - first;
    if (t > opts.durationMs) break;
    if (now - last < interval * 0.9) continue; // keep the asked rate; the next camera frame may be closer to it
    last = now;
    ctx.drawImage(video, 0, 0, width, height);
    const slot = frames.length;
    frames.push({ t: Math.round(t), image: '' });
    pending.push(new Promise<void>((resolve, reject) => canvas.toBlob((blob) => {
      if (!blob) { reject(new Error('The browser could not encode a frame')); return; }
      void blob.arrayBuffer().then((buf) => { frames[slot]!.image = toBase64(new Uint8Array(buf)); resolve(); }, reject);
    }, 'image/jpeg', quality)));
    opts.onFrame?.(frames.length, Math.round(t));
  }
  await Promise.all(pending);
  return { frames, width, height };
}

/** The body of `POST /v1/liveness/{sessionId}/frames`. */
export function framesUpload(nonce: string, capture: Capture): { nonce: string; frames: CapturedFrame[] } {
  return { nonce, frames: capture.frames };
}
