/**
 * The live face check, shared by the kiosk and the self-service app: the camera preview
 * (mirrored for the person's comfort; the frames sent are not) with the face oval and live
 * guidance, then the server's challenge: a 3-2-1 "get ready", a moment looking at the camera,
 * each action's prompt with progress, the upload of the frames with progress and the server's
 * analysis. What the app does with the result (a face match, a verification) is the host's.
 */
import { h, replace } from './dom.ts';
import type { Api } from './api.ts';
import type { Busy, ScreenHost } from './feedback.ts';
import type { Lang } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { captureFrames, closeCamera, framesUpload, openCamera, type Capture } from '../liveness/capture.ts';
import { createGuidance, oval } from './guidance.ts';
import './live-check.css';

export interface Challenge {
  sessionId: string;
  nonce: string;
  actions: string[];
  prompts: { action: string; en: string; 'zh-CN': string }[];
  expiresAt: string;
}

export interface LivenessResult {
  sessionId: string;
  live: boolean;
  reasons: string[];
  asked: { action: string; found: unknown }[];
}

/** The capture: a moment looking straight at the camera (the server's rest pose), then each action's time. */
export const captureTiming = { countdownS: 3, leadMs: 1000, perActionMs: 2500 } as const;

/** What the live check needs from the app it is in. */
export interface LiveCheckHost {
  readonly api: Api;
  lang(): Lang;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  busy<T>(label: string, work: (b: Busy) => Promise<T>): Promise<T | undefined>;
  problem(e: unknown): void;
  clearProblem(): void;
  /** Runs `fn` when the screen is left (the camera is closed then). */
  onLeave(fn: () => void): void;
  /** The capture runs (true) or ended (false): lock the app's navigation and its own buttons. */
  capturing(on: boolean): void;
  /** Starts the server's challenge for this check. */
  challenge(): Promise<Challenge>;
  /** The status line when the camera is ready, and whether another check may start. */
  ready(): { text: string; canStart: boolean };
  /** The server analysed the frames: the app goes on (face match, verification, a result screen). */
  analysed(result: LivenessResult, capture: Capture): Promise<void>;
  /** What the screen says to whoever stands in front of the camera (the customer, or the person themselves). */
  readonly texts: { lead: MessageKey; capturing: MessageKey };
}

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

/** An app's screen host, as the kiosk and the self-service app give it to their screens. */
export interface AppScreenHost extends ScreenHost {
  readonly api: Api;
  readonly i18n: { readonly lang: Lang };
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

/** What every live check takes from the app it is in unchanged: its API, language, banner, overlay and screen changes. */
export function liveCheckBasics(app: AppScreenHost): Pick<LiveCheckHost, 'api' | 't' | 'lang' | 'busy' | 'problem' | 'clearProblem' | 'onLeave'> {
  return {
    api: app.api, t: app.t, lang: () => app.i18n.lang, busy: (label, work) => app.busy(label, work),
    problem: (e) => app.problem(e), clearProblem: () => app.clearProblem(), onLeave: (fn) => app.onLeave(fn),
  };
}

/** The longest gap between two captured frames, in ms (a busy device shows in it). */
export const longestGapMs = (capture: Capture): number => Math.max(0, ...capture.frames.slice(1).map((f, i) => f.t - capture.frames[i]!.t));

/** The preview, guidance, status and start button, laid out in two columns (`.capture`); `buttons` go under the start button. */
export function liveCheck(host: LiveCheckHost, buttons: HTMLElement[] = []): HTMLElement {
  const { t } = host;
  const video = h('video', { class: 'preview', muted: true, playsinline: true, 'aria-label': t('camera.preview') });
  const prompt = h('div', { class: 'prompt', 'aria-live': 'assertive' });
  const stage = h('div', { class: 'stage' }, video, ovalOverlay(), prompt);
  const light = h('li', null, t('camera.guide.waiting'));
  const still = h('li', null, '');
  const guide = h('ul', { class: 'guide', 'aria-live': 'polite' }, h('li', { class: 'info' }, t('camera.guide.oval')), light, still);
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': t('camera.progress') });
  const startBtn = h('button', { type: 'button', class: 'primary big', disabled: true }, t('camera.start'));
  const status = h('p', { class: 'status', 'aria-live': 'polite' }, t('camera.opening'));
  let stream: MediaStream | undefined, timer: number | undefined, capturing = false;

  host.onLeave(() => {
    if (timer !== undefined) clearInterval(timer);
    if (stream) closeCamera(stream);
  });

  function showReady(): void {
    const r = host.ready();
    status.textContent = r.text;
    startBtn.disabled = !stream || !r.canStart;
  }

  function showGuidance(g: ReturnType<typeof createGuidance>): void {
    const r = g.read();
    if (!r || capturing) return;
    light.className = r.light === 'ok' ? 'ok' : 'todo';
    light.textContent = t(r.light === 'ok' ? 'camera.guide.light_ok' : r.light === 'dark' ? 'camera.guide.dark' : 'camera.guide.bright');
    still.className = r.still ? 'ok' : 'todo';
    still.textContent = t(r.still ? 'camera.guide.still_ok' : 'camera.guide.hold_still');
  }

  async function capture(challenge: Challenge): Promise<Capture> {
    stage.classList.add('live');
    for (let n = captureTiming.countdownS; n > 0; n--) {
      replace(prompt, h('span', { class: 'count' }, String(n)), h('span', null, t('camera.get_ready')));
      await sleep(1000);
    }
    const prompts = challenge.prompts.map((p) => (host.lang() === 'en' ? p.en : p['zh-CN']));
    const durationMs = captureTiming.leadMs + prompts.length * captureTiming.perActionMs;
    progress.hidden = false;
    const showPrompt = (ms: number) => {
      const i = ms < captureTiming.leadMs ? -1 : Math.min(prompts.length - 1, Math.floor((ms - captureTiming.leadMs) / captureTiming.perActionMs));
      progress.value = Math.min(1, ms / durationMs);
      replace(prompt, i < 0
        ? h('span', null, t('camera.look'))
        : [h('span', { class: 'step' }, t('camera.action_n', { i: i + 1, n: prompts.length })), h('span', { class: 'action', 'data-action': challenge.actions[i] ?? '' }, prompts[i]!)]);
    };
    showPrompt(0);
    const frames = await captureFrames(video, { fps: 10, durationMs, onFrame: (_n, ms) => showPrompt(ms) });
    stage.classList.remove('live');
    replace(prompt, h('span', null, t('camera.done')));
    return frames;
  }

  async function run(): Promise<void> {
    capturing = true;
    startBtn.disabled = true;
    host.capturing(true);
    host.clearProblem();
    status.textContent = t(host.texts.capturing);
    try {
      const challenge = await host.challenge();
      const frames = await capture(challenge);
      const result = await host.busy(t('camera.uploading'), (b) => host.api.request<LivenessResult>('POST', `/v1/liveness/${challenge.sessionId}/frames`, framesUpload(challenge.nonce, frames), {
        onUploadProgress: (f) => b.progress(f < 1 ? f : undefined, f < 1 ? t('camera.uploading') : t('camera.analysing')),
      }));
      if (result) await host.analysed(result, frames);
    } catch (e) {
      host.problem(e);
    } finally {
      capturing = false;
      host.capturing(false);
      stage.classList.remove('live');
      replace(prompt); // "capture finished" no longer holds once the answer is shown: the preview is ready for another try
      progress.hidden = true;
      showReady();
    }
  }
  startBtn.addEventListener('click', () => { void run(); });

  openCamera(video).then((s) => {
    stream = s;
    showReady();
    const g = createGuidance(video);
    timer = window.setInterval(() => showGuidance(g), 200);
    startBtn.focus();
  }, (e: unknown) => {
    status.textContent = '';
    host.problem(e);
  });

  return h('div', { class: 'capture' },
    h('div', null, stage, progress),
    h('aside', null,
      h('p', { class: 'lead' }, t(host.texts.lead)),
      guide,
      h('p', { class: 'hint' }, t('camera.honest')),
      status,
      h('div', { class: 'actions column' }, startBtn, ...buttons)));
}

/** The reasons a liveness check was refused, each with what to do about it. */
export function reasonList(maybe: (key: string) => string | undefined, reasons: string[]): HTMLElement {
  return h('ul', { class: 'reasons' }, reasons.map((r) => {
    const key = `liveness.${r.replace(/^liveness\./, '')}`;
    const next = maybe(`${key}.next`);
    return h('li', { 'data-reason': r }, h('strong', null, maybe(key) ?? r), next ? h('span', null, next) : null);
  }));
}
