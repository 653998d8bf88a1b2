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
}


export interface Receipt {
  registrationId: string;
  completedAt: string;
  operator: { code: string; name: string };
  store: { code: string; name: string };
  msisdn: string;
  subscriber: { maskedName: string; documentType: string; maskedNumber: string };
  verification: string;
}

/** Where the registration is: what the result screen explains. */
export type Outcome =
  | { kind: 'liveness_failed'; reasons: string[]; maxGapMs: number }
  | { kind: 'face_matched' }
  | { kind: 'face_no_match'; attempts: number }
  | { kind: 'rejected'; reason: string };

export type ScreenName = 'login' | 'password' | 'home' | 'document' | 'consent' | 'camera' | 'result' | 'review' | 'number' | 'receipt';

export interface KioskState {
  session?: StaffSession;
  /** The one-time password typed at login, offered as the current password when it must be changed (memory only). */
  loginPassword?: string;
  registration?: RegistrationView;
  /** Whether the document came with a photo (chip or document photo): without one the face cannot be matched. */
  documentPhoto?: boolean;
  outcome?: Outcome;
  /** Challenges started for this registration (the server allows 5). */
  challenges: number;
  receipt?: Receipt;
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
