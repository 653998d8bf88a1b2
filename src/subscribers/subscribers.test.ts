import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeName, sameName, threeElementOutcome } from './subscribers.ts';

describe('three-element rules (pure)', () => {
  test('names compare after NFKC, case folding and removing spaces', () => {
    assert.equal(normalizeName('  ZHANG\u3000 San '), 'zhangsan');
    assert.ok(sameName('Ｚｈａｎｇ　Ｓａｎ', 'zhang san'), 'full-width letters and ideographic space');
    assert.ok(sameName('张 三', '张三'));
    assert.ok(!sameName('张三', '张山'));
    assert.ok(!sameName('Zhang San', 'Zhang Sam'));
  });

  test('the outcome: unknown number, then document, then name', () => {
    const doc = Buffer.from('a');
    const other = Buffer.from('b');
    assert.equal(threeElementOutcome(undefined, { docHmac: doc, name: 'x' }), 'number_unknown');
    assert.equal(threeElementOutcome({ docHmac: other, name: 'x' }, { docHmac: doc, name: 'x' }), 'document_mismatch');
    assert.equal(threeElementOutcome({ docHmac: doc, name: 'X ' }, { docHmac: doc, name: 'x' }), 'match');
    assert.equal(threeElementOutcome({ docHmac: doc, name: 'y' }, { docHmac: doc, name: 'x' }), 'name_mismatch');
  });
});
