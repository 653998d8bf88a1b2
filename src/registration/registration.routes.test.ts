import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../db/database.ts';
import { loadConfig } from '../config/config.ts';
import { createPortrait, type Portrait } from '../server/server.ts';
import { seedDemo, type DemoSeed } from '../demo/seed-demo.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { scriptedLivenessChecker } from '../liveness/liveness.test-harness.ts';
import { residentId } from './registration.fixtures.ts';

const config = loadConfig({ PORTRAIT_MASTER_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent', PORTRAIT_TEST_HARNESS: '1' });
const img = (s: string) => Buffer.from(`image bytes for ${s} (test)`).toString('base64');

describe('registration over HTTP, from login to receipt', () => {
  let portrait: Portrait;
  let seed: DemoSeed;
  let token = '';
  const face = scriptedFaceVerifier({ testHarness: config.testHarness });
  const liveness = scriptedLivenessChecker({ testHarness: config.testHarness });

  async function call(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await portrait.app.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}), headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.body ? JSON.parse(res.body) : undefined };
  }

  before(async () => {
    portrait = await createPortrait(config, { db: await openPglite(), face, liveness, background: false, warn: () => undefined });
    seed = await seedDemo(portrait.db, portrait.services.staff);
  });
  after(async () => { await portrait.close(); });

  test('a one-time password must be replaced before any work', async () => {
    const agent = seed.accounts.find((a) => a.role === 'agent')!;
    const login = await call('POST', '/v1/auth/login', { username: agent.username, password: agent.oneTimePassword });
    assert.equal(login.status, 200);
    token = login.body.token;
    const blocked = await call('POST', '/v1/registrations');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.type, 'https://portrait.dev/problems/auth.password_change_required');
    const changed = await call('POST', '/v1/auth/password', { currentPassword: agent.oneTimePassword, newPassword: 'Counter-Agent-2026!' });
    assert.ok(changed.status < 300, JSON.stringify(changed.body));
    token = (await call('POST', '/v1/auth/login', { username: agent.username, password: 'Counter-Agent-2026!' })).body.token;
  });

  test('the whole journey, with a chosen number, an idempotent retry and a masked receipt', async () => {
    const created = await call('POST', '/v1/registrations', undefined, { 'idempotency-key': 'kiosk-0001-start' });
    assert.equal(created.status, 201);
    const id = created.body.id;

    const idNumber = residentId('19850412', 31);
    const wrong = `${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}`;
    const bad = await call('POST', `/v1/registrations/${id}/document`, { document: { type: 'cn_resident_id', number: wrong, name: '王小明' } });
    assert.equal(bad.status, 422);
    assert.match(String(bad.type), /^application\/problem\+json/);
    assert.equal(bad.body.type, 'https://portrait.dev/problems/document.invalid');
    assert.equal(bad.body.errors[0].code, 'id.checksum');

    const docBody = { document: { type: 'cn_resident_id', number: idNumber, name: '王小明' }, source: 'card_reader', idPhoto: img('chip') };
    const doc = await call('POST', `/v1/registrations/${id}/document`, docBody, { 'idempotency-key': 'kiosk-0001-doc' });
    assert.equal(doc.status, 200);
    assert.equal(doc.body.state, 'document_captured');
    const retry = await call('POST', `/v1/registrations/${id}/document`, docBody, { 'idempotency-key': 'kiosk-0001-doc' });
    assert.deepEqual(retry.body, doc.body);

    const text = await call('GET', '/v1/consent-texts/current?locale=zh-CN');
    assert.equal(text.status, 200);
    const consent = await call('POST', `/v1/registrations/${id}/consent`, { biometric: true, textVersion: text.body.version, locale: 'zh-CN' });
    assert.equal(consent.body.consent.textSha256, text.body.sha256);

    const challenge = await call('POST', `/v1/registrations/${id}/liveness`, { testActions: ['blink', 'turn_left'] });
    assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
    assert.deepEqual(challenge.body.actions, ['blink', 'turn_left']);
    assert.equal(challenge.body.prompts[0]['zh-CN'], '请眨眼');
    const frames = [img('live'), ...Array.from({ length: 14 }, (_, i) => img(`frame ${i}`))].map((image, i) => ({ t: i * 100, image }));
    const judged = await call('POST', `/v1/liveness/${challenge.body.sessionId}/frames`, { nonce: challenge.body.nonce, frames });
    assert.equal(judged.status, 200, JSON.stringify(judged.body));
    assert.equal(judged.body.live, true);
    assert.equal(judged.body.state, 'passed');
    assert.equal((await call('POST', `/v1/liveness/${challenge.body.sessionId}/frames`, { nonce: challenge.body.nonce, frames })).body.type,
      'https://portrait.dev/problems/liveness.nonce_used', 'one upload per challenge');
    const matched = await call('POST', `/v1/registrations/${id}/face`, { livenessSessionId: challenge.body.sessionId });
    assert.equal(matched.body.state, 'face_verified');
    assert.equal(face.calls.at(-1)!.idPhoto.toString(), 'image bytes for chip (test)');
    assert.equal(face.calls.at(-1)!.livePhoto.toString(), 'image bytes for live (test)', 'the best frame of the session is what is matched');

    assert.equal((await call('POST', `/v1/registrations/${id}/rules`)).body.state, 'rules_passed');
    const reserved = await call('POST', `/v1/registrations/${id}/number-reservation`, { msisdn: '17000000005' });
    assert.equal(reserved.status, 200);
    assert.equal((await call('POST', `/v1/registrations/${id}/number`)).body.state, 'number_assigned');
    assert.equal((await call('POST', `/v1/registrations/${id}/complete`)).body.state, 'completed');
    const receipt = await call('GET', `/v1/registrations/${id}/receipt`);
    assert.equal(receipt.body.msisdn, '17000000005');
    assert.equal(receipt.body.subscriber.maskedName, '王*明');
    assert.equal(JSON.stringify(receipt.body).includes(idNumber), false);
  });

  test('a minor\'s registration says a guardian is needed; a guardian refused for who they are leaves it open', async () => {
    const id = (await call('POST', '/v1/registrations')).body.id;
    const child = { type: 'cn_resident_id', number: residentId(`${new Date().getUTCFullYear() - 10}0101`, 41), name: '周小' };
    const doc = await call('POST', `/v1/registrations/${id}/document`, { document: child, source: 'card_reader', idPhoto: img('child chip') });
    assert.deepEqual([doc.body.document.age, doc.body.guardianRequired, doc.body.guardian], [10, true, null]);
    const teen = { type: 'cn_resident_id', number: residentId(`${new Date().getUTCFullYear() - 17}0101`, 42), name: '周大' };
    for (const [code, document] of [['registration.guardian_same_person', child], ['policy.guardian_not_adult', teen]] as const) {
      const refused = await call('POST', `/v1/registrations/${id}/guardian`, { document, relation: 'parent', method: 'face', idPhoto: img('guardian chip') });
      assert.equal(refused.status, 422);
      assert.match(String(refused.type), /^application\/problem\+json/);
      assert.equal(refused.body.type, `https://portrait.dev/problems/${code}`);
    }
    const after = await call('GET', `/v1/registrations/${id}`);
    assert.deepEqual([after.body.state, after.body.guardianRequired, after.body.guardian], ['document_captured', true, null]);
    const adult = await call('POST', '/v1/registrations');
    const grown = await call('POST', `/v1/registrations/${adult.body.id}/document`, { document: { type: 'cn_resident_id', number: residentId('19850412', 43), name: '周成' } });
    assert.equal(grown.body.guardianRequired, false);
  });

  test('bad requests get problem+json, never a crash', async () => {
    const id = (await call('POST', '/v1/registrations')).body.id;
    const cases: [string, Awaited<ReturnType<typeof call>>][] = [
      ['request.invalid', await call('POST', `/v1/registrations/${id}/consent`, { biometric: 'maybe' })],
      ['request.invalid', await call('GET', '/v1/registrations/not-a-uuid')],
      ['registration.not_found', await call('GET', '/v1/registrations/00000000-0000-4000-8000-000000000000')],
      ['not_found', await call('GET', '/v1/no-such-thing')],
      ['registration.invalid_transition', await call('POST', `/v1/registrations/${id}/complete`)],
    ];
    for (const [code, res] of cases) {
      assert.equal(res.body.type, `https://portrait.dev/problems/${code}`, JSON.stringify(res.body));
      assert.match(String(res.type), /^application\/problem\+json/);
    }
    const malformed = await portrait.app.inject({ method: 'POST', url: `/v1/registrations/${id}/consent`, payload: '{"biometric": tru', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(JSON.parse(malformed.body).type, 'https://portrait.dev/problems/request.invalid');
    const wrongType = await portrait.app.inject({ method: 'POST', url: `/v1/registrations/${id}/consent`, payload: 'biometric=true', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(JSON.parse(wrongType.body).type, 'https://portrait.dev/problems/request.unsupported_media_type');
    const huge = await portrait.app.inject({ method: 'POST', url: `/v1/registrations/${id}/consent`, payload: JSON.stringify({ biometric: true, textVersion: 'x'.repeat(2_000_000), locale: 'en' }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    assert.equal(huge.statusCode, 413);
    assert.equal(JSON.parse(huge.body).type, 'https://portrait.dev/problems/request.too_large');
  });

  test('/health and the OpenAPI document are served', async () => {
    assert.equal((await call('GET', '/health')).body.status, 'ok');
    const docs = await call('GET', '/docs/json');
    assert.equal(docs.status, 200);
    assert.ok(docs.body.paths['/v1/registrations/{id}/face']);
  });
});
