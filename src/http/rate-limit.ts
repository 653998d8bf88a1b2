/**
 * Rate-limited routes: @fastify/rate-limit registered in a scope of their own, so that its hooks
 * touch no other route, refusing with the problem `rate_limited` (429) and a plain sentence.
 */
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '../errors/errors.ts';
import type { App } from './app.ts';

export async function rateLimitedScope(app: App, refusal: (max: number, retryAfter: string) => string, routes: (scope: App) => void): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    await scope.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => new DomainError('rate_limited', refusal(ctx.max, ctx.after)) });
    routes(scope);
  });
}
