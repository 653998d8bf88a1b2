/**
 * HTTP routes of liveness: a challenge for a registration or an identity verification, the one
 * upload of its frames, and reading the result. A session that is not live is a 200 answer with `live: false` and its
 * reasons (an expected outcome); problems are kept for uploads that cannot be analysed at all
 * or sessions that cannot take them (wrong nonce, used, expired).
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { Problem, Uuid } from '../http/schemas.ts';
import { rateLimitedScope } from '../http/rate-limit.ts';
import { livenessActions, type LivenessAction } from './challenge.ts';
import { frameLimits, livenessReasons } from './liveness.ts';
import type { LivenessService } from './liveness.service.ts';
import { verificationPurposes, type VerificationPurpose } from '../verification/verification.ts';

const B64_PER_BYTE = 4 / 3;
/** The largest upload: every frame at its byte limit would be far above what a camera sends; this bounds the whole body. */
const UPLOAD_MAX_BYTES = 24 * 1024 * 1024;

const Action = Type.Unsafe<LivenessAction>(Type.String({ enum: [...livenessActions] }));
const Event = Type.Object({ action: Action, startMs: Type.Number(), endMs: Type.Number(), peakMs: Type.Number(), strength: Type.Number() });

const Challenge = Type.Object({
  sessionId: Uuid,
  nonce: Type.String({ description: 'Tag of this session: send it back with the frames' }),
  purpose: Type.String(),
  actions: Type.Array(Action, { description: 'What the person is asked to do, in this order' }),
  prompts: Type.Array(Type.Object({ action: Action, en: Type.String(), 'zh-CN': Type.String() })),
  expiresAt: Type.String({ format: 'date-time', description: 'The frames must arrive before this' }),
  limits: Type.Object({
    minFrames: Type.Integer(), maxFrames: Type.Integer(), maxFrameBytes: Type.Integer(), maxFramePixels: Type.Integer(),
    minFps: Type.Number(), maxFps: Type.Number(), maxGapMs: Type.Integer(), minSpanMs: Type.Integer(), maxSpanMs: Type.Integer(),
  }),
});

const Result = Type.Object({
  sessionId: Uuid,
  state: Type.String({ description: 'passed, failed, used (taken by the face step), expired' }),
  live: Type.Boolean(),
  reasons: Type.Array(Type.String({ enum: Object.keys(livenessReasons) }), { description: 'Every finding, most telling first; empty when live' }),
  reasonMessages: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  asked: Type.Array(Type.Object({ action: Action, found: Type.Union([Event, Type.Null()]) })),
  events: Type.Array(Event, { description: 'Every action seen, in time order (spontaneous blinks included)' }),
  passiveScore: Type.Union([Type.Number(), Type.Null()], { description: 'log10 P(live face) of the passive anti-spoof model, median over sampled frames' }),
  identityMin: Type.Union([Type.Number(), Type.Null()], { description: 'Lowest similarity between a sampled frame and the best frame' }),
  bestFrame: Type.Union([Type.Integer(), Type.Null()], { description: 'Index of the frame the face step will match against the document photo' }),
  frames: Type.Integer(), framesWithFace: Type.Integer(), spanMs: Type.Number(),
  timings: Type.Record(Type.String(), Type.Number()),
});

const Pending = Type.Object({ sessionId: Uuid, state: Type.String() });

const Frames = Type.Object({
  nonce: Type.String({ minLength: 16, maxLength: 128 }),
  frames: Type.Array(Type.Object({
    t: Type.Number({ minimum: 0, maximum: 600_000, description: 'Capture time in milliseconds from the first frame (a monotonic clock, e.g. performance.now())' }),
    image: Type.String({ minLength: 16, maxLength: Math.ceil(frameLimits.maxFrameBytes * B64_PER_BYTE) + 4, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'The frame as JPEG (or PNG, WebP), base64; unmirrored, as the camera delivers it' }),
  }, { additionalProperties: false }), {
    minItems: 1, maxItems: frameLimits.maxFrames,
    description: `The captured frames in order: ${frameLimits.minFrames}-${frameLimits.maxFrames} frames at ${frameLimits.minFps}-${Math.floor(frameLimits.maxFps)} fps (10-15 recommended), `
      + `spanning ${frameLimits.minSpanMs / 1000}-${frameLimits.maxSpanMs / 1000} s, no gap over ${frameLimits.maxGapMs} ms, each at most ${frameLimits.maxFrameBytes} bytes and ${frameLimits.maxFramePixels} pixels (640x480 recommended)`,
  }),
}, { additionalProperties: false });

const tags = ['liveness'];
/** Verification challenges one client address may start per minute (a person needs one or two). */
const CHALLENGES_PER_MINUTE = 20;
const security = [{ bearer: [] }];

export function livenessRoutes(deps: { liveness: LivenessService }): RouteRegistrar {
  const svc = deps.liveness;
  return async (app: App) => {
    // challenges bound to a registration: the person registering's, and a minor's guardian's
    const bound = { registration: svc.createForRegistration, guardian: svc.createForGuardian } as const;
    for (const [path, summary, create] of [
      ['/v1/registrations/:id/liveness', 'Start a liveness challenge for a registration (after biometric consent): random actions, a nonce and an expiry', bound.registration],
      ['/v1/registrations/:id/guardian/liveness', 'Start a liveness challenge for a minor\'s guardian (verified by face in the registration\'s guardian step)', bound.guardian],
    ] as const) {
      app.post(path, {
        schema: {
          tags, security, params: Type.Object({ id: Uuid }), summary,
          body: Type.Optional(Type.Object({
            testActions: Type.Optional(Type.Array(Action, { minItems: 1, maxItems: 3, description: 'Test harness only (PORTRAIT_TEST_HARNESS): fixed actions' })),
          }, { additionalProperties: false })),
          response: { 201: Challenge, '4xx': Problem, '5xx': Problem },
        },
      }, async (req, reply) => reply.status(201).send(await create(req.principal, req.params.id, { actions: req.body?.testActions })));
    }

    // Challenges for identity verifications can be started without login (self-service): they
    // are rate-limited per client address, in their own scope so the limiter touches nothing else.
    await rateLimitedScope(app, (max, after) => `At most ${max} liveness challenges per minute from one address; retry in ${after}`, (scope) => {
      scope.post('/v1/liveness/challenges', {
        config: { rateLimit: { timeWindow: 60_000, max: CHALLENGES_PER_MINUTE, keyGenerator: (req) => `ip:${req.ip}` } },
        schema: {
          tags, security: [{}, { bearer: [] }],
          summary: 'Start a liveness challenge for an identity verification (self-service lookup, re-verification, transfer)',
          description: 'Without login: self_service and reverification. Agents and store managers: every purpose, for their operator. '
            + 'The passed session\'s id is then sent with POST /v1/verifications, which matches its best frame against the document photo.',
          body: Type.Object({
            purpose: Type.Unsafe<VerificationPurpose>(Type.String({ enum: [...verificationPurposes] })),
            tenantId: Type.Optional(Type.String({ format: 'uuid', description: 'The operator the verification is for; staff: their own' })),
            testActions: Type.Optional(Type.Array(Action, { minItems: 1, maxItems: 3, description: 'Test harness only (PORTRAIT_TEST_HARNESS): fixed actions' })),
          }, { additionalProperties: false }),
          response: { 201: Challenge, '4xx': Problem, '5xx': Problem },
        },
      }, async (req, reply) => reply.status(201).send(await svc.createForVerification(req.principal, {
        purpose: req.body.purpose, ...(req.body.tenantId ? { tenantId: req.body.tenantId } : {}), ...(req.body.testActions ? { actions: req.body.testActions } : {}),
      })));
    });

    app.post('/v1/liveness/:sessionId/frames', {
      bodyLimit: Math.ceil(UPLOAD_MAX_BYTES * B64_PER_BYTE) + 64 * 1024,
      schema: {
        tags, security, params: Type.Object({ sessionId: Uuid }), body: Frames,
        summary: 'Upload the frames of a challenge (once): analysed on the server; the answer says live or not, with reasons',
        response: { 200: Result, '4xx': Problem, '5xx': Problem },
      },
    }, async (req) => {
      let total = 0;
      const frames = req.body.frames.map((f, i) => {
        const bytes = Buffer.from(f.image, 'base64');
        if (bytes.length === 0 || bytes.length > frameLimits.maxFrameBytes) {
          throw new DomainError('liveness.frames_invalid', `Frame ${i} has ${bytes.length} bytes; 1 to ${frameLimits.maxFrameBytes} are accepted`);
        }
        total += bytes.length;
        return { t: f.t, bytes };
      });
      if (total > UPLOAD_MAX_BYTES) throw new DomainError('liveness.frames_invalid', `The frames hold ${total} bytes; at most ${UPLOAD_MAX_BYTES} are accepted`);
      return svc.submitFrames(req.principal, req.params.sessionId, req.body.nonce, frames);
    });

    app.get('/v1/liveness/:sessionId', {
      schema: {
        tags, security, params: Type.Object({ sessionId: Uuid }), summary: 'A liveness session\'s state and, once analysed, its result',
        response: { 200: Type.Union([Result, Pending]), '4xx': Problem },
      },
    }, async (req) => svc.get(req.principal, req.params.sessionId));
  };
}
