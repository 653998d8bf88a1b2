// MRZ parser tests. Vectors ported from cheminfo/mrz (MIT; copy in
// ../shared/data/documents/id-numbers/mrz_js: src/parse/__tests__/td3.test.ts, td1.test.ts,
// src/parsers/__tests__/check.test.ts) and from PassportEye's doctests (MIT). cheminfo/mrz
// rejects the ICAO specimen state UTO as unknown, and so do we (mrz.country_unknown).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { icaoCheckDigit } from './documents.checksum.ts';
import { parseMrz, splitMrzLines } from './documents.mrz.ts';

const today = '2025-06-01';
const parse = (lines: string[]) => parseMrz(lines, { today });
const codes = (r: ReturnType<typeof parse>) => r.errors.map((e) => (e.field ? `${e.code}:${e.field}` : e.code)).sort();

describe('ICAO check digit (cheminfo/mrz check.test.ts)', () => {
  const vectors: [string, string][] = [
    ['592166117<231', '8'], ['592166111<773', '5'], ['007666667<ZZ0', '0'], ['007666667ZZ0', '0'],
    ['007777779ZZ9', '2'], ['600001795015', '2'], ['000590240<601', '3'], ['D23145890734', '9'], ['D23145890<734', '9'],
  ];
  for (const [data, digit] of vectors) test(`${data} → ${digit}`, () => assert.equal(icaoCheckDigit(data), digit));
  test('embedded digit: the filler matters for some numbers', () => {
    assert.notEqual(icaoCheckDigit('000590240601'), '3');
    assert.notEqual(icaoCheckDigit('600001795<015'), '2');
    assert.notEqual(icaoCheckDigit('592166111<773'), '4');
  });
  test('rejects characters outside the MRZ set', () => assert.throws(() => icaoCheckDigit('AB-1'), RangeError));
});

describe('TD3 (cheminfo/mrz td3.test.ts)', () => {
  const utopia = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

  test('Utopia example: all check digits pass, both UTO codes unknown', () => {
    const r = parse(utopia);
    assert.equal(r.format, 'TD3');
    assert.equal(r.valid, false);
    assert.deepEqual(codes(r), ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality']);
    assert.deepEqual(r.fields, {
      documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO', surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA', optionalData: 'ZE184226B', birthDate: '1974-08-12', expiryDate: '2012-04-15', sex: 'F',
    });
  });

  test('wrong personal number check digit also breaks the composite', () => {
    const r = parse([utopia[0] ?? '', 'L898902C36UTO7408122F1204159ZE184226B<<<<<20']);
    assert.deepEqual(codes(r), ['mrz.check_digit:composite', 'mrz.check_digit:optionalData', 'mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality']);
    assert.match(r.errors.find((e) => e.field === 'optionalData')?.message ?? '', /should be 1/);
    assert.match(r.errors.find((e) => e.field === 'composite')?.message ?? '', /should be 1/);
  });

  test('German example (state D, empty personal number with < check digit)', () => {
    const r = parse(['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0']);
    assert.equal(r.valid, true);
    assert.deepEqual(r.fields, {
      documentCode: 'P', issuingState: 'D', documentNumber: 'C01X0006H', nationality: 'D', surname: 'MUSTERMANN',
      givenNames: 'ERIKA', optionalData: '', birthDate: '1964-08-12', expiryDate: '2017-10-31', sex: 'F',
    });
  });

  test('no last name', () => {
    const r = parse(['P<IND<<FIRST<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<', 'C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0']);
    assert.equal(r.valid, true);
    assert.equal(r.fields?.surname, '');
    assert.equal(r.fields?.givenNames, 'FIRST NAME');
    assert.equal(r.fields?.issuingState, 'IND');
  });

  test('Chinese PO passport', () => {
    const r = parse(['POCHNABULIKEMU<<ABULA<<<<<<<<<<<<<<<<<<<<<<<', 'E596593216CHN9701078M2510077LAKCLCLMMBKGG932']);
    assert.equal(r.valid, true);
    assert.deepEqual(r.fields, {
      documentCode: 'PO', issuingState: 'CHN', documentNumber: 'E59659321', nationality: 'CHN', surname: 'ABULIKEMU',
      givenNames: 'ABULA', optionalData: 'LAKCLCLMMBKGG9', birthDate: '1997-01-07', expiryDate: '2025-10-07', sex: 'M',
    });
  });

  test('Chinese PT passport', () => {
    const r = parse(['PTCHNCESHI<<YANGBEN<<<<<<<<<<<<<<<<<<<<<<<<<', 'G622925996CHN8310291F1904220LCOCMKNENBPJB984']);
    assert.equal(r.valid, true);
    assert.equal(r.fields?.documentNumber, 'G62292599');
    assert.equal(r.fields?.birthDate, '1983-10-29');
    assert.equal(r.fields?.expiryDate, '2019-04-22');
    assert.equal(r.fields?.sex, 'F');
  });

  test('OCR confusions are not auto-corrected: the garbled Utopia MRZ is invalid', () => {
    const r = parse(['P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O']);
    assert.equal(r.valid, false);
    assert.ok(codes(r).includes('mrz.check_digit:birthDate'));
    assert.ok(codes(r).includes('mrz.check_digit:expiryDate'));
  });

  test('PassportEye doctest: Polish passport is valid', () => {
    const r = parse(['P<POLKOWALSKA<KWIATKOWSKA<<JOANNA<<<<<<<<<<<', 'AA00000000POL6002084F1412314<<<<<<<<<<<<<<<4']);
    assert.equal(r.valid, true);
    assert.equal(r.fields?.surname, 'KOWALSKA KWIATKOWSKA');
  });
});

describe('TD1 (cheminfo/mrz td1.test.ts, PassportEye doctests)', () => {
  const valid: [string, string[], Record<string, string>][] = [
    ['Swiss ID', ['IDCHEA1234567<6<<<<<<<<<<<<<<<', '7510256M2009018CHE<<<<<<<<<<<8', 'SMITH<<JOHN<ALBERT<<<<<<<<<<<<'],
      { documentNumber: 'A1234567', birthDate: '1975-10-25', sex: 'M', expiryDate: '2020-09-01', nationality: 'CHE', surname: 'SMITH', givenNames: 'JOHN ALBERT' }],
    ['Portuguese ID (long document number)', ['I<PRT007777779<ZZ92<<<<<<<<<<<', '8303143M3405282PRT<<<<<<<<<<<2', 'CACADOR<DE<ARAUJO<<ANDRE<ESTEV'],
      { documentNumber: '007777779ZZ9', birthDate: '1983-03-14', expiryDate: '2034-05-28', surname: 'CACADOR DE ARAUJO', givenNames: 'ANDRE ESTEV' }],
    ['PRADO PRT-BO-04001', ['I<PRT007666667<ZZ00<<<<<<<<<<<', '8303143M3405293PRT<<<<<<<<<<<4', 'CACADOR<DE<ARAUJO<<ANDRE<ESTEV'], { documentNumber: '007666667ZZ0' }],
    ['PRADO BEL-BO-11005 (check digit without the filler)', ['IDBEL600001795<0152<<<<<<<<<<<', '1301014F2311207BEL130101987398', 'SPECIMEN<<SPECIMEN<<<<<<<<<<<<'],
      { documentNumber: '600001795015', birthDate: '2013-01-01', sex: 'F', expiryDate: '2023-11-20' }],
    ['PRADO BEL-BO-03003 (check digit with the filler)', ['IDBEL000590240<6013<<<<<<<<<<<', '8512017F1311048BEL851201002007', 'REINARTZ<<ULRIKE<KATIA<E<<<<<<'],
      { documentNumber: '000590240601', givenNames: 'ULRIKE KATIA E' }],
    ['PRADO FIN-BO-12001', ['I<FINXA10000585010195<112X<<<<', '9501016F2803135FIN<<<<<<<<<<<7', 'SPECIMEN<TRAVEL<<VILMA<SOFIA<<'],
      { documentNumber: 'XA1000058', optionalData: '010195 112X', surname: 'SPECIMEN TRAVEL', givenNames: 'VILMA SOFIA' }],
    ['no last name', ['I<CHED231458907ABC<<<<<<<<<<<<', '7408122F1204159CHE<<<<<<<<<<<1', '<<ANNA<MARIA<<<<<<<<<<<<<<<<<<'], { surname: '', givenNames: 'ANNA MARIA' }],
    ['PassportEye AUT', ['IDAUT10000999<6<<<<<<<<<<<<<<<', '7109094F1112315AUT<<<<<<<<<<<4', 'MUSTERFRAU<<ISOLDE<<<<<<<<<<<<'], { documentNumber: '10000999', surname: 'MUSTERFRAU' }],
  ];
  for (const [name, lines, fields] of valid) {
    test(name, () => {
      const r = parse(lines);
      assert.equal(r.format, 'TD1');
      assert.deepEqual(r.errors, []);
      assert.equal(r.valid, true);
      for (const [k, v] of Object.entries(fields)) assert.equal(r.fields?.[k as keyof typeof r.fields], v, k);
    });
  }

  const invalid: [string, string[], string[], string?][] = [
    ['Utopia example', ['I<UTOD231458907ABC<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<1', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'], ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality']],
    ['long number D23145890123', ['I<UTOD23145890<1233<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<2', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'], ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality'], 'D23145890123'],
    ['ICAO 9303 p11 sample', ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'], ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality'], 'D23145890734'],
    ['BEL-BO-03003 wrong document number check digit', ['IDBEL000590240<6016<<<<<<<<<<<', '8512017F1311048BEL851201002007', 'REINARTZ<<ULRIKE<KATIA<E<<<<<<'], ['mrz.check_digit:composite', 'mrz.check_digit:documentNumber']],
    ['BEL-BO-03003 wrong birth date check digit', ['IDBEL000590240<6013<<<<<<<<<<<', '8512018F1311048BEL851201002007', 'REINARTZ<<ULRIKE<KATIA<E<<<<<<'], ['mrz.check_digit:birthDate', 'mrz.check_digit:composite']],
    ['PassportEye AUT with wrong composite', ['IDAUT10000999<6<<<<<<<<<<<<<<<', '7109094F1112315AUT<<<<<<<<<<<6', 'MUSTERFRAU<<ISOLDE<<<<<<<<<<<<'], ['mrz.check_digit:composite']],
  ];
  for (const [name, lines, expected, number] of invalid) {
    test(name, () => {
      const r = parse(lines);
      assert.equal(r.valid, false);
      assert.deepEqual(codes(r), expected);
      if (number) assert.equal(r.fields?.documentNumber, number);
    });
  }
});

describe('TD2 and rejected layouts', () => {
  test('PassportEye TD2 doctest', () => {
    const r = parse(['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6']);
    assert.equal(r.format, 'TD2');
    assert.deepEqual(codes(r), ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality']);
    assert.equal(r.fields?.documentNumber, 'D23145890');
  });
  test('a visa (MRV-A) is not an identity document', () => {
    const r = parse(['VIUSATRAVELER<<HAPPYPERSON<<<<<<<<<<<<<<<<<<', '555123ABC6GBR6502056F04122361FLNDDDAM5803085']);
    assert.deepEqual(codes(r), ['mrz.document_code']);
    assert.equal(r.fields, undefined);
  });
  test('wrong shape and characters', () => {
    assert.deepEqual(codes(parse(['P<UTOERIKSSON', 'L898902C36'])), ['mrz.format']);
    assert.deepEqual(codes(parse(['I<UTOD231458907ABC<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<1'])), ['mrz.format']);
    assert.deepEqual(codes(parse(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<-', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'])), ['mrz.charset']);
    assert.deepEqual(codes(parse([])), ['document.empty']);
  });
  test('bad sex and impossible dates', () => {
    const sex = parse(['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X0006H1D<<6408125Z1710319<<<<<<<<<<<<<<<0']);
    assert.deepEqual(codes(sex), ['mrz.sex_invalid']);
    const dob = '641312';
    const line2 = `C01X0006H1D<<${dob}${icaoCheckDigit(dob)}F1710319<<<<<<<<<<<<<<<`;
    const r = parse(['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', line2 + icaoCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43))]);
    assert.deepEqual(codes(r), ['mrz.date_invalid:birthDate']);
    assert.equal(r.fields?.birthDate, undefined);
  });
});

describe('splitMrzLines', () => {
  const l1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
  const l2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
  test('accepts line breaks, CRLF, lower case, OCR spaces, one line with spaces, run-together lines', () => {
    for (const input of [`${l1}\n${l2}`, `${l1}\r\n${l2}\r\n`, `${l1.toLowerCase()}\n${l2}`, `P<UTO ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n${l2}`, `${l1} ${l2}`, `  ${l1}${l2}  `]) {
      assert.deepEqual(splitMrzLines(input), [l1, l2]);
    }
  });
});
