/**
 * HTTP routes of re-verification: campaigns (operator admin of the operator; regulators read
 * progress) and the holder's pass, either at a store (staff) or self-service (no login), each
 * with a `reverification` verification id.
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import type { ReverificationService } from './reverification.service.ts';
import { MAX_CAMPAIGN_MSISDNS, reverificationStatuses, type CampaignProgress } from './reverification.ts';
import { Problem, Uuid } from '../http/schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const tags = ['reverification'];
const bearer = [{ bearer: [] }];

const Counts = Type.Object(Object.fromEntries([...reverificationStatuses, 'total'].map((s) => [s, Type.Integer()])));
const Campaign = Type.Object({
  id: Uuid, tenantId: Uuid, name: Type.String(), reason: Type.String(), deadlineHours: Type.Integer(),
  createdBy: Type.Union([Uuid, Type.Null()]), createdAt: DateTime,
});
const Progress = Type.Object({ ...Campaign.properties, counts: Counts });
const Row = Type.Object({
  msisdn: Type.String(), outcome: Type.String({ enum: ['created', 'skipped'] }),
  reverificationId: Type.Optional(Uuid), reason: Type.Optional(Type.String({ description: 'Why the number was skipped' })),
});
const Report = Type.Object({ campaign: Campaign, deadline: DateTime, created: Type.Integer(), skipped: Type.Integer(), rows: Type.Array(Row) });
const PassBody = Type.Object({ verificationId: Uuid }, { additionalProperties: false });
const PassOut = Type.Object({ reverificationId: Uuid, status: Type.Literal('passed'), numberRestored: Type.Boolean() });

const campaignJson = <T extends { createdAt: Date }>(c: T) => ({ ...c, createdAt: c.createdAt.toISOString() });
const progressJson = (c: CampaignProgress) => campaignJson(c);

export function reverificationRoutes(deps: { reverifications: ReverificationService }): RouteRegistrar {
  const svc = deps.reverifications;
  return (app: App) => {
    app.post('/v1/tenants/:tenantId/reverification-campaigns', {
      schema: {
        tags, security: bearer, summary: 'Operator admin: flag numbers for re-verification by their holders',
        description: 'Either `msisdns` (held numbers are flagged; others are reported as skipped) or `storeId` (every active number of the store).',
        params: Type.Object({ tenantId: Uuid }),
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          reason: Type.String({ pattern: '^[a-z][a-z0-9_]{2,39}$', description: 'A reason code, e.g. periodic_check' }),
          deadlineHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 8760, description: 'Default: the operator\'s policy' })),
          msisdns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: MAX_CAMPAIGN_MSISDNS })),
          storeId: Type.Optional(Uuid),
        }, { additionalProperties: false }),
        response: { 201: Report, '4xx': Problem },
      },
    }, async (req, reply) => {
      const r = await svc.startCampaign(req.principal, req.params.tenantId, req.body);
      return reply.status(201).send({ ...r, campaign: campaignJson(r.campaign), deadline: r.deadline.toISOString() });
    });

    app.get('/v1/tenants/:tenantId/reverification-campaigns', {
      schema: {
        tags, security: bearer, summary: 'Campaigns of an operator with counts by status, newest first',
        params: Type.Object({ tenantId: Uuid }), response: { 200: Type.Object({ items: Type.Array(Progress) }), '4xx': Problem },
      },
    }, async (req) => ({ items: (await svc.listCampaigns(req.principal, req.params.tenantId)).map(progressJson) }));

    app.get('/v1/reverification-campaigns/:id', {
      schema: { tags, security: bearer, summary: 'One campaign\'s progress (counts by status)', params: Type.Object({ id: Uuid }), response: { 200: Progress, '4xx': Problem } },
    }, async (req) => progressJson(await svc.campaignProgress(req.principal, req.params.id)));

    app.post('/v1/reverifications/:id/pass', {
      schema: {
        tags, security: bearer, summary: 'At a store: the holder passes with a reverification verification (face or manual)',
        params: Type.Object({ id: Uuid }), body: PassBody, response: { 200: PassOut, '4xx': Problem },
      },
    }, async (req) => {
      if (!req.principal) throw new DomainError('auth.required');
      return svc.pass(req.principal, req.params.id, req.body.verificationId);
    });

    app.post('/v1/self-service/reverifications/:id/pass', {
      schema: {
        tags, security: [], summary: 'Self-service: the holder passes with their own reverification verification',
        params: Type.Object({ id: Uuid }), body: PassBody, response: { 200: PassOut, '4xx': Problem },
      },
    }, async (req) => svc.pass(undefined, req.params.id, req.body.verificationId));
  };
}
