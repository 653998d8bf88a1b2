/**
 * One liveness session analysed: the uploaded frames measured one by one (frame-signals.ts),
 * then judged as a series: capture times, a face throughout, one person, the same person
 * (embeddings of sampled frames against the best frame), a face that changes shape, motion
 * without cuts, the passive anti-spoof score, and the asked actions in order. Runs in a face
 * worker thread (it needs the models); the replay check against earlier sessions is the
 * service's, which owns the database.
 */
import { alignFace } from '../face/align.ts';
import { cosine, embedFace } from '../face/embed.ts';
import type { FaceAnalyzer } from '../face/engine.ts';
import { fivePoints, pointsBox, type Point } from '../face/landmarks.ts';
import type { Box } from '../face/raster.ts';
import { DomainError } from '../errors/errors.ts';
import { detectActions, median, restPose, type PoseSample, type Rest } from './actions.ts';
import { liveLogProbability } from './antispoof.ts';
import type { LivenessAction } from './challenge.ts';
import { analysisSize, eyesMinFaceWidth, frameSignals, type FrameSignals } from './frame-signals.ts';
import { createFrameDecoder, decodeFrame, jpegSize } from './frame-decode.ts';
import { frameLimits, type FrameInput, type LivenessDecision, type LivenessReason } from './liveness.ts';
import { checkPresence, checkTiming, deformation, findCuts, motionLimits, zigzags } from './motion.ts';
import { matchSequence } from './sequence.ts';
import { fingerprint } from './replay.ts';

export const sessionLimits = {
  /**
   * The detector runs about this often (and whenever tracking is lost); in between, the face is
   * followed by its landmarks. Detection is most of a frame's cost. In frames: every 4th at 10 fps
   * (the kiosk's rate) and below, every 5th at 12 fps, every 6th at 15 fps and above, so a faster
   * capture does not cost more detections per second.
   */
  detectEveryMs: 400,
  detectEveryFrames: { min: 4, max: 6 },
  /**
   * At most one frame of each 1/12 s of capture is analysed (the first in it): a 15 fps upload
   * is read as 12 fps, and the server's cost no longer grows with the client's frame rate above
   * that. The kiosk captures at 10 fps, where every frame is analysed. The timing checks see every
   * frame.
   */
  maxAnalysedFps: 12,
  /** Frames sampled (besides the best) for the anti-spoof check; the first and last of them for the identity check. */
  sampledFrames: 3,
  /** Sampled frames are taken among those within this many degrees of the rest pose. */
  sampleMaxPoseDeg: 20,
  /**
   * Every sampled frame must be at least this similar (cosine) to the best frame. Frames of one
   * person in one session score 0.5-0.9 here; different people below 0.3 (LFW impostors stay
   * under 0.33 at FMR 1e-3).
   */
  minIdentityCosine: 0.35,
  /**
   * Median over the sampled frames of log10 P(live) from the passive model. Genuine sessions cut
   * from the live clips in ../shared/data score from about -2.1 (a compressed webcam clip, a small
   * GIF) to 0; the screen replay of that webcam clip about -3.7 (docs/bench/liveness.md).
   */
  minPassiveLogP: -2.7,
} as const;

export interface LivenessAnalysis extends LivenessDecision {
  /** Per frame: SHA-256 of the bytes, a 64-bit difference hash and a normalised 32x24 thumbnail (replay check, replay.ts). */
  hashes: { sha256: string; dhash: string; thumb: Uint8Array }[];
  /** Session measures the decision rests on, for the audit trail and the benchmark. */
  measures: { deformation: number | null; cuts: number[]; zigzags: number; crowdedFrames: number; rest: Rest | null };
}

export interface LivenessRequest {
  actions: LivenessAction[];
  /** Milliseconds between the challenge's creation and the upload (frames cannot span more). */
  challengeAgeMs?: number;
}

/** Priority of reasons when several apply: the most specific finding first. */
const reasonOrder: LivenessReason[] = [
  'liveness.too_few_frames', 'liveness.frames_replayed', 'liveness.timestamps_implausible', 'liveness.frames_inconsistent',
  'liveness.face_missing', 'liveness.face_too_small', 'liveness.multiple_faces', 'liveness.identity_changed', 'liveness.static_face',
  'liveness.motion_discontinuous', 'liveness.spoof_suspected', 'liveness.wrong_order', 'liveness.action_missing', 'liveness.too_slow',
];
export const sortReasons = (rs: Iterable<LivenessReason>): LivenessReason[] => [...new Set(rs)].sort((a, b) => reasonOrder.indexOf(a) - reasonOrder.indexOf(b));

export async function analyzeLiveness(analyzer: FaceAnalyzer, frames: FrameInput[], req: LivenessRequest): Promise<LivenessAnalysis> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  let lap = started;
  const mark = (stage: string) => { const now = performance.now(); timings[stage] = now - lap; lap = now; };
  if (frames.length > frameLimits.maxFrames) throw new DomainError('liveness.frames_invalid', `At most ${frameLimits.maxFrames} frames are accepted`);
  const times = frames.map((f) => f.t);
  const reasons = new Set<LivenessReason>(checkTiming(times, req.challengeAgeMs));
  const empty = { asked: req.actions.map((action) => ({ action, found: null })), events: [], passiveScore: null, identityMin: null, bestFrame: null };
  const spanMs = frames.length ? times.at(-1)! - times[0]! : 0;
  if (reasons.has('liveness.too_few_frames')) {
    return { live: false, reasons: sortReasons(reasons), ...empty, frames: frames.length, framesWithFace: 0, spanMs, timings, hashes: [], measures: { deformation: null, cuts: [], zigzags: 0, crowdedFrames: 0, rest: null } };
  }

  // 1. each frame on its own (at most `maxAnalysedFps` of them per second)
  const kept = framesToAnalyse(frames);
  const analysed = kept.map((i) => frames[i]!);
  const signals = await measureFrames(analyzer, analysed);
  mark('frames');
  const first = signals[0]!;
  if (signals.some((s) => s.width !== first.width || s.height !== first.height)) reasons.add('liveness.frames_inconsistent');
  // the frames not analysed must still be images of the session's size
  const keptSet = new Set(kept);
  for (const [i, f] of frames.entries()) {
    if (keptSet.has(i)) continue;
    const size = jpegSize(f.bytes) ?? (await decodeFrame(f.bytes, i)).source;
    if (size.width !== first.width || size.height !== first.height) reasons.add('liveness.frames_inconsistent');
  }
  const withFace = signals.filter((s) => s.landmarks);
  // a tracked frame has its face by construction; the detector runs again on every frame after one it missed
  for (const r of checkPresence(signals.map((s) => ({ t: s.t, hasFace: s.landmarks !== undefined })))) reasons.add(r);
  if (withFace.length && median(withFace.map((s) => s.box!.width)) < eyesMinFaceWidth) reasons.add('liveness.face_too_small');
  const crowdedFrames = signals.filter((s) => s.crowded).length;
  if (crowdedFrames > motionLimits.maxCrowdedFrames) reasons.add('liveness.multiple_faces');

  // 2. the series: actions, order, shape change, continuity
  const samples: (PoseSample & { s: FrameSignals })[] = withFace.map((s) => ({ t: s.t, yawDeg: s.yawDeg!, pitchDeg: s.pitchDeg!, eyes: s.eyes!, mouth: s.mouth!, ear: s.ear!, s }));
  const rest = samples.length ? restPose(samples) : null;
  const events = rest ? detectActions(samples, rest) : [];
  const sequence = matchSequence(req.actions, events, first.t);
  for (const r of sequence.reasons) reasons.add(r);
  // motion is followed on the landmarks (the same measure on detected and tracked frames)
  const faceBox = (s: FrameSignals) => pointsBox(s.landmarks!);
  const cuts = findCuts(signals.map((s) => {
    if (!s.landmarks) return { t: s.t, thumb: s.thumb };
    const b = faceBox(s);
    return { t: s.t, thumb: s.thumb, centre: [b.x + b.width / 2, b.y + b.height / 2] as [number, number], width: b.width };
  }));
  const zigs = zigzags(withFace.map((s) => { const b = faceBox(s); return { yawDeg: s.yawDeg!, centreX: b.x + b.width / 2, width: b.width }; }));
  if (cuts.length > motionLimits.maxCuts || zigs > motionLimits.maxZigzags) reasons.add('liveness.motion_discontinuous');

  // 3. the best frontal frame, and frames sampled across the session
  let best: (typeof samples)[number] | undefined, deform: number | null = null;
  if (rest && samples.length) {
    const cost = (p: PoseSample) => Math.abs(p.yawDeg - rest.yawDeg) + Math.abs(p.pitchDeg - rest.pitchDeg)
      + 30 * (1 - (p.eyes ? Math.max(...p.eyes) : Math.min(1, p.ear / rest.ear))) + 100 * Math.max(0, p.mouth - rest.mouth - 0.05);
    best = samples.reduce((m, p) => (cost(p) < cost(m) ? p : m));
    // measured where the detector framed the face: landmarks read in a followed box jitter more
    const detected = withFace.filter((s) => s.detected);
    deform = deformation(detected.map((s) => s.landmarks!), (best.s.detected ? best.s : detected[0] ?? best.s).landmarks!);
    // every action moves landmarks in a way no flat picture can; without one, a rigid face is a photo
    if (events.length === 0 && deform < motionLimits.staticMaxDeformation) reasons.add('liveness.static_face');
  }
  mark('series');
  let identityMin: number | null = null, passiveScore: number | null = null;
  if (best && rest) {
    const near = samples.filter((p) => p !== best && Math.abs(p.yawDeg - rest.yawDeg) <= sessionLimits.sampleMaxPoseDeg && Math.abs(p.pitchDeg - rest.pitchDeg) <= sessionLimits.sampleMaxPoseDeg);
    ({ identityMin, passiveScore } = await sampledChecks(analyzer, analysed, best.s, spread(near, sessionLimits.sampledFrames).map((p) => p.s)));
    if (identityMin !== null && identityMin < sessionLimits.minIdentityCosine) reasons.add('liveness.identity_changed');
    if (passiveScore < sessionLimits.minPassiveLogP) reasons.add('liveness.spoof_suspected');
  }
  mark('identity_and_antispoof');
  timings.total = performance.now() - started;
  return {
    live: reasons.size === 0, reasons: sortReasons(reasons),
    asked: sequence.asked, events, passiveScore, identityMin, bestFrame: best ? kept[best.s.index]! : null,
    frames: frames.length, framesWithFace: withFace.length, spanMs, timings,
    hashes: signals.map((s) => ({ sha256: s.sha256, dhash: s.dhash, thumb: fingerprint(s.thumb) })),
    measures: { deformation: deform, cuts, zigzags: zigs, crowdedFrames, rest },
  };
}

/**
 * Every frame measured at the analysis size. Between detections the face is followed by its
 * landmarks: the last detected box, moved as the landmarks' centre moved. Keeping the
 * detector's box (not one drawn around the landmarks) keeps the landmark model's view, and so
 * the pose readings, the same on both kinds of frame.
 */
async function measureFrames(analyzer: FaceAnalyzer, frames: FrameInput[]): Promise<FrameSignals[]> {
  const signals: FrameSignals[] = [];
  let anchor: { box: Box; centre: [number, number] } | undefined, tracked: Box | undefined, sinceDetection = 0;
  const decode = createFrameDecoder();
  const detectEvery = detectionInterval(frames);
  for (const [i, f] of frames.entries()) {
    const track = sinceDetection < detectEvery - 1 ? tracked : undefined;
    const img = await decode(f.bytes, i, analysisSize, track !== undefined); // the detector alone needs colour
    const s = await frameSignals(analyzer.models, img, img.source, f.bytes, i, f.t, track);
    signals.push(s);
    sinceDetection = s.detected ? 0 : sinceDetection + 1;
    if (!s.landmarks) { anchor = tracked = undefined; continue; }
    const centre = landmarkCentre(s.landmarks);
    if (s.detected) anchor = { box: s.box!, centre };
    tracked = anchor && plausibleTrack(pointsBox(s.landmarks), anchor.box, img)
      ? { ...anchor.box, x: anchor.box.x + centre[0] - anchor.centre[0], y: anchor.box.y + centre[1] - anchor.centre[1] }
      : undefined;
  }
  return signals;
}

/**
 * The best frame and the sampled ones decoded in full: the median passive anti-spoof score over
 * all of them, and the lower similarity (embeddings) to the best frame's face of the first and
 * the last sampled face. A switch of person anywhere between them puts one of the two on the
 * other side of it from the best frame; an embedding costs as much as a dozen tracked frames.
 */
async function sampledChecks(analyzer: FaceAnalyzer, frames: FrameInput[], best: FrameSignals, sampled: FrameSignals[]): Promise<{ identityMin: number | null; passiveScore: number }> {
  const embedded = new Set([best, sampled[0], sampled.at(-1)]);
  const embeddings: Float32Array[] = [];
  const live: number[] = [];
  for (const s of [best, ...sampled]) {
    const img = await decodeFrame(frames[s.index]!.bytes, s.index);
    const k = img.width / s.analysedWidth; // landmarks and box were measured at the analysis size
    if (embedded.has(s)) embeddings.push(await embedFace(analyzer.models.embedder, alignFace(img, fivePoints(s.landmarks!).map(([x, y]) => [x * k, y * k])), analyzer.settings.embedder));
    const b = s.box!;
    live.push(await liveLogProbability(analyzer.models.antispoof, img, { x: b.x * k, y: b.y * k, width: b.width * k, height: b.height * k }));
  }
  const identityMin = embeddings.length > 1 ? Math.min(...embeddings.slice(1).map((v) => cosine(embeddings[0]!, v))) : null;
  return { identityMin, passiveScore: median(live) };
}

/**
 * Indexes of the frames the analysis reads: the first frame of each 1/`maxAnalysedFps` s slot
 * of capture time. A frame up to 5 ms early still counts for its slot, so that whole-millisecond
 * capture times of a 12 fps camera (0, 83, 167, ...) keep every frame.
 */
export function framesToAnalyse(frames: { t: number }[]): number[] {
  const slotMs = 1000 / sessionLimits.maxAnalysedFps;
  const kept: number[] = [];
  let last = -Infinity;
  for (const [i, f] of frames.entries()) {
    const slot = Math.floor((f.t - frames[0]!.t + 5) / slotMs);
    if (slot > last) { kept.push(i); last = slot; }
  }
  return kept;
}

/** Every how many frames the detector runs: `sessionLimits.detectEveryMs` at the session's median frame interval, within the bounds. */
export function detectionInterval(frames: { t: number }[]): number {
  const { min, max } = sessionLimits.detectEveryFrames;
  const gaps = frames.slice(1).map((f, i) => f.t - frames[i]!.t).filter((g) => g > 0);
  if (gaps.length === 0) return min;
  return Math.min(max, Math.max(min, Math.round(sessionLimits.detectEveryMs / median(gaps))));
}

const landmarkCentre = (p: Point[]): [number, number] => [p.reduce((a, q) => a + q[0], 0) / p.length, p.reduce((a, q) => a + q[1], 0) / p.length];

/**
 * Whether the landmarks still hold a face to follow: about as wide as the detected face (a
 * landmark model shown no face shrinks or spreads its points) and inside the frame.
 */
function plausibleTrack(landmarks: Box, face: Box, img: { width: number; height: number }): boolean {
  const ratio = landmarks.width / face.width;
  const inside = landmarks.x > 0 && landmarks.y > 0 && landmarks.x + landmarks.width < img.width && landmarks.y + landmarks.height < img.height;
  return ratio > 0.7 && ratio < 1.4 && landmarks.width >= 16 && inside;
}

/** Up to `n` items spread evenly over `xs` (in order). */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(((i + 0.5) * xs.length) / n)]!);
}
