/**
 * Maps every failure to `application/problem+json` (RFC 9457) in one place: domain error
 * codes, schema validation, oversized bodies, unknown routes and unexpected crashes.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorCodes, problemTypeBase, type ErrorCode } from '../errors/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extra: string]: unknown;
}

export function problemFor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): Problem {
  const def = errorCodes[code];
  return { type: `${problemTypeBase}${code}`, title: def.title, status: def.status, ...(detail ? { detail } : {}), ...extra };
}

function fastifyErrorToProblem(err: FastifyError): Problem {
  if (err.validation) {
    return problemFor('request.invalid', err.message, {
      errors: err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })),
    });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return problemFor('request.too_large', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return problemFor('request.unsupported_media_type', err.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problemFor('request.invalid', err.message);
    default:
      break;
  }
  if (err.statusCode === 429) return problemFor('rate_limited', err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return problemFor('request.invalid', err.message);
  return problemFor('internal', 'An unexpected error occurred; it has been logged.');
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

export function errorHandler(err: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof DomainError) {
    return sendProblem(reply, problemFor(err.code, err.message, err.extra));
  }
  const problem = fastifyErrorToProblem(err);
  if (problem.status >= 500) req.log.error({ err }, 'unhandled error');
  return sendProblem(reply, problem);
}
