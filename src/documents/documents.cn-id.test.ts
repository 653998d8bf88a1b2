// Resident ID and HK/Macau/Taiwan residence permit tests. Published vectors from
// ../shared/data/documents: id-numbers/cn_ric_vectors.csv (python-stdnum test_cn_ric.doctest,
// LGPL-2.1, and jxlwqq/id-validator IdValidatorTest.php, MIT, with computed check/date columns),
// the two doctest/PHPUnit files themselves, and cn-idcard-synthetic/ground_truth.json.
// "invalid_strict" vectors (birth year outside the code's validity years) are VALID here: a code
// counts if it was in the GB/T 2260 list at any time.
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResidencePermit, checkResidentId, normalizeIdNumber } from './documents.cn-id.ts';
import { mod112CheckChar } from './documents.checksum.ts';

const shared = new URL('../../../shared/data/documents/', import.meta.url);
const today = '2025-06-01';
const codes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code).sort();

function readCsv(url: URL): Record<string, string>[] {
  const rows = readFileSync(url, 'utf8').trim().split(/\r?\n/).map((line) => {
    const cells: string[] = [];
    for (const m of line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)) {
      cells.push(m[2] ?? m[1] ?? '');
      if (m[3] === '') break;
    }
    return cells;
  });
  const [header = [], ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

describe('cn_ric_vectors.csv', () => {
  const vectors = readCsv(new URL('id-numbers/cn_ric_vectors.csv', shared));
  test('the file has its 29 vectors', () => assert.equal(vectors.length, 29));
  for (const v of vectors) {
    test(`${v.id} (${v.expected}: ${v.note || v.source})`, () => {
      const r = checkResidencePermitOrId(v.id ?? '');
      const c = codes(r);
      if (v.expected === 'valid' || v.expected === 'invalid_strict') {
        assert.deepEqual(c, [], JSON.stringify(r.errors));
        assert.equal(r.valid, true);
        return;
      }
      assert.equal(r.valid, false);
      if (v.computed_checkdigit_ok === 'False') assert.ok(c.includes('id.checksum'), c.join());
      if (v.computed_checkdigit_ok === 'True') assert.ok(!c.includes('id.checksum'), c.join());
      if (v.date_ok === 'False' || /bad date/.test(v.note ?? '')) assert.ok(c.includes('id.birthdate_invalid'), c.join());
      if (/length|non-digit/.test(v.note ?? '')) assert.deepEqual(c, ['id.format']);
      if (/address code|birth-place/.test(v.note ?? '')) assert.ok(c.includes('id.region_unknown'), c.join());
    });
  }
});

/** The CSV mixes resident IDs and 81/83 residence permits, as the PHP validator does. */
function checkResidencePermitOrId(id: string) {
  return /^8[123]0000/.test(id) ? checkResidencePermit(id, { today }) : checkResidentId(id, { today });
}

describe('python-stdnum test_cn_ric.doctest', () => {
  test('birth dates', () => {
    assert.equal(checkResidentId('360426199101010071', { today }).birthDate, '1991-01-01');
    assert.equal(checkResidentId('44011320141005001x', { today }).birthDate, '2014-10-05');
  });
  test('lower-case x is normalised to X', () => {
    const r = checkResidentId('44011320141005001x', { today });
    assert.equal(r.valid, true);
    assert.equal(r.normalized, '44011320141005001X');
  });
  const places: [string, string, string][] = [
    ['360426199101010071', '江西省', '德安县'], ['44011320141005001x', '广东省', '番禺区'], ['412723199010050012', '河南省', '商水县'],
    ['110102199101010078', '北京市', '西城区'], ['120110198012010073', '天津市', '东郊区'], ['120110199212010072', '天津市', '东丽区'],
  ];
  for (const [id, province, county] of places) {
    test(`birth place of ${id} is ${province}…${county}`, () => {
      const name = checkResidentId(id, { today }).region?.name ?? '';
      assert.ok(name.startsWith(province) && name.endsWith(county), name);
    });
  }
  test('unknown county, wrong format, month 13, wrong checksum', () => {
    assert.deepEqual(codes(checkResidentId('990426199112010074', { today })), ['id.region_unknown']);
    assert.deepEqual(codes(checkResidentId('T60426199101010078', { today })), ['id.format']);
    assert.deepEqual(codes(checkResidentId('360426199113010079', { today })), ['id.birthdate_invalid']);
    assert.deepEqual(codes(checkResidentId('36042619910102009X', { today })), ['id.checksum']);
  });
});

describe('outcomes read straight from the upstream test files', () => {
  test('test_cn_ric.doctest: every ric.validate() and ric.get_birth_place() call', () => {
    const lines = readFileSync(new URL('id-numbers/python-stdnum/tests/test_cn_ric.doctest', shared), 'utf8').split('\n');
    let checked = 0;
    lines.forEach((line, i) => {
      const m = /^>>> ric\.(validate|get_birth_place)\('([^']+)'\)\s*(#.*)?$/.exec(line);
      if (!m) return;
      const [, , id = '', comment = ''] = m;
      const raises = (lines[i + 1] ?? '').startsWith('Traceback');
      // stdnum also rejects a county not yet / no longer registered in the birth year; we do not.
      const strictOnly = /not registered yet|deregistered/.test(comment);
      assert.equal(checkResidentId(id, { today }).valid, !raises || strictOnly, `${line} ${JSON.stringify(checkResidentId(id, { today }).errors)}`);
      checked++;
    });
    assert.equal(checked, 15);
  });
  test('IdValidatorTest.php: every isValid() call (non-strict mode)', () => {
    const php = readFileSync(new URL('id-numbers/jxlwqq-id-validator/IdValidatorTest.php', shared), 'utf8');
    let checked = 0;
    for (const m of php.matchAll(/assert(True|False)\(\$idValidator->isValid\('(\d+X?)'(?:, (true|false))?\)\)/g)) {
      const [, expected, id = '', strict] = m;
      if (strict === 'true') continue; // strict mode compares birth year with code validity years; not our rule
      const r = /^8[123]0000/.test(id) ? checkResidencePermit(id, { today }) : checkResidentId(id, { today });
      assert.equal(r.valid, expected === 'True', `${id} ${JSON.stringify(r.errors)}`);
      checked++;
    }
    assert.equal(checked, 19);
  });
});

describe('jxlwqq/id-validator IdValidatorTest.php (getInfo)', () => {
  const info: [string, string, boolean, string, 'M' | 'F'][] = [
    ['440308199901101512', '广东省深圳市盐田区', false, '1999-01-10', 'M'],
    ['362324198001010014', '江西省宜春地区丰城县', true, '1980-01-01', 'M'],
    ['362324198101010011', '江西省宜春地区丰城县', true, '1981-01-01', 'M'],
    ['362324198201010019', '江西省上饶地区铅山县', true, '1982-01-01', 'M'],
    ['610104620927690', '陕西省西安市莲湖区', false, '1962-09-27', 'F'],
    ['430302199312194239', '湖南省湘潭市雨湖区', false, '1993-12-19', 'M'],
    ['411082198901010002', '河南省许昌市长葛市', false, '1989-01-01', 'F'],
    ['44040119580101000X', '广东省珠海市市辖区', true, '1958-01-01', 'F'],
    ['140120197901010008', '山西省太原市市区', true, '1979-01-01', 'F'],
  ];
  for (const [id, name, historic, birthDate, sex] of info) {
    test(`${id}: ${name}`, () => {
      const r = checkResidentId(id, { today });
      assert.equal(r.valid, true, JSON.stringify(r.errors));
      assert.deepEqual(r.region, { code: id.slice(0, 6), name, historic });
      assert.equal(r.birthDate, birthDate);
      assert.equal(r.sex, sex);
    });
  }
  test('historic codes kept by old cards are valid', () => {
    for (const id of ['500154199301135886', '441282198101011230', '44040119580101000X', '140120197901010008']) {
      assert.equal(checkResidentId(id, { today }).valid, true, id);
    }
  });
  test('upgradeId: 15 → 18 digits', () => {
    assert.equal(normalizeIdNumber('610104620927690'), '610104196209276908');
    assert.equal(checkResidentId('610104620927690', { today }).normalized, '610104196209276908');
  });
});

describe('synthetic ID cards (cn-idcard-synthetic/ground_truth.json)', () => {
  const cards = (JSON.parse(readFileSync(new URL('cn-idcard-synthetic/ground_truth.json', shared), 'utf8')) as
    { id_number?: string; birth?: string; sex?: string; note?: string }[]).filter((c) => c.id_number);
  test('two cards with numbers', () => assert.equal(cards.length, 2));
  for (const card of cards) {
    test(`${card.id_number}`, () => {
      const r = checkResidentId(card.id_number ?? '', { today });
      const fails = /FAILS/.test(card.note ?? '');
      assert.equal(r.valid, !fails);
      if (fails) {
        assert.ok(codes(r).includes('id.checksum'));
        assert.match(r.errors.find((e) => e.code === 'id.checksum')?.message ?? '', /should be 9/);
        assert.notEqual(r.birthDate, card.birth, 'printed birth date differs from the number');
      } else {
        assert.equal(r.birthDate, card.birth);
        assert.equal(r.sex, card.sex === '女' ? 'F' : 'M');
      }
    });
  }
});

describe('rules', () => {
  test('GB 11643-1999 example and MOD 11-2', () => {
    assert.equal(mod112CheckChar('11010519491231002'), 'X');
    const r = checkResidentId('11010519491231002X', { today });
    assert.equal(r.valid, true);
    assert.deepEqual(r.region, { code: '110105', name: '北京市朝阳区', historic: false });
  });
  test('input cleaning: spaces, hyphens, full-width digits', () => {
    for (const v of [' 110105 19491231 002x ', '110105-19491231-002X', '１１０１０５１９４９１２３１００２Ｘ']) {
      assert.equal(checkResidentId(v, { today }).normalized, '11010519491231002X', v);
    }
  });
  test('birth date in the future against the given today, and before 1900', () => {
    const body = '11010520250602001';
    const id = body + mod112CheckChar(body);
    assert.deepEqual(codes(checkResidentId(id, { today: '2025-06-01' })), ['id.birthdate_future']);
    assert.deepEqual(codes(checkResidentId(id, { today: '2025-06-02' })), []);
    const old = '11010518991231001';
    assert.deepEqual(codes(checkResidentId(old + mod112CheckChar(old), { today })), ['id.birthdate_too_early']);
  });
  test('an unknown county in a known province is rejected and the province is named', () => {
    const body = '11019919900101001';
    const r = checkResidentId(body + mod112CheckChar(body), { today });
    assert.deepEqual(codes(r), ['id.region_unknown']);
    assert.match(r.errors[0]?.message ?? '', /北京市/);
  });
  test('listed aggregate codes (province, prefecture) are accepted with their own name', () => {
    for (const [prefix, name] of [['110000', '北京市'], ['440300', '广东省深圳市']] as const) {
      const body = `${prefix}19900101001`;
      const r = checkResidentId(body + mod112CheckChar(body), { today });
      assert.equal(r.valid, true, prefix);
      assert.equal(r.region?.name, name);
    }
  });
  test('a residence permit number given as a resident ID is a type mismatch', () => {
    assert.deepEqual(codes(checkResidentId('810000199408230021', { today })), ['document.type_mismatch']);
  });
  test('empty and malformed input', () => {
    assert.deepEqual(codes(checkResidentId('  ', { today })), ['document.empty']);
    assert.deepEqual(codes(checkResidentId('11010519491231002Y', { today })), ['id.format']);
    assert.deepEqual(codes(checkResidentId('1101051949123100', { today })), ['id.format']);
  });
});

describe('HK/Macau/Taiwan residence permits', () => {
  test('jxlwqq vectors: Hong Kong and Taiwan', () => {
    const hk = checkResidencePermit('810000199408230021', { today });
    assert.equal(hk.valid, true);
    assert.deepEqual(hk.region, { code: '810000', name: '香港特别行政区', historic: false });
    assert.equal(hk.birthDate, '1994-08-23');
    assert.equal(hk.sex, 'F');
    assert.equal(checkResidencePermit('830000199201300022', { today }).region?.name, '台湾省');
  });
  test('Macau prefix, same MOD 11-2 and birth-date rules', () => {
    const body = '82000019900101003';
    const r = checkResidencePermit(body + mod112CheckChar(body), { today });
    assert.equal(r.valid, true);
    assert.equal(r.region?.code, '820000');
    assert.equal(r.sex, 'M');
    assert.deepEqual(codes(checkResidencePermit(`${body}${mod112CheckChar(body) === '0' ? '1' : '0'}`, { today })), ['id.checksum']);
    const bad = '82000019900231003';
    assert.deepEqual(codes(checkResidencePermit(bad + mod112CheckChar(bad), { today })), ['id.birthdate_invalid']);
  });
  test('a resident ID number is not a residence permit; 15 digits are not accepted', () => {
    assert.deepEqual(codes(checkResidencePermit('11010519491231002X', { today })), ['permit.prefix']);
    assert.deepEqual(codes(checkResidencePermit('810000940823002', { today })), ['id.format']);
  });
});
