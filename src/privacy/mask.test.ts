import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskDocumentNumber, maskName } from './mask.ts';

test('Chinese names keep the first (and last) character', () => {
  assert.equal(maskName('王小明'), '王*明');
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('甲'), '甲*');
  assert.equal(maskName('欧阳娜娜'), '欧**娜');
});

test('Latin names keep the first letter of each part', () => {
  assert.equal(maskName('ERIKSSON, ANNA MARIA'), 'E*******, A*** M****');
  assert.equal(maskName(''), '');
});

test('document numbers keep the region prefix and the last four characters', () => {
  assert.equal(maskDocumentNumber('11010519491231002X'), '110105********002X');
  assert.equal(maskDocumentNumber('H12345678'), 'H1*****78');
  assert.equal(maskDocumentNumber('12345'), '1***5');
});
