/** Pieces several kiosk screens use: the masked document line, manual review, the rules check. */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Kiosk, RegistrationView } from '../kiosk.ts';

/** The captured document, masked: what the agent and the customer see after entry. */
export function documentSummary(k: Kiosk): HTMLElement | null {
  const d = k.state.registration?.document;
  if (!d) return null;
  return h('p', { class: 'docline' },
    h('span', { class: 'tag' }, k.i18n.maybe(`doctype.${d.type}`) ?? d.type),
    h('span', { class: 'mono' }, d.maskedNumber), h('span', null, d.maskedName));
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

/** After the person is verified: the operator's rules (caps, blocklist, minors), then the number. */
export function checkRulesThenNumber(k: Kiosk): void {
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
