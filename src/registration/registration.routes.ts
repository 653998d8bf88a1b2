/**
 * HTTP routes of the registration workflow: one route per step, each a schema and one call
 * into the service. Steps take an optional `Idempotency-Key` header; a retry with the same key
 * and body gets the first answer back. Images travel as base64 in JSON.
 */
import { Type, type Static } from 'typebox';
import type { App, RouteRegistrar } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { documentTypes, type DocumentType } from '../documents/documents.ts';
import type { Idempotency, RegistrationService } from './registration.service.ts';
import { openStates, endStates, type RegistrationState } from './registration.ts';
import { Problem } from '../http/schemas.ts';

const IMAGE_MAX_BASE64 = 8 * 1024 * 1024;
const IMAGE_BODY_LIMIT = 20 * 1024 * 1024;

const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,128}$' })) });
const Base64Image = Type.String({ minLength: 16, maxLength: IMAGE_MAX_BASE64, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'Image bytes (JPEG, PNG or BMP), base64' });

const Document = Type.Object({
  type: Type.Unsafe<DocumentType>(Type.String({ enum: [...documentTypes] })),
  number: Type.String({ minLength: 1, maxLength: 200, description: 'Document number, or the MRZ lines for passports' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });

const View = Type.Object({
  id: Type.String(), state: Type.Unsafe<RegistrationState>(Type.String({ enum: [...openStates, ...endStates] })),
  reasonCode: Type.Union([Type.String(), Type.Null()]), version: Type.Integer(),
  tenantId: Type.String(), storeId: Type.String(), agentId: Type.String(),
  createdAt: Type.String(), expiresAt: Type.String(), endedAt: Type.Union([Type.String(), Type.Null()]),
  document: Type.Union([Type.Null(), Type.Object({
    type: Type.String(), maskedNumber: Type.String(), maskedName: Type.String(), source: Type.String(),
    age: Type.Optional(Type.Integer()), sex: Type.Optional(Type.String()), regionCode: Type.Optional(Type.String()), expiryDate: Type.Optional(Type.String()),
  })]),
  consent: Type.Union([Type.Null(), Type.Object({ biometric: Type.Boolean(), textVersion: Type.String(), locale: Type.String(), textSha256: Type.String() })]),
  verification: Type.Union([Type.Null(), Type.Object({
    method: Type.String(), score: Type.Optional(Type.Number()), threshold: Type.Optional(Type.Number()),
    targetFmr: Type.Optional(Type.Number()), estimatedFmr: Type.Optional(Type.Number()),
  })]),
  faceAttempts: Type.Integer(),
  guardian: Type.Union([Type.Null(), Type.Object({ relation: Type.String(), method: Type.String() })]),
  guardianRequired: Type.Optional(Type.Boolean({
    description: 'The document shows a person under the operator\'s minor age: record a verified adult guardian (POST /v1/registrations/{id}/guardian) before the rules are checked, or the rules step ends the registration with policy.guardian_required. (Absent from answers stored for an Idempotency-Key before this field existed.)',
  })),
  rules: Type.Union([Type.Null(), Type.Record(Type.String(), Type.Unknown())]),
  numberId: Type.Union([Type.String(), Type.Null()]),
});

const Receipt = Type.Object({
  registrationId: Type.String(), completedAt: Type.String(),
  operator: Type.Object({ code: Type.String(), name: Type.String() }), store: Type.Object({ code: Type.String(), name: Type.String() }),
  agentId: Type.String(), msisdn: Type.String(),
  subscriber: Type.Object({ maskedName: Type.String(), documentType: Type.String(), maskedNumber: Type.String() }),
  verification: Type.String(), guardian: Type.Boolean(),
});

const tags = ['registration'];
const security = [{ bearer: [] }];
const responses = { 200: View, '4xx': Problem, '5xx': Problem };

function image(b64: string | undefined): Buffer | undefined {
  if (b64 === undefined) return undefined;
  const buf = Buffer.from(b64, 'base64');
  if (buf.length === 0) throw new DomainError('request.invalid', 'An image is empty');
  return buf;
}

function idem(headers: Static<typeof IdemHeaders>, url: string, body: unknown): Idempotency | undefined {
  const key = headers['idempotency-key'];
  return key ? { key, body: { url, body } } : undefined;
}

export function registrationRoutes(deps: { registrations: RegistrationService }): RouteRegistrar {
  const svc = deps.registrations;
  return (app: App) => {
    app.post('/v1/registrations', {
      schema: { tags, security, summary: 'Start a registration at the agent\'s store', headers: IdemHeaders, response: { 201: View, '4xx': Problem } },
    }, async (req, reply) => reply.status(201).send(await svc.start(req.principal, req.headers['idempotency-key'])));

    app.get('/v1/registrations/:id', { schema: { tags, security, summary: 'Read a registration (masked)', params: Params, response: responses } },
      async (req) => svc.get(req.principal, req.params.id));

    app.post('/v1/registrations/:id/document', {
      bodyLimit: IMAGE_BODY_LIMIT,
      schema: {
        tags, security, summary: 'Capture and validate the identity document', params: Params, headers: IdemHeaders, response: responses,
        body: Type.Object({
          document: Document,
          source: Type.Optional(Type.Union([Type.Literal('manual_entry'), Type.Literal('card_reader'), Type.Literal('document_photo')])),
          idPhoto: Type.Optional(Base64Image),
        }, { additionalProperties: false }),
      },
    }, async (req) => svc.captureDocument(req.principal, req.params.id,
      { ...req.body.document, source: req.body.source ?? 'manual_entry', idPhoto: image(req.body.idPhoto) }, idem(req.headers, req.url, req.body)));

    app.post('/v1/registrations/:id/consent', {
      schema: {
        tags, security, summary: 'Record the answer to the biometric consent text', params: Params, headers: IdemHeaders, response: responses,
        body: Type.Object({ biometric: Type.Boolean(), textVersion: Type.String({ maxLength: 64 }), locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]) }, { additionalProperties: false }),
      },
    }, async (req) => svc.recordConsent(req.principal, req.params.id, req.body, idem(req.headers, req.url, req.body)));

    app.post('/v1/registrations/:id/face', {
      bodyLimit: IMAGE_BODY_LIMIT,
      schema: {
        tags, security, params: Params, headers: IdemHeaders, response: responses,
        summary: 'Match the live face (the best frame of a passed liveness session of this registration) against the document photo',
        body: Type.Object({
          livenessSessionId: Type.String({ format: 'uuid', description: 'A passed liveness session of this registration (POST /v1/registrations/{id}/liveness); used up by this step' }),
          idPhoto: Type.Optional(Base64Image),
        }, { additionalProperties: false }),
      },
    }, async (req) => svc.submitFace(req.principal, req.params.id, { livenessSessionId: req.body.livenessSessionId, idPhoto: image(req.body.idPhoto) }, idem(req.headers, req.url, req.body)));

    app.post('/v1/registrations/:id/manual-review', {
      schema: { tags, security, summary: 'Ask a store manager to verify the person in place of the face match', params: Params, headers: IdemHeaders, response: responses },
    }, async (req) => svc.requestManualReview(req.principal, req.params.id, idem(req.headers, req.url, null)));

    app.post('/v1/registrations/:id/manual-review/decision', {
      schema: {
        tags, security, summary: 'Store manager: approve or reject after checking person and document', params: Params, headers: IdemHeaders, response: responses,
        body: Type.Object({ approved: Type.Boolean(), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      },
    }, async (req) => svc.decideManualReview(req.principal, req.params.id, req.body, idem(req.headers, req.url, req.body)));

    app.get('/v1/manual-reviews', {
      schema: { tags, security, summary: 'Store manager: registrations waiting for manual review', response: { 200: Type.Array(View), '4xx': Problem } },
    }, async (req) => svc.listPendingReview(req.principal));

    app.post('/v1/registrations/:id/guardian', {
      bodyLimit: IMAGE_BODY_LIMIT,
      schema: {
        tags, security, summary: 'Record a minor\'s verified guardian', params: Params, headers: IdemHeaders, response: responses,
        description: 'The guardian\'s own document, checked first: the person registering is refused (422 registration.guardian_same_person), '
          + 'and so is a document that does not show an adult (422 policy.guardian_not_adult); the registration stays open. Then face: their document photo '
          + 'against their own liveness session (a mismatch is 403 verification.failed, and the session is not used up), or manual_review: a store manager in person.',
        body: Type.Object({
          document: Document,
          relation: Type.Union([Type.Literal('parent'), Type.Literal('legal_guardian')]),
          method: Type.Union([Type.Literal('face'), Type.Literal('manual_review')]),
          idPhoto: Type.Optional({ ...Base64Image, description: 'Face method: the guardian\'s document photo' }),
          livenessSessionId: Type.Optional(Type.String({ format: 'uuid', description: 'Face method: the guardian\'s passed liveness session (POST /v1/registrations/{id}/guardian/liveness); its best frame is matched, and it is used up' })),
        }, { additionalProperties: false }),
      },
    }, async (req) => svc.addGuardian(req.principal, req.params.id, {
      document: req.body.document, relation: req.body.relation, method: req.body.method,
      idPhoto: image(req.body.idPhoto), ...(req.body.livenessSessionId ? { livenessSessionId: req.body.livenessSessionId } : {}),
    }, idem(req.headers, req.url, req.body)));

    app.post('/v1/registrations/:id/rules', {
      schema: { tags, security, summary: 'Check the operator\'s policy rules (caps, blocklist, minors)', params: Params, headers: IdemHeaders, response: responses },
    }, async (req) => svc.checkRules(req.principal, req.params.id, idem(req.headers, req.url, null)));

    app.post('/v1/registrations/:id/number-reservation', {
      schema: {
        tags, security, summary: 'Hold a chosen number for this registration', params: Params,
        body: Type.Object({ msisdn: Type.String({ pattern: '^\\+?[0-9]{5,15}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ numberId: Type.String(), msisdn: Type.String(), reservedUntil: Type.String() }), '4xx': Problem },
      },
    }, async (req) => svc.reserveNumber(req.principal, req.params.id, req.body.msisdn));

    app.post('/v1/registrations/:id/number', {
      schema: { tags, security, summary: 'Assign the reserved (or first available) number', params: Params, headers: IdemHeaders, response: responses },
    }, async (req) => svc.assignNumber(req.principal, req.params.id, idem(req.headers, req.url, null)));

    app.post('/v1/registrations/:id/complete', {
      schema: { tags, security, summary: 'Complete the registration and issue the receipt', params: Params, headers: IdemHeaders, response: responses },
    }, async (req) => svc.complete(req.principal, req.params.id, idem(req.headers, req.url, null)));

    app.post('/v1/registrations/:id/cancel', {
      schema: {
        tags, security, summary: 'Cancel an open registration', params: Params, headers: IdemHeaders, response: responses,
        body: Type.Object({ reason: Type.String({ pattern: '^[a-z_]{3,40}$', description: 'A reason code, e.g. customer_left' }) }, { additionalProperties: false }),
      },
    }, async (req) => svc.cancel(req.principal, req.params.id, req.body.reason, idem(req.headers, req.url, req.body)));

    app.get('/v1/registrations/:id/receipt', {
      schema: { tags, security, summary: 'The customer\'s receipt (masked)', params: Params, response: { 200: Receipt, '4xx': Problem } },
    }, async (req) => svc.receipt(req.principal, req.params.id));
  };
}
