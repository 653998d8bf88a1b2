/**
 * Shared types of the identity-document module: the document types, the check result and
 * the options every checker takes.
 */
import type { DocumentError } from './documents.errors.ts';

export const documentTypes = [
  'cn_resident_id',
  'hmt_residence_permit',
  'hk_macau_travel_permit',
  'taiwan_travel_permit',
  'foreign_permanent_resident_id',
  'passport_mrz',
] as const;

export type DocumentType = (typeof documentTypes)[number];

export const documentTypeLabels: Record<DocumentType, string> = {
  cn_resident_id: 'Resident Identity Card (居民身份证)',
  hmt_residence_permit: 'Residence Permit for Hong Kong, Macau and Taiwan Residents (港澳台居民居住证)',
  hk_macau_travel_permit: 'Mainland Travel Permit for Hong Kong and Macau Residents (港澳居民来往内地通行证)',
  taiwan_travel_permit: 'Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证)',
  foreign_permanent_resident_id: 'Foreign Permanent Resident ID Card (外国人永久居留身份证)',
  passport_mrz: 'Passport or ID card machine readable zone (ICAO 9303)',
};

export function isDocumentType(value: string): value is DocumentType {
  return (documentTypes as readonly string[]).includes(value);
}

export interface Region {
  /** Six-digit GB/T 2260 code. */
  code: string;
  /** Full name, province first, as it was in the holder's birth year where known. */
  name: string;
  /** True when the code is no longer in the current GB/T 2260 list (old cards keep old codes). */
  historic: boolean;
}

export interface DocumentCheck {
  valid: boolean;
  type: DocumentType;
  /** Canonical form used for hashing (see normalizeDocumentNumber); best effort when invalid. */
  normalized: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  sex?: 'M' | 'F';
  region?: Region;
  /** ICAO / ISO 3166-1 alpha-3 code. */
  nationality?: string;
  /** "SURNAME, GIVEN NAMES" as written in an MRZ. */
  name?: string;
  surname?: string;
  givenNames?: string;
  documentNumber?: string;
  issuingState?: string;
  /** YYYY-MM-DD */
  expiryDate?: string;
  errors: DocumentError[];
}

export interface CheckOptions {
  /** The date checks are made against: a Date (its local calendar day) or 'YYYY-MM-DD'. Default: now. */
  today?: Date | string;
}
