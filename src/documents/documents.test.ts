// Public API: dispatch, type detection, canonical numbers for hashing, dates and the error list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageOn, checkDocument, detectDocumentType, documentErrorCodeList, documentErrorCodes, documentTypes,
  normalizeDocumentNumber, type DocumentType,
} from './documents.ts';
import { resolveYymmdd } from './documents.dates.ts';

const today = '2025-06-01';
const chnPo = 'POCHNABULIKEMU<<ABULA<<<<<<<<<<<<<<<<<<<<<<<\nE596593216CHN9701078M2510077LAKCLCLMMBKGG932';

describe('detectDocumentType', () => {
  const cases: [string, DocumentType | undefined][] = [
    ['11010519491231002X', 'cn_resident_id'], ['11010519491231002x', 'cn_resident_id'], ['610104620927690', 'cn_resident_id'],
    ['810000199408230021', 'hmt_residence_permit'], ['830000199201300022', 'hmt_residence_permit'],
    ['911398199012310021', 'foreign_permanent_resident_id'], ['KAZ110090123105', 'foreign_permanent_resident_id'],
    ['H12345678', 'hk_macau_travel_permit'], ['M1234567801', 'hk_macau_travel_permit'],
    ['12345678', 'taiwan_travel_permit'], ['1234567801', 'taiwan_travel_permit'],
    [chnPo, 'passport_mrz'], ['hello', undefined], ['', undefined], ['1234', undefined],
  ];
  for (const [value, type] of cases) test(`${value.slice(0, 20)} → ${type}`, () => assert.equal(detectDocumentType(value), type));
});

describe('checkDocument', () => {
  test('dispatches every type', () => {
    const samples: Record<DocumentType, string> = {
      cn_resident_id: '11010519491231002X', hmt_residence_permit: '810000199408230021', hk_macau_travel_permit: 'H12345678',
      taiwan_travel_permit: '12345678', foreign_permanent_resident_id: '911398199012310021', passport_mrz: chnPo,
    };
    for (const type of documentTypes) {
      const r = checkDocument(type, samples[type], { today });
      assert.equal(r.type, type);
      assert.equal(r.valid, true, `${type}: ${JSON.stringify(r.errors)}`);
    }
  });
  test('passport result carries names, nationality, dates; expiry is judged against today', () => {
    const r = checkDocument('passport_mrz', chnPo, { today });
    assert.equal(r.name, 'ABULIKEMU, ABULA');
    assert.equal(r.nationality, 'CHN');
    assert.equal(r.birthDate, '1997-01-07');
    assert.equal(r.sex, 'M');
    assert.equal(r.expiryDate, '2025-10-07');
    assert.equal(r.documentNumber, 'E59659321');
    const later = checkDocument('passport_mrz', chnPo, { today: '2025-10-08' });
    assert.deepEqual(later.errors.map((e) => e.code), ['mrz.expired']);
    assert.equal(checkDocument('passport_mrz', chnPo, { today: '2025-10-07' }).valid, true);
  });
  test('today accepts a Date; an invalid today throws', () => {
    const body = '110105202506020011';
    assert.equal(checkDocument('cn_resident_id', body, { today: new Date(2025, 5, 1) }).errors.some((e) => e.code === 'id.birthdate_future'), true);
    assert.throws(() => checkDocument('cn_resident_id', body, { today: '2025-02-30' }), RangeError);
  });
  test('an unknown type from an untyped caller is a result, not an exception', () => {
    const r = checkDocument('drivers_licence' as DocumentType, '123');
    assert.deepEqual(r.errors.map((e) => e.code), ['document.type_unknown']);
  });
});

describe('normalizeDocumentNumber (hash key)', () => {
  test('a 15-digit resident ID hashes as its 18-digit form', () => {
    assert.equal(normalizeDocumentNumber('cn_resident_id', '610104620927690'), '610104196209276908');
    assert.equal(normalizeDocumentNumber('cn_resident_id', '610104196209276908'), '610104196209276908');
  });
  test('is stable across input formatting', () => {
    const forms = ['11010519491231002X', '11010519491231002x', ' 110105 19491231 002X', '１１０１０５１９４９１２３１００２ｘ'];
    assert.deepEqual(new Set(forms.map((f) => normalizeDocumentNumber('cn_resident_id', f))), new Set(['11010519491231002X']));
    const mrz = chnPo.replace('\n', '  \r\n').toLowerCase();
    assert.equal(normalizeDocumentNumber('passport_mrz', mrz), 'P:CHN:E59659321');
    assert.equal(normalizeDocumentNumber('passport_mrz', chnPo), 'P:CHN:E59659321');
    assert.equal(normalizeDocumentNumber('hk_macau_travel_permit', 'h1234567802'), 'H12345678');
    assert.equal(normalizeDocumentNumber('taiwan_travel_permit', '1234567802'), '12345678');
    assert.equal(normalizeDocumentNumber('foreign_permanent_resident_id', 'kaz110090123105'), 'KAZ110090123105');
    assert.equal(normalizeDocumentNumber('hmt_residence_permit', '810000 19940823 0021'), '810000199408230021');
  });
  test('is the same string checkDocument reports', () => {
    for (const [type, v] of [['cn_resident_id', '610104620927690'], ['passport_mrz', chnPo], ['hk_macau_travel_permit', 'H1234567802']] as const) {
      assert.equal(checkDocument(type, v, { today }).normalized, normalizeDocumentNumber(type, v));
    }
  });
  test('undefined when the format is wrong', () => {
    assert.equal(normalizeDocumentNumber('cn_resident_id', '12345'), undefined);
    assert.equal(normalizeDocumentNumber('passport_mrz', 'P<UTO'), undefined);
    assert.equal(normalizeDocumentNumber('hmt_residence_permit', '810000940823002'), undefined);
  });
});

describe('dates', () => {
  test('ageOn', () => {
    assert.equal(ageOn('1990-06-15', '2025-06-14'), 34);
    assert.equal(ageOn('1990-06-15', '2025-06-15'), 35);
    assert.equal(ageOn('2004-02-29', '2022-02-28'), 17);
    assert.equal(ageOn('2004-02-29', '2022-03-01'), 18);
    assert.equal(ageOn('2000-01-01', new Date(2018, 0, 1)), 18);
    assert.throws(() => ageOn('1990-02-30', '2025-01-01'), RangeError);
  });
  test('two-digit years', () => {
    assert.equal(resolveYymmdd('250601', '2025-06-01', 'past'), '2025-06-01');
    assert.equal(resolveYymmdd('250602', '2025-06-01', 'past'), '1925-06-02');
    assert.equal(resolveYymmdd('000229', '2025-06-01', 'past'), '2000-02-29');
    assert.equal(resolveYymmdd('941101', '2025-06-01', 'window'), '1994-11-01');
    assert.equal(resolveYymmdd('491231', '2025-06-01', 'window'), '2049-12-31');
    assert.equal(resolveYymmdd('751231', '2025-06-01', 'window'), '2075-12-31');
    assert.equal(resolveYymmdd('761231', '2025-06-01', 'window'), '1976-12-31');
    assert.equal(resolveYymmdd('991301', '2025-06-01', 'window'), undefined);
  });
});

describe('error codes', () => {
  test('one typed list, every code namespaced and with a plain sentence', () => {
    assert.equal(new Set(documentErrorCodeList).size, documentErrorCodeList.length);
    for (const code of documentErrorCodeList) {
      assert.match(code, /^(document|id|permit|fpr|mrz)\.[a-z_]+$/);
      assert.match(documentErrorCodes[code], /^[A-Z].*\.$/);
    }
  });
});
