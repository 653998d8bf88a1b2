import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicy, evaluateRules, isMinor, resolvePolicy, type RuleInput } from './policy.ts';

const base: RuleInput = {
  policy: defaultPolicy, deploymentCap: 10, age: 30, blocklisted: false,
  activeAtOperator: 0, activeInDeployment: 0, guardian: undefined, documentExpired: false,
};

test('defaults follow the regulation: 5 per operator, transfer off, 90 days cooling-off, 24 h re-verification, minors under 16', () => {
  assert.equal(defaultPolicy.maxActiveNumbersPerPerson, 5);
  assert.equal(defaultPolicy.transferEnabled, false);
  assert.equal(defaultPolicy.coolingOffDays, 90);
  assert.equal(defaultPolicy.reverificationDeadlineHours, 24);
  assert.equal(defaultPolicy.minorAgeYears, 16);
  assert.equal(defaultPolicy.faceFalseMatchRate, 1e-3);
});

test('stored settings merge over the defaults and are validated', () => {
  assert.equal(resolvePolicy({ coolingOffDays: 30 }).coolingOffDays, 30);
  assert.equal(resolvePolicy({ coolingOffDays: 30 }).maxActiveNumbersPerPerson, 5);
  assert.throws(() => resolvePolicy({ maxActiveNumbersPerPerson: 0 }), /maxActiveNumbersPerPerson/);
  assert.throws(() => resolvePolicy({ faceFalseMatchRate: 0.5 }), /faceFalseMatchRate/);
  assert.throws(() => resolvePolicy({ unknownSetting: true }), /unknownSetting/);
});

test('caps: the fifth number is allowed, the sixth is not; the deployment cap counts every operator', () => {
  assert.equal(evaluateRules({ ...base, activeAtOperator: 4, activeInDeployment: 4 }).passed, true);
  assert.deepEqual(evaluateRules({ ...base, activeAtOperator: 5, activeInDeployment: 5 }).refusals, ['policy.operator_cap_reached']);
  assert.deepEqual(evaluateRules({ ...base, activeAtOperator: 1, activeInDeployment: 10 }).refusals, ['policy.deployment_cap_reached']);
});

test('minors need a verified adult guardian', () => {
  assert.deepEqual(evaluateRules({ ...base, age: 15 }).refusals, ['policy.guardian_required']);
  assert.deepEqual(evaluateRules({ ...base, age: 15, guardian: { verified: true, age: 17 } }).refusals, ['policy.guardian_not_adult']);
  assert.equal(evaluateRules({ ...base, age: 15, guardian: { verified: true, age: 40 } }).passed, true);
  assert.equal(evaluateRules({ ...base, age: 16 }).passed, true, 'exactly 16 is not a minor');
  assert.equal(evaluateRules({ ...base, age: 10, policy: { ...defaultPolicy, minorAgeYears: 0 } }).passed, true, '0 disables the rule');
  assert.equal(evaluateRules({ ...base, age: undefined }).passed, true, 'a document without a birth date does not make a minor');
});

test('who is a minor: under the operator\'s age, known from the document', () => {
  assert.equal(isMinor(15, defaultPolicy), true);
  assert.equal(isMinor(16, defaultPolicy), false);
  assert.equal(isMinor(17, { minorAgeYears: 18 }), true);
  assert.equal(isMinor(10, { minorAgeYears: 0 }), false);
  assert.equal(isMinor(undefined, defaultPolicy), false);
});

test('blocklist and expired documents refuse, and every refusal is reported', () => {
  const r = evaluateRules({ ...base, blocklisted: true, documentExpired: true, activeAtOperator: 5 });
  assert.deepEqual(r.refusals, ['policy.blocklisted', 'policy.document_expired', 'policy.operator_cap_reached']);
  assert.equal(r.facts.operatorCap, 5);
});
