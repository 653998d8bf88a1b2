import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors/errors.ts';
import {
  assertPasswordPolicy, currentScryptParams, dummyPasswordHash, generateOneTimePassword, hashPassword, needsRehash,
  passwordWeaknesses, verifyPassword,
} from './password.ts';

describe('password hashing', () => {
  test('round trip: the right password verifies, others do not', async (t) => {
    const started = performance.now();
    const hash = await hashPassword('Correct horse 42');
    t.diagnostic(`scrypt N=${currentScryptParams.N} r=${currentScryptParams.r} p=${currentScryptParams.p}: ${(performance.now() - started).toFixed(0)} ms`);
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyPassword('Correct horse 42', hash), true);
    assert.equal(await verifyPassword('Correct horse 43', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  test('each hash has its own salt', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 1'), hashPassword('same password 1')]);
    assert.notEqual(a, b);
  });

  test('Unicode is normalised: composed and decomposed forms are the same password', async () => {
    const hash = await hashPassword('Caf\u00e9-password-1');
    assert.equal(await verifyPassword('Cafe\u0301-password-1', hash), true);
  });

  test('malformed or absurd hashes never verify and ask for a rehash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$8$1$aaaaaaaaaaaaaaaaaaaaaa$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'scrypt$1073741824$8$1$aaaaaaaaaaaaaaaaaaaaaa$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bcrypt$2$8$1$x$y']) {
      assert.equal(await verifyPassword('whatever', bad), false, bad);
      assert.equal(needsRehash(bad), true, bad);
    }
  });

  test('needsRehash follows the parameters', async () => {
    const cheap = await hashPassword('Some password 9', { N: 2 ** 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('Some password 9', cheap), true, 'old parameters still verify');
    assert.equal(needsRehash(cheap), true);
    assert.equal(needsRehash(await hashPassword('Some password 9')), false);
  });

  test('the dummy hash costs the same as a real one and matches nothing', async () => {
    assert.equal(needsRehash(dummyPasswordHash), false, 'same parameters as real hashes, so the same work');
    for (const pw of ['', 'password', 'Correct horse 42']) assert.equal(await verifyPassword(pw, dummyPasswordHash), false);
  });
});

describe('password policy', () => {
  const weak = (pw: string, user = 'alice') => passwordWeaknesses(pw, user);

  test('accepts a long mixed password', () => {
    assert.deepEqual(weak('blue-kettle-river'), []);
    assert.deepEqual(weak('Tr0ub4dor&3xyz'), []);
    assert.doesNotThrow(() => assertPasswordPolicy('blue-kettle-river', 'alice'));
  });

  test('refuses short, one-class, repetitive, over-long and username passwords', () => {
    assert.deepEqual(weak('Short-1'), ['too_short']);
    assert.deepEqual(weak('onlylowercaseletters'), ['one_character_class']);
    assert.deepEqual(weak('123456789012'), ['one_character_class']);
    assert.deepEqual(weak('abababab1212'), ['too_few_distinct_characters']);
    assert.deepEqual(weak('Ab1-x'.repeat(60)), ['too_long']);
    assert.deepEqual(weak('Agent.Smith-01', 'agent.smith-01'), ['equals_username']);
  });

  test('assertPasswordPolicy throws auth.password_weak with the reasons', () => {
    assert.throws(() => assertPasswordPolicy('short', 'bob'), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'auth.password_weak');
      assert.deepEqual(e.extra, { reasons: ['too_short', 'one_character_class'] });
      return true;
    });
  });
});

describe('one-time passwords', () => {
  test('readable, long enough, random and always within the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const otp = generateOneTimePassword();
      assert.match(otp, /^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}$/);
      assert.ok(otp.length >= 16);
      assert.deepEqual(passwordWeaknesses(otp, 'someone'), []);
      seen.add(otp);
    }
    assert.equal(seen.size, 2000);
  });
});
