/**
 * The store kiosk: an agent logs in, captures the customer's document (and, for a minor, verifies
 * the guardian), records the biometric consent, runs the live face check (or sends the customer to
 * manual review), picks a number and prints a masked receipt. This file is the shell: header, step
 * bar, language switch, error banner, progress overlay, the switch between screens (each in
 * `screens/`), and coming back to the registration in progress after a reload (`resume.ts`).
 */
import { createApi } from '../shared/api.ts';
import { h, replace } from '../shared/dom.ts';
import { createI18n, type Lang } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { createFeedback, createScreens } from '../shared/feedback.ts';
import type { Kiosk, KioskState, ScreenName, StaffSession } from './kiosk.ts';
import { loginScreen, passwordScreen, type LoginHost } from '../shared/login.ts';
import { homeScreen } from './screens/home.ts';
import { documentScreen } from './screens/document.ts';
import { consentScreen } from './screens/consent.ts';
import { cameraScreen } from './screens/camera.ts';
import { resultScreen, reviewScreen } from './screens/result.ts';
import { numberScreen } from './screens/number.ts';
import { receiptScreen } from './screens/receipt.ts';
import { guardianCameraScreen, guardianResultScreen, guardianScreen } from './screens/guardian.ts';
import { keepPointer, resume, storedPointer } from './resume.ts';
import { forgetRegistration } from './screens/shared.ts';
import './kiosk.css';

const SESSION_KEY = 'portrait.kiosk.session';
/** The login screens' view of the kiosk: front-desk accounts only. */
function loginHost(k: Kiosk): LoginHost {
  return {
    api: k.api, t: k.t, busy: (label, work) => k.busy(label, work), problem: (e) => k.problem(e),
    roles: ['agent', 'store_manager'],
    texts: { title: 'login.title', lead: 'login.lead', wrongRole: 'login.wrong_role', wrongRoleNext: 'login.wrong_role.next' },
    session: () => k.state.session,
    signedIn(session, typed) {
      k.state.session = session;
      if (session.staff.mustChangePassword) k.state.loginPassword = typed;
      k.go(session.staff.mustChangePassword ? 'password' : 'home');
    },
    typedPassword: () => k.state.loginPassword,
    passwordChanged() { delete k.state.loginPassword; k.go('home'); },
  };
}

const screens: Record<ScreenName, (k: Kiosk) => HTMLElement> = {
  login: (k) => loginScreen(loginHost(k)), password: (k) => passwordScreen(loginHost(k)), home: homeScreen, document: documentScreen,
  guardian: guardianScreen, guardian_camera: guardianCameraScreen, guardian_result: guardianResultScreen, consent: consentScreen,
  camera: cameraScreen, result: resultScreen, review: reviewScreen, number: numberScreen, receipt: receiptScreen,
};
/** The steps of a registration; the guardian's only for a minor (`minorOnly`). */
const steps: { key: MessageKey; screens: ScreenName[]; minorOnly?: true }[] = [
  { key: 'step.document', screens: ['document'] },
  { key: 'step.guardian', screens: ['guardian', 'guardian_camera', 'guardian_result'], minorOnly: true },
  { key: 'step.consent', screens: ['consent'] },
  { key: 'step.face', screens: ['camera', 'result', 'review'] },
  { key: 'step.number', screens: ['number'] },
  { key: 'step.receipt', screens: ['receipt'] },
];

function start(root: HTMLElement): void {
  const i18n = createI18n();
  const stored = sessionStorage.getItem(SESSION_KEY);
  const state: KioskState = { challenges: 0, ...(stored ? { session: JSON.parse(stored) as StaffSession } : {}) };
  let current: ScreenName = 'login', locked = false;

  const api = createApi({
    token: () => state.session?.token,
    onUnauthorized: () => { if (state.session) { logout(false); } },
  });
  const t = (key: MessageKey, vars?: Record<string, string | number>) => i18n.t(key, vars);

  const header = h('header', { class: 'bar' });
  const stepBar = h('ol', { class: 'steps', 'aria-label': '' });
  const feedback = createFeedback(i18n);
  const { banner, overlay } = feedback;
  const main = h('main', { id: 'screen', tabindex: '-1' });
  replace(root, header, stepBar, banner, main, overlay);
  const switcher = createScreens(feedback, main, header);
  const pointer = storedPointer();

  function logout(callServer = true): void {
    if (callServer && state.session) void api.request('POST', '/v1/auth/logout').catch(() => undefined);
    delete state.session;
    forgetRegistration(k);
    sessionStorage.removeItem(SESSION_KEY);
    k.go('login');
  }

  function renderHeader(): void {
    const other: Lang = i18n.lang === 'zh-CN' ? 'en' : 'zh-CN';
    const s = state.session?.staff;
    replace(header,
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◐'), t('app.title')),
      h('div', { class: 'who' }, s && current !== 'login' ? `${s.username} · ${t(`role.${s.role}`)}` : ''),
      h('div', { class: 'tools' },
        h('button', { type: 'button', class: 'ghost', lang: other, disabled: locked, onclick: () => { i18n.set(other); k.go(current); } }, t('lang.switch')),
        s && current !== 'login' && current !== 'password' ? h('button', { type: 'button', class: 'ghost', disabled: locked, onclick: () => logout() }, t('action.logout')) : null,
      ));
    const r = state.registration;
    const shown = steps.filter((st) => !st.minorOnly || r?.guardianRequired === true || (r?.guardian ?? null) !== null);
    // a registration found ended (after a reload) is at no step
    const at = current === 'result' && state.outcome?.kind === 'ended' ? -1 : shown.findIndex((st) => st.screens.includes(current));
    stepBar.hidden = at < 0;
    stepBar.setAttribute('aria-label', t('step.label'));
    replace(stepBar, shown.map((st, i) => h('li', { class: i < at ? 'done' : i === at ? 'now' : '', 'aria-current': i === at ? 'step' : null },
      h('span', { class: 'dot' }, String(i + 1)), t(st.key))));
  }

  const k: Kiosk = {
    api, i18n, state, t,
    go(screen) {
      locked = false;
      if (screen !== 'login' && !state.session) screen = 'login';
      if (state.session && screen !== 'login') sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
      keepPointer(state);
      if (state.resumed && state.resumed.screen !== screen) delete state.resumed;
      current = screen;
      renderHeader();
      // after a reload: where the kiosk came back to, and what has to be captured again
      const note = state.resumed ? h('div', { class: 'note resumed', role: 'status' }, state.resumed.notes.map((n) => h('p', null, t(n)))) : null;
      switcher.show(`${t(`title.${screen}`)} · ${t('app.title')}`, () => [note, screens[screen](k)]);
    },
    onLeave: switcher.onLeave, problem: switcher.problem, clearProblem: switcher.clearProblem, busy: switcher.busy,
    lock(on) {
      locked = on;
      switcher.lock(on);
    },
  };

  if (state.session && !state.session.staff.mustChangePassword && pointer) {
    current = 'home';
    renderHeader();
    void resume(k, pointer);
  } else {
    k.go(state.session ? (state.session.staff.mustChangePassword ? 'password' : 'home') : 'login');
  }
}

start(document.getElementById('app')!);
