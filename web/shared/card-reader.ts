/**
 * Reads the JSON that an ID-card reader's software writes after reading a card's chip: the
 * holder's name, the document number and the chip photo (decoded, as base64 JPEG, PNG or BMP).
 * Reader vendors name the fields differently; the common names are accepted (see the README).
 * Pure: the kiosk shows the result masked and sends it with `source: card_reader`.
 */

export interface CardReading {
  type: 'cn_resident_id' | 'hmt_residence_permit' | 'foreign_permanent_resident_id';
  number: string;
  name: string;
  /** The chip photo, base64 without a data: prefix. */
  photo: string | undefined;
}

export type CardReadingResult = { ok: true; reading: CardReading } | { ok: false; error: 'reader.not_json' | 'reader.no_number' | 'reader.no_name' | 'reader.bad_photo' };

const numberKeys = ['idNumber', 'IDNumber', 'idCardNo', 'IDCardNo', 'certNumber', 'certNo', 'cardNo', 'number', 'CardNo', '公民身份号码', '身份证号'];
const nameKeys = ['name', 'Name', 'partyName', 'PeopleName', 'fullName', '姓名'];
const photoKeys = ['photo', 'Photo', 'photoBase64', 'PhotoBase64', 'identityPic', 'picture', 'PhotoBuffer', 'headImage', 'base64Photo', '照片'];

function pick(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** The document type a chip card's number belongs to (all three are GB 11643-style 18-character numbers). */
function typeOf(number: string): CardReading['type'] {
  if (/^8[123]0000/.test(number)) return 'hmt_residence_permit';
  if (/^9\d{17}$/.test(number)) return 'foreign_permanent_resident_id';
  return 'cn_resident_id';
}

export function parseCardReading(text: string): CardReadingResult {
  let json: unknown;
  try { json = JSON.parse(text); } catch { return { ok: false, error: 'reader.not_json' }; }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'reader.not_json' };
  // some readers wrap the card in { data: {...} } or { card: {...} }
  const obj = json as Record<string, unknown>;
  const inner = [obj, obj.data, obj.card, obj.result].find((o): o is Record<string, unknown> => typeof o === 'object' && o !== null && pick(o as Record<string, unknown>, numberKeys) !== undefined);
  if (!inner) return { ok: false, error: 'reader.no_number' };
  const number = pick(inner, numberKeys)!.replace(/\s+/g, '').toUpperCase();
  const name = pick(inner, nameKeys);
  if (!name) return { ok: false, error: 'reader.no_name' };
  let photo = pick(inner, photoKeys);
  if (photo !== undefined) {
    photo = photo.replace(/^data:image\/[a-z]+;base64,/i, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(photo) || photo.length < 16) return { ok: false, error: 'reader.bad_photo' };
  }
  return { ok: true, reading: { type: typeOf(number), number, name, photo } };
}
