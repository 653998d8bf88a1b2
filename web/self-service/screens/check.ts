/**
 * The live check (web/shared/live-check.ts) for a self_service challenge; when live, the
 * verification of the session's best frame against the document photo, then the lookup. A
 * refused liveness check is explained above the camera, reason by reason, and may be retried.
 */
import { h, replace } from '../../shared/dom.ts';
import { liveCheck, liveCheckBasics, reasonList, type Challenge } from '../../shared/live-check.ts';
import { maskDocumentNumber, maskName } from '../../../src/privacy/mask.ts';
import { stepOf, type SelfService } from '../self-service.ts';
import { lookUp } from './numbers.ts';

async function verify(s: SelfService, livenessSessionId: string): Promise<void> {
  const { idPhoto, ...document } = s.state.document!;
  const v = await s.busy(s.t('self.check.verifying'), (b) => s.api.request<{ verificationId: string }>('POST', '/v1/verifications',
    { purpose: 'self_service', document, idPhoto, livenessSessionId },
    { onUploadProgress: (f) => b.progress(f < 1 ? f : undefined, f < 1 ? s.t('self.check.uploading_photo') : s.t('self.check.verifying')) }));
  if (!v) return;
  delete s.state.document;
  s.state.verificationId = v.verificationId;
  await lookUp(s);
}

export function checkScreen(s: SelfService): HTMLElement {
  const doc = s.state.document;
  if (!doc) { queueMicrotask(() => s.go('document')); return h('section'); }
  const refusal = h('div', { class: 'refusal', 'aria-live': 'polite' });
  const back = h('button', { type: 'button', class: 'secondary', onclick: () => s.go('document') }, s.t('self.back'));
  const check = liveCheck({
    ...liveCheckBasics(s),
    texts: { lead: 'self.check.lead', capturing: 'self.check.capturing' },
    capturing(on) {
      s.lock(on);
      back.disabled = on;
      if (on) replace(refusal);
    },
    challenge: () => s.api.request<Challenge>('POST', '/v1/liveness/challenges', { purpose: 'self_service' }),
    ready: () => ({ text: s.t('self.check.ready'), canStart: true }),
    async analysed(result) {
      if (result.live) { await verify(s, result.sessionId); return; }
      replace(refusal, h('p', { class: 'lead' }, s.t('self.check.refused')), reasonList((key) => s.i18n.maybe(key), result.reasons),
        h('p', { class: 'next' }, s.t('self.check.refused.next')));
    },
  }, [back]);
  return h('section', { class: 'card wide' },
    stepOf(s, 2),
    h('h1', null, s.t('self.check.title')),
    h('p', { class: 'docline' }, h('span', { class: 'tag' }, s.i18n.maybe(`doctype.${doc.type}`) ?? doc.type),
      h('span', { class: 'mono' }, maskDocumentNumber(doc.number)), h('span', null, maskName(doc.name))),
    refusal,
    check);
}
