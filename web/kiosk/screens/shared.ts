/** Pieces several kiosk screens use: the masked document line, manual review, the rules check, forgetting a registration. */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import { needsGuardian, type Kiosk, type Outcome, type RegistrationView } from '../kiosk.ts';

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
