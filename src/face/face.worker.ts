/**
 * A face-engine worker thread: loads the models once, then answers `analyze`, `verify` and
 * `liveness` requests from face.pool.ts one at a time. Errors travel back as data with their code, so a
 * bad image never takes the worker down.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDomainError } from '../errors/errors.ts';
import { createFaceAnalyzer, createFaceEngine, type FaceAnalyzer, type FaceEngine } from './engine.ts';
import { analyzeLiveness } from '../liveness/analyze.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './face.pool.ts';

const init = workerData as WorkerInit;
const port = parentPort!;

let ready: Promise<FaceEngine | FaceAnalyzer>;
try {
  ready = init.calibrated ? createFaceEngine({ threads: 1, calibrationFile: init.calibrationFile }) : createFaceAnalyzer({ threads: 1 });
} catch (e) {
  ready = Promise.reject(e);
}
ready.then(() => port.postMessage({ ready: true }), (e: Error) => port.postMessage({ ready: false, error: e.message }));

port.on('message', (req: WorkerRequest) => {
  void (async (): Promise<WorkerReply> => {
    try {
      const engine = await ready;
      if (req.op === 'analyze') return { id: req.id, ok: true, result: await engine.analyze(req.bytes, req.kind) };
      if (req.op === 'liveness') return { id: req.id, ok: true, result: await analyzeLiveness(engine, req.frames, req.request) };
      if (!('verify' in engine)) throw new Error('this pool was started without a calibration');
      return { id: req.id, ok: true, result: await engine.verify({ idPhoto: req.idPhoto, livePhoto: req.livePhoto }, req.targetFmr) };
    } catch (e) {
      return { id: req.id, ok: false, code: isDomainError(e) ? e.code : undefined, message: (e as Error).message };
    }
  })().then((reply) => port.postMessage(reply));
});
