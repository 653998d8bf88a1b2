/**
 * The operator's staff accounts (GET/POST /v1/tenants/{t}/staff, filtered by store with
 * ?store= in the hash): username, role, store, state and last login; create an account (its
 * one-time password shown once, to be handed over), disable it (confirmed; its sessions end),
 * enable it again, or issue a new one-time password for a forgotten password or a lockout
 * (POST /v1/staff/{id}/disable, /enable, /password-reset).
 */
import { h, replace } from '../../shared/dom.ts';
import type { Role } from '../../shared/login.ts';
import type { Console, View } from '../console.ts';
import { whenShort } from '../console.ts';
import { dataTable, type Column } from '../table.ts';
import { confirmAction, secretPanel } from '../dialog.ts';
import { loadStores, storeLabel, type Store } from './stores.ts';

interface Staff {
  id: string; username: string; displayName: string; role: Role; storeId: string | null;
  mustChangePassword: boolean; disabled: boolean; createdAt: string; lastLoginAt: string | null;
}
interface Created { staff: Staff; oneTimePassword: string }

const creatable: readonly Role[] = ['agent', 'store_manager', 'operator_admin'];
const storeBound = (role: string) => role === 'agent' || role === 'store_manager';

export const staffView: View = {
  title: 'console.view.staff',
  roles: ['operator_admin'],
  render(c: Console, params: URLSearchParams): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const filter = params.get('store') ?? '';
    const secret = h('div');
    const list = h('div', { class: 'table-wrap' });
    const controls = h('div', { class: 'controls' });
    const storeSelect = h('select', { name: 'storeId', required: true });
    let stores: Store[] = [];

    async function load(): Promise<void> {
      const q = filter ? `?storeId=${encodeURIComponent(filter)}` : '';
      const items = await c.busy(c.t('console.loading'), async () => (await c.api.request<{ items: Staff[] }>('GET', `/v1/tenants/${tenantId}/staff${q}`)).items);
      if (!items) return;
      const byId = new Map(stores.map((s) => [s.id, s]));
      const columns: Column<Staff>[] = [
        { label: c.t('console.staff.username'), cell: (s) => [h('span', { class: 'mono' }, s.username), h('br'), h('small', { class: 'hint' }, s.displayName)] },
        { label: c.t('console.staff.role'), cell: (s) => c.t(`role.${s.role}`) },
        { label: c.t('console.staff.store'), cell: (s) => {
          const store = s.storeId ? byId.get(s.storeId) : undefined;
          return store ? storeLabel(store) : h('span', { class: 'hint' }, s.storeId ? '—' : c.t('console.staff.no_store'));
        } },
        { label: c.t('console.staff.state'), cell: state },
        { label: c.t('console.staff.last_login'), cell: (s) => (s.lastLoginAt ? whenShort(c, s.lastLoginAt) : h('span', { class: 'hint' }, c.t('console.staff.never'))) },
        { label: c.t('console.actions'), cell: actions, kind: 'act' },
      ];
      replace(list, items.length === 0 ? h('p', { class: 'none' }, c.t('console.staff.none'))
        : dataTable(columns, items, (s) => ({ 'data-username': s.username, class: s.disabled ? 'muted' : null })));
    }

    function state(s: Staff): HTMLElement {
      if (s.disabled) return h('span', { class: 'pill bad' }, c.t('console.staff.state.disabled'));
      if (s.mustChangePassword) return h('span', { class: 'pill warn' }, c.t('console.staff.state.first_login'));
      return h('span', { class: 'pill ok' }, c.t('console.staff.state.active'));
    }

    function actions(s: Staff): HTMLElement[] | HTMLElement {
      if (s.id === c.session.staff.id) return h('span', { class: 'hint' }, c.t('console.staff.you'));
      const reset = h('button', { type: 'button', class: 'ghost small', 'aria-label': c.t('console.staff.reset_of', { user: s.username }), onclick: async () => {
        const yes = await confirmAction(c, { title: c.t('console.staff.reset.title', { user: s.username }), body: c.t('console.staff.reset.body'), yes: c.t('console.staff.reset') });
        if (!yes) return;
        const r = await c.busy(c.t('console.saving'), () => c.api.request<Created>('POST', `/v1/staff/${s.id}/password-reset`));
        if (!r) return;
        await load();
        showSecret(r);
      } }, c.t('console.staff.reset'));
      if (s.disabled) {
        return [h('button', { type: 'button', class: 'secondary small', 'aria-label': c.t('console.staff.enable_of', { user: s.username }), onclick: async () => {
          const r = await c.busy(c.t('console.saving'), () => c.api.request<Staff>('POST', `/v1/staff/${s.id}/enable`));
          if (!r) return;
          c.notice(c.t('console.staff.enabled', { user: s.username }));
          await load();
        } }, c.t('console.staff.enable')), reset];
      }
      return [reset, h('button', { type: 'button', class: 'ghost small danger', 'aria-label': c.t('console.staff.disable_of', { user: s.username }), onclick: async () => {
        const yes = await confirmAction(c, {
          title: c.t('console.staff.disable.title', { user: s.username }), body: c.t('console.staff.disable.body'), yes: c.t('console.staff.disable'), danger: true,
        });
        if (!yes) return;
        const r = await c.busy(c.t('console.saving'), () => c.api.request<Staff>('POST', `/v1/staff/${s.id}/disable`));
        if (!r) return;
        c.notice(c.t('console.staff.disabled', { user: s.username }));
        await load();
      } }, c.t('console.staff.disable'))];
    }

    function showSecret(r: Created): void {
      c.clearProblem();
      replace(secret, secretPanel(c, r.oneTimePassword, {
        title: c.t('console.staff.otp.title', { user: r.staff.username }),
        lead: c.t('console.staff.otp.lead', { user: r.staff.username }),
        label: c.t('console.staff.otp.label', { user: r.staff.username }),
      }));
    }

    const username = h('input', { name: 'username', required: true, minlength: 3, maxlength: 64, pattern: '[A-Za-z0-9._\\-]{3,64}', autocomplete: 'off', spellcheck: 'false', placeholder: 'li.na' });
    const displayName = h('input', { name: 'displayName', required: true, maxlength: 100, autocomplete: 'off' });
    const role = h('select', { name: 'role' }, creatable.map((r) => h('option', { value: r }, c.t(`role.${r}`))));
    const storeField = h('label', { class: 'field' }, h('span', null, c.t('console.staff.store')), storeSelect);
    const syncRole = () => {
      const bound = storeBound(role.value);
      storeSelect.disabled = !bound;
      storeSelect.required = bound;
      storeField.hidden = !bound;
    };
    role.addEventListener('change', syncRole);
    const form = h('form', { class: 'admin-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = {
        username: username.value.trim().toLowerCase(), displayName: displayName.value.trim(), role: role.value,
        ...(storeBound(role.value) ? { storeId: storeSelect.value } : {}),
      };
      const r = await c.busy(c.t('console.saving'), () => c.api.request<Created>('POST', `/v1/tenants/${tenantId}/staff`, body));
      if (!r) return;
      username.value = '';
      displayName.value = '';
      await load();
      showSecret(r);
    } },
    h('h2', null, c.t('console.staff.new')),
    h('div', { class: 'grid2' },
      h('label', { class: 'field' }, h('span', null, c.t('console.staff.username')), username, h('small', { class: 'hint' }, c.t('console.staff.username_hint'))),
      h('label', { class: 'field' }, h('span', null, c.t('console.staff.display_name')), displayName),
      h('label', { class: 'field' }, h('span', null, c.t('console.staff.role')), role),
      storeField),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.staff.submit')));

    void loadStores(c).then(async (all) => {
      stores = all ?? [];
      replace(storeSelect, stores.map((s) => h('option', { value: s.id, selected: s.id === filter }, storeLabel(s))));
      replace(controls, h('label', { class: 'inline' }, h('span', null, c.t('console.staff.filter')),
        h('select', { name: 'store', onchange: (ev) => { const v = (ev.target as HTMLSelectElement).value; c.go('staff', v ? { store: v } : undefined); } },
          h('option', { value: '' }, c.t('console.staff.all_stores')),
          stores.map((s) => h('option', { value: s.id, selected: s.id === filter }, storeLabel(s))))));
      syncRole();
      await load();
    });
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.staff')), h('p', { class: 'lead' }, c.t('console.staff.lead')),
      secret, controls, list, form);
  },
};
