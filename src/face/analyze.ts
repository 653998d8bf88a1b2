/**
 * One photo through the pipeline: decode → detect → choose the face → landmarks → alignment
 * → quality → embedding. ID photos take their own path: the detector is more permissive, a
 * card lying sideways is turned upright, and quality findings only warn. Upscaling small chip photos first (lanczos, to 200-480 px) was measured and made
 * chip-vs-live scores worse: the detector's letterbox and the bilinear alignment already
 * upsample, and sharpening filters amplify JPEG blocking. A live capture must show one face.
 */
import type ort from 'onnxruntime-node';
import { alignFace, templateResidual } from './align.ts';
import { detectFaces, type Detection } from './detect.ts';
import { embedFace, type EmbedderConfig } from './embed.ts';
import { eyesOpen } from './eyes.ts';
import { decodeImage, type DecodeLimits, type RgbImage } from './image.ts';
import { detectLandmarks, fivePoints, type Point } from './landmarks.ts';
import { assessQuality, imageMeasures, mouthOpening, poseFromPoints, type PhotoKind, type QualityFinding, type QualityLimits, type QualityMeasures } from './quality.ts';
import { resizeRgb, rotateQuarter, type Box } from './raster.ts';

export interface FaceModels {
  detector: ort.InferenceSession;
  landmarks: ort.InferenceSession;
  embedder: ort.InferenceSession;
  eyes: ort.InferenceSession;
  /** Passive anti-spoof classifier (liveness only). */
  antispoof: ort.InferenceSession;
}

export interface AnalyzeSettings {
  decode: DecodeLimits;
  quality: Record<PhotoKind, QualityLimits>;
  embedder: EmbedderConfig;
}

export type Stage = 'decode' | 'detect' | 'landmarks' | 'align' | 'quality' | 'embed';

export interface FaceAnalysis {
  kind: PhotoKind;
  /** Size of the photo as analysed (after `rotation`). */
  width: number;
  height: number;
  /** Clockwise turn applied to an ID photo to find its face (cards photographed sideways). */
  rotation: 0 | 90 | 180 | 270;
  /** Faces the detector found. */
  faces: number;
  /**
   * Refusal codes (`face.none_detected`, `face.multiple_faces`, refusing quality findings).
   * Only `face.none_detected` comes without an embedding.
   */
  refusals: string[];
  box?: Detection;
  points?: Point[];
  quality?: QualityMeasures;
  findings: QualityFinding[];
  embedding?: Float32Array;
  timings: Partial<Record<Stage, number>>;
}

/** Detector confidence floor: live captures are sharp and large, ID photos small and faded. */
const minScore: Record<PhotoKind, number> = { live: 0.7, id: 0.5 };
/**
 * An ID photo is also tried turned by 90°, 270° and 180° when its face is found less surely
 * than this (upright LFW faces score 0.995 or more) or when its landmarks fit the 5-point
 * template worse than this RMS distance in template pixels (about 93% of LFW photos fit better).
 */
const uprightScore = 0.99;
const uprightResidual = 5;
/** A second face at least this wide relative to the chosen one makes a live capture ambiguous. */
const secondFaceRatio = 0.4;
/** Faces wider than this are downscaled first: alignment samples bilinearly and would alias. */
const maxFaceWidth = 224;

/**
 * The face the photo is of: among the faces at least half as wide as the widest, the one
 * nearest the centre. Taking simply the largest picked a bystander in news photos (LFW) and
 * cost 0.6 points of accuracy; a card's small ghost portrait is never half as wide.
 */
export function chooseFace(faces: Detection[], img: { width: number; height: number }): Detection {
  const widest = Math.max(...faces.map((f) => f.width));
  const offCentre = (f: Detection) => Math.hypot(f.x + f.width / 2 - img.width / 2, f.y + f.height / 2 - img.height / 2);
  return faces.filter((f) => f.width >= widest / 2).sort((a, b) => offCentre(a) - offCentre(b))[0]!;
}

interface Located { chosen: Detection; img: RgbImage; landmarks: Point[]; points: Point[]; residual: number }

/**
 * The 68 landmarks of the face in `box`, read on a downscaled copy of `img` when the face is
 * wider than `maxFaceWidth` (bilinear crops alias). Returns that copy (or `img`) and the
 * landmarks in its pixels.
 */
export async function readLandmarks(models: FaceModels, img: RgbImage, box: Box): Promise<{ img: RgbImage; landmarks: Point[] }> {
  if (box.width > maxFaceWidth) {
    const k = maxFaceWidth / box.width;
    img = await resizeRgb(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k)));
    box = { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k };
  }
  return { img, landmarks: await detectLandmarks(models.landmarks, img, box) };
}

/** Detect, choose the face (`chooseFace`), and read its landmarks (on a downscaled copy if the face is large). */
async function locate(models: FaceModels, source: RgbImage, kind: PhotoKind, lap: (stage: Stage) => void, turns: 0 | 1 | 2 | 3 = 0): Promise<{ source: RgbImage; turns: 0 | 1 | 2 | 3; faces: Detection[]; located?: Located }> {
  const faces = await detectFaces(models.detector, source, { minScore: minScore[kind], nmsIou: 0.4 });
  lap('detect');
  if (faces.length === 0) return { source, turns, faces };
  const chosen = chooseFace(faces, source);
  const { img, landmarks } = await readLandmarks(models, source, chosen);
  const points = fivePoints(landmarks);
  lap('landmarks');
  return { source, turns, faces, located: { chosen, img, landmarks, points, residual: templateResidual(points) } };
}

export async function analyzePhoto(models: FaceModels, bytes: Uint8Array, kind: PhotoKind, s: AnalyzeSettings): Promise<FaceAnalysis> {
  const timings: FaceAnalysis['timings'] = {};
  let t = performance.now();
  const lap = (stage: Stage) => { const now = performance.now(); timings[stage] = (timings[stage] ?? 0) + now - t; t = now; };

  let img = await decodeImage(bytes, s.decode);
  lap('decode');

  const first = await locate(models, img, kind, lap);
  let found = first;
  if (kind === 'id' && first.located && (first.located.chosen.score < uprightScore || first.located.residual > uprightResidual)) {
    // A photographed card may lie sideways or upside down. The detector still finds the face,
    // less surely, and the landmark model draws an upright face whatever it is shown, so the
    // detector's confidence is the signal: keep the turn where it is clearly higher.
    for (const turns of [1, 3, 2] as const) {
      const turned = await locate(models, rotateQuarter(img, turns), kind, lap, turns);
      if (turned.located && turned.located.chosen.score > (found.located?.chosen.score ?? 0) + 0.02) found = turned;
    }
  }
  const { faces, located } = found;
  const rotation = (found.turns * 90) as FaceAnalysis['rotation'];
  const base = { kind, width: found.source.width, height: found.source.height, rotation, faces: faces.length, findings: [], timings };
  if (!located) return { ...base, refusals: ['face.none_detected'] };
  const { chosen, landmarks, points } = located;
  img = located.img;
  // The chosen face is still analysed (calibration and benchmarks score it), but a live
  // capture with a second person close by is refused: whose face is being verified?
  const crowded = kind === 'live' && faces.some((f) => f !== chosen && f.width >= chosen.width * secondFaceRatio);
  const aligned = alignFace(img, points);
  lap('align');

  const scale = base.width / img.width;
  const eyes = await eyesOpen(models.eyes, img, landmarks);
  const quality: QualityMeasures = {
    faceWidthPx: chosen.width,
    eyeDistancePx: Math.hypot(points[1]![0] - points[0]![0], points[1]![1] - points[0]![1]) * scale,
    ...imageMeasures(aligned),
    ...poseFromPoints(points),
    eyesOpen: Math.max(...eyes),
    mouthOpen: mouthOpening(landmarks),
  };
  const findings = assessQuality(quality, kind, s.quality[kind]);
  lap('quality');
  const embedding = await embedFace(models.embedder, aligned, s.embedder);
  lap('embed');
  return {
    ...base,
    box: chosen,
    points: points.map(([x, y]) => [x * scale, y * scale]),
    quality, findings, embedding,
    refusals: [...(crowded ? ['face.multiple_faces'] : []), ...findings.filter((f) => f.severity === 'refuse').map((f) => f.code)],
  };
}
