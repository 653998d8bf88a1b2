/**
 * Coming back to a registration: after a reload (or a tablet's browser restoring the tab) the
 * kiosk finds the registration it was working on and goes to the screen its state calls for,
 * saying what has to be captured again. The browser keeps only a pointer to the registration
 * (its id, whether the document came with a photo, the live checks started), never personal data:
 * the document is on the server, and what was only in the page's memory (a guardian's document,
 * a capture in progress) is gone. The same routing takes the kiosk on after the guardian step.
 */
import { idempotencyKey } from '../shared/api.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { needsGuardian, type Kiosk, type KioskState, type Receipt, type RegistrationView, type ScreenName } from './kiosk.ts';
import { checkRulesThenNumber, endedOutcome, requestManualReview } from './screens/shared.ts';

const KEY = 'portrait.kiosk.registration';

/** What the browser keeps of the registration in progress (sessionStorage: this tab only, gone when it closes). */
export interface RegistrationPointer { id: string; documentPhoto?: boolean; challenges: number }

/** Keeps the pointer in step with the kiosk's state (called on every screen change). */
export function keepPointer(state: KioskState): void {
  const r = state.registration;
  if (!state.session || !r) { sessionStorage.removeItem(KEY); return; }
  const p: RegistrationPointer = { id: r.id, challenges: state.challenges, ...(state.documentPhoto !== undefined ? { documentPhoto: state.documentPhoto } : {}) };
  sessionStorage.setItem(KEY, JSON.stringify(p));
}

export function storedPointer(): RegistrationPointer | undefined {
  try {
    const p = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<RegistrationPointer> | null;
    return p && typeof p.id === 'string' ? { id: p.id, challenges: Number(p.challenges) || 0, ...(typeof p.documentPhoto === 'boolean' ? { documentPhoto: p.documentPhoto } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the registration of `p` from the server and goes where its state is. */
export async function resume(k: Kiosk, p: RegistrationPointer): Promise<void> {
  let view: RegistrationView | undefined, failure: unknown;
  await k.busy(k.t('resume.busy'), async () => {
    try { view = await k.api.request<RegistrationView>('GET', `/v1/registrations/${p.id}`); } catch (e) { failure = e; }
  });
  if (!k.state.session) return; // the login ran out meanwhile: the login screen is shown
  if (!view) {
    k.go('home');
    if (failure) k.problem(failure);
    return;
  }
  k.state.registration = view;
  k.state.challenges = p.challenges;
  if (p.documentPhoto !== undefined) k.state.documentPhoto = p.documentPhoto;
  continueRegistration(k, view, true);
}

/**
 * The screen for where `r` is. `resumed`: the kiosk came back to it after a reload, and the screen
 * says so with what has to be captured again.
 */
export function continueRegistration(k: Kiosk, r: RegistrationView, resumed = false): void {
  const at = (screen: ScreenName, ...notes: MessageKey[]) => {
    if (resumed) k.state.resumed = { screen, notes: ['resume.lead', ...notes] };
    k.go(screen);
  };
  const guardian = () => at('guardian', 'resume.again.guardian');
  const documentKept: MessageKey = k.state.documentPhoto ? 'resume.kept.document_photo' : 'resume.kept.document';
  switch (r.state) {
    case 'created': return at('document');
    case 'document_captured': return needsGuardian(r) ? guardian() : at('consent', documentKept);
    case 'consent_recorded':
      if (needsGuardian(r)) return guardian();
      if (!r.consent?.biometric) { requestManualReview(k); return; } // the customer said no; the step after it did not happen
      return at('camera', 'resume.again.face', documentKept);
    case 'manual_review_pending': return at('review');
    case 'face_verified':
      if (needsGuardian(r)) return guardian();
      // the verified result stays under the rules check, with its continue button, should the check fail
      k.state.outcome = { kind: 'face_matched' };
      k.go('result');
      if (resumed) k.state.resumed = { screen: 'number', notes: ['resume.lead', 'resume.again.number'] };
      checkRulesThenNumber(k);
      return;
    case 'rules_passed': return at('number', 'resume.again.number');
    case 'number_assigned': void finish(k, r.id, true, resumed); return;
    case 'completed': void finish(k, r.id, false, resumed); return;
    default:
      k.state.outcome = endedOutcome(r);
      at('result');
  }
}

/** A number was assigned (the agent had confirmed it): complete the registration, then the receipt; or just the receipt of a completed one. */
async function finish(k: Kiosk, id: string, complete: boolean, resumed: boolean): Promise<void> {
  let receipt: Receipt | undefined, failure: unknown;
  await k.busy(k.t('number.busy'), async (b) => {
    try {
      if (complete) {
        b.progress(0.4, k.t('number.completing'));
        k.state.registration = await k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/complete`, undefined, { idempotencyKey: idempotencyKey('complete') });
      }
      b.progress(0.8, k.t('number.receipt'));
      receipt = await k.api.request<Receipt>('GET', `/v1/registrations/${id}/receipt`);
    } catch (e) {
      failure = e;
    }
  });
  if (!receipt) {
    if (!k.state.session) return;
    k.go('home'); // the pointer stays: a reload tries again
    k.problem(failure);
    return;
  }
  k.state.receipt = receipt;
  if (resumed) k.state.resumed = { screen: 'receipt', notes: ['resume.lead'] };
  k.go('receipt');
}
