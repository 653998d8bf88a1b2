// The kiosk's pure input helpers, run in node: a card reader's JSON (the field names vendors
// use, wrapped or not, a data: prefix on the photo) and the live check of a typed ID number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCardReading } from '../../web/shared/card-reader.ts';
import { checkIdInput } from '../../web/shared/id-input.ts';
import { residentId } from '../../src/registration/registration.fixtures.ts';

const id = residentId('19900307', 417);
const photo = Buffer.from('a chip photo, JPEG bytes').toString('base64');

test('card reader JSON: common field names, wrapped or not, the photo with or without a data: prefix', () => {
  assert.deepEqual(parseCardReading(JSON.stringify({ name: '李明', idNumber: id, photo })), { ok: true, reading: { type: 'cn_resident_id', number: id, name: '李明', photo } });
  const wrapped = parseCardReading(JSON.stringify({ code: 0, data: { partyName: '王小明', certNumber: id.toLowerCase(), identityPic: `data:image/jpeg;base64,${photo}` } }));
  assert.deepEqual(wrapped, { ok: true, reading: { type: 'cn_resident_id', number: id.toUpperCase(), name: '王小明', photo } });
  assert.equal((parseCardReading(JSON.stringify({ 姓名: '陈', 公民身份号码: '810000199408230021' })) as { reading: { type: string } }).reading.type, 'hmt_residence_permit');
  assert.equal((parseCardReading(JSON.stringify({ name: 'A', idNumber: id })) as { reading: { photo: unknown } }).reading.photo, undefined, 'a reader without a photo');
});

test('card reader JSON: what it cannot use is named', () => {
  assert.deepEqual(parseCardReading('not json'), { ok: false, error: 'reader.not_json' });
  assert.deepEqual(parseCardReading('[1]'), { ok: false, error: 'reader.not_json' });
  assert.deepEqual(parseCardReading(JSON.stringify({ name: '李明' })), { ok: false, error: 'reader.no_number' });
  assert.deepEqual(parseCardReading(JSON.stringify({ idNumber: id })), { ok: false, error: 'reader.no_name' });
  assert.deepEqual(parseCardReading(JSON.stringify({ name: '李明', idNumber: id, photo: 'not base64!' })), { ok: false, error: 'reader.bad_photo' });
});

test('a typed resident ID: how far along, and the first thing wrong', () => {
  const today = new Date('2026-11-29T00:00:00Z');
  assert.deepEqual(checkIdInput('', today), { state: 'empty' });
  assert.deepEqual(checkIdInput('1101011990', today), { state: 'incomplete', length: 10 });
  assert.deepEqual(checkIdInput(` ${id.slice(0, 6)} ${id.slice(6)} `, today), { state: 'valid' });
  const wrongCheck = `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}`;
  assert.deepEqual(checkIdInput(wrongCheck, today), { state: 'invalid', code: 'id.checksum' });
  assert.deepEqual(checkIdInput('11010119901345', today), { state: 'invalid', code: 'id.birthdate_invalid' });
  assert.deepEqual(checkIdInput('11010120301201', today), { state: 'invalid', code: 'id.birthdate_future' });
  assert.deepEqual(checkIdInput('11010118991201', today), { state: 'invalid', code: 'id.birthdate_too_early' });
  assert.deepEqual(checkIdInput('1101X1', today), { state: 'invalid', code: 'id.format' });
  assert.deepEqual(checkIdInput(`${id}0`, today), { state: 'invalid', code: 'id.format' });
});
