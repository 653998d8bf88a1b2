/**
 * The operator's stores (GET/POST /v1/tenants/{t}/stores, PATCH /v1/stores/{id}): code, name,
 * GB/T 2260 region (the server names it) and the number of enabled staff accounts, which links
 * to the staff of that store; open a store, and edit a store's name and region in its row.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { dataCell } from '../table.ts';

export interface Store { id: string; code: string; name: string; regionCode: string | null; regionName: string | null; staffCount: number }

/** "BJ-001 北京东城营业厅": how a store is named in lists and menus. */
export const storeLabel = (s: Pick<Store, 'code' | 'name'>): string => `${s.code} ${s.name}`;

/** The operator's stores, by code; undefined when the request failed (the banner says why). */
export function loadStores(c: Console): Promise<Store[] | undefined> {
  return c.busy(c.t('console.loading'), async () =>
    (await c.api.request<{ items: Store[] }>('GET', `/v1/tenants/${c.session.staff.tenantId!}/stores`)).items);
}

const codePattern = '[A-Za-z0-9\\-]{1,32}';
const regionPattern = '[0-9]{6}';

export const storesView: View = {
  title: 'console.view.stores',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const list = h('div', { class: 'table-wrap' });

    const label = {
      code: c.t('console.stores.code'), name: c.t('console.stores.name'), region: c.t('console.stores.region'),
      staff: c.t('console.stores.staff'), actions: c.t('console.actions'),
    };

    async function load(): Promise<void> {
      const stores = await loadStores(c);
      if (!stores) return;
      replace(list, stores.length === 0 ? h('p', { class: 'none' }, c.t('console.stores.none')) : h('table', { class: 'data cards', role: 'table' },
        h('thead', { role: 'rowgroup' }, h('tr', { role: 'row' },
          h('th', { role: 'columnheader' }, label.code), h('th', { role: 'columnheader' }, label.name), h('th', { role: 'columnheader' }, label.region),
          h('th', { role: 'columnheader', class: 'n' }, label.staff), h('th', { role: 'columnheader', class: 'act' }, h('span', { class: 'sr-only' }, label.actions)))),
        h('tbody', { role: 'rowgroup' }, stores.map(row))));
    }

    /** A store's row; its Edit button turns the name and region into fields in place (Enter saves, Esc cancels). */
    function row(s: Store): HTMLTableRowElement {
      const tr = h('tr', { role: 'row', 'data-store': s.code });
      let editing = false;
      tr.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && editing) { show(); tr.querySelector('button')?.focus(); } });
      function show(): void {
        editing = false;
        replace(tr,
          dataCell(label.code, h('span', { class: 'mono' }, s.code)),
          dataCell(label.name, s.name),
          dataCell(label.region, s.regionCode ? [h('span', { class: 'mono' }, s.regionCode), ' ', h('span', { class: 'hint' }, s.regionName ?? '')] : h('span', { class: 'hint' }, '—')),
          dataCell(label.staff, h('a', { href: `#/staff?store=${s.id}`, 'aria-label': c.t('console.stores.staff_of', { n: s.staffCount, store: s.code }) }, String(s.staffCount)), 'n'),
          dataCell(label.actions, h('button', { type: 'button', class: 'ghost small', 'aria-label': c.t('console.stores.edit_of', { store: s.code }), onclick: edit },
            c.t('console.stores.edit')), 'act'));
      }
      function edit(): void {
        editing = true;
        const formId = `edit-${s.id}`;
        const name = h('input', { name: 'name', form: formId, required: true, maxlength: 200, value: s.name, 'aria-label': label.name });
        const region = h('input', { name: 'regionCode', form: formId, pattern: regionPattern, inputmode: 'numeric', maxlength: 6, value: s.regionCode ?? '',
          'aria-label': c.t('console.stores.region_code'), title: c.t('console.stores.region_hint'), placeholder: '110101' });
        const form = h('form', { id: formId, class: 'row-actions', onsubmit: async (ev) => {
          ev.preventDefault();
          const change: { name?: string; regionCode?: string | null } = {};
          if (name.value.trim() !== s.name) change.name = name.value.trim();
          const code = region.value.trim() === '' ? null : region.value.trim();
          if (code !== s.regionCode) change.regionCode = code;
          if (Object.keys(change).length === 0) { show(); return; }
          const saved = await c.busy(c.t('console.saving'), () => c.api.request<Store>('PATCH', `/v1/stores/${s.id}`, change));
          if (!saved) return;
          c.notice(c.t('console.stores.saved', { store: s.code }));
          await load();
        } },
        h('button', { type: 'submit', class: 'primary small' }, c.t('console.stores.save')),
        h('button', { type: 'button', class: 'ghost small', onclick: show }, c.t('console.confirm.cancel')));
        replace(tr, dataCell(label.code, h('span', { class: 'mono' }, s.code)), dataCell(label.name, name),
          dataCell(label.region, region),
          dataCell(label.staff, String(s.staffCount), 'n'), h('td', { role: 'cell', class: 'act', 'data-label': '' }, form));
        name.focus();
      }
      show();
      return tr;
    }

    const code = h('input', { name: 'code', required: true, pattern: codePattern, maxlength: 32, autocomplete: 'off', placeholder: 'BJ-002' });
    const name = h('input', { name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
    const region = h('input', { name: 'regionCode', pattern: regionPattern, inputmode: 'numeric', maxlength: 6, autocomplete: 'off', placeholder: '110101' });
    const form = h('form', { class: 'admin-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { code: code.value.trim(), name: name.value.trim(), ...(region.value.trim() ? { regionCode: region.value.trim() } : {}) };
      const created = await c.busy(c.t('console.saving'), () => c.api.request<Store>('POST', `/v1/tenants/${tenantId}/stores`, body));
      if (!created) return;
      c.notice(c.t('console.stores.created', { store: storeLabel(created) }));
      form.reset();
      await load();
    } },
    h('h2', null, c.t('console.stores.new')),
    h('div', { class: 'grid3' },
      h('label', { class: 'field' }, h('span', null, c.t('console.stores.code')), code, h('small', { class: 'hint' }, c.t('console.stores.code_hint'))),
      h('label', { class: 'field' }, h('span', null, c.t('console.stores.name')), name),
      h('label', { class: 'field' }, h('span', null, c.t('console.stores.region_code')), region, h('small', { class: 'hint' }, c.t('console.stores.region_hint')))),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.stores.submit')));

    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.stores')), h('p', { class: 'lead' }, c.t('console.stores.lead')), list, form);
  },
};
