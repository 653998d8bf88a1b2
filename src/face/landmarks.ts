/**
 * 68 facial landmarks (iBUG 300-W order) from a grey 64x64 crop of the detected box, and the
 * five points (eye centres, nose tip, mouth corners) that alignment and pose use.
 */
import type ort from 'onnxruntime-node';
import type { RgbImage } from './image.ts';
import { runModel } from './models.ts';
import { cropResize, toGray, type Box } from './raster.ts';

export type Point = [number, number];

const side = 64;

export async function detectLandmarks(session: ort.InferenceSession, img: RgbImage, box: Box): Promise<Point[]> {
  const gray = toGray(cropResize(img, box, side, side));
  for (let i = 0; i < gray.length; i++) gray[i] = gray[i]! / 256;
  const out = await runModel(session, gray, [1, 1, side, side]);
  const flat = out.output!;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) points.push([box.x + flat[i * 2]! * box.width, box.y + flat[i * 2 + 1]! * box.height]);
  return points;
}

const mean = (pts: Point[]): Point => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];

/** Left eye, right eye (as seen in the image), nose tip, left and right mouth corner. */
export function fivePoints(p: Point[]): Point[] {
  return [
    mean([p[37]!, p[38]!, p[40]!, p[41]!]),
    mean([p[43]!, p[44]!, p[46]!, p[47]!]),
    p[30]!,
    mean([p[48]!, p[60]!]),
    mean([p[54]!, p[64]!]),
  ];
}

/** The bounding box of a set of points. */
export function pointsBox(points: Point[]): Box {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}
