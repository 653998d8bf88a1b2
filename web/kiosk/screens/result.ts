/**
 * What the face check found, in plain words, and what to do next: continue to the number,
 * try again, or send the customer to manual review; and the wait for the store manager's
 * decision in manual review.
 */
import { h } from '../../shared/dom.ts';
import type { Kiosk, Outcome, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { MAX_CHALLENGES, checkRulesThenNumber, documentSummary, endedOutcome, forgetRegistration, livenessRefusal, requestManualReview } from './shared.ts';

const MAX_FACE_ATTEMPTS = 3;

function body(k: Kiosk, o: Outcome): { ok: boolean; title: string; content: (HTMLElement | null)[]; actions: HTMLElement[] } {
  const retry = (label = k.t('result.retry')) => h('button', { type: 'button', class: 'primary big', disabled: k.state.challenges >= MAX_CHALLENGES, onclick: () => k.go('camera') }, label);
  const manual = () => h('button', { type: 'button', class: 'secondary big', onclick: () => requestManualReview(k) }, k.t('result.manual'));
  const home = () => h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => { forgetRegistration(k); k.go('home'); } }, k.t('result.new'));
  switch (o.kind) {
    case 'face_matched':
      return {
        ok: true, title: k.t('result.matched.title'),
        content: [h('p', { class: 'lead' }, k.t('result.matched.lead'))],
        actions: [h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => checkRulesThenNumber(k) }, k.t('result.continue'))],
      };
    case 'liveness_failed':
      return {
        ok: false, title: k.t('result.liveness.title'),
        content: livenessRefusal(k, o.reasons, o.maxGapMs, { lead: 'result.liveness.lead', next: 'result.liveness.next', noMore: 'result.no_more' }),
        actions: [retry(), manual()],
      };
    case 'face_no_match':
      return {
        ok: false, title: k.t('result.nomatch.title'),
        content: [h('p', { class: 'lead' }, k.t('result.nomatch.lead', { n: o.attempts, max: MAX_FACE_ATTEMPTS })), h('p', { class: 'next' }, k.t('result.nomatch.next'))],
        actions: [retry(), manual()],
      };
    case 'rejected':
      return {
        ok: false, title: k.t('result.rejected.title'),
        content: [h('p', { class: 'lead' }, k.i18n.maybe(`reason.${o.reason}`) ?? o.reason), h('p', { class: 'next' }, k.i18n.maybe(`reason.${o.reason}.next`) ?? k.t('result.rejected.next'))],
        actions: [home()],
      };
    case 'ended':
      return {
        ok: false, title: k.t(`result.ended.${o.state}`),
        content: [h('p', { class: 'next' }, k.t('result.ended.next'))],
        actions: [home()],
      };
  }
}

export function resultScreen(k: Kiosk): HTMLElement {
  const o = k.state.outcome;
  if (!o) return h('section', { class: 'card' }, h('p', null, k.t('result.none')));
  const b = body(k, o);
  const ended = o.kind === 'rejected' || o.kind === 'ended';
  return h('section', { class: `card result ${b.ok ? 'pass' : 'fail'}` },
    h('div', { class: 'verdict', 'aria-hidden': 'true' }, b.ok ? '✓' : '✗'),
    h('h1', null, b.title),
    documentSummary(k),
    ...b.content,
    h('div', { class: 'actions' }, ...b.actions),
    ended ? null : cancelButton(k));
}

/** Waits for the store manager's decision (made in the console), checking every few seconds. */
export function reviewScreen(k: Kiosk): HTMLElement {
  const id = k.state.registration!.id;
  const status = h('p', { class: 'status', 'aria-live': 'polite' }, k.t('review.waiting'));
  let timer: number | undefined;
  async function check(): Promise<void> {
    try {
      const r = await k.api.request<RegistrationView>('GET', `/v1/registrations/${id}`);
      k.state.registration = r;
      if (r.state === 'face_verified') { checkRulesThenNumber(k); return; }
      if (r.state === 'rejected' || r.state === 'expired' || r.state === 'cancelled') {
        k.state.outcome = endedOutcome(r);
        k.go('result');
        return;
      }
      status.textContent = k.t('review.still_waiting', { time: new Date().toLocaleTimeString(k.i18n.lang) });
    } catch (e) {
      k.problem(e);
    }
  }
  timer = window.setInterval(() => { void check(); }, 4000);
  k.onLeave(() => { if (timer !== undefined) clearInterval(timer); timer = undefined; });
  return h('section', { class: 'card result' },
    h('div', { class: 'verdict wait', 'aria-hidden': 'true' }, '⋯'),
    h('h1', null, k.t('review.title')),
    documentSummary(k),
    h('p', { class: 'lead' }, k.t('review.lead')),
    status,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => { void check(); } }, k.t('review.check'))),
    cancelButton(k));
}
