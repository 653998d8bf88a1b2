/**
 * The operator's number inventory: how many numbers are in each state (GET
 * /v1/tenants/{t}/numbers/counts), and the import of a CSV file (`msisdn[,store_code]` lines,
 * POST …/numbers/import as text/csv) with the server's report of every row not imported.
 */
import { h, replace } from '../../shared/dom.ts';
import { Notice } from '../../shared/problems.ts';
import type { Console, View } from '../console.ts';

interface Counts { counts: Record<string, number>; total: number }
interface Report { imported: number; duplicate: number; invalid: number; unknownStore: number; rows: { line: number; msisdn: string; status: string; message: string }[] }

const states = ['available', 'reserved', 'active', 'suspended', 'surrendered', 'cooling_off'];

export const numbersView: View = {
  title: 'console.view.numbers',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const counts = h('div', { class: 'kpis' });
    const report = h('div', { class: 'stack', 'aria-live': 'polite' });
    async function load(): Promise<void> {
      const r = await c.busy(c.t('console.loading'), () => c.api.request<Counts>('GET', `/v1/tenants/${tenantId}/numbers/counts`));
      if (r) replace(counts, [...states.filter((s) => s in r.counts), ...Object.keys(r.counts).filter((s) => !states.includes(s))].map((s) =>
        h('div', { class: 'kpi' }, h('span', { class: 'value' }, String(r.counts[s])), h('span', null, c.i18n.maybe(`console.numbers.state.${s}`) ?? s))),
      h('div', { class: 'kpi' }, h('span', { class: 'value' }, String(r.total)), h('span', null, c.t('console.numbers.total'))));
    }
    const file = h('input', { type: 'file', name: 'csv', accept: '.csv,text/csv' });
    const chosen = h('span', { class: 'chosen' }, c.t('console.numbers.none_chosen'));
    file.addEventListener('change', () => { chosen.textContent = file.files?.[0]?.name ?? c.t('console.numbers.none_chosen'); });
    const form = h('form', { class: 'import', onsubmit: async (ev) => {
      ev.preventDefault();
      const f = file.files?.[0];
      if (!f) { c.problem(new Notice(c.t('console.numbers.pick_first'))); return; }
      const text = await f.text();
      const r = await c.busy(c.t('console.numbers.importing'), () => c.api.request<Report>('POST', `/v1/tenants/${tenantId}/numbers/import`, text, { contentType: 'text/csv' }));
      if (!r) return;
      replace(report,
        h('p', { class: r.rows.length ? 'warn' : 'good' }, c.t('console.numbers.report', { imported: r.imported, duplicate: r.duplicate, invalid: r.invalid, unknownStore: r.unknownStore })),
        r.rows.length ? h('table', { class: 'data' },
          h('thead', null, h('tr', null, h('th', { class: 'n' }, c.t('console.numbers.line')), h('th', null, c.t('console.numbers.msisdn')), h('th', null, c.t('console.numbers.status')), h('th', null, c.t('console.numbers.message')))),
          h('tbody', null, r.rows.map((row) => h('tr', null, h('td', { class: 'n' }, String(row.line)), h('td', { class: 'mono' }, row.msisdn),
            h('td', null, c.i18n.maybe(`console.numbers.row.${row.status}`) ?? row.status), h('td', { class: 'hint' }, row.message))))) : null);
      await load();
    } },
    h('h2', null, c.t('console.numbers.import')),
    h('p', { class: 'hint' }, c.t('console.numbers.format')),
    h('label', { class: 'field' }, h('span', null, c.t('console.numbers.file')), h('span', { class: 'file' }, file, h('span', { class: 'pick' }, c.t('console.numbers.choose')), chosen)),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.numbers.submit')));
    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.numbers')), counts, form, report);
  },
};
