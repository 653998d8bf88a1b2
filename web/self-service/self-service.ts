/**
 * The self-service app's shared context (一证通查): the API client (no login: a self_service
 * verification id is the credential), the language, what this visit has reached and the screen
 * switcher every screen receives. Types of the API answers the app reads.
 */
import type { Api } from '../shared/api.ts';
import type { I18n } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import type { ScreenHost } from '../shared/feedback.ts';

/** A number held under the verified ID (POST /v1/self-service/lookup). */
export interface HeldNumber {
  numberId: string;
  operator: { code: string; name: string };
  maskedMsisdn: string;
  state: 'active' | 'suspended';
  since: string;
  pendingReverification: { id: string; deadline: string } | null;
}

export interface Lookup {
  verificationExpiresAt: string;
  numbers: HeldNumber[];
}

export interface NotMine {
  reverificationId: string;
  deadline: string;
  created: boolean;
}

export type ScreenName = 'start' | 'document' | 'check' | 'numbers' | 'reported';

export interface SelfServiceState {
  /** The document as read or typed, with its photo: memory only, dropped once the server has verified the person. */
  document?: { type: string; number: string; name: string; idPhoto: string };
  /** The self_service verification (10 minutes) and the lookup it gave. */
  verificationId?: string;
  lookup?: Lookup;
  /** The last "not mine" report, for the confirmation screen. */
  reported?: { number: HeldNumber; answer: NotMine };
}

export interface SelfService extends ScreenHost {
  readonly api: Api;
  readonly i18n: I18n;
  readonly state: SelfServiceState;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  go(screen: ScreenName): void;
  /** Forgets everything of this visit and shows the start screen. */
  reset(): void;
}

/** A date and time in the page's language, to the minute. */
export function when(s: SelfService, iso: string): string {
  return new Date(iso).toLocaleString(s.i18n.lang, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Step i of 3" above a screen's title. */
export function stepOf(s: SelfService, i: number): HTMLElement {
  const p = document.createElement('p');
  p.className = 'stepof';
  p.textContent = s.t('self.step', { i, n: 3 });
  return p;
}
