/**
 * Liveness as the rest of Portrait sees it: the frames a client uploads for a challenge, the
 * limits on them, the reason codes a decision can carry, and the decision itself. A liveness
 * decision is an expected outcome (data with reasons), never an exception.
 */
import type { LivenessAction } from './challenge.ts';

/** One captured frame: its capture time in milliseconds from the first frame, and its bytes (JPEG, PNG or WebP). */
export interface FrameInput {
  t: number;
  bytes: Uint8Array;
}

/** What an upload may hold; documented in the OpenAPI schema of the frames route. */
export const frameLimits = {
  /** Fewer frames cannot show 2-3 actions; the analysis refuses them (`liveness.too_few_frames`). */
  minFrames: 12,
  maxFrames: 240,
  /** Bytes of one encoded frame. */
  maxFrameBytes: 400 * 1024,
  /** Pixels of one frame (1280x960). */
  maxFramePixels: 1280 * 960,
  /** Frame rates a camera and the browser helper deliver; outside, the timing is implausible. */
  minFps: 5,
  maxFps: 31,
  /** The longest gap between two frames in milliseconds. */
  maxGapMs: 700,
  /** The shortest and longest span of a session's frames in milliseconds. */
  minSpanMs: 1000,
  maxSpanMs: 30_000,
} as const;

/** Every reason a liveness decision can carry, one per finding; stable, never renamed. */
export const livenessReasons = {
  'liveness.too_few_frames': 'Too few frames to see the actions',
  'liveness.timestamps_implausible': 'Frame times are out of order, too dense, too sparse, or span more time than the challenge existed',
  'liveness.frames_inconsistent': 'Frames of different sizes: they do not come from one camera stream',
  'liveness.face_missing': 'No face in too many frames',
  'liveness.face_too_small': 'The face is too small to see the eyes: come closer to the camera',
  'liveness.multiple_faces': 'More than one face in the frames',
  'liveness.identity_changed': 'The frames do not show the same person throughout',
  'liveness.static_face': 'The face never changes shape: a photo moved in front of the camera',
  'liveness.motion_discontinuous': 'The face jumps between frames: frames shuffled or spliced from different recordings',
  'liveness.action_missing': 'An asked action was not seen',
  'liveness.wrong_order': 'The asked actions were seen, but not in the asked order',
  'liveness.too_slow': 'An asked action came too long after the previous one',
  'liveness.spoof_suspected': 'The passive anti-spoof model sees a printed or screen-shown face',
  'liveness.frames_replayed': 'Frames of this upload were already seen in an earlier session',
} as const;

export type LivenessReason = keyof typeof livenessReasons;

/** An action found in the frames, with when it happened (milliseconds, frame times). */
export interface ActionEvent {
  action: LivenessAction;
  startMs: number;
  endMs: number;
  /** The frame time of the strongest moment. */
  peakMs: number;
  /** How strong: degrees of yaw or pitch away from rest, mouth opening, or eye closure (1 - open probability). */
  strength: number;
}

export interface LivenessDecision {
  live: boolean;
  /** Every finding, most telling first; empty when live. */
  reasons: LivenessReason[];
  /** The actions that were asked, and for each the event that satisfied it (in order) or null. */
  asked: { action: LivenessAction; found: ActionEvent | null }[];
  /** Every action event seen, in time order (including spontaneous blinks). */
  events: ActionEvent[];
  /** Median over sampled frames of the passive model's log10 probability that the face is live. */
  passiveScore: number | null;
  /** The lowest cosine similarity between a sampled frame and the best frame. */
  identityMin: number | null;
  /** Index of the best frontal frame (the one matched against the ID photo). */
  bestFrame: number | null;
  frames: number;
  framesWithFace: number;
  spanMs: number;
  /** Milliseconds of analysis per stage and CPU time of the analysing thread. */
  timings: Record<string, number>;
}
