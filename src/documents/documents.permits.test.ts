// Travel permits (回乡证, 台胞证) and foreign permanent resident ID cards. Vectors for the
// permanent resident card come from howardli/CredentialKit's
// ForeignerPermanentResidenceIdNumberProcessorTest (KAZ110090123105, 911398199012310021 and
// their broken variants); the others are built here from the documented layouts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { icaoCheckDigit, mod112CheckChar } from './documents.checksum.ts';
import { checkForeignPermanentResidentId } from './documents.foreign-pr.ts';
import { checkHkMacauTravelPermit, checkTaiwanTravelPermit } from './documents.travel-permits.ts';

const today = '2025-06-01';
const codes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code).sort();

describe('Mainland Travel Permit for Hong Kong and Macau residents', () => {
  test('H/M + 8 digits', () => {
    const hk = checkHkMacauTravelPermit('H12345678');
    assert.equal(hk.valid, true);
    assert.deepEqual(hk.region, { code: '810000', name: '香港特别行政区', historic: false });
    const mo = checkHkMacauTravelPermit(' m 1234 5678 ');
    assert.equal(mo.normalized, 'M12345678');
    assert.equal(mo.region?.code, '820000');
  });
  test('older 11-character form keeps only the lifetime number', () => {
    assert.equal(checkHkMacauTravelPermit('H1234567801').normalized, 'H12345678');
  });
  test('rejects other shapes', () => {
    for (const v of ['H1234567', 'H123456789', 'K12345678', '12345678', 'HA1234567']) {
      assert.deepEqual(codes(checkHkMacauTravelPermit(v)), ['permit.format'], v);
    }
    assert.deepEqual(codes(checkHkMacauTravelPermit('')), ['document.empty']);
  });
});

describe('Mainland Travel Permit for Taiwan residents', () => {
  test('8 digits, and the older 10-digit form', () => {
    const r = checkTaiwanTravelPermit('12345678');
    assert.equal(r.valid, true);
    assert.equal(r.region?.code, '830000');
    assert.equal(checkTaiwanTravelPermit('1234567801').normalized, '12345678');
  });
  test('rejects other shapes, including the bracketed-letter booklet form', () => {
    for (const v of ['1234567', '123456789', '12345678(B)', 'T12345678']) {
      assert.deepEqual(codes(checkTaiwanTravelPermit(v)), ['permit.format'], v);
    }
  });
});

describe('Foreign Permanent Resident ID Card, 2023 (18 digits)', () => {
  test('CredentialKit vector 911398199012310021', () => {
    const r = checkForeignPermanentResidentId('911398199012310021', { today });
    assert.equal(r.valid, true, JSON.stringify(r.errors));
    assert.equal(r.nationality, 'KAZ');
    assert.equal(r.region?.name, '北京市');
    assert.equal(r.birthDate, '1990-12-31');
    assert.equal(r.sex, 'F');
  });
  test('CredentialKit broken variants', () => {
    // CredentialKit stops at the first failed rule; we report all, and these edits also break the check digit
    assert.deepEqual(codes(checkForeignPermanentResidentId('999398199012310021', { today })), ['fpr.province_unknown', 'id.checksum']);
    assert.deepEqual(codes(checkForeignPermanentResidentId('911999199012310021', { today })), ['fpr.nationality_unknown', 'id.checksum']);
    assert.ok(codes(checkForeignPermanentResidentId('911398199002310021', { today })).includes('id.birthdate_invalid'));
    assert.deepEqual(codes(checkForeignPermanentResidentId('911398199012310022', { today })), ['id.checksum']);
    assert.deepEqual(codes(checkForeignPermanentResidentId('911398199012310020', { today })), ['id.checksum']);
  });
  test('X check character, male sequence, future birth date, Hong Kong is not an issuing province', () => {
    const find = (prefix: string) => {
      for (let seq = 0; seq < 1000; seq++) {
        const body = `${prefix}${String(seq).padStart(3, '0')}`;
        if (mod112CheckChar(body) === 'X') return `${body}x`;
      }
      throw new Error('no X');
    };
    const x = checkForeignPermanentResidentId(find('93184020000101'), { today });
    assert.equal(x.valid, true, JSON.stringify(x.errors));
    assert.equal(x.normalized.endsWith('X'), true);
    assert.equal(x.nationality, 'USA');
    assert.equal(x.region?.code, '310000');
    const future = '94436020300101001';
    assert.deepEqual(codes(checkForeignPermanentResidentId(future + mod112CheckChar(future), { today })), ['id.birthdate_future']);
    const male = '94436019800101003';
    assert.equal(checkForeignPermanentResidentId(male + mod112CheckChar(male), { today }).sex, 'M');
    const hk = '98139219800101003';
    assert.deepEqual(codes(checkForeignPermanentResidentId(hk + mod112CheckChar(hk), { today })), ['fpr.province_unknown']);
  });
});

describe('Foreign Permanent Resident ID Card, old (3 letters + 12 digits)', () => {
  test('CredentialKit vector KAZ110090123105', () => {
    const r = checkForeignPermanentResidentId('KAZ110090123105', { today });
    assert.equal(r.valid, true, JSON.stringify(r.errors));
    assert.equal(r.nationality, 'KAZ');
    assert.equal(r.region?.code, '110000');
    assert.equal(r.birthDate, '1990-12-31');
    assert.equal(r.sex, undefined, 'sex is not derived from the old number');
  });
  test('CredentialKit broken variants', () => {
    assert.ok(codes(checkForeignPermanentResidentId('KAA110090123105', { today })).includes('fpr.nationality_unknown'));
    assert.ok(codes(checkForeignPermanentResidentId('KAZ990090123105', { today })).includes('fpr.province_unknown'));
    assert.ok(codes(checkForeignPermanentResidentId('KAZ110090023105', { today })).includes('id.birthdate_invalid'));
    assert.deepEqual(codes(checkForeignPermanentResidentId('KAZ110090123107', { today })), ['fpr.check_digit']);
  });
  test('two-digit year: 20YY unless that is after today', () => {
    const body = 'USA3100100101' + '1';
    const r = checkForeignPermanentResidentId(body + icaoCheckDigit(body), { today });
    assert.equal(r.birthDate, '2010-01-01');
    const body2 = 'USA3100300101' + '1';
    assert.equal(checkForeignPermanentResidentId(body2 + icaoCheckDigit(body2), { today }).birthDate, '1930-01-01');
  });
  test('lower case is accepted; other shapes are fpr.format', () => {
    assert.equal(checkForeignPermanentResidentId('kaz110090123105', { today }).valid, true);
    for (const v of ['KA110090123105', 'KAZ11009012310', '811398199012310021', '9113981990123100211']) {
      assert.deepEqual(codes(checkForeignPermanentResidentId(v, { today })), ['fpr.format'], v);
    }
  });
});
