// Liveness over HTTP: the verification challenge (anonymous for self-service, rate-limited per
// address), the frame upload's documented limits as typed problems, and the OpenAPI schema.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../db/database.ts';
import { loadConfig } from '../config/config.ts';
import { createPortrait, type Portrait } from '../server/server.ts';
import { scriptedFaceVerifier } from '../face/face.test-harness.ts';
import { scriptedLivenessChecker } from './liveness.test-harness.ts';
import { frameLimits } from './liveness.ts';

const config = loadConfig({ PORTRAIT_MASTER_KEY: 'cd'.repeat(32), LOG_LEVEL: 'silent', PORTRAIT_TEST_HARNESS: '1' });
const image = (s: string) => Buffer.from(`frame bytes ${s} (test)`).toString('base64');

describe('liveness over HTTP', () => {
  let portrait: Portrait;
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown, ip = '10.0.0.1') => {
    const res = await portrait.app.inject({ method, url, remoteAddress: ip, ...(body !== undefined ? { payload: body as object } : {}) });
    return { status: res.statusCode, type: String(res.headers['content-type']), body: JSON.parse(res.body) };
  };
  before(async () => {
    portrait = await createPortrait(config, {
      db: await openPglite(), face: scriptedFaceVerifier({ testHarness: true }), liveness: scriptedLivenessChecker({ testHarness: true }),
      background: false, warn: () => undefined,
    });
  });
  after(async () => { await portrait.close(); });

  test('a self-service challenge without login; a transfer challenge needs a store', async () => {
    const c = await call('POST', '/v1/liveness/challenges', { purpose: 'self_service' });
    assert.equal(c.status, 201);
    assert.equal(c.body.purpose, 'self_service');
    assert.ok(c.body.actions.length >= 2 && c.body.limits.maxFrames === frameLimits.maxFrames);
    assert.deepEqual(await call('GET', `/v1/liveness/${c.body.sessionId}`).then((r) => r.body), { sessionId: c.body.sessionId, state: 'open' });
    const transfer = await call('POST', '/v1/liveness/challenges', { purpose: 'transfer' });
    assert.equal(transfer.status, 401);
    assert.equal(transfer.body.type, 'https://portrait.dev/problems/auth.required');
  });

  test('the upload\'s limits: frame count and size, base64, nonce; each a typed problem', async () => {
    const c = (await call('POST', '/v1/liveness/challenges', { purpose: 'reverification' }, '10.0.0.2')).body;
    const url = `/v1/liveness/${c.sessionId}/frames`;
    const frames = (n: number) => Array.from({ length: n }, (_, i) => ({ t: i * 100, image: image(String(i)) }));
    const tooMany = await call('POST', url, { nonce: c.nonce, frames: frames(frameLimits.maxFrames + 1) });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.type, /^application\/problem\+json/);
    assert.equal(tooMany.body.type, 'https://portrait.dev/problems/request.invalid');
    const big = Buffer.alloc(frameLimits.maxFrameBytes + 1, 7).toString('base64');
    const tooBig = await call('POST', url, { nonce: c.nonce, frames: [...frames(14), { t: 1500, image: big }] });
    assert.equal(tooBig.status, 422);
    assert.equal(tooBig.body.type, 'https://portrait.dev/problems/liveness.frames_invalid');
    assert.equal((await call('POST', url, { nonce: c.nonce, frames: [{ t: 0, image: 'not base64!' }] })).status, 400);
    const wrongNonce = await call('POST', url, { nonce: `${c.nonce.slice(0, -2)}xx`, frames: frames(20) });
    assert.equal(wrongNonce.body.type, 'https://portrait.dev/problems/liveness.nonce_mismatch');
    const ok = await call('POST', url, { nonce: c.nonce, frames: frames(20) });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.live, true);
    assert.equal((await call('POST', url, { nonce: c.nonce, frames: frames(20) })).body.type, 'https://portrait.dev/problems/liveness.nonce_used');
  });

  test('challenges are rate-limited per address: 429 rate_limited', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await call('POST', '/v1/liveness/challenges', { purpose: 'self_service' }, '10.0.0.9')).status);
    assert.deepEqual(codes.slice(0, 20), Array(20).fill(201));
    const refused = await call('POST', '/v1/liveness/challenges', { purpose: 'self_service' }, '10.0.0.9');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.type, 'https://portrait.dev/problems/rate_limited');
    assert.equal((await call('POST', '/v1/liveness/challenges', { purpose: 'self_service' }, '10.0.0.10')).status, 201, 'another address is not held back');
  });

  test('the frame format and its limits are in the OpenAPI document', async () => {
    const doc = (await call('GET', '/docs/json')).body;
    const body = doc.paths['/v1/liveness/{sessionId}/frames'].post.requestBody.content['application/json'].schema;
    assert.equal(body.properties.frames.maxItems, frameLimits.maxFrames);
    assert.match(body.properties.frames.description, /fps/);
    assert.ok(doc.paths['/v1/liveness/challenges'].post);
    assert.ok(doc.paths['/v1/registrations/{id}/liveness'].post);
  });
});
