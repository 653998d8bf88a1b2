/**
 * Anomaly flags (GET /v1/statistics/anomalies): one document starting registrations at several
 * stores within a day, bursts of registrations at one store, agents with many manual overrides.
 * Documents appear only as an opaque token: the console never shows whose they are.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { when } from '../console.ts';
import { periodOf, periodPicker } from './period.ts';

interface Anomalies {
  thresholds: { documentStores: number; documentWindowHours: number; burstThreshold: number; burstWindowMinutes: number; overrideApprovals: number; overrideShare: number };
  documents: { token: string; storeCount: number; registrations: { id: string; storeCode: string; createdAt: string }[] }[];
  bursts: { storeCode: string; windowStart: string; windowEnd: string; registrations: number }[];
  agents: { username: string; manualReviewApprovals: number; completions: number; manualReviewShare: number }[];
}

export const anomaliesView: View = {
  title: 'console.view.anomalies',
  roles: ['regulator', 'operator_admin'],
  render(c: Console, params: URLSearchParams): HTMLElement {
    const { days, from, to } = periodOf(params);
    const body = h('div', { class: 'stack' });
    void c.busy(c.t('console.loading'), () => c.api.request<Anomalies>('GET', `/v1/statistics/anomalies?${new URLSearchParams({ from, to })}`)).then((a) => {
      if (a) replace(body, render(c, a));
    });
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.anomalies')), h('div', { class: 'controls' }, periodPicker(c, 'anomalies', params, days)), body);
  },
};

function section(title: string, rule: string, count: number, content: HTMLElement): HTMLElement {
  return h('section', { class: `flag ${count ? 'raised' : 'clear'}` }, h('h2', null, title, h('span', { class: 'count' }, String(count))), h('p', { class: 'hint' }, rule), content);
}

function render(c: Console, a: Anomalies): HTMLElement[] {
  const th = a.thresholds;
  const none = h('p', { class: 'none' }, c.t('console.anomalies.none'));
  return [
    section(c.t('console.anomalies.documents'), c.t('console.anomalies.documents.rule', { stores: th.documentStores, hours: th.documentWindowHours }), a.documents.length,
      a.documents.length ? h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', null, c.t('console.anomalies.document')), h('th', { class: 'n' }, c.t('console.anomalies.stores')), h('th', null, c.t('console.anomalies.where')))),
        h('tbody', null, a.documents.map((d) => h('tr', null, h('td', { class: 'mono' }, d.token), h('td', { class: 'n' }, String(d.storeCount)),
          h('td', null, d.registrations.map((r) => `${r.storeCode} ${when(c, r.createdAt)}`).join(' · ')))))) : none.cloneNode(true) as HTMLElement),
    section(c.t('console.anomalies.bursts'), c.t('console.anomalies.bursts.rule', { n: th.burstThreshold, minutes: th.burstWindowMinutes }), a.bursts.length,
      a.bursts.length ? h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', null, c.t('console.anomalies.store')), h('th', null, c.t('console.anomalies.window')), h('th', { class: 'n' }, c.t('console.stats.started')))),
        h('tbody', null, a.bursts.map((b) => h('tr', null, h('td', null, b.storeCode), h('td', null, `${when(c, b.windowStart)} – ${when(c, b.windowEnd)}`), h('td', { class: 'n' }, String(b.registrations)))))) : none.cloneNode(true) as HTMLElement),
    section(c.t('console.anomalies.agents'), c.t('console.anomalies.agents.rule', { n: th.overrideApprovals, share: Math.round(th.overrideShare * 100) }), a.agents.length,
      a.agents.length ? h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', null, c.t('console.anomalies.agent')), h('th', { class: 'n' }, c.t('console.stats.manual')), h('th', { class: 'n' }, c.t('console.stats.completed')), h('th', { class: 'n' }, c.t('console.anomalies.share')))),
        h('tbody', null, a.agents.map((g) => h('tr', null, h('td', null, g.username), h('td', { class: 'n' }, String(g.manualReviewApprovals)), h('td', { class: 'n' }, String(g.completions)),
          h('td', { class: 'n' }, `${Math.round(g.manualReviewShare * 100)}%`))))) : none.cloneNode(true) as HTMLElement),
  ];
}
