/**
 * HTTP routes of transfers and surrenders (agents and store managers at a store) and the
 * holdings history of a number (staff of its operator, regulators).
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import type { TransfersService } from './transfers.service.ts';
import { Problem, Uuid } from '../http/schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const Msisdn = Type.String({ pattern: '^\\+?[0-9]{5,15}$' });
const tags = ['transfers'];
const bearer = [{ bearer: [] }];

const Holding = Type.Object({
  subscriberId: Uuid, startedAt: DateTime, endedAt: Type.Union([DateTime, Type.Null()]),
  startedBy: Type.String(), endedBy: Type.Union([Type.String(), Type.Null()]), sourceId: Type.Union([Uuid, Type.Null()]),
});

export function transfersRoutes(deps: { transfers: TransfersService }): RouteRegistrar {
  const svc = deps.transfers;
  return (app: App) => {
    app.post('/v1/transfers', {
      schema: {
        tags, security: bearer, summary: 'Transfer a number to another person (过户), both verified for transfer',
        description: 'Only where the operator enables transfers (else 403 policy.transfer_disabled). Both verifications are spent.',
        body: Type.Object({ msisdn: Msisdn, fromVerificationId: Uuid, toVerificationId: Uuid }, { additionalProperties: false }),
        response: { 201: Type.Object({ transferId: Uuid, numberId: Uuid, msisdn: Type.String(), at: DateTime }), '4xx': Problem },
      },
    }, async (req, reply) => {
      const r = await svc.transfer(req.principal, req.body);
      return reply.status(201).send({ ...r, at: r.at.toISOString() });
    });

    app.post('/v1/surrenders', {
      schema: {
        tags, security: bearer, summary: 'The verified holder gives a number up; it cools off before reuse',
        body: Type.Object({ msisdn: Msisdn, verificationId: Uuid }, { additionalProperties: false }),
        response: { 200: Type.Object({ numberId: Uuid, msisdn: Type.String(), state: Type.Literal('cooling_off'), coolingOffUntil: DateTime }), '4xx': Problem },
      },
    }, async (req) => {
      const r = await svc.surrender(req.principal, req.body);
      return { ...r, coolingOffUntil: r.coolingOffUntil.toISOString() };
    });

    app.get('/v1/tenants/:tenantId/numbers/:msisdn/holdings', {
      schema: {
        tags, security: bearer, summary: 'Who held a number, oldest first (registration, transfer, surrender)',
        params: Type.Object({ tenantId: Uuid, msisdn: Msisdn }),
        response: { 200: Type.Object({ numberId: Uuid, holdings: Type.Array(Holding) }), '4xx': Problem },
      },
    }, async (req) => {
      const r = await svc.holdingHistory(req.principal, req.params.tenantId, req.params.msisdn);
      return {
        numberId: r.numberId,
        holdings: r.holdings.map((h) => ({ ...h, startedAt: h.startedAt.toISOString(), endedAt: h.endedAt?.toISOString() ?? null })),
      };
    });
  };
}
