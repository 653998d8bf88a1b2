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
import { createFeedback, createScreens } from '../shared/feedback.ts';
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
  let current: ScreenName = 'start';
  const api = createApi({ token: () => undefined });
  const t = (key: MessageKey, vars?: Record<string, string | number>) => i18n.t(key, vars);
  const feedback = createFeedback(i18n);
  const header = h('header', { class: 'bar' });
  const main = h('main', { id: 'screen', tabindex: '-1' });
  replace(root, header, feedback.banner, main, feedback.overlay);
  const switcher = createScreens(feedback, main, header);

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
    onLeave: switcher.onLeave, problem: switcher.problem, clearProblem: switcher.clearProblem, busy: switcher.busy, lock: switcher.lock,
    go(screen) {
      current = screen;
      renderHeader();
      switcher.show(`${t(`self.title.${screen}`)} · ${t('self.app')}`, () => [screens[screen](s)]);
    },
    reset() {
      for (const key of Object.keys(state) as (keyof SelfServiceState)[]) delete state[key];
      s.go('start');
    },
  };
  s.go('start');
}

start(document.getElementById('app')!);
