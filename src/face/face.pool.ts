/**
 * A pool of face-engine worker threads. Face analysis is CPU-bound (tens of milliseconds per
 * photo, hundreds for a liveness session); running it here would stall every HTTP request behind it. Requests queue up to a
 * bound and are then refused with `face.engine_busy`; a worker that dies is replaced and its
 * request fails instead of hanging.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { DomainError, type ErrorCode } from '../errors/errors.ts';
import type { FaceAnalysis } from './analyze.ts';
import type { FaceVerification } from './engine.ts';
import type { FaceDecision, FaceImages, FaceVerifier } from './face.ts';
import type { LivenessAnalysis, LivenessRequest } from '../liveness/analyze.ts';
import type { FrameInput } from '../liveness/liveness.ts';
import type { LivenessChecker } from '../liveness/liveness.service.ts';

export interface WorkerInit { calibrated: boolean; calibrationFile: string | undefined }
export type WorkerRequest =
  | { id: number; op: 'analyze'; bytes: Uint8Array; kind: 'id' | 'live' }
  | { id: number; op: 'verify'; idPhoto: Uint8Array; livePhoto: Uint8Array; targetFmr: number }
  | { id: number; op: 'liveness'; frames: FrameInput[]; request: LivenessRequest };
export type WorkerReply =
  | { id: number; ok: true; result: FaceAnalysis | FaceVerification | LivenessAnalysis }
  | { id: number; ok: false; code: string | undefined; message: string };

export interface FacePoolOptions {
  /** Worker threads (default: the CPU count, at most 4). */
  size?: number;
  /** Requests waiting beyond the running ones before `face.engine_busy` (default 32). */
  maxQueue?: number;
  /** Without a calibration the pool can only analyze (calibration and benchmarks). */
  calibrated?: boolean;
  calibrationFile?: string;
}

export interface FacePool extends FaceVerifier, LivenessChecker {
  analyze(bytes: Uint8Array, kind: 'id' | 'live'): Promise<FaceAnalysis>;
  verifyDetailed(images: FaceImages, targetFmr: number): Promise<FaceVerification>;
  readonly size: number;
  close(): Promise<void>;
}

type Job = { req: WorkerRequest; resolve: (v: unknown) => void; reject: (e: Error) => void };
interface Slot { worker: Worker; job: Job | undefined }


/** Starts the workers and resolves once every one has loaded its models. */
export async function createFacePool(opts: FacePoolOptions = {}): Promise<FacePool> {
  const size = opts.size ?? Math.min(4, availableParallelism());
  const maxQueue = opts.maxQueue ?? 32;
  const init: WorkerInit = { calibrated: opts.calibrated ?? true, calibrationFile: opts.calibrationFile };
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;

  function spawn(): Promise<Slot> {
    const worker = new Worker(new URL('./face.worker.mjs', import.meta.url), { workerData: init });
    const slot: Slot = { worker, job: undefined };
    return new Promise<Slot>((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: string }) => {
        if (!m.ready) { void worker.terminate(); reject(new Error(`face worker failed to start: ${m.error}`)); return; }
        worker.on('message', (reply: WorkerReply) => finish(slot, reply));
        resolve(slot);
      });
      worker.once('error', (e) => { reject(e); fail(slot, e); });
      worker.once('exit', (code) => { if (!closing) replace(slot, code); });
    });
  }

  function finish(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      if (reply.ok) job.resolve(reply.result);
      else job.reject(reply.code ? new DomainError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
    }
    pump();
  }

  function fail(slot: Slot, e: Error): void {
    const job = slot.job;
    slot.job = undefined;
    job?.reject(new Error(`face worker failed: ${e.message}`));
  }

  function replace(slot: Slot, code: number): void {
    fail(slot, new Error(`exited with code ${code}`));
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    spawn().then((s) => { slots.push(s); pump(); }, () => undefined);
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      slot.job = queue.shift()!;
      const req = slot.job.req;
      slot.worker.postMessage(req);
    }
  }

  function submit<T>(req: WorkerRequest): Promise<T> {
    if (closing) return Promise.reject(new Error('the face pool is closed'));
    const busy = slots.filter((s) => s.job).length;
    if (busy >= slots.length && queue.length >= maxQueue) return Promise.reject(new DomainError('face.engine_busy'));
    return new Promise<T>((resolve, reject) => { queue.push({ req, resolve: resolve as (v: unknown) => void, reject }); pump(); });
  }

  slots.push(...await Promise.all(Array.from({ length: size }, spawn)));

  const verifyDetailed = (images: FaceImages, targetFmr: number) =>
    submit<FaceVerification>({ id: nextId++, op: 'verify', idPhoto: images.idPhoto, livePhoto: images.livePhoto, targetFmr });
  return {
    size,
    analyze: (bytes, kind) => submit<FaceAnalysis>({ id: nextId++, op: 'analyze', bytes, kind }),
    verifyDetailed,
    checkLiveness: (frames, request) => submit<LivenessAnalysis>({ id: nextId++, op: 'liveness', frames, request }),
    async verify(images, targetFmr): Promise<FaceDecision> { return (await verifyDetailed(images, targetFmr)).decision; },
    async close() {
      closing = true;
      for (const job of queue.splice(0)) job.reject(new Error('the face pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
