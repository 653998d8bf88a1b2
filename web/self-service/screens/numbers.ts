/**
 * The numbers under the verified ID, per operator, masked, each with "not mine"; the
 * confirmation dialog before a report; and what happens next once it is sent (the number's
 * holder must re-verify by the deadline, or the number is suspended).
 */
import { h } from '../../shared/dom.ts';
import { stepOf, when, type HeldNumber, type Lookup, type NotMine, type SelfService } from '../self-service.ts';

/** The lookup with this visit's verification, then the list. */
export async function lookUp(s: SelfService): Promise<void> {
  const r = await s.busy(s.t('self.check.looking_up'), () => s.api.request<Lookup>('POST', '/v1/self-service/lookup', { verificationId: s.state.verificationId }));
  if (!r) return;
  s.state.lookup = r;
  s.go('numbers');
}

function report(s: SelfService, n: HeldNumber): void {
  void s.busy(s.t('self.confirm.busy'), () => s.api.request<NotMine>('POST', `/v1/self-service/numbers/${n.numberId}/not-mine`, { verificationId: s.state.verificationId }))
    .then((answer) => {
      if (!answer) return;
      s.state.reported = { number: n, answer };
      s.go('reported');
    });
}

/** The modal confirmation (Esc or Cancel closes it; focus returns to the button that opened it). */
function confirmDialog(s: SelfService): { element: HTMLDialogElement; ask(n: HeldNumber): void } {
  const body = h('p', { id: 'confirm-body' });
  let asked: HeldNumber | undefined;
  const element = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
    h('h2', { id: 'confirm-title' }, s.t('self.confirm.title')),
    body,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger big', onclick: () => { element.close(); if (asked) report(s, asked); } }, s.t('self.confirm.yes')),
      h('button', { type: 'button', class: 'secondary big', autofocus: true, onclick: () => element.close() }, s.t('self.confirm.no'))));
  return {
    element,
    ask(n) {
      asked = n;
      body.textContent = s.t('self.confirm.body', { operator: n.operator.name, msisdn: n.maskedMsisdn });
      element.showModal();
    },
  };
}

export function numbersScreen(s: SelfService): HTMLElement {
  const lookup = s.state.lookup;
  if (!lookup) { queueMicrotask(() => s.go('start')); return h('section'); }
  const dialog = confirmDialog(s);
  const operators = [...new Map(lookup.numbers.map((n) => [n.operator.code, n.operator])).values()];
  return h('section', { class: 'card' },
    stepOf(s, 3),
    h('h1', null, s.t('self.numbers.title')),
    h('p', { class: 'lead' }, s.t('self.numbers.lead')),
    lookup.numbers.length === 0 ? h('p', { class: 'empty' }, s.t('self.numbers.none')) : h('p', { class: 'hint' }, s.t('self.numbers.count', { n: lookup.numbers.length })),
    operators.map((op) => h('section', { class: 'operator', 'aria-label': op.name },
      h('h2', null, op.name),
      h('ul', { class: 'held' }, lookup.numbers.filter((n) => n.operator.code === op.code).map((n) => h('li', { 'data-number-id': n.numberId },
        h('span', { class: 'msisdn mono' }, n.maskedMsisdn),
        h('span', { class: 'meta' }, `${s.t(`self.numbers.state.${n.state}`)} · ${s.t('self.numbers.since', { date: when(s, n.since) })}`,
          n.pendingReverification ? h('span', { class: 'pending' }, s.t('self.numbers.pending', { deadline: when(s, n.pendingReverification.deadline) })) : null),
        h('button', { type: 'button', class: 'secondary', disabled: n.pendingReverification !== null, 'aria-label': `${s.t('self.numbers.not_mine')}: ${n.maskedMsisdn}`,
          onclick: () => dialog.ask(n) }, s.t('self.numbers.not_mine'))))))),
    h('p', { class: 'hint' }, s.t('self.numbers.expires', { time: when(s, lookup.verificationExpiresAt) })),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'ghost', onclick: () => s.reset() }, s.t('self.numbers.finish'))),
    dialog.element);
}

export function reportedScreen(s: SelfService): HTMLElement {
  const r = s.state.reported;
  if (!r) { queueMicrotask(() => s.go('start')); return h('section'); }
  const deadline = when(s, r.answer.deadline);
  return h('section', { class: 'card reported' },
    h('div', { class: 'verdict', 'aria-hidden': 'true' }, '✓'),
    h('h1', null, s.t('self.reported.title')),
    h('p', { class: 'lead' }, s.t('self.reported.lead', { operator: r.number.operator.name, msisdn: r.number.maskedMsisdn })),
    h('p', { class: 'next' }, r.answer.created ? s.t('self.reported.next', { deadline }) : s.t('self.reported.again', { deadline })),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => { void lookUp(s); } }, s.t('self.reported.back')),
      h('button', { type: 'button', class: 'ghost', onclick: () => s.reset() }, s.t('self.numbers.finish'))));
}
