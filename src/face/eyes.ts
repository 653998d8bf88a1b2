/**
 * Eye state: a 24x24 grey crop around each eye (sized from the eye corners) through the eye
 * model, giving the probability that the eye is open.
 */
import type ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import type { Point } from './landmarks.ts';
import { runModel } from './models.ts';
import { cropResize, toGray } from './raster.ts';

const side = 24;
/** Crop side as a multiple of the corner-to-corner eye width (the model's own preprocessing). */
const padding = 1.6;

function eyeCrop(img: RgbImage, corners: [Point, Point], lids: Point[]): Float32Array {
  const cx = lids.reduce((s, p) => s + p[0], 0) / lids.length, cy = lids.reduce((s, p) => s + p[1], 0) / lids.length;
  const size = Math.max(4, Math.hypot(corners[1][0] - corners[0][0], corners[1][1] - corners[0][1]) * padding);
  const gray = toGray(cropResize(img, { x: cx - size / 2, y: cy - size / 2, width: size, height: size }, side, side));
  for (let i = 0; i < gray.length; i++) gray[i] = gray[i]! / 255;
  return gray;
}

async function openProbability(session: ort.InferenceSession, crop: Float32Array): Promise<number> {
  const logits = (await runModel(session, crop, [1, 1, side, side])).output!;
  // output 1 is "open" (checked on frames with the eyes held shut, see face.test.ts)
  const [closed, open] = [logits[0]!, logits[1]!];
  return 1 / (1 + Math.exp(closed - open));
}

/** Probability that each eye (left, right as seen in the image) is open. */
export async function eyesOpen(session: ort.InferenceSession, img: RgbImage, p: Point[]): Promise<[number, number]> {
  const left = eyeCrop(img, [p[36]!, p[39]!], [p[37]!, p[38]!, p[40]!, p[41]!]);
  const right = eyeCrop(img, [p[42]!, p[45]!], [p[43]!, p[44]!, p[46]!, p[47]!]);
  return [await openProbability(session, left), await openProbability(session, right)];
}
