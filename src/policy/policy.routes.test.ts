import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testTargets } from '../db/test-databases.ts';
import type { Database } from '../db/database.ts';
import type { App } from '../http/app.ts';
import { DomainError } from '../errors/errors.ts';
import { defaultPolicy } from './policy.ts';
import { checkPolicyPatch, createPolicyService } from './policy.service.ts';
import { policyRoutes } from './policy.routes.ts';
import { assertProblem, auditOf, caller, seedWorld, testApp, type Who, type World } from '../tenants/tenants.test-support.ts';

const clock = () => new Date('2030-03-01T08:00:00.000Z');

describe('checkPolicyPatch', () => {
  const field = (patch: unknown) => {
    try { checkPolicyPatch(defaultPolicy, patch); } catch (e) {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'policy.invalid_settings');
      return e.extra?.field;
    }
    return 'accepted';
  };
  test('merges a partial update over the current settings', () => {
    assert.deepEqual(checkPolicyPatch(defaultPolicy, { coolingOffDays: 30 }), { ...defaultPolicy, coolingOffDays: 30 });
    assert.deepEqual(checkPolicyPatch(defaultPolicy, {}), defaultPolicy);
  });
  test('names the failing field', () => {
    assert.equal(field({ maxActiveNumbersPerPerson: 0 }), 'maxActiveNumbersPerPerson');
    assert.equal(field({ maxActiveNumbersPerPerson: 101 }), 'maxActiveNumbersPerPerson');
    assert.equal(field({ coolingOffDays: 1.5 }), 'coolingOffDays');
    assert.equal(field({ transferEnabled: 'yes' }), 'transferEnabled');
    assert.equal(field({ faceFalseMatchRate: 0.5 }), 'faceFalseMatchRate');
    assert.equal(field({ sessionTtlMinutes: null }), 'sessionTtlMinutes');
    assert.equal(field({ noSuchSetting: 1 }), 'noSuchSetting');
    assert.equal(field({ __proto__: 1 } as unknown), 'accepted', 'an object literal __proto__ sets the prototype, not a key');
    assert.equal(field(JSON.parse('{"__proto__": {"x": 1}}')), '__proto__');
    assert.equal(field([]), null);
    assert.equal(field('x'), null);
  });
});

for (const target of await testTargets()) {
  describe(`policy API (${target.name})`, { skip: target.skip }, () => {
    let db: Database;
    let app: App;
    let w: World;
    const call = caller(() => app);

    before(async () => {
      db = await target.open();
      w = await seedWorld(db);
      app = await testApp([policyRoutes({ policy: createPolicyService({ db, clock }) })], w.principals);
    });
    after(async () => { await app.close(); await target.close(db); });

    test('role × endpoint matrix', async () => {
      const expected: Record<Who | 'anonymous', [number, number, number, number]> = {
        // [GET A, GET B, PUT A, PUT B]
        regulator: [200, 200, 403, 403],
        adminA: [200, 403, 200, 403],
        adminB: [403, 200, 403, 200],
        managerA1: [403, 403, 403, 403],
        agentA1: [403, 403, 403, 403],
        agentA2: [403, 403, 403, 403],
        managerB1: [403, 403, 403, 403],
        agentB1: [403, 403, 403, 403],
        apiKeyA: [403, 403, 403, 403],
        anonymous: [401, 401, 401, 401],
      };
      for (const [who, statuses] of Object.entries(expected) as [Who | 'anonymous', number[]][]) {
        const got = [
          (await call(who, 'GET', `/v1/tenants/${w.tenantA}/policy`)).statusCode,
          (await call(who, 'GET', `/v1/tenants/${w.tenantB}/policy`)).statusCode,
          (await call(who, 'PUT', `/v1/tenants/${w.tenantA}/policy`, {})).statusCode,
          (await call(who, 'PUT', `/v1/tenants/${w.tenantB}/policy`, {})).statusCode,
        ];
        assert.deepEqual(got, statuses, who);
      }
    });

    test('a partial update is merged, stored and audited setting by setting (old → new)', async () => {
      const before = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/policy`)).json();
      assert.deepEqual(before, { tenantId: w.tenantA, settings: defaultPolicy });

      const res = await call('adminA', 'PUT', `/v1/tenants/${w.tenantA}/policy`, { coolingOffDays: 30, transferEnabled: true, maxActiveNumbersPerPerson: 5 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.settings, { ...defaultPolicy, coolingOffDays: 30, transferEnabled: true });
      assert.deepEqual(body.changes, [
        { setting: 'transferEnabled', from: false, to: true },
        { setting: 'coolingOffDays', from: 90, to: 30 },
      ], 'an unchanged value is not a change');

      const after = (await call('regulator', 'GET', `/v1/tenants/${w.tenantA}/policy`)).json();
      assert.deepEqual(after.settings, body.settings);
      const events = await auditOf(db, 'policy.changed');
      assert.deepEqual(events.map((e) => [e.tenant_id, e.actor_id, e.subject_id, e.details]), [
        [w.tenantA, w.staff.adminA, w.tenantA, { setting: 'transferEnabled', from: false, to: true }],
        [w.tenantA, w.staff.adminA, w.tenantA, { setting: 'coolingOffDays', from: 90, to: 30 }],
      ]);
      // Operator B is untouched.
      assert.deepEqual((await call('adminB', 'GET', `/v1/tenants/${w.tenantB}/policy`)).json().settings, defaultPolicy);

      // A second update changes only what it names.
      const second = (await call('adminA', 'PUT', `/v1/tenants/${w.tenantA}/policy`, { faceFalseMatchRate: 0.0001 })).json();
      assert.deepEqual(second.settings, { ...defaultPolicy, coolingOffDays: 30, transferEnabled: true, faceFalseMatchRate: 0.0001 });
      assert.equal((await auditOf(db, 'policy.changed')).length, 3);
    });

    test('invalid settings are refused with the failing field; nothing is written', async () => {
      const current = (await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/policy`)).json().settings;
      const auditBefore = (await auditOf(db, 'policy.changed')).length;
      const cases: [unknown, string][] = [
        [{ maxActiveNumbersPerPerson: 0 }, 'maxActiveNumbersPerPerson'],
        [{ coolingOffDays: 30, minorAgeYears: 22 }, 'minorAgeYears'],
        [{ manualReviewEnabled: 'no' }, 'manualReviewEnabled'],
        [{ captureRetentionDays: '7' }, 'captureRetentionDays'],
        [{ bogus: true }, 'bogus'],
      ];
      for (const [patch, field] of cases) {
        const body = assertProblem(await call('adminA', 'PUT', `/v1/tenants/${w.tenantA}/policy`, patch), 400, 'policy.invalid_settings');
        assert.equal(body.field, field, JSON.stringify(patch));
        assert.match(String(body.detail), new RegExp(field));
      }
      assertProblem(await call('adminA', 'PUT', `/v1/tenants/${w.tenantA}/policy`, [1, 2]), 400, 'request.invalid');
      assert.deepEqual((await call('adminA', 'GET', `/v1/tenants/${w.tenantA}/policy`)).json().settings, current);
      assert.equal((await auditOf(db, 'policy.changed')).length, auditBefore);
    });

    test('an unknown operator is not found for a regulator', async () => {
      assertProblem(await call('regulator', 'GET', '/v1/tenants/00000000-0000-4000-8000-000000000000/policy'), 404, 'tenant.not_found');
    });
  });
}
