// The web apps as the server serves them: pages at / and /<app>/, assets, headers; unknown paths
// still problem+json; the static routes absent from the OpenAPI document; an unbuilt checkout
// says how to build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { webRoutePaths, webRoutes } from './web.ts';

async function appFor(dir: string) {
  return buildApp({
    bodyLimitBytes: 1024 * 1024, logLevel: 'silent', version: 'test', authenticate: async () => undefined, health: async () => ({}),
    routes: [(app) => { app.get('/v1/ping', async () => ({ ok: true })); }, webRoutes({ dir })],
  });
}

test('built apps are served with their pages, assets and headers; other paths stay problem+json and out of OpenAPI', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portrait-web-'));
  try {
    mkdirSync(join(dir, 'kiosk'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><a href="/kiosk/">kiosk</a>');
    writeFileSync(join(dir, 'kiosk', 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(dir, 'assets', 'kiosk-abc.js'), 'console.log(1)');
    const app = await appFor(dir);
    const home = await app.inject({ url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(home.headers['content-type'] as string, /^text\/html/);
    assert.match(home.body, /\/kiosk\//);
    const kiosk = await app.inject({ url: '/kiosk/' });
    assert.equal(kiosk.statusCode, 200);
    assert.match(kiosk.headers['content-security-policy'] as string, /default-src 'self'/);
    assert.equal(kiosk.headers['cache-control'], 'no-cache');
    const bare = await app.inject({ url: '/kiosk' });
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers.location, '/kiosk/');
    const asset = await app.inject({ url: '/assets/kiosk-abc.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
    for (const url of ['/nope', '/kiosk/nope.js', '/assets/missing.js']) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 404, url);
      assert.match(r.headers['content-type'] as string, /^application\/problem\+json/, url);
    }
    assert.equal((await app.inject({ url: '/v1/ping' })).json().ok, true);
    assert.deepEqual(webRoutePaths(dir), ['/', '/assets/kiosk-abc.js', '/index.html', '/kiosk', '/kiosk/', '/kiosk/index.html']);
    for (const url of webRoutePaths(dir)) assert.ok([200, 301].includes((await app.inject({ url })).statusCode), url);
    const paths = Object.keys((await app.inject({ url: '/docs/json' })).json().paths as Record<string, unknown>);
    assert.deepEqual(paths.filter((p) => !p.startsWith('/v1/')), [], 'no static route in the OpenAPI document');
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a build, / answers a problem that says how to build the web apps', async () => {
  const app = await appFor(join(tmpdir(), 'portrait-no-such-dir'));
  const r = await app.inject({ url: '/' });
  assert.deepEqual(webRoutePaths(join(tmpdir(), 'portrait-no-such-dir')), ['/']);
  assert.equal(r.statusCode, 404);
  assert.match(r.json().detail as string, /npm run build:web/);
  await app.close();
});
