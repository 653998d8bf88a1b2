/**
 * The built web apps (web/dist, `npm run build:web`) served by the same server as the API: the
 * landing page at `/`, each app at `/<app>/` (kiosk, self-service, console),
 * their hashed assets under `/assets/`. The routes are hidden from the OpenAPI document; any
 * other path still gets the problem+json 404. Pages carry a Content-Security-Policy that allows
 * only this origin (plus data:/blob: images for the chip photo preview).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App, RouteRegistrar } from './app.ts';
import { problemFor, sendProblem } from './problem.ts';

/** web/dist of this checkout. */
export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
    + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
};

/** Every GET path the web routes serve from `dir` (the access-matrix test allows exactly these beside the documented API). */
export function webRoutePaths(dir: string): string[] {
  if (!existsSync(join(dir, 'index.html'))) return ['/'];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  for (const file of out.filter((f) => f.endsWith('/index.html'))) {
    const folder = file.slice(0, -'index.html'.length);
    out.push(folder);
    if (folder !== '/') out.push(folder.slice(0, -1));
  }
  return out.sort();
}

export function webRoutes(opts: { dir: string }): RouteRegistrar {
  return async (app: App) => {
    if (!existsSync(join(opts.dir, 'index.html'))) {
      app.log.warn({ dir: opts.dir }, 'web apps not built (npm run build:web): / and the apps answer 404');
      app.get('/', { schema: { hide: true } }, async (_req, reply) =>
        sendProblem(reply, problemFor('not_found', 'The web apps are not built: run `npm run build:web` (npm start does it)')));
      return;
    }
    await app.register(fastifyStatic, {
      root: opts.dir,
      prefix: '/',
      wildcard: false,
      redirect: false, // its redirect breaks on a root index (prefix '/'); the apps' own are below
      index: 'index.html',
      dotfiles: 'ignore',
      schemaHide: true,
      cacheControl: false,
      setHeaders: (reply: FastifyReply, path: string) => {
        if (path.endsWith('.html')) reply.headers({ 'cache-control': 'no-cache', ...PAGE_HEADERS });
        else if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    // /kiosk → /kiosk/ (the pages' relative links need the slash)
    for (const entry of readdirSync(opts.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(join(opts.dir, entry.name, 'index.html'))) continue;
      app.get(`/${entry.name}`, { schema: { hide: true } }, async (_req, reply) => reply.redirect(`/${entry.name}/`, 301));
    }
  };
}
