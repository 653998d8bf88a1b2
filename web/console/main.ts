/**
 * The operator and regulator console: store managers decide manual reviews, operator admins
 * import numbers, set policy, run re-verification campaigns and administer stores, staff
 * accounts, partner API keys and the blocklist, regulators read statistics,
 * anomaly flags and the audit log (chain verification, inspection export). This file is the
 * shell: login, header, the menu of the views this role may open, banner and progress overlay
 * (web/shared/feedback.ts, as in the other apps),
 * and hash routing (#/view?param=…), so a view can be bookmarked and reloaded.
 */
import { createApi } from '../shared/api.ts';
import { h, replace } from '../shared/dom.ts';
import { createI18n, type Lang } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { createFeedback } from '../shared/feedback.ts';
import { loginScreen, passwordScreen, type LoginHost, type StaffSession } from '../shared/login.ts';
import { consoleRoles, type Console, type View, type ViewName } from './console.ts';
import { statsView } from './views/stats.ts';
import { anomaliesView } from './views/anomalies.ts';
import { auditView } from './views/audit.ts';
import { reviewsView } from './views/reviews.ts';
import { numbersView } from './views/numbers.ts';
import { policyView } from './views/policy.ts';
import { campaignsView } from './views/campaigns.ts';
import { storesView } from './views/stores.ts';
import { staffView } from './views/staff.ts';
import { apiKeysView } from './views/api-keys.ts';
import { blocklistView } from './views/blocklist.ts';
import './console.css';

const SESSION_KEY = 'portrait.console.session';
const views: Record<ViewName, View> = {
  reviews: reviewsView, stats: statsView, anomalies: anomaliesView, audit: auditView, numbers: numbersView, policy: policyView, campaigns: campaignsView,
  stores: storesView, staff: staffView, 'api-keys': apiKeysView, blocklist: blocklistView,
};
const menu: ViewName[] = ['reviews', 'stats', 'anomalies', 'numbers', 'campaigns', 'policy', 'stores', 'staff', 'api-keys', 'blocklist', 'audit'];

function start(root: HTMLElement): void {
  const i18n = createI18n();
  const t = (key: MessageKey, vars?: Record<string, string | number>) => i18n.t(key, vars);
  const stored = sessionStorage.getItem(SESSION_KEY);
  let session: StaffSession | undefined = stored ? JSON.parse(stored) as StaffSession : undefined;
  let typedPassword: string | undefined;

  const api = createApi({ token: () => session?.token, onUnauthorized: () => { if (session) logout(false); } });
  const header = h('header', { class: 'bar' });
  const nav = h('nav', { class: 'menu' });
  const feedback = createFeedback(i18n);
  const main = h('main', { id: 'view', tabindex: '-1' });
  replace(root, header, nav, feedback.banner, main, feedback.overlay);

  function logout(callServer = true): void {
    if (callServer && session) void api.request('POST', '/v1/auth/logout').catch(() => undefined);
    session = undefined;
    sessionStorage.removeItem(SESSION_KEY);
    route();
  }

  function renderHeader(current: ViewName | 'login' | 'password'): void {
    const other: Lang = i18n.lang === 'zh-CN' ? 'en' : 'zh-CN';
    const s = session?.staff;
    const signedIn = s && current !== 'login' && current !== 'password';
    replace(header,
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◐'), t('console.title')),
      h('div', { class: 'who' }, signedIn ? `${s.username} · ${t(`role.${s.role}`)}` : ''),
      h('div', { class: 'tools' },
        h('button', { type: 'button', class: 'ghost', lang: other, onclick: () => { i18n.set(other); route(); } }, t('lang.switch')),
        signedIn ? h('button', { type: 'button', class: 'ghost', onclick: () => logout() }, t('action.logout')) : null));
    nav.hidden = !signedIn;
    if (signedIn) {
      replace(nav, menu.filter((v) => views[v].roles.includes(s.role)).map((v) =>
        h('a', { href: `#/${v}`, 'aria-current': v === current ? 'page' : null }, t(views[v].title))));
    }
  }

  const c: Console = {
    api, i18n, t,
    get session() { return session!; },
    busy: (label, work) => feedback.busy(label, work),
    problem: (e) => feedback.problem(e),
    clearProblem: () => feedback.clearProblem(),
    notice: (text) => feedback.notice(text),
    go(view, params) {
      const q = params ? new URLSearchParams(params).toString() : '';
      const hash = `#/${view}${q ? `?${q}` : ''}`;
      if (location.hash === hash) route(); else location.hash = hash;
    },
  };

  const loginHost: LoginHost = {
    api, t, busy: (label, work) => c.busy(label, work), problem: (e) => c.problem(e),
    roles: consoleRoles,
    texts: { title: 'console.login.title', lead: 'console.login.lead', wrongRole: 'console.login.wrong_role', wrongRoleNext: 'console.login.wrong_role.next' },
    session: () => session,
    signedIn(s, typed) {
      session = s;
      typedPassword = s.staff.mustChangePassword ? typed : undefined;
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
      route();
    },
    typedPassword: () => typedPassword,
    passwordChanged() {
      typedPassword = undefined;
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
      route();
    },
  };

  /** The first view of a role's menu. */
  const home = (): ViewName => menu.find((v) => views[v].roles.includes(session!.staff.role)) ?? 'stats';

  function show(name: ViewName | 'login' | 'password', el: HTMLElement, title: MessageKey): void {
    c.clearProblem();
    renderHeader(name);
    replace(main, el);
    document.title = `${t(title)} · ${t('console.title')}`;
    // a form (sign-in) starts at its first field; a view at its top, for screen readers and the keyboard
    const first = name === 'login' || name === 'password' ? main.querySelector<HTMLElement>('[autofocus], input:not([type=hidden])') : null;
    (first ?? main).focus();
  }

  function route(): void {
    if (!session) { show('login', loginScreen(loginHost), 'console.login.title'); return; }
    if (session.staff.mustChangePassword) { show('password', passwordScreen(loginHost), 'password.title'); return; }
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    if (!(path in views)) { c.go(home()); return; }
    const name = path as ViewName, view = views[name];
    if (!view.roles.includes(session.staff.role)) {
      show(name, h('section', { class: 'card' }, h('h1', null, t(view.title)), h('p', { class: 'lead' }, t('console.not_for_role'))), view.title);
      return;
    }
    show(name, view.render(c, new URLSearchParams(query)), view.title);
  }

  window.addEventListener('hashchange', route);
  route();
}

start(document.getElementById('app')!);
