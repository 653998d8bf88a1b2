/**
 * The face engine: models loaded once, a calibration that ties scores to false-match rates,
 * and the 1:1 decision between an ID photo and a live capture. Runs in whatever thread calls
 * it; the server runs it in a worker-thread pool (face.pool.ts) so HTTP stays responsive.
 */
import { analyzePhoto, type AnalyzeSettings, type FaceAnalysis, type FaceModels, type Stage } from './analyze.ts';
import { estimatedFmrAt, loadCalibration, thresholdFor, type Calibration } from './calibration.ts';
import { cosine, defaultEmbedderConfig } from './embed.ts';
import type { FaceDecision, FaceImages } from './face.ts';
import { defaultDecodeLimits } from './image.ts';
import { antispoofModel, detectorModel, embedderModel, eyeModel, landmarkModel, loadModel } from './models.ts';
import { defaultQualityLimits } from './quality.ts';

export interface FaceEngineOptions {
  /** Intra-op threads per model (1 in a worker pool, where parallelism comes from the workers). */
  threads?: number;
  calibrationFile?: string;
  settings?: Partial<AnalyzeSettings>;
}

export interface FaceVerification {
  decision: FaceDecision;
  id: FaceAnalysis;
  live: FaceAnalysis;
  /** Milliseconds per stage, both photos together, plus `compare` and `total`. */
  timings: Partial<Record<Stage | 'compare' | 'total', number>>;
}

export interface FaceEngine extends FaceAnalyzer {
  readonly name: string;
  readonly calibration: Calibration;
  compare(id: FaceAnalysis, live: FaceAnalysis, targetFmr: number): FaceDecision;
  verify(images: FaceImages, targetFmr: number): Promise<FaceVerification>;
}

const short = (sha: string) => sha.slice(0, 12);

/** The pipeline the engine runs (and the shipped calibration was measured with). */
export const defaultAnalyzeSettings: AnalyzeSettings = {
  decode: defaultDecodeLimits, quality: defaultQualityLimits, embedder: defaultEmbedderConfig,
};

/** What a calibration is only valid for: the models and the embedder's input layout. */
export function pipelineId(settings: AnalyzeSettings): string {
  const { order, mean, scale } = settings.embedder.layout;
  return [
    `${detectorModel.id}@${short(detectorModel.sha256)}`, `${landmarkModel.id}@${short(landmarkModel.sha256)}`,
    `${embedderModel.id}@${short(embedderModel.sha256)}`, `${order}:${mean}:${scale.toFixed(6)}${settings.embedder.flip ? ':flip' : ''}`, 'choose:central', 'align:5pt-arcface112', 'id:native-size+turns',
  ].join('+');
}

export async function loadFaceModels(threads = 1): Promise<FaceModels> {
  const [detector, landmarks, embedder, eyes, antispoof] = await Promise.all(
    [detectorModel, landmarkModel, embedderModel, eyeModel, antispoofModel].map((m) => loadModel(m, threads)));
  return { detector: detector!, landmarks: landmarks!, embedder: embedder!, eyes: eyes!, antispoof: antispoof! };
}

export interface FaceAnalyzer {
  readonly pipeline: string;
  readonly settings: AnalyzeSettings;
  /** The loaded models, for analyses built on the same pipeline (liveness). */
  readonly models: FaceModels;
  analyze(bytes: Uint8Array, kind: 'id' | 'live'): Promise<FaceAnalysis>;
}

/** The pipeline without a calibration: what `npm run calibrate` and the benchmark score with. */
export async function createFaceAnalyzer(opts: Omit<FaceEngineOptions, 'calibrationFile'> = {}): Promise<FaceAnalyzer> {
  const settings: AnalyzeSettings = { ...defaultAnalyzeSettings, ...opts.settings };
  const models = await loadFaceModels(opts.threads ?? 1);
  return { pipeline: pipelineId(settings), settings, models, analyze: (bytes, kind) => analyzePhoto(models, bytes, kind, settings) };
}

export async function createFaceEngine(opts: FaceEngineOptions = {}): Promise<FaceEngine> {
  const analyzer = await createFaceAnalyzer(opts);
  const { pipeline, analyze } = analyzer;
  const calibration = loadCalibration(pipeline, opts.calibrationFile);
  const name = `portrait-face/${embedderModel.id}@${short(embedderModel.sha256)} calibration ${calibration.version}`;

  function compare(id: FaceAnalysis, live: FaceAnalysis, targetFmr: number): FaceDecision {
    const threshold = thresholdFor(calibration, targetFmr);
    const reasons = [...new Set([...id.refusals.map((r) => `id:${r}`), ...live.refusals.map((r) => `live:${r}`),
      ...id.findings.filter((f) => f.severity === 'warn').map((f) => `id:${f.code}`)])];
    const base = { threshold, targetFmr, engine: name };
    if (!id.embedding || !live.embedding || live.refusals.length > 0 || id.refusals.length > 0) {
      return { ...base, match: false, compared: false, score: 0, estimatedFmr: 1, reasons };
    }
    const score = cosine(id.embedding, live.embedding);
    const match = score >= threshold;
    if (!match) reasons.push('face.no_match');
    return { ...base, match, compared: true, score, estimatedFmr: estimatedFmrAt(calibration, score), reasons };
  }

  return {
    ...analyzer, name, calibration,
    compare,
    async verify(images, targetFmr) {
      const t0 = performance.now();
      const id = await analyze(images.idPhoto, 'id');
      const live = await analyze(images.livePhoto, 'live');
      const t1 = performance.now();
      const decision = compare(id, live, targetFmr);
      const timings: FaceVerification['timings'] = {};
      for (const a of [id, live]) for (const [k, v] of Object.entries(a.timings)) timings[k as Stage] = (timings[k as Stage] ?? 0) + v;
      timings.compare = performance.now() - t1;
      timings.total = performance.now() - t0;
      return { decision, id, live, timings };
    },
  };
}
