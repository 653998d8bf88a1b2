/**
 * One photo through the pipeline: decode → detect → choose the face → landmarks → alignment
 * → quality → embedding. ID photos take their own path: the detector is more permissive, the
 * largest face is taken (card crops can show a second, ghost portrait) and quality findings
 * only warn. Upscaling small chip photos first (lanczos, to 200-480 px) was measured and made
 * chip-vs-live scores worse: the detector's letterbox and the bilinear alignment already
 * upsample, and sharpening filters amplify JPEG blocking. A live capture must show one face.
 */
import type ort from 'onnxruntime-node';
import { alignFace } from './align.ts';
import { detectFaces, type Detection } from './detect.ts';
import { embedFace, type EmbedderConfig } from './embed.ts';
import { eyesOpen } from './eyes.ts';
import { decodeImage, type DecodeLimits } from './image.ts';
import { detectLandmarks, fivePoints, type Point } from './landmarks.ts';
import { assessQuality, imageMeasures, poseFromPoints, type PhotoKind, type QualityFinding, type QualityLimits, type QualityMeasures } from './quality.ts';
import { resizeRgb } from './raster.ts';

export interface FaceModels {
  detector: ort.InferenceSession;
  landmarks: ort.InferenceSession;
  embedder: ort.InferenceSession;
  eyes: ort.InferenceSession;
}

export interface AnalyzeSettings {
  decode: DecodeLimits;
  quality: Record<PhotoKind, QualityLimits>;
  embedder: EmbedderConfig;
}

export type Stage = 'decode' | 'detect' | 'landmarks' | 'align' | 'quality' | 'embed';

export interface FaceAnalysis {
  kind: PhotoKind;
  width: number;
  height: number;
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
/** A second face at least this wide relative to the chosen one makes a live capture ambiguous. */
const secondFaceRatio = 0.4;
/** Faces wider than this are downscaled first: alignment samples bilinearly and would alias. */
const maxFaceWidth = 224;

export async function analyzePhoto(models: FaceModels, bytes: Uint8Array, kind: PhotoKind, s: AnalyzeSettings): Promise<FaceAnalysis> {
  const timings: FaceAnalysis['timings'] = {};
  let t = performance.now();
  const lap = (stage: Stage) => { const now = performance.now(); timings[stage] = (timings[stage] ?? 0) + now - t; t = now; };

  let img = await decodeImage(bytes, s.decode);
  const { width, height } = img;
  lap('decode');

  const faces = await detectFaces(models.detector, img, { minScore: minScore[kind], nmsIou: 0.4 });
  lap('detect');
  const base = { kind, width, height, faces: faces.length, findings: [], timings };
  if (faces.length === 0) return { ...base, refusals: ['face.none_detected'] };
  const chosen = [...faces].sort((a, b) => b.width * b.height - a.width * a.height)[0]!;
  // The largest face is still analysed (calibration and benchmarks score it), but a live
  // capture with a second person close by is refused: whose face is being verified?
  const crowded = kind === 'live' && faces.some((f) => f !== chosen && f.width >= chosen.width * secondFaceRatio);

  let box = chosen;
  if (box.width > maxFaceWidth) {
    const k = maxFaceWidth / box.width;
    img = await resizeRgb(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k)));
    box = { ...box, x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k };
    lap('decode');
  }
  const landmarks = await detectLandmarks(models.landmarks, img, box);
  const points = fivePoints(landmarks);
  lap('landmarks');
  const aligned = alignFace(img, points);
  lap('align');

  const scale = width / img.width;
  const eyes = await eyesOpen(models.eyes, img, landmarks);
  const quality: QualityMeasures = {
    faceWidthPx: chosen.width,
    eyeDistancePx: Math.hypot(points[1]![0] - points[0]![0], points[1]![1] - points[0]![1]) * scale,
    ...imageMeasures(aligned),
    ...poseFromPoints(points),
    eyesOpen: Math.max(...eyes),
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
