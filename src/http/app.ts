/**
 * The Fastify application: TypeBox schemas, OpenAPI at /docs, problem+json errors, body
 * limits, authentication of every request into `req.principal`. Routes live with their
 * concept and are handed in as registrars, so this file knows no domain.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorHandler, problemFor, sendProblem } from './problem.ts';
import type { Principal } from '../staff/principal.ts';

declare module 'fastify' {
  interface FastifyRequest { principal?: Principal }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
export type RouteRegistrar = (app: App) => void | Promise<void>;

export interface AppOptions {
  bodyLimitBytes: number;
  logLevel: string;
  version: string;
  /** Resolves the caller from headers; undefined = anonymous. Throws DomainError for bad credentials. */
  authenticate: (req: FastifyRequest) => Promise<Principal | undefined>;
  routes: RouteRegistrar[];
  health: () => Promise<Record<string, unknown>>;
  /** Where logs go (default stdout); tests read them to check that no personal data is logged. */
  logStream?: { write(line: string): void };
}

const PII_REDACTIONS = ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'];

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    bodyLimit: opts.bodyLimitBytes,
    logger: {
      level: opts.logLevel,
      redact: PII_REDACTIONS,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      // Log the route pattern, never the concrete URL: paths can carry phone numbers.
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)' }),
      },
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(swagger, {
    openapi: {
      info: { title: 'Portrait API', version: opts.version, description: 'Face-verified real-name registration. Errors are application/problem+json with a stable `type`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Staff session token from POST /v1/auth/login' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Partner API key' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_req, reply) => sendProblem(reply, problemFor('not_found', 'No such route')));

  app.addHook('onRequest', async (req) => {
    req.principal = await opts.authenticate(req);
  });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', version: opts.version, ...(await opts.health()) }));

  for (const register of opts.routes) await register(app);
  return app;
}
