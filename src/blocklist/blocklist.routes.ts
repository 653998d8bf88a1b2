/**
 * HTTP routes of the fraud blocklist. The document number goes in, only its keyed hash is
 * stored, and no route ever answers with a number or a hash.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import { documentTypes } from '../documents/documents.ts';
import type { BlocklistEntry } from './blocklist.ts';
import { maxReasonLength } from './blocklist.ts';
import { MAX_LIST_LIMIT, type BlocklistService } from './blocklist.service.ts';
import { Problem, Uuid } from '../http/schemas.ts';

export interface BlocklistRoutesDeps {
  blocklist: BlocklistService;
}

const EntryOut = Type.Object({
  id: Uuid,
  tenantId: Type.Union([Uuid, Type.Null()], { description: 'null: deployment-wide entry (added by system code, binds every operator)' }),
  reason: Type.String(),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const tags = ['blocklist'];
const security = [{ bearer: [] }];

const entryJson = (e: BlocklistEntry) => ({ id: e.id, tenantId: e.tenantId, reason: e.reason, createdBy: e.createdBy, createdAt: e.createdAt.toISOString() });

export function blocklistRoutes(deps: BlocklistRoutesDeps): RouteRegistrar {
  const { blocklist } = deps;
  return (app) => {
    app.get('/v1/blocklist', {
      schema: {
        tags, security,
        summary: 'Blocklist entries, newest first (operator admin: own and deployment-wide; regulator: all)',
        querystring: Type.Object({
          tenantId: Type.Optional(Uuid),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, default: 50 })),
          cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$', description: '`nextCursor` of the previous page' })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(EntryOut), nextCursor: Type.Union([Type.String(), Type.Null()]) }), '4xx': Problem },
      },
    }, async (req) => {
      const page = await blocklist.listEntries(req.principal, req.query);
      return { items: page.items.map(entryJson), nextCursor: page.nextCursor };
    });

    app.post('/v1/blocklist', {
      schema: {
        tags, security,
        summary: 'Block a document for the caller\'s operator (operator admin; regulators are read-only)',
        description: 'Only the keyed hash of the document (type + normalised number) is stored. The number must be a valid document number.',
        body: Type.Object({
          documentType: Type.String({ enum: [...documentTypes] }),
          documentNumber: Type.String({ minLength: 1, maxLength: 200, description: 'Document number, or the MRZ lines for passports' }),
          reason: Type.String({ minLength: 1, maxLength: maxReasonLength }),
        }, { additionalProperties: false }),
        response: { 201: EntryOut, '4xx': Problem },
      },
    }, async (req, reply) => reply.status(201).send(entryJson(await blocklist.addEntry(req.principal, req.body))));

    app.delete('/v1/blocklist/:entryId', {
      schema: {
        tags, security, summary: 'Remove a blocklist entry of the caller\'s operator (operator admin)',
        params: Type.Object({ entryId: Uuid }),
        response: { 204: Type.Null({ description: 'Removed' }), '4xx': Problem },
      },
    }, async (req, reply) => {
      await blocklist.removeEntry(req.principal, req.params.entryId);
      return reply.code(204).send(null);
    });
  };
}
