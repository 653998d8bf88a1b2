/**
 * HTTP routes of the subscribers concept: the self-service lookup and "not mine" report (no
 * login; a self_service verification id is the credential) and the partner three-element
 * check (API key with scope `three_element_check`), rate-limited per API key at the key's
 * `rateLimitPerMinute` by @fastify/rate-limit, registered in this plugin's own scope.
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { rateLimitedScope } from '../http/rate-limit.ts';
import { documentTypes, type DocumentType } from '../documents/documents.ts';
import { defaultRateLimitPerMinute } from '../staff/staff.ts';
import type { SubscribersService } from './subscribers.service.ts';
import { threeElementResults } from './subscribers.ts';
import { Problem, Uuid } from '../http/schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const VerificationBody = Type.Object({ verificationId: Uuid }, { additionalProperties: false });

const HeldNumber = Type.Object({
  numberId: Uuid,
  operator: Type.Object({ code: Type.String(), name: Type.String() }),
  maskedMsisdn: Type.String({ description: 'e.g. 138****5678' }),
  state: Type.String({ enum: ['active', 'suspended'] }),
  since: DateTime,
  pendingReverification: Type.Union([Type.Object({ id: Uuid, deadline: DateTime }), Type.Null()]),
});

export function subscribersRoutes(deps: { subscribers: SubscribersService }): RouteRegistrar {
  const svc = deps.subscribers;
  return async (app: App) => {
    app.post('/v1/self-service/lookup', {
      schema: {
        tags: ['self-service'], security: [],
        summary: 'Every number held under the verified ID, at every operator (一证通查), masked',
        description: 'Needs a self_service verification (POST /v1/verifications); it may be used for 10 minutes for the lookup and "not mine" reports.',
        body: VerificationBody,
        response: { 200: Type.Object({ verificationExpiresAt: DateTime, numbers: Type.Array(HeldNumber) }), '4xx': Problem },
      },
    }, async (req) => {
      const r = await svc.lookup(req.body.verificationId);
      return {
        verificationExpiresAt: r.verificationExpiresAt.toISOString(),
        numbers: r.numbers.map((n) => ({
          ...n, since: n.since.toISOString(),
          pendingReverification: n.pendingReverification && { id: n.pendingReverification.id, deadline: n.pendingReverification.deadline.toISOString() },
        })),
      };
    });

    app.post('/v1/self-service/numbers/:numberId/not-mine', {
      schema: {
        tags: ['self-service'], security: [],
        summary: 'Report a number held under one\'s ID as not one\'s own: its holder must re-verify by the deadline',
        params: Type.Object({ numberId: Uuid }), body: VerificationBody,
        response: { 201: Type.Object({ reverificationId: Uuid, deadline: DateTime, created: Type.Boolean() }), '4xx': Problem },
      },
    }, async (req, reply) => {
      const r = await svc.reportNotMine(req.body.verificationId, req.params.numberId);
      return reply.status(201).send({ ...r, deadline: r.deadline.toISOString() });
    });

    // The partner check lives in its own scope so that its rate limiter (and its hooks) touch nothing else.
    await rateLimitedScope(app, (max, after) => `At most ${max} requests per minute for this API key; retry in ${after}`, (scope) => {
      scope.post('/v1/partner/three-element-check', {
        config: {
          rateLimit: {
            timeWindow: 60_000,
            keyGenerator: (req) => (req.principal?.kind === 'api_key' ? `key:${req.principal.keyId}` : `ip:${req.ip}`),
            max: (req) => (req.principal?.kind === 'api_key' ? req.principal.rateLimitPerMinute ?? defaultRateLimitPerMinute : defaultRateLimitPerMinute),
          },
        },
        schema: {
          tags: ['partner'], security: [{ apiKey: [] }],
          summary: 'Three-element check (三要素核验): do name, document and number belong together at this operator?',
          description: 'Answers only a code: match | name_mismatch (same document, other name) | document_mismatch (number held under another document) '
            + '| number_unknown (no active number with this msisdn at the key\'s operator). Rate-limited per API key (429 rate_limited).',
          body: Type.Object({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            documentType: Type.Unsafe<DocumentType>(Type.String({ enum: [...documentTypes] })),
            documentNumber: Type.String({ minLength: 1, maxLength: 200 }),
            msisdn: Type.String({ minLength: 1, maxLength: 32 }),
          }, { additionalProperties: false }),
          response: { 200: Type.Object({ result: Type.String({ enum: [...threeElementResults] }) }), '4xx': Problem },
        },
      }, async (req) => svc.threeElementCheck(req.principal, req.body));
    });
  };
}
