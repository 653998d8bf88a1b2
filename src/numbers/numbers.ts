/**
 * Phone-number inventory and lifecycle:
 * available → reserved → active → suspended ⇄ active; active/suspended → (surrender) cooling_off
 * → available after the cooling-off period. Surrender is the step into cooling_off: from then
 * on the number has no holder, but nobody else can get it until `cooling_off_until`.
 */
export type NumberState = 'available' | 'reserved' | 'active' | 'suspended' | 'cooling_off';

export interface PhoneNumber {
  id: string;
  tenantId: string;
  storeId: string | null;
  msisdn: string;
  state: NumberState;
  holderId: string | null;
  reservedFor: string | null;
  reservedUntil: Date | null;
  coolingOffUntil: Date | null;
  stateChangedAt: Date;
}

/** Normalises an MSISDN (digits, optional leading +) or returns undefined when it is not one. */
export function normalizeMsisdn(raw: string): string | undefined {
  const s = raw.replace(/[\s()-]/g, '');
  return /^\+?[0-9]{5,15}$/.test(s) ? s : undefined;
}

/** 138****5678: enough to recognise one's own number, not enough to learn someone else's. */
export function maskMsisdn(msisdn: string): string {
  const digits = msisdn.replace(/^\+/, '');
  if (digits.length <= 7) return `${digits.slice(0, 2)}***${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}
