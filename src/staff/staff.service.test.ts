import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import { DomainError, type ErrorCode } from '../errors/errors.ts';
import type { Principal, StaffPrincipal } from './principal.ts';
import { createStaffService, type StaffService } from './staff.service.ts';
import { resolvePrincipal } from './staff.authenticate.ts';
import { loginFailureKey } from './auth.service.ts';
import { insertStore, insertTenant, testClock, testKeyring, type TestClock } from './staff.fixtures.ts';

const keyring = testKeyring();
const PW = 'Admin-password-1';

async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  let caught: unknown;
  try { await p; } catch (e) { caught = e; }
  assert.ok(caught instanceof DomainError, `expected DomainError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

for (const target of await testTargets()) {
  describe(`staff service (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let time: TestClock;
    let svc: StaffService;
    let tenantA: string, tenantB: string, storeA1: string, storeA2: string, storeB1: string;
    let adminA: StaffPrincipal, adminB: StaffPrincipal, managerA1: StaffPrincipal, agentA1: StaffPrincipal;

    const principalOf = (s: { id: string; role: StaffPrincipal['role']; tenantId: string | null; storeId: string | null }): StaffPrincipal =>
      ({ kind: 'staff', staffId: s.id, role: s.role, tenantId: s.tenantId, storeId: s.storeId });
    const principalFromToken = (token: string) => resolvePrincipal({ db, keyring, clock: time.clock }, { authorization: `Bearer ${token}` });
    const failuresOf = async (username: string) =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failures WHERE username = $1', [loginFailureKey(keyring, username)])).rows[0]!.n;
    const auditActions = async () => (await db.query<{ action: string }>('SELECT action FROM audit_events ORDER BY id')).rows.map((r) => r.action);

    before(async () => {
      db = await target.open();
      time = testClock();
      svc = createStaffService({ db, keyring, clock: time.clock });
      tenantA = await insertTenant(db, 'op-a');
      tenantB = await insertTenant(db, 'op-b');
      storeA1 = await insertStore(db, tenantA, 'A1');
      storeA2 = await insertStore(db, tenantA, 'A2');
      storeB1 = await insertStore(db, tenantB, 'B1');
      const mk = async (username: string, role: StaffPrincipal['role'], tenantId: string | null, storeId: string | null) =>
        principalOf((await svc.createStaffAsSystem({ username, displayName: username, role, tenantId, storeId, password: PW, mustChangePassword: false })).staff);
      adminA = await mk('admin.a', 'operator_admin', tenantA, null);
      adminB = await mk('admin.b', 'operator_admin', tenantB, null);
      managerA1 = await mk('manager.a1', 'store_manager', tenantA, storeA1);
      agentA1 = await mk('agent.a1', 'agent', tenantA, storeA1);
      await mk('regulator.1', 'regulator', null, null);
    });
    after(async () => { await target.close(db); });

    test('system creation: one-time password by default, shape rules and references checked', async () => {
      const { staff, oneTimePassword } = await svc.createStaffAsSystem({ username: 'First.Admin', displayName: 'First', role: 'operator_admin', tenantId: tenantB });
      assert.equal(staff.username, 'first.admin');
      assert.equal(staff.mustChangePassword, true);
      assert.ok(oneTimePassword && oneTimePassword.length >= 16);
      assert.equal((await svc.login('first.admin', oneTimePassword)).staff.mustChangePassword, true);
      assert.ok(!('passwordHash' in staff) && !('password_hash' in staff));
      await rejectsWith(svc.createStaffAsSystem({ username: 'x1x', displayName: 'x', role: 'operator_admin', tenantId: '00000000-0000-4000-8000-000000000009' }), 'tenant.not_found');
      await rejectsWith(svc.createStaffAsSystem({ username: 'x2x', displayName: 'x', role: 'agent', tenantId: tenantA, storeId: storeB1 }), 'store.not_found');
      await rejectsWith(svc.createStaffAsSystem({ username: 'x3x', displayName: 'x', role: 'regulator', tenantId: tenantA }), 'request.invalid');
      await rejectsWith(svc.createStaffAsSystem({ username: 'x4x', displayName: 'x', role: 'agent', tenantId: tenantA }), 'request.invalid');
      await rejectsWith(svc.createStaffAsSystem({ username: 'no spaces', displayName: 'x', role: 'operator_admin', tenantId: tenantA }), 'request.invalid');
      await rejectsWith(svc.createStaffAsSystem({ username: 'x5x', displayName: 'x', role: 'operator_admin', tenantId: tenantA, password: 'weak' }), 'auth.password_weak');
      await rejectsWith(svc.createStaffAsSystem({ username: 'admin.a', displayName: 'x', role: 'operator_admin', tenantId: tenantB }), 'staff.username_taken');
    });

    test('login: session token stored only as its HMAC, 12 h lifetime, audited', async () => {
      const r = await svc.login('  Admin.A ', PW);
      assert.match(r.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(r.expiresAt.getTime(), time.clock().getTime() + 12 * 3600_000);
      assert.deepEqual(r.staff, { id: adminA.staffId, username: 'admin.a', role: 'operator_admin', tenantId: tenantA, storeId: null, mustChangePassword: false });
      const { rows } = await db.query<{ token_hash: Buffer }>('SELECT token_hash FROM staff_sessions WHERE staff_id = $1', [adminA.staffId]);
      assert.ok(rows.some((s) => s.token_hash.equals(keyring.tokenHmac(r.token))));
      const principal = await principalFromToken(r.token);
      assert.equal(principal?.kind, 'staff');
      assert.equal(principal?.kind === 'staff' && principal.staffId, adminA.staffId);
      assert.ok((await auditActions()).includes('staff.login_succeeded'));
    });

    test('wrong password and unknown username fail alike, both recorded, no username in audit', async () => {
      const before = await failuresOf('agent.a1');
      const wrong = await rejectsWith(svc.login('agent.a1', 'Not-the-password-1'), 'auth.invalid_credentials');
      const unknown = await rejectsWith(svc.login('nobody.here', 'Not-the-password-1'), 'auth.invalid_credentials');
      assert.equal(wrong.message, unknown.message);
      assert.deepEqual(wrong.extra, unknown.extra);
      assert.equal(await failuresOf('agent.a1'), before + 1);
      assert.equal(await failuresOf('nobody.here'), 1);
      const { rows } = await db.query<{ details: unknown; subject_id: string | null }>("SELECT details, subject_id FROM audit_events WHERE action = 'staff.login_failed' ORDER BY id");
      assert.deepEqual(rows.map((r) => r.details), [{ reason: 'wrong_password' }, { reason: 'unknown_username' }]);
      assert.equal(rows[1]!.subject_id, null);
      const all = JSON.stringify([(await db.query('SELECT * FROM audit_events')).rows, (await db.query('SELECT * FROM login_failures')).rows]);
      assert.ok(!all.includes('nobody.here') && !all.includes('Not-the-password-1'), 'no attempted username or password stored in clear');
    });

    test('lockout after 5 failures in 15 minutes, even with the right password; lifted when the window passes', async () => {
      await svc.createStaffAsSystem({ username: 'lock.me', displayName: 'L', role: 'agent', tenantId: tenantA, storeId: storeA2, password: PW, mustChangePassword: false });
      for (let i = 0; i < 5; i++) {
        await rejectsWith(svc.login('lock.me', `Wrong-password-${i}`), 'auth.invalid_credentials');
        time.advanceMinutes(1);
      }
      const locked = await rejectsWith(svc.login('lock.me', PW), 'auth.locked_out');
      assert.equal(locked.extra?.retryAfterSeconds, 10 * 60, 'the first failure leaves the window 10 minutes from now');
      await rejectsWith(svc.login('LOCK.ME', 'Wrong-password-x'), 'auth.locked_out');
      assert.equal(await failuresOf('lock.me'), 5, 'refused attempts are not counted again');
      time.advanceMinutes(9);
      await rejectsWith(svc.login('lock.me', PW), 'auth.locked_out');
      time.advanceMinutes(1);
      const ok = await svc.login('lock.me', PW);
      assert.equal(ok.staff.username, 'lock.me');
      assert.equal(await failuresOf('lock.me'), 5, 'a success does not erase failures; the window does');
      assert.ok((await auditActions()).includes('staff.login_locked_out'));
      time.advanceMinutes(60);
    });

    test('unknown usernames lock out exactly like known ones', async () => {
      for (let i = 0; i < 5; i++) await rejectsWith(svc.login('ghost.user', `Wrong-password-${i}`), 'auth.invalid_credentials');
      await rejectsWith(svc.login('ghost.user', PW), 'auth.locked_out');
      time.advanceMinutes(60);
    });

    test('parallel guesses cannot exceed the limit', async () => {
      await svc.createStaffAsSystem({ username: 'race.target', displayName: 'R', role: 'agent', tenantId: tenantA, storeId: storeA1, password: PW, mustChangePassword: false });
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => svc.login('race.target', `Wrong-password-${i}`)));
      const codes = results.map((r) => (r.status === 'rejected' && r.reason instanceof DomainError ? r.reason.code : 'other'));
      assert.equal(codes.filter((c) => c === 'auth.invalid_credentials').length, 5);
      assert.equal(codes.filter((c) => c === 'auth.locked_out').length, 7);
      time.advanceMinutes(60);
    });

    test('a disabled account cannot log in and its sessions end', async () => {
      const { staff } = await svc.createStaffAsSystem({ username: 'leaver', displayName: 'L', role: 'agent', tenantId: tenantA, storeId: storeA1, password: PW, mustChangePassword: false });
      const { token } = await svc.login('leaver', PW);
      await rejectsWith(svc.disableStaff(adminB, staff.id), 'staff.not_found');
      await rejectsWith(svc.disableStaff(managerA1, staff.id), 'auth.forbidden');
      await rejectsWith(svc.disableStaff(adminA, adminA.staffId), 'auth.forbidden');
      await rejectsWith(svc.disableStaff(adminA, 'not-a-uuid'), 'staff.not_found');
      const disabled = await svc.disableStaff(adminA, staff.id);
      assert.equal(disabled.disabled, true);
      await rejectsWith(principalFromToken(token), 'auth.required');
      await rejectsWith(svc.login('leaver', PW), 'auth.invalid_credentials');
      assert.equal((await svc.disableStaff(adminA, staff.id)).disabled, true, 'disabling twice is harmless');
    });

    test('enable: a disabled account of the own operator logs in again with its password; audited', async () => {
      const { staff } = await svc.createStaffAsSystem({ username: 'returner', displayName: 'R', role: 'agent', tenantId: tenantA, storeId: storeA1, password: PW, mustChangePassword: false });
      await svc.disableStaff(adminA, staff.id);
      await rejectsWith(svc.login('returner', PW), 'auth.invalid_credentials');
      await rejectsWith(svc.enableStaff(adminB, staff.id), 'staff.not_found');
      await rejectsWith(svc.enableStaff(managerA1, staff.id), 'auth.forbidden');
      await rejectsWith(svc.enableStaff(agentA1, staff.id), 'auth.forbidden');
      await rejectsWith(svc.enableStaff(undefined, staff.id), 'auth.required');
      await rejectsWith(svc.enableStaff(adminA, adminA.staffId), 'auth.forbidden');
      await rejectsWith(svc.enableStaff(adminA, 'not-a-uuid'), 'staff.not_found');
      const regulator = (await db.query<{ id: string }>("SELECT id FROM staff WHERE username = 'regulator.1'")).rows[0]!.id;
      await rejectsWith(svc.enableStaff(adminA, regulator), 'staff.not_found');
      assert.equal((await svc.login('returner', PW).catch((e: DomainError) => e.code)), 'auth.invalid_credentials', 'still disabled after the refusals');
      const enabled = await svc.enableStaff(adminA, staff.id);
      assert.equal(enabled.disabled, false);
      assert.equal((await svc.login('returner', PW)).staff.id, staff.id);
      assert.equal((await svc.enableStaff(adminA, staff.id)).disabled, false, 'enabling twice is harmless');
      const { rows } = await db.query<{ actor_id: string; subject_id: string; details: unknown }>(
        "SELECT actor_id, subject_id, details FROM audit_events WHERE action = 'staff.enabled' ORDER BY id");
      assert.deepEqual(rows, [
        { actor_id: adminA.staffId, subject_id: staff.id, details: { alreadyEnabled: false } },
        { actor_id: adminA.staffId, subject_id: staff.id, details: { alreadyEnabled: true } },
      ]);
      time.advanceMinutes(60);
    });

    test('password reset: a new one-time password, the old one and every session gone, a lockout lifted; own operator only', async () => {
      const { staff } = await svc.createStaffAsSystem({ username: 'forgetful', displayName: 'F', role: 'agent', tenantId: tenantA, storeId: storeA2, password: PW, mustChangePassword: false });
      const session = await svc.login('forgetful', PW);
      for (let i = 0; i < 5; i++) await rejectsWith(svc.login('forgetful', `Wrong-password-${i}`), 'auth.invalid_credentials');
      await rejectsWith(svc.login('forgetful', PW), 'auth.locked_out');

      await rejectsWith(svc.resetPassword(adminB, staff.id), 'staff.not_found');
      await rejectsWith(svc.resetPassword(managerA1, staff.id), 'auth.forbidden');
      await rejectsWith(svc.resetPassword(agentA1, staff.id), 'auth.forbidden');
      await rejectsWith(svc.resetPassword(adminA, adminA.staffId), 'auth.forbidden');
      await rejectsWith(svc.resetPassword(adminA, '00000000-0000-4000-8000-000000000000'), 'staff.not_found');
      await rejectsWith(svc.login('forgetful', PW), 'auth.locked_out');

      const reset = await svc.resetPassword(adminA, staff.id);
      assert.ok(reset.oneTimePassword.length >= 16);
      assert.equal(reset.staff.id, staff.id);
      assert.equal(reset.staff.mustChangePassword, true);
      await rejectsWith(principalFromToken(session.token), 'auth.required');
      assert.equal(await failuresOf('forgetful'), 0, 'the lockout is lifted at once');
      await rejectsWith(svc.login('forgetful', PW), 'auth.invalid_credentials');
      const first = await svc.login('forgetful', reset.oneTimePassword);
      assert.equal(first.staff.mustChangePassword, true, 'the next login must set a new password');
      const { rows } = await db.query<{ actor_id: string; subject_id: string; details: Record<string, unknown> }>(
        "SELECT actor_id, subject_id, details FROM audit_events WHERE action = 'staff.password_reset'");
      assert.deepEqual(rows, [{ actor_id: adminA.staffId, subject_id: staff.id, details: { sessionsEnded: 1, failuresCleared: 5, disabled: false } }]);
      assert.ok(!JSON.stringify((await db.query('SELECT * FROM audit_events')).rows).includes(reset.oneTimePassword));
      time.advanceMinutes(60);
    });

    test('the last login is recorded on the account', async () => {
      const { staff } = await svc.createStaffAsSystem({ username: 'regular', displayName: 'R', role: 'agent', tenantId: tenantA, storeId: storeA1, password: PW, mustChangePassword: false });
      assert.equal(staff.lastLoginAt, null);
      await rejectsWith(svc.login('regular', 'Wrong-password-1'), 'auth.invalid_credentials');
      assert.equal((await svc.listStaff(adminA, tenantA)).find((s) => s.id === staff.id)!.lastLoginAt, null, 'a failed login is not a login');
      const at = time.clock();
      await svc.login('regular', PW);
      time.advanceMinutes(5);
      assert.deepEqual((await svc.listStaff(adminA, tenantA)).find((s) => s.id === staff.id)!.lastLoginAt, at);
      time.advanceMinutes(60);
    });

    test('change password: checks the current one and the policy, clears the flag, ends other sessions', async () => {
      const { staff, oneTimePassword } = await svc.createStaff(adminA, { username: 'new.agent', displayName: 'N', role: 'agent', storeId: storeA2 });
      const first = await svc.login('new.agent', oneTimePassword);
      const second = await svc.login('new.agent', oneTimePassword);
      assert.equal(first.staff.mustChangePassword, true);
      const me = (await principalFromToken(first.token)) as Principal;
      assert.equal(me.kind === 'staff' && me.mustChangePassword, true);
      await rejectsWith(svc.changePassword(me, 'Wrong-current-1', 'Brand-new-secret-2'), 'auth.invalid_credentials');
      await rejectsWith(svc.changePassword(me, oneTimePassword, 'weak'), 'auth.password_weak');
      await rejectsWith(svc.changePassword(me, oneTimePassword, 'new.agent'), 'auth.password_weak');
      await rejectsWith(svc.changePassword(me, oneTimePassword, oneTimePassword), 'auth.password_weak');
      await svc.changePassword(me, oneTimePassword, 'Brand-new-secret-2');
      const after = await principalFromToken(first.token);
      assert.equal(after?.kind === 'staff' && after.mustChangePassword, false, 'own session kept, flag cleared');
      await rejectsWith(principalFromToken(second.token), 'auth.required');
      await rejectsWith(svc.login('new.agent', oneTimePassword), 'auth.invalid_credentials');
      assert.equal((await svc.login('new.agent', 'Brand-new-secret-2')).staff.id, staff.id);
      time.advanceMinutes(60);
    });

    test('account creation rules: own tenant only, own stores only, no regulators, admins only', async () => {
      const created = await svc.createStaff(adminA, { username: 'mgr.a2', displayName: 'M', role: 'store_manager', storeId: storeA2 });
      assert.equal(created.staff.tenantId, tenantA);
      assert.equal(created.staff.mustChangePassword, true);
      await rejectsWith(svc.createStaff(adminA, { username: 'cross', displayName: 'X', role: 'agent', storeId: storeB1, tenantId: tenantB }), 'auth.forbidden');
      await rejectsWith(svc.createStaff(adminA, { username: 'cross2', displayName: 'X', role: 'operator_admin', tenantId: tenantB }), 'auth.forbidden');
      await rejectsWith(svc.createStaff(adminA, { username: 'cross3', displayName: 'X', role: 'agent', storeId: storeB1 }), 'store.not_found');
      await rejectsWith(svc.createStaff(adminA, { username: 'reg2', displayName: 'X', role: 'regulator' }), 'auth.forbidden');
      await rejectsWith(svc.createStaff(managerA1, { username: 'by.manager', displayName: 'X', role: 'agent', storeId: storeA1 }), 'auth.forbidden');
      await rejectsWith(svc.createStaff(agentA1, { username: 'by.agent', displayName: 'X', role: 'agent', storeId: storeA1 }), 'auth.forbidden');
      await rejectsWith(svc.createStaff(undefined, { username: 'anon', displayName: 'X', role: 'agent', storeId: storeA1 }), 'auth.required');
      await rejectsWith(svc.createStaff(adminA, { username: 'mgr.a2', displayName: 'M', role: 'agent', storeId: storeA1 }), 'staff.username_taken');
      const admin2 = await svc.createStaff(adminA, { username: 'admin.a2', displayName: 'A2', role: 'operator_admin' });
      assert.equal(admin2.staff.storeId, null);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM staff WHERE username IN ('cross', 'cross2', 'cross3', 'reg2', 'by.manager', 'by.agent', 'anon')");
      assert.equal(rows[0]!.n, 0);
    });

    test('listing: admins see their tenant, store managers their store, others nothing', async () => {
      const all = await svc.listStaff(adminA, tenantA);
      assert.ok(all.length >= 4 && all.every((s) => s.tenantId === tenantA));
      assert.ok(all.every((s) => !('password_hash' in s) && !('passwordHash' in s)));
      const store = await svc.listStaff(managerA1, tenantA);
      assert.ok(store.length >= 2 && store.every((s) => s.storeId === storeA1));
      await rejectsWith(svc.listStaff(adminA, tenantB), 'auth.forbidden');
      await rejectsWith(svc.listStaff(managerA1, tenantB), 'auth.forbidden');
      await rejectsWith(svc.listStaff(agentA1, tenantA), 'auth.forbidden');
      assert.ok((await auditActions()).includes('staff.listed'));
    });

    test('listing one store: admins pick any store of theirs, store managers only their own', async () => {
      const a2 = await svc.listStaff(adminA, tenantA, { storeId: storeA2 });
      assert.ok(a2.length >= 1 && a2.every((s) => s.storeId === storeA2));
      assert.deepEqual(await svc.listStaff(adminA, tenantA, { storeId: storeB1 }), [], "another operator's store has none of this operator's staff");
      assert.ok((await svc.listStaff(managerA1, tenantA, { storeId: storeA1 })).every((s) => s.storeId === storeA1));
      await rejectsWith(svc.listStaff(managerA1, tenantA, { storeId: storeA2 }), 'auth.forbidden');
      await rejectsWith(svc.listStaff(adminA, tenantA, { storeId: 'not-a-uuid' }), 'store.not_found');
    });

    test('API keys: shown once, stored as HMAC, resolved while live, revoked by own tenant only', async () => {
      const k = await svc.createApiKey(adminA, tenantA, { name: 'Bank partner', scopes: ['three_element_check'], rateLimitPerMinute: 120 });
      assert.match(k.key, /^pk_[A-Za-z0-9_-]{43}$/);
      assert.equal(k.lastUsedAt, null);
      const stored = (await db.query<{ key_hash: Buffer }>('SELECT key_hash FROM api_keys WHERE id = $1', [k.id])).rows[0]!;
      assert.ok(stored.key_hash.equals(keyring.tokenHmac(k.key)));
      const p = await resolvePrincipal({ db, keyring, clock: time.clock }, { 'x-api-key': k.key });
      assert.deepEqual(p, { kind: 'api_key', keyId: k.id, tenantId: tenantA, scopes: ['three_element_check'], rateLimitPerMinute: 120 });
      assert.deepEqual((await svc.listApiKeys(adminA, tenantA)).map((x) => x.id), [k.id]);
      await rejectsWith(svc.createApiKey(adminB, tenantA, { name: 'x', scopes: ['three_element_check'] }), 'auth.forbidden');
      await rejectsWith(svc.createApiKey(managerA1, tenantA, { name: 'x', scopes: ['three_element_check'] }), 'auth.forbidden');
      await rejectsWith(svc.createApiKey(adminA, tenantA, { name: 'x', scopes: ['everything'] }), 'request.invalid');
      await rejectsWith(svc.createApiKey(adminA, tenantA, { name: 'x', scopes: [] }), 'request.invalid');
      await rejectsWith(svc.revokeApiKey(adminB, k.id), 'api_key.not_found');
      assert.equal((await svc.listApiKeys(adminA, tenantA))[0]!.lastUsedAt?.getTime(), time.clock().getTime(), 'the use is recorded');
      const firstUse = time.clock();
      time.advanceSeconds(59);
      await resolvePrincipal({ db, keyring, clock: time.clock }, { 'x-api-key': k.key });
      assert.deepEqual((await svc.listApiKeys(adminA, tenantA))[0]!.lastUsedAt, firstUse, 'within the minute: no write');
      time.advanceSeconds(1);
      await resolvePrincipal({ db, keyring, clock: time.clock }, { 'x-api-key': k.key });
      assert.deepEqual((await svc.listApiKeys(adminA, tenantA))[0]!.lastUsedAt, time.clock(), 'a minute later: recorded again');
      const revoked = await svc.revokeApiKey(adminA, k.id);
      assert.deepEqual(revoked.revokedAt, time.clock());
      await rejectsWith(resolvePrincipal({ db, keyring, clock: time.clock }, { 'x-api-key': k.key }), 'auth.required');
      const actions = await auditActions();
      assert.ok(actions.includes('api_key.created') && actions.includes('api_key.revoked'));
      assert.ok(!JSON.stringify((await db.query('SELECT * FROM audit_events')).rows).includes(k.key));
    });

    test('sessions expire after their lifetime; purge removes them and stale failures', async () => {
      const { token } = await svc.login('agent.a1', PW);
      time.advanceMinutes(12 * 60 - 1);
      assert.ok(await principalFromToken(token));
      time.advanceMinutes(1);
      await rejectsWith(principalFromToken(token), 'auth.required');
      const purged = await svc.purgeExpired();
      assert.ok(purged.sessions >= 1);
      assert.ok(purged.loginFailures >= 1);
      assert.equal((await db.query('SELECT 1 FROM staff_sessions WHERE expires_at <= $1', [time.clock()])).rows.length, 0);
    });
  });
}
