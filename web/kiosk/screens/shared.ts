/** Pieces several kiosk screens use: the masked document line, the live check, manual review, the rules check, forgetting a registration. */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import { liveCheck, liveCheckBasics, longestGapMs, reasonList, type Challenge, type LivenessResult } from '../../shared/live-check.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { needsGuardian, type Kiosk, type Outcome, type RegistrationView } from '../kiosk.ts';

/** The captured document, masked: what the agent and the customer see after entry. */
export function documentSummary(k: Kiosk): HTMLElement | null {
  const d = k.state.registration?.document;
  if (!d) return null;
  return h('p', { class: 'docline' },
    h('span', { class: 'tag' }, k.i18n.maybe(`doctype.${d.type}`) ?? d.type),
    h('span', { class: 'mono' }, d.maskedNumber), h('span', null, d.maskedName));
}

/** How many challenges a registration may start, the customer's and the guardian's together (the server's limit). */
export const MAX_CHALLENGES = 5;

/**
 * The shared live check for one of this registration's challenges (the customer's or the
 * guardian's, by `path`), counting attempts against MAX_CHALLENGES; `button` (the way out:
 * manual review, back) is locked with the app while the camera captures. A refusal goes to
 * `refused` with its reasons and the longest gap between frames, a pass to `passed`.
 */
export function kioskLiveCheck(k: Kiosk, o: {
  path: 'liveness' | 'guardian/liveness';
  texts: { lead: MessageKey; capturing: MessageKey };
  button: HTMLButtonElement;
  refused(reasons: string[], maxGapMs: number): void;
  passed(result: LivenessResult): Promise<void>;
}): HTMLElement {
  const id = k.state.registration!.id;
  return liveCheck({
    ...liveCheckBasics(k),
    texts: o.texts,
    capturing(on) {
      k.lock(on);
      o.button.disabled = on;
    },
    async challenge() {
      const c = await k.api.request<Challenge>('POST', `/v1/registrations/${id}/${o.path}`, {}, { idempotencyKey: idempotencyKey(o.path.replace('/', '-')) });
      k.state.challenges++;
      return c;
    },
    ready() {
      const left = MAX_CHALLENGES - k.state.challenges;
      return { text: left > 0 ? k.t('camera.ready', { left }) : k.t('camera.no_attempts'), canStart: left > 0 };
    },
    async analysed(result, capture) {
      if (result.live) await o.passed(result);
      else o.refused(result.reasons, longestGapMs(capture));
    },
  }, [o.button]);
}

/** A capture with a longer pause between two pictures was taken by a busy computer (the helper asks for one every 100 ms). */
const SLOW_GAP_MS = 250;

/**
 * Why a live check (the customer's or the guardian's) was refused: its lead, the reasons with
 * what to do, a note when the computer was too busy to capture evenly, and the attempts left.
 */
export function livenessRefusal(k: Kiosk, reasons: string[], maxGapMs: number, texts: { lead: MessageKey; next: MessageKey; noMore: MessageKey }): HTMLElement[] {
  const left = MAX_CHALLENGES - k.state.challenges;
  return [
    h('p', { class: 'lead' }, k.t(texts.lead)), reasonList((key) => k.i18n.maybe(key), reasons),
    ...(maxGapMs > SLOW_GAP_MS ? [h('p', { class: 'note warn slow' }, k.t('result.slow_capture', { ms: Math.round(maxGapMs) }))] : []),
    h('p', { class: 'next' }, left > 0 ? k.t(texts.next, { left }) : k.t(texts.noMore)),
  ];
}

/** Sends the customer to manual review by a store manager (after consent, either answer). */
export function requestManualReview(k: Kiosk): void {
  const id = k.state.registration!.id;
  void k.busy(k.t('review.busy'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/manual-review`, undefined, { idempotencyKey: idempotencyKey('review') }))
    .then((r) => {
      if (!r) return;
      k.state.registration = r;
      k.go('review');
    });
}

/**
 * After the person is verified: the operator's rules (caps, blocklist, minors), then the number.
 * A minor's guardian comes first: the rules step would end the registration without one.
 */
export function checkRulesThenNumber(k: Kiosk): void {
  if (needsGuardian(k.state.registration)) { k.go('guardian'); return; }
  const id = k.state.registration!.id;
  void k.busy(k.t('rules.busy'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/rules`, undefined, { idempotencyKey: idempotencyKey('rules') }))
    .then((r) => {
      if (!r) return;
      k.state.registration = r;
      if (r.state === 'rules_passed') { k.go('number'); return; }
      k.state.outcome = { kind: 'rejected', reason: r.reasonCode ?? 'policy.refused' };
      k.go('result');
    });
}

/** What the result screen says of a registration that has ended. */
export function endedOutcome(r: RegistrationView): Outcome {
  return r.state === 'expired' || r.state === 'cancelled' ? { kind: 'ended', state: r.state } : { kind: 'rejected', reason: r.reasonCode ?? 'policy.refused' };
}

/** Lets go of the registration in the page (the next customer, or it ended): nothing of it stays in memory or in the browser. */
export function forgetRegistration(k: Kiosk): void {
  for (const key of ['registration', 'documentPhoto', 'outcome', 'receipt', 'guardian', 'resumed'] as const) delete k.state[key];
  k.state.challenges = 0;
}
