/**
 * The role × endpoint access matrix over the whole server (see access-matrix.table.ts for the
 * table and why each cell is what it is). One server on PGlite, real sessions and API key;
 * every cell is one fresh request. The route list is checked against the OpenAPI document and
 * the router itself, so a new route cannot escape the matrix and a removed one cannot linger.
 * Outside the table: credentials that are not good enough (a one-time password still to be
 * replaced; malformed, unknown, revoked or expired bearer tokens; a revoked API key).
 */
import { randomBytes } from 'node:crypto';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { problemTypeBase } from '../errors/errors.ts';
import type { App } from './app.ts';
import { buildWorld, callers, type Caller, type Method, type Reply, type World } from './access-matrix.world.ts';
import { expected, hiddenAs, requests, type Outcome } from './access-matrix.table.ts';
import { defaultWebDir, webRoutePaths } from './web.ts';

const routes = Object.keys(expected);

/** `METHOD /path/{param}` of every operation in the OpenAPI document. */
function openApiRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

/**
 * Every route the router serves, from `printRoutes` (Fastify has no public route list): each
 * line is a tree node whose path is its ancestors' segments joined. HEAD (added for every GET),
 * the OpenAPI UI under /docs and /health are not API routes.
 */
function routerRoutes(app: App): string[] {
  const out: string[] = [];
  const segments: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    segments.length = m[1]!.length / 4;
    segments.push(m[2]!);
    const path = segments.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of m[3]?.split(', ') ?? []) out.push(`${method} ${path}`);
  }
  const web = new Set(webRoutePaths(defaultWebDir).map((p) => `GET ${p}`)); // the web apps' static files: public, no data
  return out.filter((r) => !r.startsWith('HEAD ') && !/^GET \/(docs|health)\b/.test(r) && !web.has(r));
}

/** A problem+json reply with `status` and error `code`. */
function assertProblem(r: Reply, status: number, code: string, what: string): void {
  assert.equal(r.status, status, `${what}: got ${r.status} ${r.body.slice(0, 300)}`);
  assert.match(r.contentType, /^application\/problem\+json/, what);
  assert.equal(r.json().type, `${problemTypeBase}${code}`, what);
}

const difference = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x)).sort();

/** True when `url` (without its query) is an instance of the route's path template. */
function matchesTemplate(route: string, url: string): boolean {
  const template = route.split(' ')[1]!;
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(url.split('?')[0]!);
}

describe('access matrix: every route × every caller', () => {
  let w: World;
  before(async () => { w = await buildWorld(); });
  after(async () => { await w?.portrait.close(); });

  test('the matrix lists exactly the routes of the OpenAPI document, and the router serves no others', async () => {
    const docs = await w.http('anonymous', 'GET', '/docs/json');
    assert.equal(docs.status, 200);
    const documented = openApiRoutes(docs.json() as { paths: Record<string, Record<string, unknown>> });
    assert.deepEqual(difference(documented, routes), [], 'routes missing from the access matrix');
    assert.deepEqual(difference(routes, documented), [], 'routes in the access matrix that no longer exist');
    const served = routerRoutes(w.portrait.app);
    assert.ok(served.includes('POST /v1/auth/login'), 'the router listing could not be read');
    assert.deepEqual(difference(served, documented), [], 'routes served but hidden from the OpenAPI document');
    assert.deepEqual(difference(Object.keys(requests), routes), [], 'request builders without a matrix row');
    assert.deepEqual(difference(routes, Object.keys(requests)), [], 'matrix rows without a request builder');
    for (const route of routes) {
      const row = expected[route]!;
      assert.equal(row.length, callers.length, `${route}: one outcome per caller`);
      if (row.includes(404)) assert.ok(hiddenAs[route], `${route}: a designed 404 names its problem type`);
    }
    assert.deepEqual(difference(Object.keys(hiddenAs), routes.filter((r) => expected[r]!.includes(404))), [], 'hiddenAs rows without a 404');
  });

  async function check(route: string, caller: Caller, want: Outcome): Promise<void> {
    const method = route.split(' ')[0] as Method;
    const req = await requests[route]!(w, caller);
    assert.ok(matchesTemplate(route, req.url), `${route}: the request goes to ${req.url}`);
    const r = await w.http(caller, method, req.url, req.body, req.token);
    const what = `${route} as ${caller}: got ${r.status} ${r.body.slice(0, 300)}`;
    if (want === 'ok') {
      assert.ok(r.status >= 200 && r.status < 300, `expected a 2xx. ${what}`);
      req.allowed?.(r);
      return;
    }
    assert.equal(r.status, want, what);
    assert.match(r.contentType, /^application\/problem\+json/, what);
    const code = want === 401 ? 'auth.required' : want === 403 ? 'auth.forbidden' : hiddenAs[route];
    assert.equal(r.json().type, `${problemTypeBase}${code}`, what);
  }

  for (const route of routes) {
    test(route, async (t) => {
      for (const [i, caller] of callers.entries()) {
        const want = expected[route]![i]!;
        await t.test(`${caller} → ${want}`, () => check(route, caller, want));
      }
    });
  }

  describe('credentials outside the table', () => {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    /** A route any staff member may call, and one open to anonymous callers: a bad credential is refused on both. */
    async function assertRefused(headers: Record<string, string>, what: string): Promise<void> {
      assertProblem(await w.raw('GET', '/v1/auth/me', headers), 401, 'auth.required', `${what}, GET /v1/auth/me`);
      assertProblem(await w.raw('GET', '/v1/consent-texts/current?locale=en', headers), 401, 'auth.required', `${what}, anonymous route`);
    }

    test('a one-time password not yet replaced: 403 on a normal route; me and password work, then the role\'s routes', async () => {
      const created = await w.ok('adminA', 'POST', `/v1/tenants/${w.tenantA}/staff`, {
        username: `matrix.first-login-${w.next()}`, displayName: 'First login', role: 'agent', storeId: w.storeA2,
      });
      const username = String((created.staff as { username: string }).username);
      const oneTimePassword = String(created.oneTimePassword);
      const login = await w.raw('POST', '/v1/auth/login', {}, { username, password: oneTimePassword });
      assert.equal(login.status, 200, login.body);
      assert.equal((login.json().staff as { mustChangePassword: boolean }).mustChangePassword, true);
      const auth = bearer(String(login.json().token));

      assertProblem(await w.raw('POST', '/v1/registrations', auth), 403, 'auth.password_change_required', 'start a registration');
      assertProblem(await w.raw('GET', `/v1/tenants/${w.tenantA}/numbers?limit=1`, auth), 403, 'auth.password_change_required', 'list numbers');
      const me = await w.raw('GET', '/v1/auth/me', auth);
      assert.equal(me.status, 200, me.body);
      assert.deepEqual([me.json().username, me.json().mustChangePassword], [username, true]);

      const changed = await w.raw('POST', '/v1/auth/password', auth, { currentPassword: oneTimePassword, newPassword: `Matrix-first-Pass-${w.next()}!` });
      assert.equal(changed.status, 204, changed.body);
      assert.equal((await w.raw('GET', '/v1/auth/me', auth)).json().mustChangePassword, false);
      const started = await w.raw('POST', '/v1/registrations', auth);
      assert.equal(started.status, 201, started.body);
      assert.equal(started.json().storeId, w.storeA2);
    });

    test('a malformed, unknown or revoked bearer token: 401 auth.required, never anonymous', async () => {
      for (const authorization of ['Bearer not-a-token', 'Bearer ', 'Basic bWF0cml4OnBhc3M=', `Bearer ${'a'.repeat(42)}`, `Bearer ${w.tokens.agentA2}x`]) {
        await assertRefused({ authorization }, `malformed ${JSON.stringify(authorization.slice(0, 12))}`);
      }
      await assertRefused(bearer(randomBytes(32).toString('base64url')), 'unknown token');

      const token = await w.login('agentA2');
      assert.equal((await w.raw('GET', '/v1/auth/me', bearer(token))).status, 200, 'the session works before logout');
      assert.equal((await w.raw('POST', '/v1/auth/logout', bearer(token))).status, 204);
      await assertRefused(bearer(token), 'logged-out session');
      assert.equal((await w.http('agentA2', 'GET', '/v1/auth/me')).status, 200, "the caller's other session lives on");
    });

    test('a revoked API key: 401 auth.required', async () => {
      const created = await w.ok('adminA', 'POST', `/v1/tenants/${w.tenantA}/api-keys`, { name: `Revoked ${w.next()}`, scopes: ['three_element_check'] });
      const key = { 'x-api-key': String(created.key) };
      const { person, msisdn } = w.shared.done;
      const check = { name: person.name, documentType: person.type, documentNumber: person.number, msisdn };
      const before = await w.raw('POST', '/v1/partner/three-element-check', key, check);
      assert.equal(before.status, 200, before.body);
      assert.equal((await w.http('adminA', 'DELETE', `/v1/api-keys/${String(created.id)}`)).status, 204);
      assertProblem(await w.raw('POST', '/v1/partner/three-element-check', key, check), 401, 'auth.required', 'revoked key, partner route');
      await assertRefused(key, 'revoked key');
    });

    test('an expired session: 401 auth.required', async () => {
      const token = await w.login('agentA2');
      try {
        w.clock.shift(w.staffSessionTtlMs - 60_000);
        assert.equal((await w.raw('GET', '/v1/auth/me', bearer(token))).status, 200, 'a minute before it expires, the session works');
        w.clock.shift(w.staffSessionTtlMs + 1_000);
        await assertRefused(bearer(token), 'expired session');
        assertProblem(await w.raw('POST', '/v1/registrations', bearer(token)), 401, 'auth.required', 'expired session, normal route');
      } finally {
        w.clock.shift(0);
      }
    });
  });
});
