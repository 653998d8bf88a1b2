/**
 * The model files the engine runs, where they come from, and how they are loaded.
 * Every model is a file inside an installed npm package, pinned by SHA-256: a missing or
 * altered file fails at start-up, not on the first customer. Nothing is fetched at run time.
 * Sources, sizes and licences are listed in docs/MODELS.md.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';

export interface ModelSpec {
  id: string;
  npmPackage: string;
  file: string;
  sha256: string;
  /**
   * ONNX Runtime graph optimisation, measured per model on this x86 CPU, one thread: 'all'
   * (with NCHWc layout transformations) runs the detector and landmark models 3x faster than
   * 'extended', but the embedder 3x slower (about 60 ms against 20 ms per face).
   */
  optimization: 'extended' | 'all';
}

const faceplugin = 'faceplugin-face-recognition-js';

/** UltraFace-style detector (320x240 input, 4,420 anchors, boxes already decoded). */
export const detectorModel: ModelSpec = { id: 'fr_detect', optimization: 'all', npmPackage: faceplugin, file: 'model/fr_detect.onnx', sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854' };
/** 68-point landmarks (iBUG order) from a 64x64 grey crop of the detected box. */
export const landmarkModel: ModelSpec = { id: 'fr_landmark', optimization: 'all', npmPackage: faceplugin, file: 'model/fr_landmark.onnx', sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258' };
/** ArcFace-style 512-d embedding of a 112x112 face aligned to the 5-point template. */
export const embedderModel: ModelSpec = { id: 'fr_feature', optimization: 'extended', npmPackage: faceplugin, file: 'model/fr_feature.onnx', sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581' };
/** Eye state (open / closed) from a 24x24 grey crop around one eye. */
export const eyeModel: ModelSpec = { id: 'fr_eye', optimization: 'all', npmPackage: faceplugin, file: 'model/fr_eye.onnx', sha256: '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de' };

/**
 * Passive anti-spoof classifier (MiniFASNet-style, 3 classes; class 0 = live face) on a 128x128
 * BGR crop of the face box enlarged 2.7x, raw 0-255 pixels. Class order and channel order were
 * measured on ../shared/data (silent-face live and spoof photos, replay-apfol live and replayed videos).
 */
export const antispoofModel: ModelSpec = { id: 'fr_liveness', optimization: 'all', npmPackage: faceplugin, file: 'model/fr_liveness.onnx', sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d' };

const require = createRequire(import.meta.url);

export function modelPath(spec: ModelSpec): string {
  const root = path.dirname(require.resolve(`${spec.npmPackage}/package.json`));
  return path.join(root, spec.file);
}

export class ModelLoadError extends Error {
  constructor(spec: ModelSpec, reason: string) {
    super(`Face model ${spec.id} (${spec.npmPackage}/${spec.file}) cannot be loaded: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/** Read, verify and open one model. `threads` = intra-op threads (1 in worker threads). */
export async function loadModel(spec: ModelSpec, threads = 1): Promise<ort.InferenceSession> {
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath(spec));
  } catch (e) {
    throw new ModelLoadError(spec, `file missing (${(e as Error).message}); is ${spec.npmPackage} installed?`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== spec.sha256) throw new ModelLoadError(spec, `SHA-256 ${digest} differs from the pinned ${spec.sha256}`);
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: spec.optimization,
  });
}

/** Run a single-input model and return its outputs by name. */
export async function runModel(session: ort.InferenceSession, data: Float32Array, dims: number[]): Promise<Record<string, Float32Array>> {
  const input = new ort.Tensor('float32', data, dims);
  const results = await session.run({ [session.inputNames[0]!]: input });
  const out: Record<string, Float32Array> = {};
  for (const [name, tensor] of Object.entries(results)) {
    out[name] = tensor.data as Float32Array;
    tensor.dispose();
  }
  input.dispose();
  return out;
}
