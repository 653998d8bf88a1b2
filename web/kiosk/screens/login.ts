/** Login of the agent (or store manager), and the new password a first login must set. */
import { h } from '../../shared/dom.ts';
import type { Kiosk, StaffSession } from '../kiosk.ts';
import { Notice } from '../problems.ts';

const FRONT_DESK = ['agent', 'store_manager'];

function field(label: string, input: HTMLInputElement, hint?: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', null, label), input, hint ?? null);
}

export function loginScreen(k: Kiosk): HTMLElement {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card narrow', onsubmit: (ev) => {
    ev.preventDefault();
    void k.busy(k.t('login.busy'), () => k.api.request<StaffSession & { expiresAt: string }>('POST', '/v1/auth/login', { username: user.value.trim(), password: pass.value }))
      .then((r) => {
        if (!r) return;
        if (!FRONT_DESK.includes(r.staff.role)) {
          void k.api.request('POST', '/v1/auth/logout', undefined).catch(() => undefined);
          k.problem(new Notice(k.t('login.wrong_role'), k.t('login.wrong_role.next')));
          return;
        }
        k.state.session = { token: r.token, staff: r.staff };
        if (r.staff.mustChangePassword) k.state.loginPassword = pass.value;
        k.go(r.staff.mustChangePassword ? 'password' : 'home');
      });
  } },
  h('h1', null, k.t('login.title')),
  h('p', { class: 'lead' }, k.t('login.lead')),
  field(k.t('login.username'), user),
  field(k.t('login.password'), pass),
  h('button', { type: 'submit', class: 'primary' }, k.t('login.submit')));
  user.autofocus = true;
  return form;
}

/** Mirrors the server's policy (POST /v1/auth/password), so the agent sees what is missing while typing. */
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

export function passwordScreen(k: Kiosk): HTMLElement {
  const username = k.state.session?.staff.username ?? '';
  const current = h('input', { name: 'current', type: 'password', autocomplete: 'current-password', required: true, value: k.state.loginPassword ?? '' });
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
        delete k.state.loginPassword;
        k.state.session!.staff.mustChangePassword = false;
        k.go('home');
      });
  } },
  h('h1', null, k.t('password.title')),
  h('p', { class: 'lead' }, k.t('password.lead')),
  k.state.loginPassword ? null : field(k.t('password.current'), current),
  field(k.t('password.new'), next),
  field(k.t('password.again'), again),
  rules,
  submit);
}
