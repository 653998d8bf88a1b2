/**
 * The biometric consent: the versioned text in the customer's language and their answer.
 * "No" is one click and leads to manual review by the store manager, not to a refusal.
 */
import { h, replace } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Kiosk, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { documentSummary, requestManualReview } from './shared.ts';

interface ConsentText { version: string; locale: 'zh-CN' | 'en'; title: string; body: string; sha256: string }

export function consentScreen(k: Kiosk): HTMLElement {
  const id = k.state.registration!.id;
  const text = h('article', { class: 'consent', 'aria-busy': 'true' }, h('p', { class: 'hint' }, k.t('consent.loading')));
  const yes = h('button', { type: 'button', class: 'primary big', disabled: true }, k.t('consent.yes'));
  const no = h('button', { type: 'button', class: 'secondary big', disabled: true }, k.t('consent.no'));
  const locale = k.i18n.lang;
  let shown: ConsentText | undefined;

  function answer(biometric: boolean): void {
    if (!shown) return;
    const body = { biometric, textVersion: shown.version, locale: shown.locale };
    void k.busy(k.t('consent.busy'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/consent`, body, { idempotencyKey: idempotencyKey('consent') }))
      .then((r) => {
        if (!r) return;
        k.state.registration = r;
        if (biometric) k.go('camera'); else requestManualReview(k);
      });
  }
  yes.addEventListener('click', () => answer(true));
  no.addEventListener('click', () => answer(false));

  void k.api.request<ConsentText>('GET', `/v1/consent-texts/current?locale=${encodeURIComponent(locale)}`).then((c) => {
    shown = c;
    text.removeAttribute('aria-busy');
    replace(text, h('h2', null, c.title), h('p', null, c.body), h('p', { class: 'meta' }, k.t('consent.version', { version: c.version })));
    yes.disabled = !k.state.documentPhoto;
    no.disabled = false;
  }, (e: unknown) => k.problem(e));

  const noPhoto = k.state.documentPhoto ? null : h('div', { class: 'note warn' },
    h('p', null, k.t('consent.no_photo')),
    h('button', { type: 'button', class: 'secondary', onclick: () => k.go('document') }, k.t('consent.back_to_document')));

  return h('section', { class: 'card' },
    h('h1', null, k.t('consent.title')),
    documentSummary(k),
    h('p', { class: 'lead' }, k.t('consent.lead')),
    text, noPhoto,
    h('div', { class: 'actions' }, yes, no),
    cancelButton(k));
}
