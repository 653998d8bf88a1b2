/**
 * Re-verification campaigns (POST/GET /v1/tenants/{t}/reverification-campaigns): flag numbers
 * (listed, or every active number of a store) whose holders must verify again by a deadline,
 * and follow each campaign's progress by status.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { when } from '../console.ts';
import { stackedBars, legend, type Segment } from './charts.ts';

interface Campaign { id: string; name: string; reason: string; deadlineHours: number; createdAt: string; counts: Record<string, number> }
interface Created { created: number; skipped: number; deadline: string; rows: { msisdn: string; outcome: string; reason?: string }[] }

const statusKinds: Record<string, Segment['kind']> = { passed: 'ok', pending: 'warn', suspended: 'bad', cancelled: 'muted' };

export const campaignsView: View = {
  title: 'console.view.campaigns',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const list = h('div', { class: 'stack' });
    const skipped = h('div', { 'aria-live': 'polite' });
    async function load(): Promise<void> {
      const r = await c.busy(c.t('console.loading'), () => c.api.request<{ items: Campaign[] }>('GET', `/v1/tenants/${tenantId}/reverification-campaigns`));
      if (!r) return;
      if (r.items.length === 0) { replace(list, h('p', { class: 'none' }, c.t('console.campaigns.none'))); return; }
      const statuses = [...new Set(r.items.flatMap((x) => Object.keys(x.counts)))].filter((s) => s !== 'total');
      replace(list,
        stackedBars(r.items.map((x) => ({
          label: `${x.name} · ${when(c, x.createdAt)}`,
          segments: statuses.map((s) => ({ value: x.counts[s] ?? 0, kind: statusKinds[s] ?? 'muted', label: s })),
        })), c.t('console.campaigns.progress')),
        legend(statuses.map((s) => ({ kind: statusKinds[s] ?? 'muted', label: c.i18n.maybe(`console.campaigns.status.${s}`) ?? s }))));
    }
    const name = h('input', { name: 'name', required: true, maxlength: 200 });
    const reason = h('input', { name: 'reason', required: true, pattern: '[a-z][a-z0-9_]{2,39}' });
    reason.defaultValue = 'periodic_check';
    const hours = h('input', { name: 'deadlineHours', type: 'number', min: 1, max: 8760, placeholder: c.t('console.campaigns.hours.default') });
    const msisdns = h('textarea', { name: 'msisdns', rows: 4, required: true, placeholder: '17000000001\n17000000002' });
    const form = h('form', { onsubmit: async (ev) => {
      ev.preventDefault();
      const numbers = msisdns.value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
      const r = await c.busy(c.t('console.saving'), () => c.api.request<Created>('POST', `/v1/tenants/${tenantId}/reverification-campaigns`, {
        name: name.value.trim(), reason: reason.value.trim(), msisdns: numbers, ...(hours.value ? { deadlineHours: Number(hours.value) } : {}),
      }));
      if (!r) return;
      c.notice(c.t('console.campaigns.created', { created: r.created, skipped: r.skipped, deadline: when(c, r.deadline) }));
      const notFlagged = r.rows.filter((row) => row.outcome === 'skipped');
      replace(skipped, notFlagged.length ? h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', null, c.t('console.numbers.msisdn')), h('th', null, c.t('console.campaigns.skipped_why')))),
        h('tbody', null, notFlagged.map((row) => h('tr', null, h('td', { class: 'mono' }, row.msisdn), h('td', { class: 'hint' }, row.reason ? c.i18n.maybe(`problem.${row.reason}`) ?? row.reason : ''))))) : '');
      form.reset();
      await load();
    } },
    h('h2', null, c.t('console.campaigns.new')),
    h('div', { class: 'grid2' },
      h('label', { class: 'field' }, h('span', null, c.t('console.campaigns.name')), name),
      h('label', { class: 'field' }, h('span', null, c.t('console.campaigns.reason')), reason),
      h('label', { class: 'field' }, h('span', null, c.t('console.campaigns.hours')), hours)),
    h('label', { class: 'field' }, h('span', null, c.t('console.campaigns.msisdns')), msisdns),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.campaigns.submit')),
    skipped);
    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.campaigns')), h('p', { class: 'lead' }, c.t('console.campaigns.lead')), list, form);
  },
};
