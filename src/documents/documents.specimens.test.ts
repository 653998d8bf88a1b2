// Golden cases from government specimen documents: the PassportEye test images in
// ../shared/data/documents/mrz-specimens (MIT). The MRZ text below was transcribed by eye from
// each image; the number in a file name is the score PassportEye's OCR reached on it (OCR
// quality, not validity), so the expected outcomes here come from the printed MRZ itself.
// Specimens that must be rejected: 0_id-esp (Ñ, wrong check digits), 33_id-usa (pre-ICAO
// check digits), 77_card-cmw (composite, fictitious state), visas, and fictitious states
// (UTO, BDR, SI, CMW, nationality "132").
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument } from './documents.ts';

const specimenDir = new URL('../../../shared/data/documents/mrz-specimens/', import.meta.url);

const pad = (s: string, n: number) => s.padEnd(n, '<');
const td3 = (l1: string, l2: string) => [pad(l1, 44), l2];
const td1 = (l1: string, l2: string, l3: string) => [l1, l2, pad(l3, 30)];

interface Golden {
  file: string;
  lines: string[];
  /** Error codes other than mrz.expired, with field where the code has one, sorted. */
  errors: string[];
  fields?: { documentNumber?: string; issuingState?: string; nationality?: string; surname?: string; givenNames?: string; birthDate?: string; sex?: 'M' | 'F'; expiryDate?: string };
}

const utopiaTd3 = td3('P<UTOERIKSSON<<ANNA<MARIA', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10');
const utopiaTd2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const utopiaErrors = ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality'];

const golden: Golden[] = [
  { file: 'passporteye/mrz/testdata/100_pass-chn.jpg', lines: td3('P<TWNLIN<<MEI<HUA', '0000000000TWN7601015F1404018A234567893<<<<18'), errors: [],
    fields: { documentNumber: '000000000', issuingState: 'TWN', nationality: 'TWN', surname: 'LIN', givenNames: 'MEI HUA', birthDate: '1976-01-01', sex: 'F', expiryDate: '2014-04-01' } },
  { file: 'passporteye/mrz/testdata/43_pass-twn.jpg', lines: td3('P<TWNLIN<<CHIEN<SHENG', 'M000004264TWN6803029M9801048F122187664<<<<66'), errors: [],
    fields: { documentNumber: 'M00000426', issuingState: 'TWN', surname: 'LIN', givenNames: 'CHIEN SHENG', birthDate: '1968-03-02', sex: 'M', expiryDate: '1998-01-04' } },
  { file: 'passporteye/mrz/testdata/100_pass-uto.jpg', lines: utopiaTd3, errors: utopiaErrors,
    fields: { documentNumber: 'L898902C3', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15' } },
  { file: 'passporteye/mrz/testdata/25_pass-uto.jpg', lines: utopiaTd3, errors: utopiaErrors },
  { file: 'tests/data/passport-td3.jpg', lines: utopiaTd3, errors: utopiaErrors },
  { file: 'passporteye/mrz/testdata/100_pass2-uto.jpg', lines: utopiaTd2, errors: utopiaErrors, fields: { documentNumber: 'D23145890', expiryDate: '2012-04-15' } },
  { file: 'tests/data/passport-td2.jpg', lines: utopiaTd2, errors: utopiaErrors },
  { file: 'passporteye/mrz/testdata/0_pass-lva.jpg', lines: td3('PALVAMOHAMADA<<FARIDA', 'LT00000004XXC8605102F1210314111111<11648<<86'), errors: [],
    fields: { documentNumber: 'LT0000000', issuingState: 'LVA', nationality: 'XXC', surname: 'MOHAMADA', givenNames: 'FARIDA', birthDate: '1986-05-10', sex: 'F', expiryDate: '2012-10-31' } },
  { file: 'passporteye/mrz/testdata/0_id-esp.png', lines: td1('IDESPAAA1000014<00000023T<<<<<', '7212018F1101236ESP<<<<<<<<<<<8', 'ESPAÑOLA<ESPAÑOLA<CARMEN'), errors: ['mrz.charset'] },
  { file: 'passporteye/mrz/testdata/100_id-che.jpg', lines: td1('IDCHES0002068<8<<<<<<<<<<<<<<<', '8102287F1301014CHE<<<<<<<<<<<4', 'VADIS<<QUO'), errors: [],
    fields: { documentNumber: 'S0002068', issuingState: 'CHE', nationality: 'CHE', surname: 'VADIS', givenNames: 'QUO', birthDate: '1981-02-28', sex: 'F', expiryDate: '2013-01-01' } },
  { file: 'passporteye/mrz/testdata/100_id-mac.jpg', lines: td1('I<MAC12281507<0<<<<<<<<0212300', '6106225M1212307<<<<<<<<<<<<<<6', 'CHONG<<KA<KEONG'), errors: [],
    fields: { documentNumber: '12281507', issuingState: 'MAC', nationality: '', surname: 'CHONG', givenNames: 'KA KEONG', birthDate: '1961-06-22', sex: 'M', expiryDate: '2012-12-30' } },
  { file: 'passporteye/mrz/testdata/100_id-rou.jpg', lines: ['IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<', 'HD198025<51328505095M130509012049941'], errors: ['mrz.country_unknown:nationality'],
    fields: { documentNumber: 'HD198025', issuingState: 'ROU', surname: 'SAVA', givenNames: 'SUPERMAN', birthDate: '1985-05-09', sex: 'M', expiryDate: '2013-05-09' } },
  { file: 'passporteye/mrz/testdata/100_id-si.jpg', lines: td1('I<SI<09999100180706966505468<<', '6606079F0807276SI<<<<<<<<<<<<0', 'VZOREC<<TINA'), errors: ['mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality'],
    fields: { documentNumber: '099991001', birthDate: '1966-06-07', sex: 'F', expiryDate: '2008-07-27' } },
  { file: 'passporteye/mrz/testdata/100_id-usa.jpg', lines: td1('IAUSA0000000033LIN1044750079<<', '5808175F1004027COD<<<<<<<<<<<7', 'SPECIMEN<<TEST<VOID'), errors: [],
    fields: { documentNumber: '000000003', issuingState: 'USA', nationality: 'COD', surname: 'SPECIMEN', givenNames: 'TEST VOID', birthDate: '1958-08-17', expiryDate: '2010-04-02' } },
  { file: 'passporteye/mrz/testdata/100_pass-bdr.jpg', lines: td3('P<BDRMUSTERMANN<<ERIKA', 'CA000000<4D<<6408125F1802212<<<<<<<<<<<<<<<6'), errors: ['mrz.country_unknown:issuingState'],
    fields: { documentNumber: 'CA000000', nationality: 'D', birthDate: '1964-08-12', expiryDate: '2018-02-21' } },
  { file: 'passporteye/mrz/testdata/100_pass-cze.jpg', lines: td3('P<CZESPECIMEN<<VZOR', '99003853<1CZE1101018M1207046110101111<<<<<94'), errors: [],
    fields: { documentNumber: '99003853', birthDate: '2011-01-01', sex: 'M', expiryDate: '2012-07-04' } },
  { file: 'passporteye/mrz/testdata/100_pass-cze2.jpg', lines: td3('P<CZESPECIMEN<<VZOR', '99009054<4CZE6906229F16072996956220612<<<<74'), errors: [], fields: { birthDate: '1969-06-22', expiryDate: '2016-07-29' } },
  { file: 'passporteye/mrz/testdata/100_pass-fin.png', lines: td3('P<FINVIRTANEN<<MARIA<OLIVIA', 'XP82716024FIN7112214F1108213211271<426U<<<04'), errors: [], fields: { documentNumber: 'XP8271602', expiryDate: '2011-08-21' } },
  { file: 'passporteye/mrz/testdata/100_pass-hrv.jpg', lines: td3('P<HRVSPECIMEN<<SPECIMEN', '0070070071HRV8212258F1407019<<<<<<<<<<<<<<06'), errors: [], fields: { birthDate: '1982-12-25', expiryDate: '2014-07-01' } },
  { file: 'passporteye/mrz/testdata/100_pass-isl.png', lines: td3('P<ISLAEVARSDOTTIR<<THURIDUR<OESP', 'A0000000<0ISL6612315F0905264311266<9539<<<32'), errors: [], fields: { surname: 'AEVARSDOTTIR', givenNames: 'THURIDUR OESP' } },
  { file: 'passporteye/mrz/testdata/100_pass-ltu.jpg', lines: td3('P<LTUBASANAVICIENE<<BIRUTE', '00000000<0LTU5911239F120101145911231023<<<16'), errors: [], fields: { birthDate: '1959-11-23', expiryDate: '2012-01-01' } },
  { file: 'passporteye/mrz/testdata/100_pass-lux.jpg', lines: td3('P<LUXMAUS<<KETTY', 'S998527<<4LUX7806201F110808403060021041<<<96'), errors: [], fields: { documentNumber: 'S998527', birthDate: '1978-06-20', expiryDate: '2011-08-08' } },
  { file: 'passporteye/mrz/testdata/100_pass-polx.jpg', lines: td3('P<POLKOWALSKA<KWIATKOWSKA<<JOANNA', 'AA00000000POL6002084F1412314<<<<<<<<<<<<<<<4'), errors: [],
    fields: { documentNumber: 'AA0000000', surname: 'KOWALSKA KWIATKOWSKA', givenNames: 'JOANNA', birthDate: '1960-02-08', expiryDate: '2014-12-31' } },
  { file: 'passporteye/mrz/testdata/100_visa-polx.jpg', lines: ['VCPOLKOWALSKA<KWIATKOWSKA<<BEATA<<<<', 'PL00000008POL6002084F0505011<<<<<<<0'], errors: ['mrz.document_code'] },
  { file: 'passporteye/mrz/testdata/100_visa-usa.jpg', lines: td3('VIUSATRAVELER<<HAPPYPERSON', '555123ABC6GBR6502056F0412236IFLND00AMS803085'), errors: ['mrz.document_code'] },
  { file: 'passporteye/mrz/testdata/24_pass-egy.jpg', lines: td3('P<EGYMABROUK<<ALAAELDIN<ISMAIL<MOHAMED', 'A000513764EGY6002202M1503151<<<<<<<<<<<<<<06'), errors: [], fields: { documentNumber: 'A00051376', sex: 'M', expiryDate: '2015-03-15' } },
  { file: 'passporteye/mrz/testdata/27_pass-gbr.jpg', lines: ['P<GBRUNITED<KINGDOM<TWENTY<SIX<<JODIE<PIPPA<', '1071828900GBR8501178F1601312<<<<<<<<<<<<<<06'], errors: [],
    fields: { surname: 'UNITED KINGDOM TWENTY SIX', givenNames: 'JODIE PIPPA', birthDate: '1985-01-17' } },
  { file: 'passporteye/mrz/testdata/33_id-usa.jpg', lines: td1('C1USA0223456791EAC9730051220<<', '4910040M9411014CAN<<<<<<<<<<<0', 'CRITTENDEN<<LEE<W'), errors: ['mrz.check_digit:composite', 'mrz.check_digit:documentNumber'],
    fields: { birthDate: '1949-10-04', expiryDate: '1994-11-01' } },
  { file: 'passporteye/mrz/testdata/43_pass-fra.jpg', lines: td3('P<FRAULYSSE<<CHRISTOPHE', '08CD503380FRA6004103M1806058<<<<<<<<<<<<<<06'), errors: [], fields: { documentNumber: '08CD50338', expiryDate: '2018-06-05' } },
  { file: 'passporteye/mrz/testdata/53_id-d.jpg', lines: td1('IDD<<T220001293<<<<<<<<<<<<<<<', '6408125<2010315D<<<<<<<<<<<<<4', 'MUSTERMANN<<ERIKA'), errors: [],
    fields: { documentNumber: 'T22000129', issuingState: 'D', nationality: 'D', birthDate: '1964-08-12', expiryDate: '2020-10-31' } },
  { file: 'passporteye/mrz/testdata/62_pass-aus.png', lines: td3('P<AUSCITIZEN<<JANE', 'PA09404097AUS8406077F1903212<17331334P<<<<08'), errors: [], fields: { documentNumber: 'PA0940409', expiryDate: '2019-03-21' } },
  { file: 'passporteye/mrz/testdata/62_pass-pol.png', lines: td3('P<POLKOWALSKA<<ANNA', 'ZS00001774POL7203305F1607130<<<<<<<<<<<<<<08'), errors: [], fields: { birthDate: '1972-03-30' } },
  { file: 'passporteye/mrz/testdata/77_card-cmw.png', lines: td1('IDCMW<512849702<<<<<<<<<<<<<<<', '6104128M1402209CMW<<<<<<<<<<<1', 'PUBLIC<<JON'),
    errors: ['mrz.check_digit:composite', 'mrz.country_unknown:issuingState', 'mrz.country_unknown:nationality'] },
  { file: 'passporteye/mrz/testdata/79_pass-can.jpg', lines: td3('P<CANMARTIN<<SARAH', 'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08'), errors: [], fields: { documentNumber: 'ZE000509', expiryDate: '2023-01-14' } },
  { file: 'passporteye/mrz/testdata/79_pass-hun.png', lines: td3('P<HUNHANDRA<<ROZALIA<IRMA', 'BD00020282HUN7802225F2203012<<<<<<<<<<<<<<06'), errors: [], fields: { expiryDate: '2022-03-01' } },
  { file: 'passporteye/mrz/testdata/98_pass-nld.jpg', lines: td3('P<NLDMEULENDIJK<<LOES<ALBERTINE', 'XA00000148NLD7110195F0604121123456782<<<<<02'), errors: [], fields: { documentNumber: 'XA0000014' } },
];

const codesOf = (errors: { code: string; field?: string }[]) =>
  errors.map((e) => (e.field ? `${e.code}:${e.field}` : e.code)).filter((c) => c !== 'mrz.expired').sort();

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

describe('PassportEye specimen MRZs (golden)', () => {
  test('every specimen image of the shared set is covered, and every transcription is well formed', () => {
    const files = new Set(golden.map((g) => g.file));
    assert.equal(files.size, 36);
    for (const f of files) assert.ok(existsSync(new URL(f, specimenDir)), `missing specimen ${f}`);
    for (const g of golden) {
      const lengths = g.lines.map((l) => l.length);
      assert.ok(lengths.every((n) => n === lengths[0]) && [30, 36, 44].includes(lengths[0] ?? 0), `${g.file}: ${lengths.join(',')}`);
    }
  });

  for (const g of golden) {
    test(g.file, () => {
      const r = checkDocument('passport_mrz', g.lines.join('\n'), { today: '2025-06-01' });
      assert.deepEqual(codesOf(r.errors), [...g.errors].sort());
      assert.equal(r.valid, false, 'every specimen has expired or is rejected by 2025-06-01');
      for (const [k, v] of Object.entries(g.fields ?? {})) {
        const actual = k === 'nationality' && v === '' ? r.nationality ?? '' : r[k as keyof typeof r];
        assert.equal(actual, v, `${g.file} ${k}`);
      }
      if (g.errors.length === 0) {
        assert.ok(r.errors.some((e) => e.code === 'mrz.expired'));
        assert.ok(r.expiryDate, 'a clean specimen has an expiry date');
        const before = checkDocument('passport_mrz', g.lines.join('\n'), { today: dayBefore(r.expiryDate) });
        assert.equal(before.valid, true, `${g.file} is valid the day before it expires`);
        assert.equal(checkDocument('passport_mrz', g.lines.join('\n'), { today: r.expiryDate }).valid, true, 'valid on its expiry day');
      }
    });
  }

  test('0_id-esp with Ñ read as N still fails its document number, birth date and composite check digits', () => {
    const lines = td1('IDESPAAA1000014<00000023T<<<<<', '7212018F1101236ESP<<<<<<<<<<<8', 'ESPANOLA<ESPANOLA<CARMEN');
    const r = checkDocument('passport_mrz', lines.join('\n'), { today: '2010-01-01' });
    assert.deepEqual(codesOf(r.errors), ['mrz.check_digit:birthDate', 'mrz.check_digit:composite', 'mrz.check_digit:documentNumber']);
  });
});
