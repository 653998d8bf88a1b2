/**
 * The operator's API keys for partner services (GET/POST /v1/tenants/{t}/api-keys, DELETE
 * /v1/api-keys/{id}): name, scopes, rate limit, created, last used and state, never the secret;
 * a new key's secret is shown once, to be handed over; revoking asks first.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { whenShort } from '../console.ts';
import { dataTable, type Column } from '../table.ts';
import { confirmAction, secretPanel } from '../dialog.ts';

interface ApiKey { id: string; name: string; scopes: string[]; rateLimitPerMinute: number; createdAt: string; revokedAt: string | null; lastUsedAt: string | null }

/** The scopes the server knows (src/staff/staff.ts apiKeyScopes). */
const scopes = ['three_element_check'] as const;

export const apiKeysView: View = {
  title: 'console.view.api_keys',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const secret = h('div');
    const list = h('div', { class: 'table-wrap' });
    const scopeText = (s: string) => c.i18n.maybe(`console.api_keys.scope.${s}`) ?? s;

    async function load(): Promise<void> {
      const items = await c.busy(c.t('console.loading'), async () => (await c.api.request<{ items: ApiKey[] }>('GET', `/v1/tenants/${tenantId}/api-keys`)).items);
      if (!items) return;
      // live keys first, newest first; revoked ones after them
      const sorted = [...items].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt));
      const columns: Column<ApiKey>[] = [
        { label: c.t('console.api_keys.name'), cell: (k) => k.name },
        { label: c.t('console.api_keys.scopes'), cell: (k) => k.scopes.map(scopeText).join(', ') },
        { label: c.t('console.api_keys.rate'), cell: (k) => String(k.rateLimitPerMinute), kind: 'n' },
        { label: c.t('console.api_keys.created'), cell: (k) => whenShort(c, k.createdAt) },
        { label: c.t('console.api_keys.last_used'), cell: (k) => (k.lastUsedAt ? whenShort(c, k.lastUsedAt) : h('span', { class: 'hint' }, c.t('console.api_keys.never'))) },
        { label: c.t('console.api_keys.state'), cell: (k) => (k.revokedAt
          ? h('span', { class: 'pill bad' }, c.t('console.api_keys.revoked_at', { at: whenShort(c, k.revokedAt) }))
          : h('span', { class: 'pill ok' }, c.t('console.api_keys.active'))) },
        { label: c.t('console.actions'), kind: 'act', cell: (k) => (k.revokedAt ? null : h('button', {
          type: 'button', class: 'ghost small danger', 'aria-label': c.t('console.api_keys.revoke_of', { name: k.name }),
          onclick: () => { void revoke(k); },
        }, c.t('console.api_keys.revoke'))) },
      ];
      replace(list, sorted.length === 0 ? h('p', { class: 'none' }, c.t('console.api_keys.none'))
        : dataTable(columns, sorted, (k) => ({ 'data-key': k.name, class: k.revokedAt ? 'muted' : null })));
    }

    async function revoke(k: ApiKey): Promise<void> {
      const yes = await confirmAction(c, {
        title: c.t('console.api_keys.revoke.title', { name: k.name }), body: c.t('console.api_keys.revoke.body'), yes: c.t('console.api_keys.revoke'), danger: true,
      });
      if (!yes) return;
      const done = await c.busy(c.t('console.saving'), async () => { await c.api.request('DELETE', `/v1/api-keys/${k.id}`); return true; });
      if (!done) return;
      c.notice(c.t('console.api_keys.revoked', { name: k.name }));
      await load();
    }

    const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off', placeholder: c.t('console.api_keys.name_placeholder') });
    const scopeBoxes = scopes.map((s) => h('input', { type: 'checkbox', name: 'scopes', value: s, checked: true }));
    const rate = h('input', { name: 'rateLimitPerMinute', type: 'number', min: 1, max: 100000, step: '1', required: true });
    rate.defaultValue = '60';
    const form = h('form', { class: 'admin-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const chosen = scopeBoxes.filter((b) => b.checked).map((b) => b.value);
      if (chosen.length === 0) { scopeBoxes[0]!.setCustomValidity(c.t('console.api_keys.scope_required')); scopeBoxes[0]!.reportValidity(); return; }
      const r = await c.busy(c.t('console.saving'), () => c.api.request<ApiKey & { key: string }>('POST', `/v1/tenants/${tenantId}/api-keys`,
        { name: name.value.trim(), scopes: chosen, rateLimitPerMinute: Number(rate.value) }));
      if (!r) return;
      form.reset();
      await load();
      c.clearProblem();
      replace(secret, secretPanel(c, r.key, {
        title: c.t('console.api_keys.secret.title', { name: r.name }),
        lead: c.t('console.api_keys.secret.lead'),
        label: c.t('console.api_keys.secret.label', { name: r.name }),
      }));
    } },
    h('h2', null, c.t('console.api_keys.new')),
    h('div', { class: 'grid2' },
      h('label', { class: 'field' }, h('span', null, c.t('console.api_keys.name')), name),
      h('label', { class: 'field' }, h('span', null, c.t('console.api_keys.rate')), rate, h('small', { class: 'hint' }, c.t('console.api_keys.rate_hint')))),
    h('fieldset', { class: 'field scopes' }, h('legend', null, c.t('console.api_keys.scopes')),
      scopeBoxes.map((box, i) => h('label', { class: 'field check' }, box, h('span', null, scopeText(scopes[i]!)),
        h('small', { class: 'hint' }, c.i18n.maybe(`console.api_keys.scope.${scopes[i]!}.hint`) ?? '')))),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.api_keys.submit')));
    for (const box of scopeBoxes) box.addEventListener('change', () => box.setCustomValidity(''));

    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.api_keys')), h('p', { class: 'lead' }, c.t('console.api_keys.lead')), secret, list, form);
  },
};
