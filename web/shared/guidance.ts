/**
 * Live guidance from cheap measures of the camera picture, taken in the browser: the brightness
 * inside the face oval and how much that region changes from one look to the next. No face is
 * detected here (the server does that with the frames): the oval only shows where and how large
 * the face should be.
 */

export interface GuidanceReading {
  /** Mean luma 0-255 inside the oval. */
  brightness: number;
  /** Mean absolute luma change inside the oval since the previous reading, 0-255. */
  motion: number;
  light: 'dark' | 'bright' | 'ok';
  still: boolean;
}

/** Below this mean luma the eyes are hard to judge; above it the face washes out. */
export const lightLimits = { dark: 60, bright: 210 } as const;
/** Mean change of luma between two readings (200 ms apart) above which the person is asked to hold still. */
export const motionLimit = 12;

const W = 80, H = 60;
/** The oval of the overlay, in fractions of the picture (centre x, centre y, radius x, radius y). */
export const oval = { cx: 0.5, cy: 0.48, rx: 0.19, ry: 0.34 } as const;

export function createGuidance(video: HTMLVideoElement): { read(): GuidanceReading | undefined } {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const inside: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = (x + 0.5) / W - oval.cx, dy = (y + 0.5) / H - oval.cy;
      if ((dx * dx) / (oval.rx * oval.rx) + (dy * dy) / (oval.ry * oval.ry) <= 1) inside.push(y * W + x);
    }
  }
  let previous: Float32Array | undefined;
  return {
    read() {
      if (!ctx || video.videoWidth === 0) return undefined;
      ctx.drawImage(video, 0, 0, W, H);
      const px = ctx.getImageData(0, 0, W, H).data;
      const luma = new Float32Array(inside.length);
      let sum = 0, diff = 0;
      inside.forEach((p, i) => {
        const v = 0.299 * px[p * 4]! + 0.587 * px[p * 4 + 1]! + 0.114 * px[p * 4 + 2]!;
        luma[i] = v;
        sum += v;
        if (previous) diff += Math.abs(v - previous[i]!);
      });
      const motion = previous ? diff / inside.length : 0;
      previous = luma;
      const brightness = sum / inside.length;
      return { brightness, motion, light: brightness < lightLimits.dark ? 'dark' : brightness > lightLimits.bright ? 'bright' : 'ok', still: motion <= motionLimit };
    },
  };
}
