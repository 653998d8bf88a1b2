import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transition, openStates, type RegistrationEvent, type RegistrationFlow } from './registration.ts';

const t0 = new Date('2030-01-01T10:00:00Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);

function flow(over: Partial<RegistrationFlow> = {}): RegistrationFlow {
  return {
    id: 'r1', tenantId: 't', storeId: 's', agentId: 'a', state: 'created', reasonCode: null, version: 0,
    document: undefined, docHmac: undefined, consent: undefined, verification: undefined, faceAttempts: 0,
    guardian: undefined, rules: undefined, numberId: null, subscriberId: null, createdAt: t0, expiresAt: later(15), endedAt: null, ...over,
  };
}

const doc: RegistrationEvent = { type: 'capture_document', document: { type: 'cn_resident_id', number: 'x', name: 'n', source: 'manual_entry' }, docHmac: Buffer.alloc(32) };
const consentYes: RegistrationEvent = { type: 'record_consent', consent: { biometric: true, textVersion: 'v', textSha256: 'h', locale: 'en', answeredAt: '' } };
const match = (m: boolean): RegistrationEvent => ({ type: 'face_result', match: m, reasons: [], verification: { method: 'face', score: 0.7, at: '' } });

function run(f: RegistrationFlow, ...events: RegistrationEvent[]): RegistrationFlow {
  for (const e of events) {
    const r = transition(f, e, later(1));
    assert.ok(r.ok, `${e.type} from ${f.state}: ${!r.ok ? r.code : ''}`);
    f = r.flow;
  }
  return f;
}

test('the happy path visits every state in order and bumps the version each time', () => {
  const f = run(flow(), doc, consentYes, match(true),
    { type: 'rules_result', passed: true, refusals: [], rules: {}, subscriberId: 'p' },
    { type: 'number_assigned', numberId: 'n1' }, { type: 'complete' });
  assert.equal(f.state, 'completed');
  assert.equal(f.version, 6);
  assert.ok(f.endedAt);
});

test('every open state refuses events it does not accept', () => {
  const everyEvent: RegistrationEvent[] = [doc, consentYes, match(true), { type: 'request_manual_review', manualReviewEnabled: true },
    { type: 'manual_review_decision', approved: true, verification: { method: 'manual_review', at: '' } },
    { type: 'rules_result', passed: true, refusals: [], rules: {}, subscriberId: 'p' }, { type: 'number_assigned', numberId: 'n' }, { type: 'complete' }];
  const allowed: Record<string, string[]> = {
    created: ['capture_document'], document_captured: ['capture_document', 'record_consent'],
    consent_recorded: ['face_result', 'request_manual_review'], manual_review_pending: ['manual_review_decision'],
    face_verified: ['rules_result'], rules_passed: ['number_assigned'], number_assigned: ['complete'],
  };
  for (const state of openStates) {
    for (const e of everyEvent) {
      const r = transition(flow({ state, consent: consentYes.type === 'record_consent' ? consentYes.consent : undefined }), e, later(1));
      assert.equal(r.ok, allowed[state]!.includes(e.type), `${e.type} in ${state}`);
      if (!r.ok) assert.equal(r.code, 'registration.invalid_transition');
    }
  }
});

test('time is passed in: past expires_at every event but expire is refused', () => {
  const f = flow({ state: 'document_captured' });
  const r = transition(f, consentYes, later(15));
  assert.deepEqual(r.ok ? null : r.code, 'registration.expired');
  const e = transition(f, { type: 'expire' }, later(15));
  assert.ok(e.ok && e.flow.state === 'expired' && e.flow.reasonCode === 'registration.expired');
  assert.equal(transition(f, { type: 'expire' }, later(14)).ok, false, 'not before its time');
});

test('ended flows accept nothing, not even cancel', () => {
  for (const state of ['completed', 'rejected', 'expired', 'cancelled'] as const) {
    const r = transition(flow({ state }), { type: 'cancel', reason: 'x' }, later(1));
    assert.equal(r.ok ? 'ok' : r.code, 'registration.ended');
  }
});

test('the third failed match rejects; the face step needs biometric consent', () => {
  let f = run(flow(), doc, consentYes, match(false), match(false));
  assert.equal(f.state, 'consent_recorded');
  f = run(f, match(false));
  assert.equal(f.state, 'rejected');
  assert.equal(f.reasonCode, 'face.no_match');
  const declined = run(flow(), doc, { type: 'record_consent', consent: { biometric: false, textVersion: 'v', textSha256: 'h', locale: 'en', answeredAt: '' } });
  const r = transition(declined, match(true), later(1));
  assert.equal(r.ok ? 'ok' : r.code, 'registration.invalid_transition');
});

test('manual review is refused when the operator disabled it, and a rejection ends the flow', () => {
  const f = run(flow(), doc, consentYes);
  const off = transition(f, { type: 'request_manual_review', manualReviewEnabled: false }, later(1));
  assert.equal(off.ok, false);
  const rejected = run(f, { type: 'request_manual_review', manualReviewEnabled: true },
    { type: 'manual_review_decision', approved: false, verification: { method: 'manual_review', reviewerId: 'm', at: '' } });
  assert.equal(rejected.reasonCode, 'manual_review.rejected');
});

test('a failed rule ends the flow with the first refusal as its reason', () => {
  const f = run(flow(), doc, consentYes, match(true),
    { type: 'rules_result', passed: false, refusals: ['policy.blocklisted', 'policy.operator_cap_reached'], rules: {}, subscriberId: 'p' });
  assert.equal(f.state, 'rejected');
  assert.equal(f.reasonCode, 'policy.blocklisted');
});
