/**
 * HTTP routes of the fraud blocklist. The document number goes in, only its keyed hash and
 * its masked form are stored, and no route ever answers with a full number or a hash.
 */
import { Type } from 'typebox';
import type { RouteRegistrar } from '../http/app.ts';
import { documentTypes } from '../documents/documents.ts';
import type { BlocklistEntry } from './blocklist.ts';
import { blocklistReasonCodes, maxReasonLength } from './blocklist.ts';
import { MAX_LIST_LIMIT, type BlocklistService } from './blocklist.service.ts';
import { Problem, Uuid } from '../http/schemas.ts';

export interface BlocklistRoutesDeps {
  blocklist: BlocklistService;
}

const ReasonCode = Type.String({ enum: [...blocklistReasonCodes] });
const EntryOut = Type.Object({
  id: Uuid,
  tenantId: Type.Union([Uuid, Type.Null()], { description: 'null: deployment-wide entry (added by system code, binds every operator)' }),
  documentType: Type.Union([Type.String({ enum: [...documentTypes] }), Type.Null()], { description: 'null for entries added before types were kept' }),
  maskedNumber: Type.Union([Type.String(), Type.Null()], { description: 'The number masked as on receipts (110105********002X); null for entries added before masks were kept' }),
  reasonCode: ReasonCode,
  reason: Type.String({ description: 'The note' }),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdByUsername: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const tags = ['blocklist'];
const security = [{ bearer: [] }];

const entryJson = (e: BlocklistEntry) => ({
  id: e.id, tenantId: e.tenantId, documentType: e.documentType, maskedNumber: e.maskedNumber, reasonCode: e.reasonCode, reason: e.reason,
  createdBy: e.createdBy, createdByUsername: e.createdByUsername, createdAt: e.createdAt.toISOString(),
});

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
        description: 'Only the keyed hash of the document (type + normalised number) and the number masked (110105********002X) are stored. The number must be a valid document number.',
        body: Type.Object({
          documentType: Type.String({ enum: [...documentTypes] }),
          documentNumber: Type.String({ minLength: 1, maxLength: 200, description: 'Document number, or the MRZ lines for passports' }),
          reasonCode: Type.Optional(Type.String({ enum: [...blocklistReasonCodes], default: 'other', description: 'Why the document is blocked' })),
          reason: Type.String({ minLength: 1, maxLength: maxReasonLength, description: 'The note: what happened, a case or file number (not in the audit log)' }),
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
