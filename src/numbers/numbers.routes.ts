/**
 * HTTP routes of the number inventory: import (CSV or JSON, per-row report), listing and
 * counts by state. The `text/csv` body parser is registered in an encapsulated plugin, so it
 * applies to these routes only.
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import type { PhoneNumber } from './numbers.ts';
import { MAX_IMPORT_ROWS } from './numbers.import.ts';
import { MAX_LIST_LIMIT, type NumbersService } from './numbers.service.ts';
import { Problem, Uuid } from '../http/schemas.ts';

export interface NumbersRoutesDeps {
  numbers: NumbersService;
}

/** 100,000 rows of `+msisdn,store_code` fit easily; anything larger is refused before parsing. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const States = ['available', 'reserved', 'active', 'suspended', 'cooling_off'] as const;
const StateSchema = Type.Enum([...States]);
const Params = Type.Object({ tenantId: Uuid });

const JsonImport = Type.Object({
  numbers: Type.Array(Type.Object({
    msisdn: Type.String({ maxLength: 64 }),
    storeCode: Type.Optional(Type.String({ maxLength: 64 })),
  }, { additionalProperties: false }), { maxItems: MAX_IMPORT_ROWS }),
}, { additionalProperties: false });

const Report = Type.Object({
  imported: Type.Integer(), duplicate: Type.Integer(), invalid: Type.Integer(), unknownStore: Type.Integer(),
  rows: Type.Array(Type.Object({
    line: Type.Integer(), msisdn: Type.String(),
    status: Type.Enum(['duplicate', 'invalid', 'unknown_store']), message: Type.String(),
  }), { description: 'Rows that were not imported, in line order' }),
});

const NumberOut = Type.Object({
  id: Uuid, msisdn: Type.String(), storeId: Type.Union([Uuid, Type.Null()]), state: StateSchema,
  stateChangedAt: DateTime, reservedUntil: NullableDateTime, coolingOffUntil: NullableDateTime,
});

const ListQuery = Type.Object({
  state: Type.Optional(StateSchema),
  storeId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, default: 50 })),
  cursor: Type.Optional(Type.String({ pattern: '^\\+?[0-9]{5,15}$', description: '`nextCursor` of the previous page' })),
}, { additionalProperties: false });

const tags = ['numbers'];
const security = [{ bearer: [] }];

const numberJson = (n: PhoneNumber) => ({
  id: n.id, msisdn: n.msisdn, storeId: n.storeId, state: n.state, stateChangedAt: n.stateChangedAt.toISOString(),
  reservedUntil: n.reservedUntil?.toISOString() ?? null, coolingOffUntil: n.coolingOffUntil?.toISOString() ?? null,
});

export function numbersRoutes(deps: NumbersRoutesDeps): RouteRegistrar {
  const { numbers } = deps;
  return async (app) => {
    await app.register(async (scope: App) => {
      // Only CSV and JSON here: a text/plain body is refused (415) instead of being read as CSV.
      scope.removeContentTypeParser('text/plain');
      scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

      scope.post('/v1/tenants/:tenantId/numbers/import', {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags, security, params: Params,
          summary: 'Import numbers (operator admin, own operator), with a per-row report',
          description: `\`text/csv\` with lines \`msisdn[,store_code]\` (header line \`msisdn,store_code\` optional, LF or CRLF), `
            + `or JSON \`{ numbers: [{ msisdn, storeCode? }] }\`; at most ${MAX_IMPORT_ROWS} rows. Without a store code a number `
            + 'goes to the operator-wide pool. Only rows that were not imported are listed, with their line (CSV) or position (JSON, from 1).',
          body: {
            content: {
              'application/json': { schema: JsonImport },
              'text/csv': { schema: Type.String() },
            },
          },
          response: { 200: Report, '4xx': Problem },
        },
      }, async (req) => {
        const body = req.body as unknown;
        const source = typeof body === 'string' ? { csv: body } : { rows: (body as { numbers: { msisdn: string; storeCode?: string }[] }).numbers };
        return numbers.importNumbers(req.principal, req.params.tenantId, source);
      });
    });

    app.get('/v1/tenants/:tenantId/numbers', {
      schema: {
        tags, security, params: Params, querystring: ListQuery,
        summary: 'Numbers in msisdn order (operator admin: all of its own; agent, store manager: available numbers of their store)',
        response: { 200: Type.Object({ items: Type.Array(NumberOut), nextCursor: Type.Union([Type.String(), Type.Null()]) }), '4xx': Problem },
      },
    }, async (req) => {
      const page = await numbers.listNumbers(req.principal, req.params.tenantId, req.query);
      return { items: page.items.map(numberJson), nextCursor: page.nextCursor };
    });

    app.get('/v1/tenants/:tenantId/numbers/counts', {
      schema: {
        tags, security, params: Params, querystring: Type.Object({ storeId: Type.Optional(Uuid) }, { additionalProperties: false }),
        summary: 'How many numbers are in each state (operator admin, own operator)',
        response: {
          200: Type.Object({ counts: Type.Object(Object.fromEntries(States.map((s) => [s, Type.Integer()]))), total: Type.Integer() }),
          '4xx': Problem,
        },
      },
    }, async (req) => numbers.countNumbers(req.principal, req.params.tenantId, req.query.storeId));
  };
}
