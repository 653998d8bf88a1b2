import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors/errors.ts';
import { MAX_IMPORT_ROWS, parseNumbersCsv, planImport, summarize } from './numbers.import.ts';

describe('parseNumbersCsv', () => {
  test('a header only on the first non-blank line, any case; BOM and blank lines ignored; lines keep their numbers', () => {
    const { rows, rejected } = parseNumbersCsv('\uFEFF\n MSISDN , Store_Code \r\n13800000001 , A1\r\n\r\nmsisdn\n');
    assert.deepEqual(rows, [{ line: 3, msisdn: '13800000001', storeCode: 'A1' }, { line: 5, msisdn: 'msisdn' }]);
    assert.deepEqual(rejected, []);
  });
  test('quoted fields may hold commas and doubled quotes; broken quotes and extra fields are invalid rows', () => {
    const { rows, rejected } = parseNumbersCsv('"138,1","A""1"\n"13800000002\n1,2,3\n"1"x,A1\r13800000003');
    assert.deepEqual(rows, [{ line: 1, msisdn: '138,1', storeCode: 'A"1' }, { line: 5, msisdn: '13800000003' }]);
    assert.deepEqual(rejected.map((r) => [r.line, r.status]), [[2, 'invalid'], [3, 'invalid'], [4, 'invalid']]);
  });
  test('more than the maximum number of rows is refused', () => {
    const text = '1\n'.repeat(MAX_IMPORT_ROWS + 1);
    assert.throws(() => parseNumbersCsv(text), (e: DomainError) => e.code === 'request.too_large');
    assert.equal(parseNumbersCsv(`msisdn\n${'1\n'.repeat(MAX_IMPORT_ROWS)}`).rows.length, MAX_IMPORT_ROWS, 'the header does not count');
  });
});

describe('planImport', () => {
  test('normalises, groups by store, keeps the first of repeated numbers', () => {
    const plan = planImport([
      { line: 1, msisdn: '138-0000-0001', storeCode: 'A1' },
      { line: 2, msisdn: '(138) 0000 0001' },
      { line: 3, msisdn: '13800000002' },
      { line: 4, msisdn: '+123', storeCode: 'A1' },
      { line: 5, msisdn: '13800000003', storeCode: 'a1' },
    ], new Map([['A1', 'store-1']]));
    assert.deepEqual([...plan.byStore], [['store-1', [{ line: 1, msisdn: '13800000001' }]], ['', [{ line: 3, msisdn: '13800000002' }]]]);
    assert.deepEqual(plan.rejected.map((r) => [r.line, r.status, r.msisdn]), [[2, 'duplicate', '13800000001'], [4, 'invalid', '+123'], [5, 'unknown_store', '13800000003']]);
    const report = summarize(2, plan.rejected);
    assert.deepEqual([report.imported, report.duplicate, report.invalid, report.unknownStore], [2, 1, 1, 1]);
  });
  test('echoes at most 32 characters of a bad value', () => {
    const plan = planImport([{ line: 1, msisdn: 'x'.repeat(100) }], new Map());
    assert.equal(plan.rejected[0]!.msisdn, `${'x'.repeat(32)}…`);
  });
});
