/** The customer's receipt, masked, ready to print. */
import { h } from '../../shared/dom.ts';
import type { Kiosk } from '../kiosk.ts';
import { groupMsisdn } from './number.ts';
import { forgetRegistration } from './shared.ts';

export function receiptScreen(k: Kiosk): HTMLElement {
  const r = k.state.receipt;
  if (!r) return h('section', { class: 'card' }, h('p', null, k.t('receipt.none')));
  const when = new Date(r.completedAt).toLocaleString(k.i18n.lang, { dateStyle: 'long', timeStyle: 'short' });
  const row = (label: string, value: string, cls = '') => [h('dt', null, label), h('dd', { class: cls }, value)];
  return h('section', { class: 'card receipt-screen' },
    h('div', { class: 'verdict', 'aria-hidden': 'true' }, '✓'),
    h('h1', { class: 'no-print' }, k.t('receipt.title')),
    h('article', { class: 'receipt', 'aria-label': k.t('receipt.paper') },
      h('header', null, h('h2', null, r.operator.name), h('p', null, k.t('receipt.heading'))),
      h('p', { class: 'msisdn mono' }, groupMsisdn(r.msisdn)),
      h('dl', null,
        row(k.t('receipt.holder'), r.subscriber.maskedName),
        row(k.t('receipt.document'), k.i18n.maybe(`doctype.${r.subscriber.documentType}`) ?? r.subscriber.documentType),
        row(k.t('receipt.document_number'), r.subscriber.maskedNumber, 'mono'),
        row(k.t('receipt.verified_by'), k.i18n.maybe(`verification.${r.verification}`) ?? r.verification),
        r.guardian ? row(k.t('receipt.guardian'), k.t('receipt.guardian.verified')) : null,
        row(k.t('receipt.store'), `${r.store.name} (${r.store.code})`),
        row(k.t('receipt.time'), when),
        row(k.t('receipt.reference'), r.registrationId, 'mono small')),
      h('p', { class: 'fine' }, k.t('receipt.fine'))),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => window.print() }, k.t('receipt.print')),
      h('button', { type: 'button', class: 'secondary big', onclick: () => { forgetRegistration(k); k.go('home'); } }, k.t('receipt.next'))));
}
