/**
 * HTTP routes of the audit log: listing (regulators, operator admins), chain verification
 * and the CSV inspection export (regulators). Access is decided in audit.service.ts.
 */
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import { exportAuditCsv, listAuditEvents, MAX_LIST_LIMIT, verifyChainAs, type AuditServiceDeps } from './audit.service.ts';
import { CSV_COLUMNS } from './audit.csv.ts';
import { linkProblems } from './audit.chain.ts';
import { Uuid } from '../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time', description: 'RFC 3339 time' });
const Code = Type.String({ minLength: 1, maxLength: 200 });

const ListQuery = Type.Object({
  tenantId: Type.Optional(Uuid),
  action: Type.Optional(Code),
  subjectType: Type.Optional(Code),
  subjectId: Type.Optional(Code),
  from: Type.Optional({ ...DateTime, description: 'Inclusive lower bound on `at`' }),
  to: Type.Optional({ ...DateTime, description: 'Exclusive upper bound on `at`' }),
  cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: '`nextCursor` of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, default: 50 })),
}, { additionalProperties: false });

const EventOut = Type.Object({
  id: Type.Integer(),
  seq: Nullable(Type.Integer()),
  at: DateTime,
  tenantId: Nullable(Type.String()),
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  action: Type.String(),
  subjectType: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  details: Type.Object({}, { additionalProperties: true }),
  hash: Nullable(Type.String({ description: 'Hex SHA-256 chain hash; null until the sequencer has chained the event' })),
});

const ListOut = Type.Object({ items: Type.Array(EventOut), nextCursor: Nullable(Type.String()) });

const VerifyOut = Type.Union([
  Type.Object({ ok: Type.Literal(true), events: Type.Integer(), head: Type.String({ description: 'Hex hash of the last event' }) }),
  Type.Object({
    ok: Type.Literal(false),
    events: Type.Integer({ description: 'Events verified intact before the first broken link' }),
    firstBroken: Type.Object({
      seq: Type.Integer(),
      id: Nullable(Type.Integer()),
      problem: Type.Enum(linkProblems),
      detail: Type.String(),
    }),
  }),
]);

const ExportQuery = Type.Object({
  tenantId: Type.Optional(Uuid),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
}, { additionalProperties: false });

const security = [{ bearer: [] }];
const toDate = (s: string | undefined) => (s === undefined ? undefined : new Date(s));

export function auditRoutes(deps: AuditServiceDeps): RouteRegistrar {
  return (app) => {
    app.get('/v1/audit/events', {
      schema: {
        tags: ['audit'], security, querystring: ListQuery, response: { 200: ListOut },
        summary: 'Audit events, newest first (regulator: all tenants; operator admin: own tenant)',
      },
    }, async (req) => {
      const q = req.query;
      const page = await listAuditEvents(deps, req.principal, { ...q, from: toDate(q.from), to: toDate(q.to) });
      return {
        items: page.items.map((e) => ({ ...e, at: e.at.toISOString(), hash: e.hash ? e.hash.toString('hex') : null })),
        nextCursor: page.nextCursor,
      };
    });

    app.post('/v1/audit/verify', {
      schema: { tags: ['audit'], security, response: { 200: VerifyOut }, summary: 'Verify the whole hash chain (regulator); the run is audited' },
    }, async (req) => verifyChainAs(deps, req.principal));

    app.get('/v1/audit/export.csv', {
      schema: {
        tags: ['audit'], security, querystring: ExportQuery,
        response: { 200: { description: 'CSV, one row per event in seq order', content: { 'text/csv': { schema: Type.Unsafe<Readable>({ type: 'string' }) } } } },
        summary: 'Inspection export as CSV (regulator), in seq order, with prev_hash and hash for re-verification',
        description: `Columns: ${CSV_COLUMNS.join(', ')}. NULL is an empty field, the empty string is "". See src/audit/audit.chain.ts for the hash.`,
      },
    }, async (req, reply) => {
      const q = req.query;
      const chunks = await exportAuditCsv(deps, req.principal, { tenantId: q.tenantId, from: toDate(q.from), to: toDate(q.to) });
      const name = `portrait-audit-${new Date().toISOString().replaceAll(':', '').slice(0, 17)}Z.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(chunks));
    });
  };
}
