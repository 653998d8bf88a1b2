import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { buildApp, type App } from '../http/app.ts';
import { problemTypeBase } from '../errors/errors.ts';
import { createStaffService, type StaffService } from './staff.service.ts';
import { createAuthenticator } from './staff.authenticate.ts';
import { staffRoutes } from './staff.routes.ts';
import { insertStore, insertTenant, testClock, testKeyring, type TestClock } from './staff.fixtures.ts';

const PW = 'Admin-password-1';
const json = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>;

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = json(res);
  assert.equal(body.type, `${problemTypeBase}${code}`);
  assert.equal(body.status, status);
  return body;
}

for (const target of await testTargets()) {
  describe(`staff HTTP API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let time: TestClock;
    let svc: StaffService;
    let tenantA: string, tenantB: string, storeA1: string, storeB1: string;
    let adminToken: string, managerToken: string;

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const login = async (username: string, password: string) => {
      const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password } });
      assert.equal(res.statusCode, 200, res.body);
      return json(res) as { token: string; expiresAt: string; staff: Record<string, unknown> };
    };

    before(async () => {
      db = await target.open();
      time = testClock();
      const keyring = testKeyring();
      svc = createStaffService({ db, keyring, clock: time.clock });
      tenantA = await insertTenant(db, 'op-a');
      tenantB = await insertTenant(db, 'op-b');
      storeA1 = await insertStore(db, tenantA, 'A1');
      storeB1 = await insertStore(db, tenantB, 'B1');
      const sys = { password: PW, mustChangePassword: false };
      await svc.createStaffAsSystem({ username: 'admin.a', displayName: 'Admin A', role: 'operator_admin', tenantId: tenantA, ...sys });
      await svc.createStaffAsSystem({ username: 'manager.a1', displayName: 'Manager', role: 'store_manager', tenantId: tenantA, storeId: storeA1, ...sys });
      app = await buildApp({
        bodyLimitBytes: 65_536, logLevel: 'silent', version: 'test', health: async () => ({}),
        authenticate: createAuthenticator({ db, keyring, clock: time.clock }),
        routes: [
          staffRoutes({ staff: svc }),
          // A stand-in for a partner endpoint: shows who the authenticator says is calling.
          (a) => { a.get('/test/whoami', async (req) => ({ principal: req.principal ?? null })); },
        ],
      });
      adminToken = (await login('admin.a', PW)).token;
      managerToken = (await login('manager.a1', PW)).token;
    });
    after(async () => { await app.close(); await target.close(db); });

    test('login returns a token that authenticates GET /v1/auth/me; no password hash anywhere', async () => {
      const r = await login('admin.a', PW);
      assert.equal(r.staff.username, 'admin.a');
      assert.equal(r.expiresAt, new Date(time.clock().getTime() + 12 * 3600_000).toISOString());
      const me = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(r.token) });
      assert.equal(me.statusCode, 200);
      assert.equal(json(me).username, 'admin.a');
      assert.equal(json(me).tenantId, tenantA);
      assert.doesNotMatch(me.body + JSON.stringify(r), /scrypt|password_?hash/i);
    });

    test('wrong password and unknown user get the same 401 problem', async () => {
      const wrong = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'manager.a1', password: 'Wrong-password-1' } });
      const unknown = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'nobody', password: 'Wrong-password-1' } });
      assertProblem(wrong, 401, 'auth.invalid_credentials');
      assert.equal(wrong.body, unknown.body);
      assertProblem(await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'x', password: 'y'.repeat(300) } }), 400, 'request.invalid');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'x' } }), 400, 'request.invalid');
    });

    test('lockout is a 429 problem with the time to wait', async () => {
      for (let i = 0; i < 5; i++) {
        assertProblem(await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'ghost', password: `Wrong-password-${i}` } }), 401, 'auth.invalid_credentials');
      }
      const body = assertProblem(await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'ghost', password: PW } }), 429, 'auth.locked_out');
      assert.equal(body.retryAfterSeconds, 15 * 60);
      time.advanceMinutes(15);
    });

    test('bad, unknown, doubled or expired credentials are 401 auth.required', async () => {
      for (const headers of [
        { authorization: 'Bearer nope' }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        { authorization: `Bearer ${'A'.repeat(43)}` }, { 'x-api-key': 'pk_short' }, { 'x-api-key': `pk_${'A'.repeat(43)}` },
        { ...bearer(adminToken), 'x-api-key': `pk_${'A'.repeat(43)}` },
      ]) {
        assertProblem(await app.inject({ method: 'GET', url: '/v1/auth/me', headers }), 401, 'auth.required');
      }
      assertProblem(await app.inject({ method: 'GET', url: '/v1/auth/me' }), 401, 'auth.required');
      const short = await login('manager.a1', PW);
      time.advanceMinutes(12 * 60);
      assertProblem(await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(short.token) }), 401, 'auth.required');
      adminToken = (await login('admin.a', PW)).token;
      managerToken = (await login('manager.a1', PW)).token;
    });

    test('a new account must change its password before doing anything else', async () => {
      const created = await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken),
        payload: { username: 'second.admin', displayName: 'Second', role: 'operator_admin' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const { staff, oneTimePassword } = json(created) as { staff: Record<string, unknown>; oneTimePassword: string };
      assert.equal(staff.mustChangePassword, true);
      assert.doesNotMatch(created.body, /scrypt|password_?hash/i);
      const first = await login('second.admin', oneTimePassword);
      const other = await login('second.admin', oneTimePassword);
      assert.equal(first.staff.mustChangePassword, true);
      assertProblem(await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(first.token) }), 403, 'auth.password_change_required');
      assertProblem(await app.inject({ method: 'GET', url: '/test/whoami', headers: bearer(first.token) }), 403, 'auth.password_change_required');
      assert.equal((await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(first.token) })).statusCode, 200);
      assertProblem(await app.inject({
        method: 'POST', url: '/v1/auth/password', headers: bearer(first.token), payload: { currentPassword: oneTimePassword, newPassword: 'short' },
      }), 400, 'auth.password_weak');
      const changed = await app.inject({
        method: 'POST', url: '/v1/auth/password', headers: bearer(first.token), payload: { currentPassword: oneTimePassword, newPassword: 'Second-admin-pw-2' },
      });
      assert.equal(changed.statusCode, 204, changed.body);
      const list = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(first.token) });
      assert.equal(list.statusCode, 200, list.body);
      assertProblem(await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(other.token) }), 401, 'auth.required');
    });

    test('cross-tenant creation, store managers and bad bodies are refused', async () => {
      const payload = { username: 'intruder', displayName: 'I', role: 'agent', storeId: storeB1 };
      assertProblem(await app.inject({ method: 'POST', url: `/v1/tenants/${tenantB}/staff`, headers: bearer(adminToken), payload }), 403, 'auth.forbidden');
      assertProblem(await app.inject({ method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken), payload }), 404, 'store.not_found');
      assertProblem(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(managerToken), payload: { ...payload, storeId: storeA1 },
      }), 403, 'auth.forbidden');
      assertProblem(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken), payload: { ...payload, storeId: storeA1, username: 'u'.repeat(65) },
      }), 400, 'request.invalid');
      assertProblem(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken), payload: { ...payload, storeId: storeA1, role: 'root' },
      }), 400, 'request.invalid');
      assertProblem(await app.inject({ method: 'GET', url: '/v1/tenants/not-a-uuid/staff', headers: bearer(adminToken) }), 400, 'request.invalid');
      assertProblem(await app.inject({ method: 'POST', url: `/v1/tenants/${tenantA}/staff`, payload: { ...payload, storeId: storeA1 } }), 401, 'auth.required');
      const listed = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(managerToken) });
      assert.equal(listed.statusCode, 200);
      const items = (json(listed).items as { storeId: string }[]);
      assert.ok(items.length > 0 && items.every((s) => s.storeId === storeA1));
      assert.ok(!items.some((s) => (s as { username?: string }).username === 'intruder'));
    });

    test('disable: 200 with the account, 404 across tenants', async () => {
      const created = json(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken),
        payload: { username: 'temp.agent', displayName: 'T', role: 'agent', storeId: storeA1 },
      })) as { staff: { id: string } };
      const res = await app.inject({ method: 'POST', url: `/v1/staff/${created.staff.id}/disable`, headers: bearer(adminToken) });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json(res).disabled, true);
      assertProblem(await app.inject({ method: 'POST', url: `/v1/staff/${created.staff.id}/disable`, headers: bearer(managerToken) }), 403, 'auth.forbidden');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/staff/00000000-0000-4000-8000-000000000000/disable', headers: bearer(adminToken) }), 404, 'staff.not_found');
    });

    test('enable and password reset: 200 with the account (and the new one-time password once), 404 across tenants', async () => {
      const created = json(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/staff`, headers: bearer(adminToken),
        payload: { username: 'back.agent', displayName: 'B', role: 'agent', storeId: storeA1 },
      })) as { staff: { id: string; lastLoginAt: null } };
      assert.equal(created.staff.lastLoginAt, null);
      const id = created.staff.id;
      assert.equal(json(await app.inject({ method: 'POST', url: `/v1/staff/${id}/disable`, headers: bearer(adminToken) })).disabled, true);
      const enabled = await app.inject({ method: 'POST', url: `/v1/staff/${id}/enable`, headers: bearer(adminToken) });
      assert.equal(enabled.statusCode, 200, enabled.body);
      assert.equal(json(enabled).disabled, false);
      assertProblem(await app.inject({ method: 'POST', url: `/v1/staff/${id}/enable`, headers: bearer(managerToken) }), 403, 'auth.forbidden');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/staff/00000000-0000-4000-8000-000000000000/enable', headers: bearer(adminToken) }), 404, 'staff.not_found');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/staff/not-a-uuid/enable', headers: bearer(adminToken) }), 400, 'request.invalid');

      const reset = await app.inject({ method: 'POST', url: `/v1/staff/${id}/password-reset`, headers: bearer(adminToken) });
      assert.equal(reset.statusCode, 200, reset.body);
      const { staff, oneTimePassword } = json(reset) as { staff: Record<string, unknown>; oneTimePassword: string };
      assert.equal(staff.mustChangePassword, true);
      assert.doesNotMatch(reset.body, /scrypt|password_?hash/i);
      const first = await login('back.agent', oneTimePassword);
      assert.equal(first.staff.mustChangePassword, true);
      assertProblem(await app.inject({ method: 'POST', url: `/v1/staff/${id}/password-reset`, headers: bearer(managerToken) }), 403, 'auth.forbidden');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/staff/00000000-0000-4000-8000-000000000000/password-reset', headers: bearer(adminToken) }), 404, 'staff.not_found');
      const me = json(await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(adminToken) })) as { id: string };
      assertProblem(await app.inject({ method: 'POST', url: `/v1/staff/${me.id}/password-reset`, headers: bearer(adminToken) }), 403, 'auth.forbidden');

      const listed = json(await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/staff?storeId=${storeA1}`, headers: bearer(adminToken) })) as { items: { id: string; storeId: string; lastLoginAt: string | null }[] };
      assert.ok(listed.items.every((s) => s.storeId === storeA1));
      assert.equal(listed.items.find((s) => s.id === id)!.lastLoginAt, time.clock().toISOString());
      assertProblem(await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/staff?storeId=nope`, headers: bearer(adminToken) }), 400, 'request.invalid');
    });

    test('API keys: created once, authenticate partner calls, refused after revocation', async () => {
      const created = await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/api-keys`, headers: bearer(adminToken),
        payload: { name: 'Bank', scopes: ['three_element_check'], rateLimitPerMinute: 30 },
      });
      assert.equal(created.statusCode, 201, created.body);
      const key = json(created) as { id: string; key: string; scopes: string[]; revokedAt: null };
      assert.match(key.key, /^pk_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(key.scopes, ['three_element_check']);
      const who = await app.inject({ method: 'GET', url: '/test/whoami', headers: { 'x-api-key': key.key } });
      assert.deepEqual(json(who).principal, { kind: 'api_key', keyId: key.id, tenantId: tenantA, scopes: ['three_element_check'], rateLimitPerMinute: 30 });
      const list = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantA}/api-keys`, headers: bearer(adminToken) });
      assert.ok(!list.body.includes(key.key), 'the list never shows the secret');
      assert.equal((json(list).items as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === key.id)!.lastUsedAt, time.clock().toISOString());
      assertProblem(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/api-keys`, headers: bearer(adminToken), payload: { name: 'x', scopes: ['all'] },
      }), 400, 'request.invalid');
      assertProblem(await app.inject({
        method: 'POST', url: `/v1/tenants/${tenantA}/api-keys`, headers: { 'x-api-key': key.key }, payload: { name: 'x', scopes: ['three_element_check'] },
      }), 403, 'auth.forbidden');
      assertProblem(await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(managerToken) }), 403, 'auth.forbidden');
      const del = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(adminToken) });
      assert.equal(del.statusCode, 204);
      assert.equal(del.body, '');
      assertProblem(await app.inject({ method: 'GET', url: '/test/whoami', headers: { 'x-api-key': key.key } }), 401, 'auth.required');
      assertProblem(await app.inject({ method: 'DELETE', url: '/v1/api-keys/00000000-0000-4000-8000-000000000000', headers: bearer(adminToken) }), 404, 'api_key.not_found');
    });

    test('logout ends the session', async () => {
      const { token } = await login('manager.a1', PW);
      const res = await app.inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(token) });
      assert.equal(res.statusCode, 204);
      assertProblem(await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(token) }), 401, 'auth.required');
      assertProblem(await app.inject({ method: 'POST', url: '/v1/auth/logout' }), 401, 'auth.required');
    });

    test('the OpenAPI document lists the routes with tags and security', async () => {
      await app.ready();
      const spec = app.swagger() as { paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>> };
      assert.deepEqual(spec.paths['/v1/auth/login']?.post?.security, []);
      assert.deepEqual(spec.paths['/v1/tenants/{tenantId}/staff']?.post?.tags, ['staff']);
      assert.deepEqual(spec.paths['/v1/api-keys/{keyId}']?.delete?.security, [{ bearer: [] }]);
      assert.doesNotMatch(JSON.stringify(spec), /password_?hash/i);
    });
  });
}
