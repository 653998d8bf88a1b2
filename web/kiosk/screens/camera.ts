/**
 * The live capture: the camera preview (mirrored for the customer's comfort; the frames sent are
 * not) with the face oval and live guidance, then the server's challenge: a 3-2-1 "get ready",
 * the prompts one after another with progress, the upload with progress, the server's analysis
 * and, when live, the face match against the document photo.
 */
import { h, replace } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import { captureFrames, closeCamera, framesUpload, openCamera } from '../../liveness/capture.ts';
import { createGuidance, oval } from '../guidance.ts';
import type { Challenge, Kiosk, LivenessResult, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { documentSummary, requestManualReview } from './shared.ts';

/** The capture: a moment looking straight at the camera (the server's rest pose), then each action's time. */
export const captureTiming = { countdownS: 3, leadMs: 1000, perActionMs: 2500 } as const;
/** How many challenges a registration may start (the server's limit). */
const MAX_CHALLENGES = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ovalOverlay(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 640 480');
  svg.setAttribute('class', 'oval');
  svg.setAttribute('aria-hidden', 'true');
  const cx = oval.cx * 640, cy = oval.cy * 480, rx = oval.rx * 640, ry = oval.ry * 480;
  const shade = document.createElementNS(ns, 'path');
  shade.setAttribute('d', `M0 0H640V480H0Z M${cx - rx} ${cy}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0Z`);
  shade.setAttribute('fill-rule', 'evenodd');
  shade.setAttribute('class', 'shade');
  const ring = document.createElementNS(ns, 'ellipse');
  for (const [k, v] of Object.entries({ cx, cy, rx, ry })) ring.setAttribute(k, String(v));
  ring.setAttribute('class', 'ring');
  svg.append(shade, ring);
  return svg;
}

export function cameraScreen(k: Kiosk): HTMLElement {
  const reg = k.state.registration!;
  const video = h('video', { class: 'preview', muted: true, playsinline: true, 'aria-label': k.t('camera.preview') });
  const stage = h('div', { class: 'stage' }, video, ovalOverlay(), h('div', { class: 'prompt', 'aria-live': 'assertive' }));
  const prompt = stage.querySelector<HTMLElement>('.prompt')!;
  const light = h('li', null, k.t('camera.guide.waiting'));
  const still = h('li', null, '');
  const guide = h('ul', { class: 'guide', 'aria-live': 'polite' }, h('li', { class: 'info' }, k.t('camera.guide.oval')), light, still);
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': k.t('camera.progress') });
  const startBtn = h('button', { type: 'button', class: 'primary big', disabled: true }, k.t('camera.start'));
  const reviewBtn = h('button', { type: 'button', class: 'secondary', onclick: () => requestManualReview(k) }, k.t('camera.manual'));
  const left = MAX_CHALLENGES - k.state.challenges;
  const status = h('p', { class: 'status', 'aria-live': 'polite' }, k.t('camera.opening'));
  let stream: MediaStream | undefined, timer: number | undefined, capturing = false;

  k.onLeave(() => {
    if (timer !== undefined) clearInterval(timer);
    if (stream) closeCamera(stream);
  });

  function showGuidance(g: ReturnType<typeof createGuidance>): void {
    const r = g.read();
    if (!r || capturing) return;
    light.className = r.light === 'ok' ? 'ok' : 'todo';
    light.textContent = k.t(r.light === 'ok' ? 'camera.guide.light_ok' : r.light === 'dark' ? 'camera.guide.dark' : 'camera.guide.bright');
    still.className = r.still ? 'ok' : 'todo';
    still.textContent = k.t(r.still ? 'camera.guide.still_ok' : 'camera.guide.hold_still');
  }

  async function run(): Promise<void> {
    capturing = true;
    startBtn.disabled = true;
    reviewBtn.disabled = true;
    k.lock(true);
    k.clearProblem();
    status.textContent = k.t('camera.capturing');
    try {
      const challenge = await k.api.request<Challenge>('POST', `/v1/registrations/${reg.id}/liveness`, {}, { idempotencyKey: idempotencyKey('liveness') });
      k.state.challenges++;
      stage.classList.add('live');
      for (let n = captureTiming.countdownS; n > 0; n--) {
        replace(prompt, h('span', { class: 'count' }, String(n)), h('span', null, k.t('camera.get_ready')));
        await sleep(1000);
      }
      const prompts = challenge.prompts.map((p) => (k.i18n.lang === 'en' ? p.en : p['zh-CN']));
      const durationMs = captureTiming.leadMs + prompts.length * captureTiming.perActionMs;
      progress.hidden = false;
      const showPrompt = (t: number) => {
        const i = t < captureTiming.leadMs ? -1 : Math.min(prompts.length - 1, Math.floor((t - captureTiming.leadMs) / captureTiming.perActionMs));
        progress.value = Math.min(1, t / durationMs);
        replace(prompt, i < 0
          ? h('span', null, k.t('camera.look'))
          : [h('span', { class: 'step' }, k.t('camera.action_n', { i: i + 1, n: prompts.length })), h('span', { class: 'action', 'data-action': challenge.actions[i] ?? '' }, prompts[i]!)]);
      };
      showPrompt(0);
      const capture = await captureFrames(video, { fps: 10, durationMs, onFrame: (_n, t) => showPrompt(t) });
      stage.classList.remove('live');
      replace(prompt, h('span', null, k.t('camera.done')));
      const result = await k.busy(k.t('camera.uploading'), (b) => k.api.request<LivenessResult>('POST', `/v1/liveness/${challenge.sessionId}/frames`, framesUpload(challenge.nonce, capture), {
        onUploadProgress: (f) => b.progress(f < 1 ? f : undefined, f < 1 ? k.t('camera.uploading') : k.t('camera.analysing')),
      }));
      if (!result) return;
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
    } catch (e) {
      k.problem(e);
    } finally {
      capturing = false;
      k.lock(false);
      stage.classList.remove('live');
      progress.hidden = true;
      startBtn.disabled = !stream || k.state.challenges >= MAX_CHALLENGES;
      status.textContent = k.state.challenges < MAX_CHALLENGES ? k.t('camera.ready', { left: MAX_CHALLENGES - k.state.challenges }) : k.t('camera.no_attempts');
      reviewBtn.disabled = false;
    }
  }
  startBtn.addEventListener('click', () => { void run(); });

  openCamera(video).then((s) => {
    stream = s;
    status.textContent = left > 0 ? k.t('camera.ready', { left }) : k.t('camera.no_attempts');
    startBtn.disabled = left <= 0;
    const g = createGuidance(video);
    timer = window.setInterval(() => showGuidance(g), 200);
    startBtn.focus();
  }, (e: unknown) => {
    status.textContent = '';
    k.problem(e);
  });

  return h('section', { class: 'card wide' },
    h('h1', null, k.t('camera.title')),
    documentSummary(k),
    h('div', { class: 'capture' },
      h('div', null, stage, progress),
      h('aside', null,
        h('p', { class: 'lead' }, k.t('camera.lead')),
        guide,
        h('p', { class: 'hint' }, k.t('camera.honest')),
        status,
        h('div', { class: 'actions column' }, startBtn, reviewBtn))),
    cancelButton(k));
}
