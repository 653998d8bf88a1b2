import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/portrait.mjs', import.meta.url));
const portrait = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

test('the installed command checks an ID number: exit 0 valid, 1 invalid, JSON on request', () => {
  const ok = portrait(['id', 'check', '11010519491231002X', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const parsed = JSON.parse(ok.stdout);
  assert.equal(parsed.valid, true);
  assert.equal(parsed.birthDate, '1949-12-31');
  const bad = portrait(['id', 'check', '110105194912310021']);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout + bad.stderr, /id\.checksum/);
});

test('usage errors exit 2 with the usage text', () => {
  const r = portrait(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Usage: portrait/);
});

test('a bad configuration value stops with a message naming it', () => {
  const r = portrait(['migrate'], { PORT: 'eighty' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /PORT: must be an integer/);
});

test('migrate, seed-demo and audit verify work on an embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portrait-cli-'));
  try {
    const env = { DATA_DIR: dir, LOG_LEVEL: 'silent' };
    assert.equal(portrait(['migrate'], env).status, 0);
    const seeded = portrait(['seed-demo'], env);
    assert.equal(seeded.status, 0, seeded.stderr);
    assert.match(seeded.stdout, /demo\.agent/);
    assert.equal(portrait(['seed-demo'], env).status, 1, 'a second seed refuses');
    const verified = portrait(['audit', 'verify', '--json'], env);
    assert.equal(verified.status, 0, verified.stderr);
    assert.equal(JSON.parse(verified.stdout).ok, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
