/**
 * The kiosk's live face check: the shared live check (web/shared/live-check.ts: preview, oval,
 * guidance, 3-2-1, prompts, upload and analysis) for this registration's challenge, then, when
 * live, the face match against the document photo and the result screen.
 */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Kiosk, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { documentSummary, kioskLiveCheck, requestManualReview } from './shared.ts';

export function cameraScreen(k: Kiosk): HTMLElement {
  const reg = k.state.registration!;
  const reviewBtn = h('button', { type: 'button', class: 'secondary', onclick: () => requestManualReview(k) }, k.t('camera.manual'));
  const check = kioskLiveCheck(k, {
    path: 'liveness', texts: { lead: 'camera.lead', capturing: 'camera.capturing' }, button: reviewBtn,
    refused(reasons, maxGapMs) {
      k.state.outcome = { kind: 'liveness_failed', reasons, maxGapMs };
      k.go('result');
    },
    async passed(result) {
      const view = await k.busy(k.t('camera.matching'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${reg.id}/face`,
        { livenessSessionId: result.sessionId }, { idempotencyKey: idempotencyKey('face') }));
      if (!view) return;
      k.state.registration = view;
      k.state.outcome = view.state === 'face_verified' ? { kind: 'face_matched' }
        : view.state === 'rejected' ? { kind: 'rejected', reason: view.reasonCode ?? 'face.no_match' }
          : { kind: 'face_no_match', attempts: view.faceAttempts };
      k.go('result');
    },
  });

  return h('section', { class: 'card wide' },
    h('h1', null, k.t('camera.title')),
    documentSummary(k),
    check,
    cancelButton(k));
}
