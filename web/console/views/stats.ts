/**
 * Registration statistics (GET /v1/statistics/registrations): what the server lets this role see
 * (regulator: every operator; operator admin: its operator; store manager: its store), grouped
 * by operator, store, agent or day, with rejections and refused liveness checks by reason.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { reasonText } from '../console.ts';
import { legend, reasonBars, stackedBars } from './charts.ts';
import { periodOf, periodPicker } from './period.ts';

interface Counts {
  started: number; completed: number; rejected: number; expired: number; cancelled: number; open: number;
  manualReviewApprovals: number; faceAttemptsFailed: number; livenessFailed: number;
  rejectedByReason: Record<string, number>; livenessFailedByReason: Record<string, number>;
}
interface Stats { from: string; to: string; totals: Counts; groups: (Counts & { key: string; label: string })[] }

type GroupBy = 'tenant' | 'store' | 'agent' | 'day';
const groupings: Record<'regulator' | 'operator_admin' | 'store_manager', readonly GroupBy[]> = { regulator: ['tenant', 'store', 'agent', 'day'], operator_admin: ['store', 'agent', 'day'], store_manager: ['agent', 'day'] };

export const statsView: View = {
  title: 'console.view.stats',
  roles: ['regulator', 'operator_admin', 'store_manager'],
  render(c: Console, params: URLSearchParams): HTMLElement {
    const role = c.session.staff.role as keyof typeof groupings;
    const options = groupings[role];
    const groupBy: GroupBy = options.find((g) => g === params.get('groupBy')) ?? options[0]!;
    const { days, from, to } = periodOf(params);
    const body = h('div', { class: 'stack' }, h('p', { class: 'hint' }, c.t('console.loading')));
    const controls = h('div', { class: 'controls' },
      periodPicker(c, 'stats', params, days),
      h('label', { class: 'inline' }, h('span', null, c.t('console.stats.group')),
        h('select', { name: 'groupBy', onchange: (ev) => c.go('stats', { days, groupBy: (ev.target as HTMLSelectElement).value }) },
          options.map((g) => h('option', { value: g, selected: g === groupBy }, c.t(`console.stats.by.${g}`))))));
    const q = new URLSearchParams({ from, to, groupBy });
    void c.busy(c.t('console.loading'), () => c.api.request<Stats>('GET', `/v1/statistics/registrations?${q}`)).then((s) => {
      if (!s) { replace(body); return; }
      replace(body, render(c, s, groupBy));
    });
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.stats')), controls, body);
  },
};

function render(c: Console, s: Stats, groupBy: GroupBy): HTMLElement[] {
  const t = s.totals;
  const kpi = (label: string, value: number, kind = '') => h('div', { class: `kpi ${kind}` }, h('span', { class: 'value' }, String(value)), h('span', null, label));
  const other = (g: Counts) => g.open + g.expired + g.cancelled;
  const groups = groupBy === 'day' ? [...s.groups].sort((a, b) => a.key.localeCompare(b.key)) : [...s.groups].sort((a, b) => b.started - a.started);
  return [
    h('div', { class: 'kpis' },
      kpi(c.t('console.stats.started'), t.started),
      kpi(c.t('console.stats.completed'), t.completed, 'ok'),
      kpi(c.t('console.stats.rejected'), t.rejected, 'bad'),
      kpi(c.t('console.stats.liveness_failed'), t.livenessFailed, 'warn'),
      kpi(c.t('console.stats.face_failed'), t.faceAttemptsFailed, 'warn'),
      kpi(c.t('console.stats.manual'), t.manualReviewApprovals)),
    t.started === 0 ? h('p', { class: 'hint' }, c.t('console.stats.none')) : h('div', { class: 'charts' },
      h('div', null,
        stackedBars(groups.map((g) => ({
          label: g.label,
          segments: [
            { value: g.completed, kind: 'ok', label: c.t('console.stats.completed') },
            { value: g.rejected, kind: 'bad', label: c.t('console.stats.rejected') },
            { value: other(g), kind: 'muted', label: c.t('console.stats.other') },
          ],
        })), c.t('console.stats.chart', { by: c.t(`console.stats.by.${groupBy}`) })),
        legend([
          { kind: 'ok', label: c.t('console.stats.completed') }, { kind: 'bad', label: c.t('console.stats.rejected') },
          { kind: 'muted', label: c.t('console.stats.other') },
        ])),
      h('div', null,
        Object.keys(t.rejectedByReason).length ? reasonBars(t.rejectedByReason, (code) => reasonText(c, code), c.t('console.stats.rejections')) : null,
        Object.keys(t.livenessFailedByReason).length
          ? reasonBars(t.livenessFailedByReason, (code) => reasonText(c, code), c.t('console.stats.liveness_reasons'), 'warn') : null)),
    h('table', { class: 'data' },
      h('thead', null, h('tr', null,
        h('th', null, c.t(`console.stats.by.${groupBy}`)), h('th', { class: 'n' }, c.t('console.stats.started')), h('th', { class: 'n' }, c.t('console.stats.completed')),
        h('th', { class: 'n' }, c.t('console.stats.rejected')), h('th', { class: 'n' }, c.t('console.stats.liveness_failed')),
        h('th', { class: 'n' }, c.t('console.stats.face_failed')), h('th', { class: 'n' }, c.t('console.stats.manual')), h('th', { class: 'n' }, c.t('console.stats.other')))),
      h('tbody', null, groups.map((g) => h('tr', null,
        h('td', null, g.label), h('td', { class: 'n' }, String(g.started)), h('td', { class: 'n' }, String(g.completed)), h('td', { class: 'n' }, String(g.rejected)),
        h('td', { class: 'n' }, String(g.livenessFailed)), h('td', { class: 'n' }, String(g.faceAttemptsFailed)),
        h('td', { class: 'n' }, String(g.manualReviewApprovals)), h('td', { class: 'n' }, String(other(g))))))),
  ];
}
