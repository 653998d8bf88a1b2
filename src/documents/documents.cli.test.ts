// `portrait id check`: exit codes, human output, and --json printing exactly one JSON object.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runIdCheck } from './documents.cli.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runIdCheck(argv, { stdout: (s) => out.push(s) });
  return { code, out };
}

const mrzLines = ['POCHNABULIKEMU<<ABULA<<<<<<<<<<<<<<<<<<<<<<<', 'E596593216CHN9701078M2510077LAKCLCLMMBKGG932'];

describe('portrait id check', () => {
  test('valid resident ID: exit 0, human output with type, number, birth date, sex, region', async () => {
    const { code, out } = await run('11010519491231002x', '--today', '2025-06-01');
    assert.equal(code, 0);
    const text = out.join('\n');
    assert.match(text, /^Type:\s+cn_resident_id/m);
    assert.match(text, /^Number:\s+11010519491231002X$/m);
    assert.match(text, /^Birth date:\s+1949-12-31 \(age 75\)$/m);
    assert.match(text, /^Sex:\s+F$/m);
    assert.match(text, /^Region:\s+110105 北京市朝阳区$/m);
    assert.match(text, /^Errors:\s+none$/m);
  });

  test('invalid number: exit 1, errors listed with codes', async () => {
    const { code, out } = await run('id', 'check', '430512198908131367');
    assert.equal(code, 1);
    assert.match(out.join('\n'), /- id\.checksum: .*should be 9/);
    assert.match(out.join('\n'), /- id\.region_unknown: /);
  });

  test('--json prints exactly one JSON object with the agreed keys', async () => {
    const { code, out } = await run('--json', '610104620927690', '--today=2025-06-01');
    assert.equal(code, 0);
    assert.equal(out.length, 1);
    const obj = JSON.parse(out[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj), ['type', 'valid', 'normalized', 'birthDate', 'sex', 'region', 'errors']);
    assert.deepEqual(obj, {
      type: 'cn_resident_id', valid: true, normalized: '610104196209276908', birthDate: '1962-09-27', sex: 'F',
      region: { code: '610104', name: '陕西省西安市莲湖区', historic: false }, errors: [],
    });
  });

  test('--json for an invalid number lists codes and messages (and the MRZ field)', async () => {
    const { code, out } = await run('--json', '--type', 'passport_mrz', mrzLines[0] ?? '', (mrzLines[1] ?? '').replace(/2$/, '3'), '--today', '2025-06-01');
    assert.equal(code, 1);
    assert.equal(out.length, 1);
    const obj = JSON.parse(out[0] ?? '') as { errors: { code: string; message: string; field?: string }[]; name: string };
    assert.deepEqual(obj.errors.map((e) => [e.code, e.field]), [['mrz.check_digit', 'composite']]);
    assert.ok((obj.errors[0]?.message ?? '').length > 10);
    assert.equal(obj.name, 'ABULIKEMU, ABULA');
  });

  test('MRZ lines as separate arguments are auto-detected; expiry uses --today', async () => {
    assert.equal((await run(...mrzLines, '--today', '2025-06-01')).code, 0);
    const expired = await run(...mrzLines, '--today', '2026-01-01');
    assert.equal(expired.code, 1);
    assert.match(expired.out.join('\n'), /mrz\.expired/);
  });

  test('--type forces the type', async () => {
    const { code, out } = await run('--type', 'hmt_residence_permit', '11010519491231002X', '--json');
    assert.equal(code, 1);
    assert.deepEqual((JSON.parse(out[0] ?? '') as { errors: { code: string }[] }).errors.map((e) => e.code), ['permit.prefix']);
  });

  test('unrecognised value: exit 1 with document.unrecognized', async () => {
    const { code, out } = await run('--json', 'hello');
    assert.equal(code, 1);
    assert.equal((JSON.parse(out[0] ?? '') as { errors: { code: string }[] }).errors[0]?.code, 'document.unrecognized');
  });

  test('usage errors exit 2; with --json still one JSON object', async () => {
    for (const argv of [[], ['--type'], ['--type', 'nope', '123'], ['--bogus', '123'], ['123', '--today', '2025-13-01']]) {
      const text = await run(...argv);
      assert.equal(text.code, 2, argv.join(' '));
      assert.match(text.out.join('\n'), /Usage: portrait id check/);
      const json = await run(...argv, '--json');
      assert.equal(json.code, 2);
      assert.equal(json.out.length, 1);
      assert.equal((JSON.parse(json.out[0] ?? '') as { error: { code: string } }).error.code, 'usage');
    }
  });

  test('--help exits 0', async () => {
    const { code, out } = await run('--help');
    assert.equal(code, 0);
    assert.match(out.join(''), /--type T/);
  });
});
