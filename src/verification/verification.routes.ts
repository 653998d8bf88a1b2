/**
 * HTTP routes of identity verification: the face path (self-service without login, or staff
 * at a store) and the manual path (store manager). A face that does not match is a 403
 * `verification.failed` problem with the reason codes and score; nothing is stored.
 */
import { Type } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { documentTypes, type DocumentType } from '../documents/documents.ts';
import type { VerificationService } from './verification.service.ts';
import { verificationPurposes, type VerificationPurpose, type VerifyOutcome } from './verification.ts';
import { Problem } from '../http/schemas.ts';

const IMAGE_MAX_BASE64 = 8 * 1024 * 1024;
const IMAGE_BODY_LIMIT = 20 * 1024 * 1024;

const Base64Image = Type.String({ minLength: 16, maxLength: IMAGE_MAX_BASE64, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'Image bytes, base64' });
const Purpose = Type.Unsafe<VerificationPurpose>(Type.String({ enum: [...verificationPurposes] }));
const Document = Type.Object({
  type: Type.Unsafe<DocumentType>(Type.String({ enum: [...documentTypes] })),
  number: Type.String({ minLength: 1, maxLength: 200, description: 'Document number, or the MRZ lines for passports' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });

const Out = Type.Object({
  verificationId: Type.String({ format: 'uuid', description: 'Spend it within 10 minutes' }),
  purpose: Purpose,
  method: Type.String({ enum: ['face', 'manual_review'] }),
  expiresAt: Type.String({ format: 'date-time' }),
  result: Type.Object({
    method: Type.String(),
    score: Type.Optional(Type.Number()), threshold: Type.Optional(Type.Number()), targetFmr: Type.Optional(Type.Number()),
    estimatedFmr: Type.Optional(Type.Number()), engine: Type.Optional(Type.String()), reviewerId: Type.Optional(Type.String()),
    documentExpired: Type.Boolean(),
  }),
});
const tags = ['verification'];

function image(b64: string): Buffer {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length === 0) throw new DomainError('request.invalid', 'An image is empty');
  return buf;
}

function answer(o: VerifyOutcome) {
  if (!o.verified) throw new DomainError('verification.failed', 'The face did not match the document photo', { reasons: o.reasons, score: o.score, threshold: o.threshold });
  return {
    verificationId: o.verificationId, purpose: o.purpose, method: o.method, expiresAt: o.expiresAt.toISOString(),
    result: o.result.method === 'face' ? o.result : { method: o.result.method, reviewerId: o.result.reviewerId, documentExpired: o.result.documentExpired },
  };
}

export function verificationRoutes(deps: { verifications: VerificationService }): RouteRegistrar {
  const svc = deps.verifications;
  return (app: App) => {
    app.post('/v1/verifications', {
      bodyLimit: IMAGE_BODY_LIMIT,
      schema: {
        tags, security: [{}, { bearer: [] }],
        summary: 'Verify a person by face against their document (self-service, re-verification, transfer)',
        description: 'Without login: self_service and reverification. Agents and store managers: every purpose, for their operator. '
          + 'A match gives a verification id valid for 10 minutes; no match is a 403 verification.failed and stores nothing.',
        body: Type.Object({
          purpose: Purpose,
          tenantId: Type.Optional(Type.String({ format: 'uuid', description: 'The operator (its face threshold); staff: their own' })),
          document: Document, idPhoto: Base64Image,
          livenessSessionId: Type.String({ format: 'uuid', description: 'A passed liveness session started for this purpose (POST /v1/liveness/challenges); its best frame is the live face, and it is used up' }),
        }, { additionalProperties: false }),
        response: { 201: Out, '4xx': Problem, '5xx': Problem },
      },
    }, async (req, reply) => {
      const b = req.body;
      const o = await svc.verifyIdentity(req.principal, { purpose: b.purpose, tenantId: b.tenantId, document: b.document, idPhoto: image(b.idPhoto), livenessSessionId: b.livenessSessionId });
      return reply.status(201).send(answer(o));
    });

    app.post('/v1/verifications/manual', {
      schema: {
        tags, security: [{ bearer: [] }],
        summary: 'Store manager: attest in person that the person at the counter matches their document',
        body: Type.Object({
          purpose: Type.Unsafe<VerificationPurpose>(Type.String({ enum: ['reverification', 'transfer'] })),
          document: Document,
        }, { additionalProperties: false }),
        response: { 201: Out, '4xx': Problem },
      },
    }, async (req, reply) => reply.status(201).send(answer(await svc.verifyManually(req.principal, req.body))));
  };
}
