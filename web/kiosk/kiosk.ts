/**
 * The kiosk's shared context: the API client, the language, what this registration has reached,
 * and the screen switcher every screen receives. Types of the API answers the kiosk reads.
 */
import type { Api } from '../shared/api.ts';
import type { I18n } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';

export type { Role, StaffSession } from '../shared/login.ts';
import type { StaffSession } from '../shared/login.ts';
export type { Busy } from '../shared/feedback.ts';
import type { ScreenHost } from '../shared/feedback.ts';

export interface RegistrationView {
  id: string;
  state: string;
  reasonCode: string | null;
  expiresAt: string;
  document: null | { type: string; maskedNumber: string; maskedName: string; source: string; age?: number };
  consent: null | { biometric: boolean };
  verification: null | { method: string; score?: number; threshold?: number };
  faceAttempts: number;
  /** The minor's guardian, once recorded (who they are is not shown). */
  guardian: null | { relation: string; method: string };
  /** The document shows a person under the operator's minor age: a guardian must be recorded before the rules. */
  guardianRequired?: boolean;
}


export interface Receipt {
  registrationId: string;
  completedAt: string;
  operator: { code: string; name: string };
  store: { code: string; name: string };
  msisdn: string;
  subscriber: { maskedName: string; documentType: string; maskedNumber: string };
  verification: string;
  guardian?: boolean;
}

/** Where the registration is: what the result screen explains. */
export type Outcome =
  | { kind: 'liveness_failed'; reasons: string[]; maxGapMs: number }
  | { kind: 'face_matched' }
  | { kind: 'face_no_match'; attempts: number }
  | { kind: 'rejected'; reason: string }
  /** Found ended when the kiosk came back to it (a reload): expired or cancelled. */
  | { kind: 'ended'; state: 'expired' | 'cancelled' };

export type ScreenName = 'login' | 'password' | 'home' | 'document' | 'guardian' | 'guardian_camera' | 'guardian_result'
  | 'consent' | 'camera' | 'result' | 'review' | 'number' | 'receipt';

/** The guardian's document as entered (memory only, never stored in the browser), and the relation. */
export interface GuardianEntry {
  document: { type: string; number: string; name: string };
  source: 'manual_entry' | 'card_reader' | 'document_photo';
  idPhoto?: string;
  relation: 'parent' | 'legal_guardian';
}

/** Where the guardian step is: what the guardian screens show. */
export interface GuardianState {
  /** Until the server has recorded the guardian. */
  entry?: GuardianEntry;
  /** The guardian's document as the screens show it: masked. */
  shown?: { type: string; maskedNumber: string; maskedName: string; relation: GuardianEntry['relation'] };
  /** A passed liveness session of the guardian not yet used (kept when the server refused the document, so it is not taken again). */
  passedSession?: string;
  outcome?: { kind: 'recorded' } | { kind: 'liveness_failed'; reasons: string[]; maxGapMs: number } | { kind: 'no_match' };
}

export interface KioskState {
  session?: StaffSession;
  /** The one-time password typed at login, offered as the current password when it must be changed (memory only). */
  loginPassword?: string;
  registration?: RegistrationView;
  /** Whether the document came with a photo (chip or document photo): without one the face cannot be matched. */
  documentPhoto?: boolean;
  outcome?: Outcome;
  /** Challenges started for this registration, the customer's and the guardian's (the server allows 5 in all). */
  challenges: number;
  receipt?: Receipt;
  guardian?: GuardianState;
  /** The kiosk came back to this registration after a reload: what it says on the screen it came back to. */
  resumed?: { screen: ScreenName; notes: MessageKey[] };
}

export interface Kiosk extends ScreenHost {
  readonly api: Api;
  readonly i18n: I18n;
  readonly state: KioskState;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  go(screen: ScreenName): void;
}

/** Registration states after which the kiosk continues with a number. */
export const verifiedStates = ['face_verified', 'rules_passed', 'number_assigned'];

/** A guardian must still be recorded: the customer is a minor at this operator and none is recorded yet. */
export function needsGuardian(r: RegistrationView | undefined): boolean {
  return r?.guardianRequired === true && r.guardian === null;
}
