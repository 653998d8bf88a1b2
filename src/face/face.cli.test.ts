import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFaceVerify } from './face.cli.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { photos, photoWithoutFace } from './face.fixtures.ts';

async function run(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await runFaceVerify(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('exit 0 and MATCH for the same person, with score, threshold, FMR, findings and timings', async () => {
  const r = await run(photos.obama, photos.obama2);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /decision +MATCH/);
  assert.match(r.out, /threshold 0\.\d+ for target FMR 0\.001/);
  assert.match(r.out, /est\. FMR +\d\.\de-\d+/);
  assert.match(r.out, /live photo +\d+x\d+, 1 face/);
  assert.match(r.out, /timings ms +decode [\d.]+, detect/);
});

test('exit 1 for two different people; --json prints one object', async () => {
  const r = await run(photos.obama, photos.biden, '--json', '--fmr', '1e-4');
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.match, false);
  assert.equal(j.targetFmr, 1e-4);
  assert.ok(typeof j.score === 'number' && typeof j.threshold === 'number' && typeof j.estimatedFmr === 'number');
  assert.ok(j.idPhoto.quality.faceWidthPx > 0 && j.timingsMs.total > 0);
});

test('exit 2 with the reason for bad input: unreadable file, not an image, no face, bad usage', async () => {
  const missing = await run('/nonexistent.jpg', photos.obama);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read \/nonexistent\.jpg: ENOENT/);
  const notImage = await run(new URL(import.meta.url).pathname, photos.obama, '--json');
  assert.equal(notImage.code, 2);
  assert.equal(JSON.parse(notImage.out).error.code, 'face.image_invalid');
  const faceless = path.join(mkdtempSync(path.join(tmpdir(), 'verify-')), 'no-face.jpg');
  writeFileSync(faceless, await photoWithoutFace());
  const noFace = await run(faceless, photos.obama);
  assert.equal(noFace.code, 2);
  assert.match(noFace.out, /id:face\.none_detected/);
  assert.equal((await run(photos.obama)).code, 2);
  assert.equal((await run(photos.obama, photos.obama2, '--fmr', 'lots')).code, 2);
  const tooStrict = await run(photos.obama, photos.obama2, '--fmr', '1e-9');
  assert.equal(tooStrict.code, 2);
  assert.match(tooStrict.err, /below/);
});
