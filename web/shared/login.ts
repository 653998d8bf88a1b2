/**
 * Staff login for the web apps (kiosk, console), and the new password a first login must set.
 * Each app says which roles it serves: an account of another role is logged out again with a
 * pointer to the right app.
 */
import type { Api } from './api.ts';
import { h } from './dom.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { Notice } from './problems.ts';

export type Role = 'agent' | 'store_manager' | 'operator_admin' | 'regulator';

export interface StaffSession {
  token: string;
  staff: { id: string; username: string; role: Role; tenantId: string | null; storeId: string | null; mustChangePassword: boolean };
}

/** What the login screens need from the app they are in. */
export interface LoginHost {
  readonly api: Api;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Runs `work` behind the app's progress overlay; an error is shown and gives undefined. */
  busy<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
  problem(e: unknown): void;
  /** Roles this app serves, and what the login screen says (title, lead, refusal of another role). */
  readonly roles: readonly Role[];
  readonly texts: { title: MessageKey; lead: MessageKey; wrongRole: MessageKey; wrongRoleNext: MessageKey };
  session(): StaffSession | undefined;
  /** A login succeeded (with the password typed, offered as the current one if it must be changed). */
  signedIn(session: StaffSession, typedPassword: string): void;
  /** The one-time password typed at login, if any (memory only). */
  typedPassword(): string | undefined;
  passwordChanged(): void;
}

function field(label: string, input: HTMLInputElement, hint?: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', null, label), input, hint ?? null);
}

export function loginScreen(k: LoginHost): HTMLElement {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card narrow', onsubmit: (ev) => {
    ev.preventDefault();
    void k.busy(k.t('login.busy'), () => k.api.request<StaffSession & { expiresAt: string }>('POST', '/v1/auth/login', { username: user.value.trim(), password: pass.value }))
      .then((r) => {
        if (!r) return;
        if (!k.roles.includes(r.staff.role)) {
          void k.api.request('POST', '/v1/auth/logout', undefined, { token: r.token }).catch(() => undefined);
          k.problem(new Notice(k.t(k.texts.wrongRole), k.t(k.texts.wrongRoleNext)));
          return;
        }
        k.signedIn({ token: r.token, staff: r.staff }, pass.value);
      });
  } },
  h('h1', null, k.t(k.texts.title)),
  h('p', { class: 'lead' }, k.t(k.texts.lead)),
  field(k.t('login.username'), user),
  field(k.t('login.password'), pass),
  h('button', { type: 'submit', class: 'primary' }, k.t('login.submit')));
  user.autofocus = true;
  return form;
}

/** Mirrors the server's policy (POST /v1/auth/password), so the person sees what is missing while typing. */
function passwordFindings(pw: string, username: string): string[] {
  const chars = [...pw];
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(pw)).length;
  const out: string[] = [];
  if (chars.length < 12) out.push('password.rule.length');
  if (classes < 2) out.push('password.rule.classes');
  if (new Set(chars).size < 5) out.push('password.rule.distinct');
  if (pw.trim().toLowerCase() === username.trim().toLowerCase()) out.push('password.rule.username');
  return out;
}

export function passwordScreen(k: LoginHost): HTMLElement {
  const username = k.session()?.staff.username ?? '';
  const typed = k.typedPassword();
  const current = h('input', { name: 'current', type: 'password', autocomplete: 'current-password', required: true, value: typed ?? '' });
  const next = h('input', { name: 'new', type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { name: 'again', type: 'password', autocomplete: 'new-password', required: true });
  const rules = h('ul', { class: 'checks', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, k.t('password.submit'));
  function update(): void {
    const findings = passwordFindings(next.value, username);
    const all = ['password.rule.length', 'password.rule.classes', 'password.rule.distinct', 'password.rule.username'] as const;
    rules.replaceChildren(...all.map((r) => h('li', { class: findings.includes(r) ? 'todo' : 'ok' }, k.t(r))),
      h('li', { class: again.value !== '' && again.value === next.value ? 'ok' : 'todo' }, k.t('password.rule.same')));
    submit.disabled = findings.length > 0 || next.value !== again.value;
  }
  next.addEventListener('input', update);
  again.addEventListener('input', update);
  update();
  return h('form', { class: 'card narrow', onsubmit: (ev) => {
    ev.preventDefault();
    void k.busy(k.t('password.busy'), () => k.api.request('POST', '/v1/auth/password', { currentPassword: current.value, newPassword: next.value }))
      .then((r) => {
        if (r === undefined) return;
        k.session()!.staff.mustChangePassword = false;
        k.passwordChanged();
      });
  } },
  h('h1', null, k.t('password.title')),
  h('p', { class: 'lead' }, k.t('password.lead')),
  typed ? null : field(k.t('password.current'), current),
  field(k.t('password.new'), next),
  field(k.t('password.again'), again),
  rules,
  submit);
}
