/**
 * Test harness only: a LivenessChecker whose decisions the test scripts, for exercising the
 * workflow around liveness (sessions, binding to the face step, replays, access) apart from
 * the real frame analysis, which has its own tests on real clips. Like the scripted face
 * verifier, it refuses to exist unless the test harness is on, and the server never wires it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { Keyring } from '../privacy/keyring.ts';
import type { Principal } from '../staff/principal.ts';
import type { VerificationPurpose } from '../verification/verification.ts';
import type { LivenessAnalysis, LivenessRequest } from './analyze.ts';
import type { FrameInput, LivenessReason } from './liveness.ts';
import { createLivenessService, type LivenessChecker, type LivenessService } from './liveness.service.ts';

export interface ScriptedLivenessChecker extends LivenessChecker {
  /** Queue the next outcomes: `true` = live, or the reasons of a failure. */
  next(...outcomes: (true | LivenessReason[])[]): void;
  calls: { frames: FrameInput[]; request: LivenessRequest }[];
}

/**
 * `realDigests`: fingerprint frames by the SHA-256 of their bytes, so that a verbatim replay is
 * caught; by default every call's fingerprints are random (tests reuse the same dummy frames).
 */
export function scriptedLivenessChecker(opts: { testHarness: boolean; realDigests?: boolean }): ScriptedLivenessChecker {
  if (!opts.testHarness) throw new Error('The scripted liveness checker exists only in the test harness');
  const queue: (true | LivenessReason[])[] = [];
  const calls: ScriptedLivenessChecker['calls'] = [];
  return {
    calls,
    next(...outcomes) { queue.push(...outcomes); },
    async checkLiveness(frames, request): Promise<LivenessAnalysis> {
      calls.push({ frames, request });
      const outcome = queue.shift() ?? true;
      const reasons = outcome === true ? [] : outcome;
      return {
        live: reasons.length === 0, reasons,
        asked: request.actions.map((action, i) => ({ action, found: reasons.length ? null : { action, startMs: i * 1000, endMs: i * 1000 + 400, peakMs: i * 1000 + 200, strength: 1 } })),
        events: [], passiveScore: 0, identityMin: 0.9, bestFrame: 0, frames: frames.length, framesWithFace: frames.length,
        spanMs: (frames.at(-1)?.t ?? 0) - (frames[0]?.t ?? 0), timings: {},
        hashes: frames.map((f) => ({
          sha256: opts.realDigests ? createHash('sha256').update(f.bytes).digest('hex') : randomBytes(32).toString('hex'), dhash: randomBytes(8).toString('hex'), thumb: new Uint8Array(randomBytes(768)),
        })),
        measures: { deformation: 0.2, cuts: [], zigzags: 0, crowdedFrames: 0, rest: { yawDeg: 0, pitchDeg: 0, mouth: 0, ear: 0.35 } },
      };
    },
  };
}

/** Frames that look like an upload to the service: distinct bytes, 10 fps. The first is the best frame. */
export function harnessFrames(bestFrame: Buffer, n = 20): FrameInput[] {
  return [{ t: 0, bytes: bestFrame }, ...Array.from({ length: n - 1 }, (_, i) => ({ t: (i + 1) * 100, bytes: randomBytes(64) }))];
}

export interface TestLiveness {
  service: LivenessService;
  checker: ScriptedLivenessChecker;
  /** A passed liveness session of this registration whose best frame is `liveFrame`. */
  pass(agent: Principal, registrationId: string, liveFrame: Buffer): Promise<string>;
  /** A passed liveness session of a minor's guardian in this registration. */
  passGuardian(agent: Principal, registrationId: string, liveFrame: Buffer): Promise<string>;
  /**
   * A passed liveness session for an identity verification of `purpose` (for the operator
   * `tenantId`, when given), started and uploaded by `who` (undefined: anonymous self-service).
   */
  passForVerification(who: Principal | undefined, purpose: VerificationPurpose, liveFrame: Buffer, tenantId?: string): Promise<string>;
}

export function testLiveness(db: Database, keyring: Keyring, clock: () => Date): TestLiveness {
  const checker = scriptedLivenessChecker({ testHarness: true });
  const service = createLivenessService({ db, keyring, clock, checker, testHarness: true });
  return {
    service, checker,
    async pass(agent, registrationId, liveFrame) {
      return passed(agent, await service.createForRegistration(agent, registrationId), liveFrame);
    },
    async passGuardian(agent, registrationId, liveFrame) {
      return passed(agent, await service.createForGuardian(agent, registrationId), liveFrame);
    },
    async passForVerification(who, purpose, liveFrame, tenantId) {
      return passed(who, await service.createForVerification(who, { purpose, ...(tenantId ? { tenantId } : {}) }), liveFrame);
    },
  };

  async function passed(who: Principal | undefined, c: { sessionId: string; nonce: string }, liveFrame: Buffer): Promise<string> {
    const r = await service.submitFrames(who, c.sessionId, c.nonce, harnessFrames(liveFrame));
    if (!r.live) throw new Error(`the scripted liveness session failed: ${r.reasons.join(', ')}`);
    return c.sessionId;
  }
}
