/**
 * Liveness use cases: issue a challenge for a registration (after biometric consent) or an
 * identity verification, take the frames of one upload, have them analysed in a face worker, check them against earlier
 * sessions' fingerprints (replays), and record the decision with its audit event. The face
 * step later takes the passed session's best frame (`takeBestFrame`), which binds the match to
 * the live face and uses the session up.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { DomainError } from '../errors/errors.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Keyring } from '../privacy/keyring.ts';
import { actorOf, assertStoreAccess, assertTenantAccess, requireStaff, type Principal, type Role } from '../staff/principal.ts';
import { tenantsRepository } from '../tenants/tenants.repository.ts';
import { faceVerificationTenant, verificationPurposes, type VerificationPurpose } from '../verification/verification.ts';
import { isUuid } from '../db/ids.ts';
import { guardianStates } from '../registration/registration.ts';
import { actionPrompts, createChallenge, defaultChallengeOptions, livenessActions, type Challenge, type LivenessAction, type RandomInt } from './challenge.ts';
import { sortReasons, type LivenessAnalysis, type LivenessRequest } from './analyze.ts';
import { frameLimits, livenessReasons, type FrameInput, type LivenessDecision } from './liveness.ts';
import { createLivenessRepository, type LivenessSession } from './liveness.repository.ts';
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

const FRONT_DESK: readonly Role[] = ['agent', 'store_manager'];
const hashNonce = (nonce: string) => createHash('sha256').update(nonce).digest();
/**
 * Candidate sessions compared thumbnail by thumbnail in the replay check: the most recent ones
 * sharing an exact difference hash (a copy keeps most of them; a moving person at another moment
 * none; a person keeping still before the same camera many, hence the bound).
 */
const MAX_REPLAY_CANDIDATES = 20;
const THUMB_BYTES = 32 * 24;

export function createLivenessService(deps: LivenessDeps) {
  const { db, keyring, clock } = deps;
  const settings: LivenessSettings = { ...defaultLivenessSettings, ...deps.settings };
  const repo = createLivenessRepository(keyring);

  function view(s: LivenessSession): ResultView {
    if (!s.result) throw new DomainError('liveness.session_not_found', 'This session has no result yet');
    return { sessionId: s.id, state: s.state, ...s.result, reasonMessages: s.result.reasons.map((code) => ({ code, message: livenessReasons[code] })) };
  }

  async function registrationOf(q: Queryable, registrationId: string, forUpdate = false) {
    const { rows } = await q.query<{ tenant_id: string; store_id: string; state: string; expires_at: Date; biometric: boolean | null }>(
      `SELECT tenant_id, store_id, state, expires_at, (consent->>'biometric')::boolean AS biometric FROM registrations WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [registrationId]);
    return rows[0];
  }

  /**
   * The session, after checking that this caller may act on it: a registration's at the
   * registration's store; one a staff member started, by staff of that operator; a
   * self-service one, by whoever holds its nonce (checked by the upload).
   */
  async function accessible(q: Queryable, p: Principal | undefined, id: string, roles: readonly Role[]): Promise<LivenessSession> {
    const s = await repo.find(q, id);
    if (!s) throw new DomainError('liveness.session_not_found');
    if (s.registrationId) { // the person registering, or their guardian
      const principal = requireStaff(p, roles);
      const reg = await registrationOf(q, s.registrationId!);
      if (!reg) throw new DomainError('liveness.session_not_found');
      assertStoreAccess(principal, reg.tenant_id, reg.store_id);
    } else if (s.createdBy) {
      assertTenantAccess(requireStaff(p, roles), s.tenantId!);
    }
    return s;
  }

  function challengeView(session: LivenessSession, nonce: string): ChallengeView {
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

  /** A passed, fresh session of this purpose outside any registration: its best frame, the session used up. */
  async function takeFrame(q: Queryable, sessionId: string, now: Date, fits: (s: LivenessSession) => boolean): Promise<Buffer> {
    const s = await repo.find(q, sessionId, true);
    if (!s || !fits(s)) throw new DomainError('liveness.required', 'The liveness session is not one for this');
    if (s.state !== 'passed') throw new DomainError('liveness.required', `The liveness session is ${s.state}, not passed`);
    if (!s.analysedAt || now.getTime() - s.analysedAt.getTime() > settings.bestFrameTtlMinutes * 60_000) {
      throw new DomainError('liveness.required', 'The liveness session passed too long ago; take a new challenge');
    }
    const frame = await repo.takeBestFrame(q, sessionId, now);
    if (!frame) throw new DomainError('liveness.required', 'The liveness session has no frame left');
    return frame;
  }

  /** Is this upload (or part of it) a copy of an earlier session's frames? */
  async function replayed(q: Queryable, a: LivenessAnalysis, thumbs: Uint8Array[], since: Date): Promise<boolean> {
    if (a.hashes.length === 0) return false;
    if ((await repo.sessionsWithDigests(q, a.hashes.map((h) => h.sha256), since)).length > 0) return true;
    const candidates = await repo.similarSessions(q, a.hashes.map((h) => h.dhash), since, MAX_REPLAY_CANDIDATES);
    return candidates.some((c) => replays(thumbs, unpackFingerprints(c.thumbs, THUMB_BYTES)));
  }

  /** A challenge bound to a registration, for the person registering or their guardian. */
  function createForRegistrationPerson(p: Principal | undefined, registrationId: string, purpose: 'registration' | 'guardian',
    opts: { actions?: LivenessAction[] }, allowed: (reg: { state: string; biometric: boolean | null }) => void): Promise<ChallengeView> {
    const principal = requireStaff(p, FRONT_DESK);
    if (!deps.checker) throw new DomainError('registration.face_engine_unavailable');
    return db.transaction(async (q) => {
      const reg = await registrationOf(q, registrationId, true); // locked: one session count at a time
      if (!reg) throw new DomainError('registration.not_found');
      assertStoreAccess(principal, reg.tenant_id, reg.store_id);
      allowed(reg);
      const now = clock();
      if (now >= reg.expires_at) throw new DomainError('registration.expired');
      if (await repo.countForRegistration(q, registrationId) >= settings.maxSessionsPerRegistration) throw new DomainError('liveness.too_many_sessions');
      const challenge = createChallenge(purpose, registrationId, now, { ttlSeconds: settings.challengeTtlSeconds, actionCount: settings.actionCount }, deps.random);
      const session: LivenessSession = {
        id: randomUUID(), tenantId: reg.tenant_id, purpose, registrationId, nonceHash: hashNonce(challenge.nonce),
        actions: actionsFor(challenge, opts.actions), state: 'open', createdBy: principal.staffId, createdAt: now, expiresAt: challenge.expiresAt,
        analysedAt: null, usedAt: null, result: null,
      };
      await repo.insert(q, session);
      await appendAudit(q, {
        tenantId: reg.tenant_id, actor: actorOf(principal), action: 'liveness.challenge_created', subjectType: 'registration', subjectId: registrationId, at: now,
        details: { sessionId: session.id, purpose, actions: session.actions, expiresAt: challenge.expiresAt.toISOString() },
      });
      return challengeView(session, challenge.nonce);
    });
  }

  return {
    settings,

    /** A new challenge for a registration whose biometric consent is recorded. */
    createForRegistration(p: Principal | undefined, registrationId: string, opts: { actions?: LivenessAction[] } = {}): Promise<ChallengeView> {
      return createForRegistrationPerson(p, registrationId, 'registration', opts, (reg) => {
        if (reg.state !== 'consent_recorded' || !reg.biometric) {
          throw new DomainError('registration.invalid_transition', `A liveness challenge needs biometric consent and no face decision yet (state '${reg.state}')`);
        }
      });
    },

    /**
     * A new challenge for a minor's guardian, verified by face during the registration (from
     * the document's capture until the rules are checked, as the guardian step itself).
     */
    createForGuardian(p: Principal | undefined, registrationId: string, opts: { actions?: LivenessAction[] } = {}): Promise<ChallengeView> {
      return createForRegistrationPerson(p, registrationId, 'guardian', opts, (reg) => {
        if (!(guardianStates as readonly string[]).includes(reg.state)) throw new DomainError('registration.invalid_transition', `A guardian is recorded before the rules are checked (state '${reg.state}')`);
      });
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
      await db.transaction(async (q) => {
        await repo.insert(q, session);
        await appendAudit(q, {
          tenantId: session.tenantId, actor: p ? actorOf(p) : { type: 'subscriber', id: null }, action: 'liveness.challenge_created',
          subjectType: 'liveness_session', subjectId: session.id, at: now, details: { purpose: input.purpose, actions: session.actions, expiresAt: session.expiresAt.toISOString() },
        });
      });
      return challengeView(session, challenge.nonce);
    },

    /**
     * One upload of frames for a session: analysed once (a second upload is refused with
     * `liveness.nonce_used`), checked for replays, and recorded as passed or failed with reasons.
     */
    async submitFrames(p: Principal | undefined, sessionId: string, nonce: string, frames: FrameInput[]): Promise<ResultView> {
      if (!deps.checker) throw new DomainError('registration.face_engine_unavailable');
      const session = await accessible(db, p, sessionId, FRONT_DESK);
      const given = hashNonce(nonce);
      if (!timingSafeEqual(given, session.nonceHash)) throw new DomainError('liveness.nonce_mismatch');
      const receivedAt = clock();
      if (session.state !== 'open') throw new DomainError('liveness.nonce_used');
      if (receivedAt >= session.expiresAt) throw new DomainError('liveness.challenge_expired');
      if (!(await repo.claim(db, sessionId))) throw new DomainError('liveness.nonce_used');
      let analysis: LivenessAnalysis;
      try {
        analysis = await deps.checker.checkLiveness(frames, { actions: session.actions, challengeAgeMs: receivedAt.getTime() - session.createdAt.getTime() });
      } catch (e) {
        await repo.release(db, sessionId); // nothing was judged: the same challenge may take a corrected upload
        throw e;
      }
      const thumbs = analysis.hashes.map((h) => h.thumb);
      const since = new Date(receivedAt.getTime() - settings.replayWindowHours * 3_600_000);
      const now = clock();
      return db.transaction(async (q) => {
        const reasons = [...analysis.reasons];
        if (await replayed(q, analysis, thumbs, since)) reasons.push('liveness.frames_replayed');
        const { hashes: _h, measures, ...decision } = analysis;
        const result: StoredResult = { ...decision, reasons: sortReasons(reasons), live: reasons.length === 0 };
        const bestFrame = result.live && result.bestFrame !== null ? frames[result.bestFrame]!.bytes : undefined;
        await repo.finish(q, sessionId, { passed: result.live, result, bestFrame, at: now });
        if (analysis.hashes.length > 0) {
          await repo.saveFingerprints(q, sessionId, {
            at: now, sha256: analysis.hashes.map((h) => h.sha256), dhash: analysis.hashes.map((h) => h.dhash), thumbs: packFingerprints(thumbs),
          });
        }
        await appendAudit(q, {
          tenantId: session.tenantId, actor: p ? actorOf(p) : { type: 'subscriber', id: null }, action: result.live ? 'liveness.passed' : 'liveness.failed',
          subjectType: session.registrationId ? 'registration' : 'liveness_session', subjectId: session.registrationId ?? session.id, at: now,
          details: {
            sessionId, reasons: result.reasons, asked: result.asked.map((x) => ({ action: x.action, atMs: x.found?.peakMs ?? null })),
            passiveScore: result.passiveScore, identityMin: result.identityMin, frames: result.frames, spanMs: result.spanMs, deformation: measures.deformation,
          },
        });
        return view({ ...session, state: result.live ? 'passed' : 'failed', result });
      });
    },

    async get(p: Principal | undefined, sessionId: string): Promise<ResultView | { sessionId: string; state: string }> {
      const s = await accessible(db, p, sessionId, [...FRONT_DESK, 'operator_admin']);
      return s.result ? view(s) : { sessionId: s.id, state: s.state };
    },

    /**
     * For the registration's face step, inside its transaction: the best frame of a passed
     * session of this registration, which is thereby used up (its frame deleted).
     */
    takeBestFrame(q: Queryable, sessionId: string, registrationId: string, now: Date): Promise<Buffer> {
      return takeFrame(q, sessionId, now, (s) => s.purpose === 'registration' && s.registrationId === registrationId);
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
