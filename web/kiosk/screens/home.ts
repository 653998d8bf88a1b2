/** The agent's start page: begin a registration for the customer at the counter. */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Kiosk, RegistrationView } from '../kiosk.ts';
import { forgetRegistration } from './shared.ts';

export function homeScreen(k: Kiosk): HTMLElement {
  const begin = h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => {
    void k.busy(k.t('home.busy'), () => k.api.request<RegistrationView>('POST', '/v1/registrations', undefined, { idempotencyKey: idempotencyKey('start') }))
      .then((r) => {
        if (!r) return;
        forgetRegistration(k);
        k.state.registration = r;
        k.go('document');
      });
  } }, k.t('home.start'));
  return h('section', { class: 'card' },
    h('h1', null, k.t('home.title')),
    h('p', { class: 'lead' }, k.t('home.lead')),
    h('ol', { class: 'journey' },
      h('li', null, k.t('home.step.document')),
      h('li', null, k.t('home.step.guardian')),
      h('li', null, k.t('home.step.consent')),
      h('li', null, k.t('home.step.face')),
      h('li', null, k.t('home.step.number')),
      h('li', null, k.t('home.step.receipt'))),
    begin);
}
