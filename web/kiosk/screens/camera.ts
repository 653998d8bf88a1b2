/**
 * The kiosk's live face check: the shared live check (web/shared/live-check.ts: preview, oval,
 * guidance, 3-2-1, prompts, upload and analysis) for this registration's challenge, then, when
 * live, the face match against the document photo and the result screen.
 */
import { h } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import { liveCheck, type Challenge } from '../../shared/live-check.ts';
import type { Kiosk, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { documentSummary, requestManualReview } from './shared.ts';

/** How many challenges a registration may start (the server's limit). */
const MAX_CHALLENGES = 5;

export function cameraScreen(k: Kiosk): HTMLElement {
  const reg = k.state.registration!;
  const reviewBtn = h('button', { type: 'button', class: 'secondary', onclick: () => requestManualReview(k) }, k.t('camera.manual'));
  const check = liveCheck({
    api: k.api, t: k.t, lang: () => k.i18n.lang, busy: (label, work) => k.busy(label, work),
    problem: (e) => k.problem(e), clearProblem: () => k.clearProblem(), onLeave: (fn) => k.onLeave(fn),
    texts: { lead: 'camera.lead', capturing: 'camera.capturing' },
    capturing(on) {
      k.lock(on);
      reviewBtn.disabled = on;
    },
    async challenge() {
      const c = await k.api.request<Challenge>('POST', `/v1/registrations/${reg.id}/liveness`, {}, { idempotencyKey: idempotencyKey('liveness') });
      k.state.challenges++;
      return c;
    },
    ready() {
      const left = MAX_CHALLENGES - k.state.challenges;
      return { text: left > 0 ? k.t('camera.ready', { left }) : k.t('camera.no_attempts'), canStart: left > 0 };
    },
    async analysed(result, capture) {
      if (!result.live) {
        const maxGapMs = Math.max(0, ...capture.frames.slice(1).map((f, i) => f.t - capture.frames[i]!.t));
        k.state.outcome = { kind: 'liveness_failed', reasons: result.reasons, maxGapMs };
        k.go('result');
        return;
      }
      const view = await k.busy(k.t('camera.matching'), () => k.api.request<RegistrationView>('POST', `/v1/registrations/${reg.id}/face`,
        { livenessSessionId: result.sessionId }, { idempotencyKey: idempotencyKey('face') }));
      if (!view) return;
      k.state.registration = view;
      k.state.outcome = view.state === 'face_verified' ? { kind: 'face_matched' }
        : view.state === 'rejected' ? { kind: 'rejected', reason: view.reasonCode ?? 'face.no_match' }
          : { kind: 'face_no_match', attempts: view.faceAttempts };
      k.go('result');
    },
  }, [reviewBtn]);

  return h('section', { class: 'card wide' },
    h('h1', null, k.t('camera.title')),
    documentSummary(k),
    check,
    cancelButton(k));
}
