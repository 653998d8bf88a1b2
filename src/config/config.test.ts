import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, configTableRows, loadConfig } from './config.ts';

test('the README configuration table lists exactly the settings the code reads', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((l) => /^\| `[A-Z_]+` \|/.test(l));
  assert.deepEqual(rows, configTableRows());
});

test('defaults load and the result is frozen', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.databaseUrl, undefined);
  assert.ok(Object.isFrozen(c));
});

test('bad values fail fast, naming every bad variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty', MAX_ACTIVE_NUMBERS_PER_PERSON: '0', PORTRAIT_MASTER_KEY: 'abc' }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /PORT: must be an integer/);
    assert.match(e.message, /MAX_ACTIVE_NUMBERS_PER_PERSON/);
    assert.match(e.message, /PORTRAIT_MASTER_KEY/);
    return true;
  });
});

test('the test harness is refused in production', () => {
  assert.throws(() => loadConfig({ PORTRAIT_TEST_HARNESS: '1', NODE_ENV: 'production' }), /refused when NODE_ENV=production/);
});

test('a pinned challenge is read in order, only with the test harness, never in production', () => {
  assert.deepEqual(loadConfig({ PORTRAIT_TEST_HARNESS: '1', PORTRAIT_TEST_CHALLENGE: 'turn_left, turn_right' }).testChallenge, ['turn_left', 'turn_right']);
  assert.equal(loadConfig({}).testChallenge, undefined);
  assert.throws(() => loadConfig({ PORTRAIT_TEST_CHALLENGE: 'turn_left,turn_right' }), /PORTRAIT_TEST_CHALLENGE: needs PORTRAIT_TEST_HARNESS=true/);
  assert.throws(() => loadConfig({ PORTRAIT_TEST_CHALLENGE: 'turn_left', NODE_ENV: 'production' }), /PORTRAIT_TEST_CHALLENGE: refused when NODE_ENV=production/);
  assert.throws(() => loadConfig({ PORTRAIT_TEST_HARNESS: '1', PORTRAIT_TEST_CHALLENGE: 'turn_left,wink' }), /unknown action wink/);
  assert.throws(() => loadConfig({ PORTRAIT_TEST_HARNESS: '1', PORTRAIT_TEST_CHALLENGE: 'blink,blink' }), /1-3 distinct actions/);
});
