/**
 * Liveness use cases: issue a challenge for a registration (after biometric consent) or an
 * identity verification, take the frames of one upload, have them analysed in a face worker, check them against earlier
 * sessions' fingerprints (replays), and record the decision with its audit event. The face
 * step later reads the passed session's best frame (`readBestFrame`) and uses the session up in
 * the statement that saves its decision, which binds the match to the live face.
 *
 * Round trips: a challenge is one statement; an upload is three (the claim, the replay lookup,
 * the decision with its fingerprints and audit event), with the analysis between the first two.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { actorOf, assertStoreAccess, requireStaff, type Principal, type Role } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { faceVerificationTenant, verificationPurposes, type VerificationPurpose } from '../verification/verification.ts';
import { isUuid } from '../db/ids.ts';
import { guardianStates, type RegistrationState } from '../registration/registration.ts';
import { actionPrompts, createChallenge, defaultChallengeOptions, livenessActions, type Challenge, type LivenessAction, type RandomInt } from './challenge.ts';
import { sortReasons, type LivenessAnalysis, type LivenessRequest } from './analyze.ts';
import { frameLimits, livenessReasons, type FrameInput, type LivenessDecision } from './liveness.ts';
import { createLivenessRepository, type AuditRecord, type LivenessSession } from './liveness.repository.ts';
import { checkAccess, frontDeskScope, FRONT_DESK } from './liveness.access.ts';
import { packFingerprints, replays, unpackFingerprints } from './replay.ts';

/** Runs the analysis of one upload (the face worker pool, or the test harness's script). */
export interface LivenessChecker {
  checkLiveness(frames: FrameInput[], req: LivenessRequest): Promise<LivenessAnalysis>;
}

export interface LivenessSettings {
  /** Seconds a challenge stays open for its upload. */
  challengeTtlSeconds: number;
  actionCount: 2 | 3;
  /** How long frame fingerprints are kept to catch replays, hours. */
  replayWindowHours: number;
  /** Challenges one registration may take before manual review is the way on. */
  maxSessionsPerRegistration: number;
  /** Minutes a passed session's best frame waits for the face step. */
  bestFrameTtlMinutes: number;
}

export const defaultLivenessSettings: LivenessSettings = {
  challengeTtlSeconds: defaultChallengeOptions.ttlSeconds, actionCount: 3, replayWindowHours: 24, maxSessionsPerRegistration: 5, bestFrameTtlMinutes: 10,
};

export interface LivenessDeps {
  db: Database;
  keyring: Keyring;
  clock: () => Date;
  /** Undefined: no face engine, so no liveness (the face step is unavailable too). */
  checker: LivenessChecker | undefined;
  settings?: Partial<LivenessSettings>;
  /** Test harness only: lets a caller fix the actions of a challenge. */
  testHarness?: boolean;
  /** Test harness only (PORTRAIT_TEST_CHALLENGE): the actions of every challenge a caller does not fix. */
  testChallenge?: readonly LivenessAction[];
  random?: RandomInt;
}

/** What is kept of a decision (no fingerprints): the session's `result`, its audit details, the API's answer. */
export type StoredResult = Omit<LivenessDecision, 'timings'> & { timings: Record<string, number> };

export interface ChallengeView {
  sessionId: string;
  nonce: string;
  purpose: string;
  actions: LivenessAction[];
  prompts: { action: LivenessAction; en: string; 'zh-CN': string }[];
  expiresAt: string;
  limits: typeof frameLimits;
}

export interface ResultView extends StoredResult {
  sessionId: string;
  state: string;
  reasonMessages: { code: string; message: string }[];
}

const hashNonce = (nonce: string) => createHash('sha256').update(nonce).digest();
/**
 * Candidate sessions compared thumbnail by thumbnail in the replay check: the most recent ones
 * sharing an exact difference hash (a copy keeps most of them; a moving person at another moment
 * none; a person keeping still before the same camera many, hence the bound).
 */
const MAX_REPLAY_CANDIDATES = 20;
const THUMB_BYTES = 32 * 24;
/** Attempts of a challenge whose registration changed between the statement's read and its update. */
const CHALLENGE_ATTEMPTS = 3;

/** Which registrations a challenge of this purpose may be taken in. */
interface ChallengeRule { states: readonly RegistrationState[]; biometric: boolean; refusal: (state: string) => string }

const challengeRules: Record<'registration' | 'guardian', ChallengeRule> = {
  registration: { states: ['consent_recorded'], biometric: true, refusal: (state) => `A liveness challenge needs biometric consent and no face decision yet (state '${state}')` },
  guardian: { states: guardianStates, biometric: false, refusal: (state) => `A guardian is recorded before the rules are checked (state '${state}')` },
};

/** What the face step's save must check to use a session up: still passed, passed since `passedSince`, of this purpose and registration. */
export interface LivenessSessionUse { sessionId: string; purpose: 'registration'; passedSince: Date }

export function createLivenessService(deps: LivenessDeps) {
  const { db, keyring, clock } = deps;
  const settings: LivenessSettings = { ...defaultLivenessSettings, ...deps.settings };
  const repo = createLivenessRepository(keyring);

  function view(s: LivenessSession): ResultView {
    if (!s.result) throw new DomainError('liveness.session_not_found', 'This session has no result yet');
    return { sessionId: s.id, state: s.state, ...s.result, reasonMessages: s.result.reasons.map((code) => ({ code, message: livenessReasons[code] })) };
  }

  /** The session, after checking that this caller may act on it (`checkAccess`). */
  async function accessible(q: Queryable, p: Principal | undefined, id: string, roles: readonly Role[]): Promise<LivenessSession> {
    const s = await repo.findScoped(q, id);
    if (!s) throw new DomainError('liveness.session_not_found');
    checkAccess(p, s, roles);
    return s;
  }

  function challengeView(session: Pick<LivenessSession, 'id' | 'purpose' | 'actions' | 'expiresAt'>, nonce: string): ChallengeView {
    return {
      sessionId: session.id, nonce, purpose: session.purpose, actions: session.actions,
      prompts: session.actions.map((action) => ({ action, ...actionPrompts[action] })), expiresAt: session.expiresAt.toISOString(), limits: frameLimits,
    };
  }

  /** The challenge's actions: drawn at random, or fixed by a test in the harness. */
  function actionsFor(challenge: Challenge, asked: LivenessAction[] | undefined): LivenessAction[] {
    const fixed = asked ?? (deps.testChallenge ? [...deps.testChallenge] : undefined);
    if (!fixed) return challenge.actions;
    if (!deps.testHarness) throw new DomainError('request.invalid', 'Fixed challenge actions exist only in the test harness');
    if (fixed.length === 0 || fixed.some((a) => !livenessActions.includes(a))) throw new DomainError('request.invalid', 'Unknown action');
    return fixed;
  }

  /** Refuses a session that is not a passed, fresh one that `fits`. */
  function assertUsable(s: LivenessSession | undefined, now: Date, fits: (s: LivenessSession) => boolean): asserts s is LivenessSession {
    if (!s || !fits(s)) throw new DomainError('liveness.required', 'The liveness session is not one for this');
    if (s.state !== 'passed') throw new DomainError('liveness.required', `The liveness session is ${s.state}, not passed`);
    if (!s.analysedAt || s.analysedAt < passedSince(now)) {
      throw new DomainError('liveness.required', 'The liveness session passed too long ago; take a new challenge');
    }
  }

  /** The earliest analysis time of a session whose best frame may still be used at `now`. */
  function passedSince(now: Date): Date {
    return new Date(now.getTime() - settings.bestFrameTtlMinutes * 60_000);
  }

  /** A passed, fresh session that `fits` (locked, inside the caller's transaction): its best frame, the session used up. */
  async function takeFrame(q: Queryable, sessionId: string, now: Date, fits: (s: LivenessSession) => boolean): Promise<Buffer> {
    assertUsable(await repo.find(q, sessionId, true), now, fits);
    const frame = await repo.takeBestFrame(q, sessionId, now);
    if (!frame) throw new DomainError('liveness.required', 'The liveness session has no frame left');
    return frame;
  }

  /** Is this upload (or part of it) a copy of an earlier session's frames? */
  async function replayed(q: Queryable, a: LivenessAnalysis, thumbs: Uint8Array[], since: Date): Promise<boolean> {
    if (a.hashes.length === 0) return false;
    const { digestHit, similar } = await repo.replayCandidates(q, a.hashes.map((h) => h.sha256), a.hashes.map((h) => h.dhash), since, MAX_REPLAY_CANDIDATES);
    return digestHit || similar.some((c) => replays(thumbs, unpackFingerprints(c.thumbs, THUMB_BYTES)));
  }

  /**
   * A challenge bound to a registration, for the person registering or their guardian: one
   * statement checks the registration (under its row lock) and the cap, and inserts the session
   * with its audit event (`insertForRegistration`). When it created nothing, the registration as
   * that statement read it says why; if it says nothing is wrong, the row changed between the
   * statement's read and its update, and the challenge is tried again on a new read.
   */
  async function createForRegistrationPerson(p: Principal | undefined, registrationId: string, purpose: 'registration' | 'guardian', opts: { actions?: LivenessAction[] }): Promise<ChallengeView> {
    const principal = requireStaff(p, FRONT_DESK);
    if (!deps.checker) throw new DomainError('registration.face_engine_unavailable');
    if (!isUuid(registrationId)) throw new DomainError('registration.not_found');
    const rule = challengeRules[purpose];
    for (let attempt = 1; ; attempt++) {
      const now = clock();
      const challenge = createChallenge(purpose, registrationId, now, { ttlSeconds: settings.challengeTtlSeconds, actionCount: settings.actionCount }, deps.random);
      const session = {
        id: randomUUID(), purpose, registrationId, nonceHash: hashNonce(challenge.nonce),
        actions: actionsFor(challenge, opts.actions), state: 'open' as const, createdBy: principal.staffId, createdAt: now, expiresAt: challenge.expiresAt,
        analysedAt: null, usedAt: null, result: null,
      };
      const { registration: reg, created } = await repo.insertForRegistration(db, session,
        { tenantId: principal.tenantId, storeId: principal.storeId, states: rule.states, biometric: rule.biometric, cap: settings.maxSessionsPerRegistration },
        { actor: actorOf(principal), action: 'liveness.challenge_created', subjectType: 'registration', subjectId: registrationId,
          details: { sessionId: session.id, purpose, actions: session.actions, expiresAt: challenge.expiresAt.toISOString() } });
      if (created) return challengeView(session, challenge.nonce);
      if (!reg) throw new DomainError('registration.not_found');
      assertStoreAccess(principal, reg.tenantId, reg.storeId);
      if (!(rule.states as readonly string[]).includes(reg.state) || (rule.biometric && !reg.biometric)) {
        throw new DomainError('registration.invalid_transition', rule.refusal(reg.state));
      }
      if (now >= reg.expiresAt) throw new DomainError('registration.expired');
      if (reg.livenessSessions >= settings.maxSessionsPerRegistration) throw new DomainError('liveness.too_many_sessions');
      if (attempt >= CHALLENGE_ATTEMPTS) throw new DomainError('registration.concurrent_update', 'Another request changed this registration; reload and retry');
    }
  }

  return {
    settings,

    /** A new challenge for a registration whose biometric consent is recorded. */
    createForRegistration(p: Principal | undefined, registrationId: string, opts: { actions?: LivenessAction[] } = {}): Promise<ChallengeView> {
      return createForRegistrationPerson(p, registrationId, 'registration', opts);
    },

    /**
     * A new challenge for a minor's guardian, verified by face during the registration (from
     * the document's capture until the rules are checked, as the guardian step itself).
     */
    createForGuardian(p: Principal | undefined, registrationId: string, opts: { actions?: LivenessAction[] } = {}): Promise<ChallengeView> {
      return createForRegistrationPerson(p, registrationId, 'guardian', opts);
    },

    /**
     * A new challenge for an identity verification (self-service lookup, re-verification,
     * transfer), under the same access rules as the verification itself: anyone for
     * self-service and re-verification, front-desk staff at their operator for every purpose.
     */
    async createForVerification(p: Principal | undefined, input: { purpose: VerificationPurpose; tenantId?: string; actions?: LivenessAction[] }): Promise<ChallengeView> {
      if (!deps.checker) throw new DomainError('registration.face_engine_unavailable');
      if (!(verificationPurposes as readonly string[]).includes(input.purpose)) throw new DomainError('request.invalid', 'Unknown verification purpose');
      const tenantId = faceVerificationTenant(p, input.purpose, input.tenantId);
      if (tenantId !== undefined && !(isUuid(tenantId) && await tenantsRepository.getTenant(db, tenantId))) throw new DomainError('tenant.not_found');
      const now = clock();
      const challenge = createChallenge(input.purpose, tenantId ?? '', now, { ttlSeconds: settings.challengeTtlSeconds, actionCount: settings.actionCount }, deps.random);
      const session: LivenessSession = {
        id: randomUUID(), tenantId: tenantId ?? null, purpose: input.purpose, registrationId: null, nonceHash: hashNonce(challenge.nonce),
        actions: actionsFor(challenge, input.actions), state: 'open', createdBy: p?.kind === 'staff' ? p.staffId : null, createdAt: now, expiresAt: challenge.expiresAt,
        analysedAt: null, usedAt: null, result: null,
      };
      await repo.insert(db, session, {
        tenantId: session.tenantId, actor: p ? actorOf(p) : { type: 'subscriber', id: null }, action: 'liveness.challenge_created',
        subjectType: 'liveness_session', subjectId: session.id, details: { purpose: input.purpose, actions: session.actions, expiresAt: session.expiresAt.toISOString() },
      });
      return challengeView(session, challenge.nonce);
    },

    /**
     * One upload of frames for a session: analysed once (a second upload is refused with
     * `liveness.nonce_used`), checked for replays, and recorded as passed or failed with reasons.
     */
    async submitFrames(p: Principal | undefined, sessionId: string, nonce: string, frames: FrameInput[]): Promise<ResultView> {
      if (!deps.checker) throw new DomainError('registration.face_engine_unavailable');
      const given = hashNonce(nonce);
      const receivedAt = clock();
      // One statement reads the session and claims it if every check below would pass; the
      // checks then name what was wrong, from what that statement read.
      const { session, claimed } = await repo.claim(db, sessionId, given, receivedAt, frontDeskScope(p));
      try {
        if (!session) throw new DomainError('liveness.session_not_found');
        checkAccess(p, session, FRONT_DESK);
        if (!timingSafeEqual(given, session.nonceHash)) throw new DomainError('liveness.nonce_mismatch');
        if (session.state !== 'open') throw new DomainError('liveness.nonce_used');
        if (receivedAt >= session.expiresAt) throw new DomainError('liveness.challenge_expired');
      } catch (e) {
        if (claimed) await repo.release(db, sessionId); // the claim and these checks disagreed: nothing may come of it
        throw e;
      }
      if (!claimed) throw new DomainError('liveness.nonce_used'); // a concurrent upload took it first
      let analysis: LivenessAnalysis;
      try {
        analysis = await deps.checker.checkLiveness(frames, { actions: session.actions, challengeAgeMs: receivedAt.getTime() - session.createdAt.getTime() });
      } catch (e) {
        await repo.release(db, sessionId); // nothing was judged: the same challenge may take a corrected upload
        throw e;
      }
      const thumbs = analysis.hashes.map((h) => h.thumb);
      const since = new Date(receivedAt.getTime() - settings.replayWindowHours * 3_600_000);
      const reasons = [...analysis.reasons];
      if (await replayed(db, analysis, thumbs, since)) reasons.push('liveness.frames_replayed');
      const { hashes: _h, measures, ...decision } = analysis;
      const result: StoredResult = { ...decision, reasons: sortReasons(reasons), live: reasons.length === 0 };
      const bestFrame = result.live && result.bestFrame !== null ? frames[result.bestFrame]!.bytes : undefined;
      const now = clock();
      const audit: AuditRecord = {
        tenantId: session.tenantId, actor: p ? actorOf(p) : { type: 'subscriber', id: null }, action: result.live ? 'liveness.passed' : 'liveness.failed',
        subjectType: session.registrationId ? 'registration' : 'liveness_session', subjectId: session.registrationId ?? session.id,
        details: {
          sessionId, reasons: result.reasons, asked: result.asked.map((x) => ({ action: x.action, atMs: x.found?.peakMs ?? null })),
          passiveScore: result.passiveScore, identityMin: result.identityMin, frames: result.frames, spanMs: result.spanMs, deformation: measures.deformation,
        },
      };
      await repo.finish(db, sessionId, {
        passed: result.live, result, bestFrame, at: now, audit,
        fingerprints: analysis.hashes.length > 0
          ? { sha256: analysis.hashes.map((h) => h.sha256), dhash: analysis.hashes.map((h) => h.dhash), thumbs: packFingerprints(thumbs) }
          : undefined,
      });
      return view({ ...session, state: result.live ? 'passed' : 'failed', result });
    },

    async get(p: Principal | undefined, sessionId: string): Promise<ResultView | { sessionId: string; state: string }> {
      const s = await accessible(db, p, sessionId, [...FRONT_DESK, 'operator_admin']);
      return s.result ? view(s) : { sessionId: s.id, state: s.state };
    },

    /**
     * For the registration's face step: the best frame of a passed, fresh session of this
     * registration, read but not used up, and what the step's save checks again when it uses the
     * session up in the statement that records the decision (`SaveEffects.useLivenessSession`).
     */
    async readBestFrame(q: Queryable, sessionId: string, registrationId: string, now: Date): Promise<{ frame: Buffer; use: LivenessSessionUse }> {
      const found = isUuid(sessionId) ? await repo.findWithFrame(q, sessionId) : undefined;
      assertUsable(found?.session, now, (s) => s.purpose === 'registration' && s.registrationId === registrationId);
      const frame = found?.frame;
      if (!frame) throw new DomainError('liveness.required', 'The liveness session has no frame left');
      return { frame, use: { sessionId, purpose: 'registration', passedSince: passedSince(now) } };
    },

    /** For the guardian step, inside its transaction: the best frame of the guardian's passed session of this registration, used up. */
    takeGuardianFrame(q: Queryable, sessionId: string, registrationId: string, now: Date): Promise<Buffer> {
      return takeFrame(q, sessionId, now, (s) => s.purpose === 'guardian' && s.registrationId === registrationId);
    },

    /**
     * For an identity verification, inside its transaction: the best frame of a passed session
     * started for this purpose (and operator, when the session named one), used up by it.
     */
    takeForVerification(q: Queryable, sessionId: string, purpose: VerificationPurpose, tenantId: string | undefined, now: Date): Promise<Buffer> {
      return takeFrame(q, sessionId, now, (s) => s.purpose === purpose && s.registrationId === null && (s.tenantId === null || s.tenantId === (tenantId ?? null)));
    },

    /** Sweeper: expire challenges, drop best frames that waited too long, forget old fingerprints. */
    sweep(): Promise<number> {
      const now = clock();
      return repo.sweep(db, now, new Date(now.getTime() - settings.replayWindowHours * 3_600_000), new Date(now.getTime() - settings.bestFrameTtlMinutes * 60_000));
    },
  };
}

export type LivenessService = ReturnType<typeof createLivenessService>;
