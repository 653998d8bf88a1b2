/**
 * Liveness challenges: what the server asks the person in front of the camera to do. The
 * sequence of 2-3 actions is drawn from a CSPRNG when the session is created and is known only
 * to the server until the client shows it; the nonce binds uploaded frames to this one session,
 * and the expiry (default 60 s) bounds how long a recording could be prepared.
 * Pure: the clock and the random source are parameters.
 */
import { randomBytes, randomInt } from 'node:crypto';

export const livenessActions = ['blink', 'turn_left', 'turn_right', 'nod', 'open_mouth'] as const;
export type LivenessAction = typeof livenessActions[number];

/**
 * What a challenge is for: a registration's live capture (the person registering, or a minor's
 * guardian), or an identity verification of one of its purposes.
 */
export const challengePurposes = ['registration', 'guardian', 'self_service', 'reverification', 'transfer'] as const;
export type ChallengePurpose = typeof challengePurposes[number];

export interface Challenge {
  /** 32 random bytes, base64url: tags every frame upload of this session. */
  nonce: string;
  purpose: ChallengePurpose;
  /** The registration (or verification) the live face will be matched for. */
  subjectId: string;
  actions: LivenessAction[];
  createdAt: Date;
  expiresAt: Date;
}

export interface ChallengeOptions {
  /** Seconds the person has to complete the actions and the client to upload (10-600). */
  ttlSeconds: number;
  /** Number of actions, 2 or 3. */
  actionCount: 2 | 3;
}

export const defaultChallengeOptions: ChallengeOptions = { ttlSeconds: 60, actionCount: 3 };

/** Integer in [0, max): injectable so tests can fix the draw. */
export type RandomInt = (max: number) => number;

/**
 * A fresh challenge. Actions never repeat within one challenge, and turn_left and turn_right are
 * never adjacent in either order (a single sweep of the head would otherwise satisfy both).
 */
export function createChallenge(purpose: ChallengePurpose, subjectId: string, now: Date,
  opts: ChallengeOptions = defaultChallengeOptions, random: RandomInt = (max) => randomInt(max)): Challenge {
  if (opts.ttlSeconds < 10 || opts.ttlSeconds > 600) throw new RangeError('ttlSeconds must be 10-600');
  const actions: LivenessAction[] = [];
  while (actions.length < opts.actionCount) {
    const candidates = livenessActions.filter((a) => !actions.includes(a) && !(isTurn(a) && isTurn(actions.at(-1))));
    actions.push(candidates[random(candidates.length)]!);
  }
  return {
    nonce: randomBytes(32).toString('base64url'), purpose, subjectId, actions,
    createdAt: now, expiresAt: new Date(now.getTime() + opts.ttlSeconds * 1000),
  };
}

const isTurn = (a: LivenessAction | undefined) => a === 'turn_left' || a === 'turn_right';

/** Why a challenge can no longer take frames, or undefined when it can. */
export function challengeRefusal(c: Challenge, now: Date): 'liveness.challenge_expired' | undefined {
  return now >= c.expiresAt ? 'liveness.challenge_expired' : undefined;
}

/** Human-readable instruction for each action, for clients that show the sequence. */
export const actionPrompts: Record<LivenessAction, { en: string; 'zh-CN': string }> = {
  blink: { en: 'Blink', 'zh-CN': '请眨眼' },
  turn_left: { en: 'Turn your head to your left', 'zh-CN': '请向左转头' },
  turn_right: { en: 'Turn your head to your right', 'zh-CN': '请向右转头' },
  nod: { en: 'Nod', 'zh-CN': '请点头' },
  open_mouth: { en: 'Open your mouth', 'zh-CN': '请张嘴' },
};
