/**
 * What a person (and a partner) may learn about the registry, as types and pure rules:
 * the self-service list of numbers held under one's ID (一证通查), and the three-element
 * check (三要素核验) that answers a partner with a single code and nothing else.
 */
import type { NumberState } from '../numbers/numbers.ts';

/** One number held under the person's ID, as the person sees it (masked). */
export interface HeldNumberView {
  /** Refers to the number in a "not mine" report without repeating it. */
  numberId: string;
  operator: { code: string; name: string };
  maskedMsisdn: string;
  state: Extract<NumberState, 'active' | 'suspended'>;
  /** When the person became the holder. */
  since: Date;
  /** A pending re-verification of this number, if any: the id to pass it. */
  pendingReverification: { id: string; deadline: Date } | null;
}

export interface SelfServiceLookup { numbers: HeldNumberView[]; verificationExpiresAt: Date }

/**
 * The answer of a three-element check for (name, document, msisdn) at the key's operator:
 * - `number_unknown`: no active number with this msisdn at the operator (suspended, cooling off,
 *   unassigned, another operator's, or none at all);
 * - `document_mismatch`: the number is active but held under another document;
 * - `name_mismatch`: held under this document, but the stored name differs (see `sameName`);
 * - `match`: all three agree.
 */
export const threeElementResults = ['match', 'name_mismatch', 'document_mismatch', 'number_unknown'] as const;
export type ThreeElementResult = (typeof threeElementResults)[number];

/**
 * Names compared for the three-element check: Unicode NFKC (full-width letters, compatibility
 * forms), case-folded, with every space removed — "ZHANG  San" = "zhangsan", "张 三" = "张三".
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

export function sameName(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

export function threeElementOutcome(holder: { docHmac: Buffer; name: string } | undefined, asked: { docHmac: Buffer; name: string }): ThreeElementResult {
  if (!holder) return 'number_unknown';
  if (!holder.docHmac.equals(asked.docHmac)) return 'document_mismatch';
  return sameName(holder.name, asked.name) ? 'match' : 'name_mismatch';
}

/** A subscriber id that matches nobody: the lookup for an unknown person does the same query with it. */
export const NOBODY = '00000000-0000-0000-0000-000000000000';
