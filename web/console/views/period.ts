/** The period picker of the statistics views: the last 1, 7 or 30 days, kept in the view's hash. */
import { h } from '../../shared/dom.ts';
import type { Console, ViewName } from '../console.ts';

export const periodDays = ['1', '7', '30'] as const;

export function periodOf(params: URLSearchParams): { days: string; from: string; to: string } {
  const days = periodDays.find((d) => d === params.get('days')) ?? '7';
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000); // the next whole minute: new registrations count
  return { days, from: new Date(to.getTime() - Number(days) * 86_400_000).toISOString(), to: to.toISOString() };
}

export function periodPicker(c: Console, view: ViewName, params: URLSearchParams, days: string): HTMLElement {
  return h('label', { class: 'inline' }, h('span', null, c.t('console.period')),
    h('select', { name: 'days', onchange: (ev) => c.go(view, { ...Object.fromEntries(params), days: (ev.target as HTMLSelectElement).value }) },
      periodDays.map((d) => h('option', { value: d, selected: d === days }, c.t('console.period.days', { n: d })))));
}
