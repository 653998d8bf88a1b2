/**
 * Passive anti-spoof: a small classifier (faceplugin's `fr_liveness.onnx`, MiniFASNet-style)
 * that tells a live face from a printed or screen-shown one by texture, moiré and frame edges
 * in a wide crop around the face. It is one signal among several: the challenge actions and
 * the sequence checks stop photos and replays it cannot tell.
 */
import type ort from 'onnxruntime-node';
import type { RgbImage } from '../face/image.ts';
import { runModel } from '../face/models.ts';
import { cropResize, toPlanar, type Box } from '../face/raster.ts';

const side = 128;
/** The crop is the face box enlarged this much around its centre, kept inside the frame. */
const context = 2.7;

/** The face box enlarged by `context`, shrunk to fit and shifted inside the frame (the model's own preprocessing). */
export function contextBox(box: Box, img: { width: number; height: number }): Box {
  const k = Math.min((img.height - 1) / box.height, (img.width - 1) / box.width, context);
  const width = box.width * k, height = box.height * k;
  const x = Math.max(0, Math.min(box.x + box.width / 2 - width / 2, img.width - 1 - width));
  const y = Math.max(0, Math.min(box.y + box.height / 2 - height / 2, img.height - 1 - height));
  return { x, y, width, height };
}

/** log10 of the probability that the face in `box` is live (class 0 of 3), from -6 (surely not) to 0. */
export async function liveLogProbability(session: ort.InferenceSession, img: RgbImage, box: Box): Promise<number> {
  const crop = cropResize(img, contextBox(box, img), side, side);
  const logits = (await runModel(session, toPlanar(crop, { order: 'bgr', mean: 0, scale: 1 }), [1, 3, side, side])).output!;
  const max = Math.max(...logits);
  let sum = 0;
  for (const l of logits) sum += Math.exp(l - max);
  const logP = (logits[0]! - max - Math.log(sum)) / Math.LN10;
  return Math.max(-6, logP);
}
