/**
 * The peer baseline: @vladmandic/face-api run as its users run it — SSD MobileNet v1 detector
 * (minConfidence 0.5), 68-point landmarks, the 128-d ResNet descriptor, compared by euclidean
 * distance — on the TF.js WASM backend with one thread (tfjs-node needs a download at install
 * time, which this machine refuses). Models load from the package's own `model/` folder and
 * the `.wasm` binaries from the local tfjs-backend-wasm package; nothing is fetched.
 * SSD misses many tightly framed faces (LFW crops); with `paddedRetry` a missed photo is tried
 * once more inside a grey border of 25% of its longer side, so the comparison is more about
 * the descriptor than the detector.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

// face-api's node-wasm build is CommonJS and requires @tensorflow/tfjs and
// @tensorflow/tfjs-backend-wasm 4.22 (its `main` is the tfjs-node build, so it is loaded by path).
const require = createRequire(import.meta.url);

export interface FaceApiBaseline {
  /** 128-d descriptor of the most confident face, or undefined when no face was found. `retried` = found only on the padded retry. */
  describe(image: Buffer): Promise<{ descriptor: Float32Array; retried: boolean; ms: number } | undefined>;
  close(): Promise<void>;
}

/** Similarity score for the benchmark (higher = more similar): 1 − euclidean distance. */
export function faceApiScore(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return 1 - Math.sqrt(s);
}

type FaceApi = typeof import('@vladmandic/face-api');

export async function createFaceApiBaseline(opts: { paddedRetry?: boolean } = {}): Promise<FaceApiBaseline> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const tf = faceapi.tf as unknown as { setBackend(b: string): Promise<boolean>; ready(): Promise<void>; tensor3d(d: Uint8Array, s: [number, number, number], t: 'int32'): unknown };
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void; setThreadsCount?(n: number): void };
  wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
  wasm.setThreadsCount?.(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const models = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(models);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });

  async function run(image: Buffer) {
    const { data, info } = await sharp(image).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const input = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32') as Parameters<FaceApi['detectSingleFace']>[0];
    try {
      return await faceapi.detectSingleFace(input, options).withFaceLandmarks().withFaceDescriptor();
    } finally {
      (input as unknown as { dispose(): void }).dispose(); // tensors are disposed: numTensors stays flat
    }
  }

  return {
    async describe(image) {
      const t0 = performance.now();
      let found = await run(image);
      let retried = false;
      if (!found && opts.paddedRetry !== false) {
        const { width = 0, height = 0 } = await sharp(image).metadata();
        const pad = Math.round(Math.max(width, height) * 0.25);
        found = await run(await sharp(image).extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#808080' }).jpeg({ quality: 95 }).toBuffer());
        retried = found !== undefined;
      }
      return found ? { descriptor: found.descriptor, retried, ms: performance.now() - t0 } : undefined;
    },
    async close() { /* face-api keeps its nets as module singletons for the life of the process */ },
  };
}
