/**
 * The customer's identity document (web/shared/document-entry.ts): the JSON of an ID-card
 * reader (with the chip photo), typed by the agent with live validation, or typed with a photo
 * of the document. Once the server has accepted it, only the masked number and name are shown.
 */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import { documentEntry, type DocumentBody } from '../../shared/document-entry.ts';
import { needsGuardian, type Kiosk, type RegistrationView } from '../kiosk.ts';
import { forgetRegistration } from './shared.ts';

function submit(k: Kiosk, body: DocumentBody): void {
  const id = k.state.registration!.id;
  void k.busy(k.t('document.busy'), (b) => k.api.request<RegistrationView>('POST', `/v1/registrations/${id}/document`, body, {
    idempotencyKey: idempotencyKey('document'),
    onUploadProgress: (f) => b.progress(f, f < 1 ? k.t('document.uploading') : k.t('document.checking')),
  })).then((r) => {
    if (!r) return;
    k.state.registration = r;
    k.state.documentPhoto = body.idPhoto !== undefined;
    k.go(needsGuardian(r) ? 'guardian' : 'consent');
  });
}

export function documentScreen(k: Kiosk): HTMLElement {
  const host = { t: k.t, maybe: (key: string) => k.i18n.maybe(key), problem: (e: unknown) => k.problem(e), clearProblem: () => k.clearProblem(), submit: (b: DocumentBody) => submit(k, b) };
  return h('section', { class: 'card' }, h('h1', null, k.t('document.title')), documentEntry(host, ['reader', 'manual', 'photo']), cancelButton(k));
}

/** Ends the registration (the customer left or changed their mind). */
export function cancelButton(k: Kiosk): HTMLElement {
  return h('button', { type: 'button', class: 'ghost cancel', onclick: () => {
    if (!confirm(k.t('cancel.confirm'))) return;
    const id = k.state.registration?.id;
    if (!id) { k.go('home'); return; }
    void k.busy(k.t('cancel.busy'), () => k.api.request('POST', `/v1/registrations/${id}/cancel`, { reason: 'customer_left' }, { idempotencyKey: idempotencyKey('cancel') }))
      .then((r) => { if (r !== undefined) { forgetRegistration(k); k.go('home'); } });
  } }, k.t('cancel.button'));
}
