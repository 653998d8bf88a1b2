import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createFacePool, type FacePool } from './face.pool.ts';
import { photos, read } from './face.fixtures.ts';

let pool: FacePool;
before(async () => { pool = await createFacePool({ size: 2, maxQueue: 2 }); });
after(() => pool.close());

test('verifies in worker threads and answers the FaceVerifier interface', async () => {
  const d = await pool.verify({ idPhoto: read(photos.obama), livePhoto: read(photos.obama2) }, 1e-3);
  assert.equal(d.match, true);
  assert.equal(d.compared, true);
});

test('the event loop stays free while the workers compute', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  await Promise.all([0, 1].map(() => pool.verify({ idPhoto: read(photos.obama1080p), livePhoto: read(photos.obama2) }, 1e-3)));
  clearInterval(timer);
  assert.ok(ticks >= 5, `only ${ticks} timer ticks ran during two verifications`);
});

test('bad input comes back as the same typed error, and the worker survives it', async () => {
  await assert.rejects(pool.analyze(Buffer.from('nope'), 'live'), (e: { code?: string }) => e.code === 'face.image_invalid');
  assert.equal((await pool.analyze(read(photos.obama), 'live')).faces, 1);
});

test('beyond its queue bound the pool refuses with face.engine_busy instead of queueing forever', async () => {
  const photo = read(photos.obama);
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => pool.analyze(photo, 'live')));
  const busy = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'face.engine_busy');
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4); // 2 running + 2 queued
  assert.equal(busy.length, 4);
});

test('a closed pool refuses new work', async () => {
  const p = await createFacePool({ size: 1, calibrated: false });
  await p.close();
  await assert.rejects(p.analyze(read(photos.obama), 'live'), /closed/);
});
