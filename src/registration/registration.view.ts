/**
 * What the API shows of a registration: masked personal data only, never the full document
 * number or name. The receipt is the customer's proof of what was registered.
 */
import { maskDocumentNumber, maskName } from '../privacy/mask.ts';
import { ageFromDocument } from '../subscribers/identity.ts';
import { isMinor, type PolicySettings } from '../policy/policy.ts';
import type { RegistrationFlow, RegistrationState } from './registration.ts';

export interface RegistrationView {
  id: string;
  state: RegistrationState;
  reasonCode: string | null;
  version: number;
  tenantId: string;
  storeId: string;
  agentId: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  document: {
    type: string; maskedNumber: string; maskedName: string; source: string;
    age?: number; sex?: 'M' | 'F'; regionCode?: string; expiryDate?: string;
  } | null;
  consent: { biometric: boolean; textVersion: string; locale: string; textSha256: string } | null;
  verification: { method: 'face' | 'manual_review'; score?: number; threshold?: number; targetFmr?: number; estimatedFmr?: number } | null;
  faceAttempts: number;
  guardian: { relation: string; method: string } | null;
  /** The document shows a person under the operator's minor age: a verified adult guardian must be recorded before the rules are checked. */
  guardianRequired: boolean;
  rules: Record<string, unknown> | null;
  numberId: string | null;
}

/** The view of `f` at `now`; `policy` is the operator's, which says who is a minor. */
export function toView(f: RegistrationFlow, now: Date, policy: Pick<PolicySettings, 'minorAgeYears'>): RegistrationView {
  const d = f.document;
  const age = d ? ageFromDocument(d, now) : undefined;
  return {
    id: f.id, state: f.state, reasonCode: f.reasonCode, version: f.version, tenantId: f.tenantId, storeId: f.storeId, agentId: f.agentId,
    createdAt: f.createdAt.toISOString(), expiresAt: f.expiresAt.toISOString(), endedAt: f.endedAt?.toISOString() ?? null,
    document: d ? {
      type: d.type, maskedNumber: maskDocumentNumber(d.number), maskedName: maskName(d.name), source: d.source,
      ...(age !== undefined ? { age } : {}), ...(d.sex ? { sex: d.sex } : {}),
      ...(d.regionCode ? { regionCode: d.regionCode } : {}), ...(d.expiryDate ? { expiryDate: d.expiryDate } : {}),
    } : null,
    consent: f.consent ? { biometric: f.consent.biometric, textVersion: f.consent.textVersion, locale: f.consent.locale, textSha256: f.consent.textSha256 } : null,
    verification: f.verification ? {
      method: f.verification.method,
      ...(f.verification.score !== undefined ? { score: f.verification.score } : {}),
      ...(f.verification.threshold !== undefined ? { threshold: f.verification.threshold } : {}),
      ...(f.verification.targetFmr !== undefined ? { targetFmr: f.verification.targetFmr } : {}),
      ...(f.verification.estimatedFmr !== undefined ? { estimatedFmr: f.verification.estimatedFmr } : {}),
    } : null,
    faceAttempts: f.faceAttempts,
    guardian: f.guardian ? { relation: f.guardian.relation, method: f.guardian.method } : null,
    guardianRequired: isMinor(age, policy),
    rules: f.rules ?? null,
    numberId: f.numberId,
  };
}

export interface Receipt {
  registrationId: string;
  completedAt: string;
  operator: { code: string; name: string };
  store: { code: string; name: string };
  agentId: string;
  msisdn: string;
  subscriber: { maskedName: string; documentType: string; maskedNumber: string };
  verification: 'face' | 'manual_review';
  guardian: boolean;
}
