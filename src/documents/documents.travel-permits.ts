/**
 * Mainland travel permits, which carry no check digit, birth date or region code:
 *
 * - Hong Kong / Macau residents (港澳居民来往内地通行证, "回乡证"): 'H' (Hong Kong) or 'M' (Macau)
 *   followed by the 8-digit lifetime number, e.g. H12345678 (card issued since 2013). The older
 *   11-character form adds a 2-digit count of renewals (H1234567800); it is accepted and
 *   normalised to the 9-character lifetime form so that the hash does not change on renewal.
 * - Taiwan residents (台湾居民来往大陆通行证, "台胞证"): 8-digit lifetime number (card issued since
 *   2015). The older 10-digit form (8 digits + 2-digit renewal count) is accepted and normalised
 *   to the first 8 digits. The booklet form with a bracketed letter, e.g. 12345678(B), is not
 *   accepted: we found no documented definition of it.
 *
 * Sources for the layouts: howardli/CredentialKit HkMoTravelPermitNumberProcessor and
 * TwTravelPermitNumberProcessor (formats ^[HM](\d{8}|\d{10})$ and ^(\d{8}|\d{10})$, the last two
 * digits of the long forms being the renewal count).
 */
import { cleanNumberInput } from './documents.cn-id.ts';
import { documentError } from './documents.errors.ts';
import { lookupRegion } from './documents.regions.ts';
import type { DocumentCheck, DocumentType, Region } from './documents.types.ts';

export function normalizeHkMacauTravelPermit(value: string): string | undefined {
  const s = cleanNumberInput(value);
  return /^[HM]\d{8}(\d{2})?$/.test(s) ? s.slice(0, 9) : undefined;
}

export function normalizeTaiwanTravelPermit(value: string): string | undefined {
  const s = cleanNumberInput(value);
  return /^\d{8}(\d{2})?$/.test(s) ? s.slice(0, 8) : undefined;
}

function check(type: DocumentType, value: string, normalized: string | undefined, region: (n: string) => Region | undefined): DocumentCheck {
  const cleaned = cleanNumberInput(value);
  if (cleaned === '') return { valid: false, type, normalized: '', errors: [documentError('document.empty')] };
  if (normalized === undefined) {
    return { valid: false, type, normalized: cleaned, errors: [documentError('permit.format')] };
  }
  const out: DocumentCheck = { valid: true, type, normalized, errors: [] };
  const r = region(normalized);
  if (r) out.region = r;
  return out;
}

/** 回乡证: H/M + 8 digits, or the older H/M + 10 digits. */
export function checkHkMacauTravelPermit(value: string): DocumentCheck {
  return check('hk_macau_travel_permit', value, normalizeHkMacauTravelPermit(value),
    (n) => lookupRegion(n.startsWith('H') ? '810000' : '820000'));
}

/** 台胞证: 8 digits, or the older 10 digits. */
export function checkTaiwanTravelPermit(value: string): DocumentCheck {
  return check('taiwan_travel_permit', value, normalizeTaiwanTravelPermit(value), () => lookupRegion('830000'));
}
