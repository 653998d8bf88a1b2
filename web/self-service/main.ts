/**
 * Subscriber self-service (一证通查), without login: the person's identity document and a live
 * face check give a 10-minute self_service verification, then every number under that ID at
 * every operator, masked, each with a "not mine" report (confirmed first) that starts the
 * number's re-verification by its holder. This file is the shell: header, language switch,
 * error banner, progress overlay and the switch between screens (each in `screens/`).
 */
import { createApi } from '../shared/api.ts';
import { h, replace } from '../shared/dom.ts';
import { createI18n, type Lang } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { createFeedback } from '../shared/feedback.ts';
import type { ScreenName, SelfService, SelfServiceState } from './self-service.ts';
import { startScreen } from './screens/start.ts';
import { documentScreen } from './screens/document.ts';
import { checkScreen } from './screens/check.ts';
import { numbersScreen, reportedScreen } from './screens/numbers.ts';
import '../shared/base.css';
import './self-service.css';

const screens: Record<ScreenName, (s: SelfService) => HTMLElement> = {
  start: startScreen, document: documentScreen, check: checkScreen, numbers: numbersScreen, reported: reportedScreen,
};

function start(root: HTMLElement): void {
  const i18n = createI18n('person');
  const state: SelfServiceState = {};
  let current: ScreenName = 'start', leaving: (() => void)[] = [];
  const api = createApi({ token: () => undefined });
  const t = (key: MessageKey, vars?: Record<string, string | number>) => i18n.t(key, vars);
  const feedback = createFeedback(i18n);
  const header = h('header', { class: 'bar' });
  const main = h('main', { id: 'screen', tabindex: '-1' });
  replace(root, header, feedback.banner, main, feedback.overlay);

  function renderHeader(): void {
    const other: Lang = i18n.lang === 'zh-CN' ? 'en' : 'zh-CN';
    replace(header,
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◐'), t('self.app')),
      h('div', { class: 'who' }),
      h('div', { class: 'tools' },
        h('button', { type: 'button', class: 'ghost', lang: other, onclick: () => { i18n.set(other); s.go(current); } }, t('lang.switch'))));
  }

  const s: SelfService = {
    api, i18n, state, t,
    go(screen) {
      for (const fn of leaving) fn();
      leaving = [];
      current = screen;
      feedback.clearProblem();
      renderHeader();
      replace(main, screens[screen](s));
      document.title = `${t(`self.title.${screen}`)} · ${t('self.app')}`;
      const first = main.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]), select, textarea');
      (first ?? main).focus();
    },
    onLeave(fn) { leaving.push(fn); },
    problem: (e) => feedback.problem(e),
    clearProblem: () => feedback.clearProblem(),
    busy: (label, work) => feedback.busy(label, work),
    lock(on) { for (const b of header.querySelectorAll('button')) b.disabled = on; },
    reset() {
      for (const key of Object.keys(state) as (keyof SelfServiceState)[]) delete state[key];
      s.go('start');
    },
  };
  s.go('start');
}

start(document.getElementById('app')!);
