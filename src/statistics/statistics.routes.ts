/**
 * HTTP routes of registration statistics and anomaly flags. Access is decided in
 * statistics.service.ts; each read is audited there.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import type { StatisticsService } from './statistics.service.ts';
import { anomalyDefaults, DEFAULT_PERIOD_DAYS, groupings, MAX_PERIOD_DAYS } from './statistics.ts';
import { Problem, Uuid } from '../http/schemas.ts';

export interface StatisticsRoutesDeps {
  statistics: StatisticsService;
}

const DateTime = Type.String({ format: 'date-time' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);

const periodDoc = `Registrations started in [from, to). Default: the ${DEFAULT_PERIOD_DAYS} days before now; at most ${MAX_PERIOD_DAYS} days.`;
const Period = {
  from: Type.Optional({ ...DateTime, description: 'Inclusive start (RFC 3339)' }),
  to: Type.Optional({ ...DateTime, description: 'Exclusive end (RFC 3339)' }),
};

const countFields = {
  started: Type.Integer(), completed: Type.Integer(), rejected: Type.Integer(),
  rejectedByReason: Type.Record(Type.String(), Type.Integer()),
  expired: Type.Integer(), cancelled: Type.Integer(), open: Type.Integer(),
  manualReviewApprovals: Type.Integer(), faceAttemptsFailed: Type.Integer(),
  livenessFailed: Type.Integer({ description: 'Liveness sessions of these registrations the server refused' }),
  livenessFailedByReason: Type.Record(Type.String(), Type.Integer(), { description: 'Refused liveness sessions by first reason code' }),
};
const Counts = Type.Object(countFields);
const Group = Type.Object({ key: Type.String(), label: Type.String(), ...countFields });

const StatsOut = Type.Object({
  from: DateTime, to: DateTime, tenantId: NullableUuid, storeId: NullableUuid,
  groupBy: Type.Union([Type.Enum([...groupings]), Type.Null()]),
  totals: Counts, groups: Type.Array(Group),
});

const AnomaliesOut = Type.Object({
  from: DateTime, to: DateTime, tenantId: NullableUuid,
  thresholds: Type.Object({
    documentStores: Type.Integer(), documentWindowHours: Type.Integer(), burstThreshold: Type.Integer(),
    burstWindowMinutes: Type.Integer(), overrideApprovals: Type.Integer(), overrideShare: Type.Number(),
  }),
  documents: Type.Array(Type.Object({
    token: Type.String({ description: 'First 8 hex characters of SHA-256 of the document HMAC' }),
    storeCount: Type.Integer(),
    registrations: Type.Array(Type.Object({ id: Uuid, tenantId: Uuid, storeId: Uuid, storeCode: Type.String(), createdAt: DateTime })),
  })),
  bursts: Type.Array(Type.Object({ tenantId: Uuid, storeId: Uuid, storeCode: Type.String(), windowStart: DateTime, windowEnd: DateTime, registrations: Type.Integer() })),
  agents: Type.Array(Type.Object({
    agentId: Uuid, tenantId: Uuid, storeId: NullableUuid, username: Type.String(),
    manualReviewApprovals: Type.Integer(), completions: Type.Integer(), manualReviewCompletions: Type.Integer(), manualReviewShare: Type.Number(),
  })),
});

const tags = ['statistics'];
const security = [{ bearer: [] }];
const toDate = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
const iso = (d: Date) => d.toISOString();

export function statisticsRoutes(deps: StatisticsRoutesDeps): RouteRegistrar {
  const { statistics } = deps;
  return (app) => {
    app.get('/v1/statistics/registrations', {
      schema: {
        tags, security, summary: 'Registration counts (regulator: all operators; operator admin: own operator; store manager: own store)',
        description: `${periodDoc} \`groupBy=day\` groups by UTC day.`,
        querystring: Type.Object({
          ...Period, tenantId: Type.Optional(Uuid), storeId: Type.Optional(Uuid), groupBy: Type.Optional(Type.Enum([...groupings])),
        }, { additionalProperties: false }),
        response: { 200: StatsOut, '4xx': Problem },
      },
    }, async (req) => {
      const q = req.query;
      const s = await statistics.registrations(req.principal, { ...q, from: toDate(q.from), to: toDate(q.to) });
      return { ...s, from: iso(s.from), to: iso(s.to) };
    });

    app.get('/v1/statistics/anomalies', {
      schema: {
        tags, security, summary: 'Anomaly flags (regulator: all operators; operator admin: own operator)',
        description: `${periodDoc} Flags: one document starting registrations at ${anomalyDefaults.documentStores}+ stores within `
          + `${anomalyDefaults.documentWindowHours} h; a store with more than \`burstThreshold\` registrations in ${anomalyDefaults.burstWindowMinutes} minutes; `
          + `agents with ${anomalyDefaults.overrideApprovals}+ manual-review approvals or more than ${anomalyDefaults.overrideShare * 100}% of completions by manual review.`,
        querystring: Type.Object({
          ...Period, tenantId: Type.Optional(Uuid),
          burstThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: anomalyDefaults.burstThreshold })),
        }, { additionalProperties: false }),
        response: { 200: AnomaliesOut, '4xx': Problem },
      },
    }, async (req) => {
      const q = req.query;
      const a = await statistics.anomalies(req.principal, { ...q, from: toDate(q.from), to: toDate(q.to) });
      return {
        ...a, from: iso(a.from), to: iso(a.to),
        documents: a.documents.map((d) => ({ ...d, registrations: d.registrations.map((r) => ({ ...r, createdAt: iso(r.createdAt) })) })),
        bursts: a.bursts.map((b) => ({ ...b, windowStart: iso(b.windowStart), windowEnd: iso(b.windowEnd) })),
      };
    });
  };
}
