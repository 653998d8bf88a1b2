/**
 * The operator's policy settings (GET/PUT /v1/tenants/{t}/policy): every setting with its
 * meaning and range; the server validates and audits each change and answers which changed.
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

type Settings = Record<string, number | boolean>;
interface Policy { tenantId: string; settings: Settings }

/** Settings in the order shown, with their input ranges (the server's PolicySettingsSchema). */
const fields: { key: string; min?: number; max?: number; step?: string }[] = [
  { key: 'maxActiveNumbersPerPerson', min: 1, max: 100 }, { key: 'transferEnabled' }, { key: 'coolingOffDays', min: 0, max: 3650 },
  { key: 'reverificationDeadlineHours', min: 1, max: 8760 }, { key: 'minorAgeYears', min: 0, max: 21 },
  { key: 'faceFalseMatchRate', min: 0.0001, max: 0.01, step: 'any' }, { key: 'sessionTtlMinutes', min: 1, max: 1440 },
  { key: 'manualReviewEnabled' }, { key: 'captureRetentionDays', min: 0, max: 365 },
];

export const policyView: View = {
  title: 'console.view.policy',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const tenantId = c.session.staff.tenantId!;
    const form = h('form', { class: 'policy' });
    const changes = h('div', { 'aria-live': 'polite' });
    void c.busy(c.t('console.loading'), () => c.api.request<Policy>('GET', `/v1/tenants/${tenantId}/policy`)).then((p) => { if (p) fill(p.settings); });

    function fill(settings: Settings): void {
      const inputs = new Map<string, HTMLInputElement>();
      const rows = fields.filter((f) => f.key in settings).map((f) => {
        const v = settings[f.key]!;
        const input = typeof v === 'boolean'
          ? h('input', { type: 'checkbox', name: f.key, checked: v })
          : h('input', { type: 'number', name: f.key, value: String(v), min: f.min ?? null, max: f.max ?? null, step: f.step ?? '1', required: true });
        inputs.set(f.key, input);
        return h('label', { class: typeof v === 'boolean' ? 'field check' : 'field' },
          h('span', null, c.t(`console.policy.${f.key}` as MessageKey)), input,
          h('small', { class: 'hint' }, c.t(`console.policy.${f.key}.hint` as MessageKey)));
      });
      replace(form, rows, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, c.t('console.policy.save'))));
      form.onsubmit = async (ev) => {
        ev.preventDefault();
        const next: Settings = {};
        for (const [key, input] of inputs) {
          const value = input.type === 'checkbox' ? input.checked : Number(input.value);
          if (value !== settings[key]) next[key] = value;
        }
        if (Object.keys(next).length === 0) { c.notice(c.t('console.policy.unchanged')); return; }
        const r = await c.busy(c.t('console.saving'), () => c.api.request<Policy & { changes: { setting: string; from: unknown; to: unknown }[] }>('PUT', `/v1/tenants/${tenantId}/policy`, next));
        if (!r) return;
        c.notice(c.t('console.policy.saved', { n: r.changes.length }));
        replace(changes, h('ul', { class: 'changes' }, r.changes.map((ch) => h('li', null, `${c.t(`console.policy.${ch.setting}` as MessageKey)}: ${String(ch.from)} → ${String(ch.to)}`))));
        fill(r.settings);
      };
    }
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.policy')), h('p', { class: 'lead' }, c.t('console.policy.lead')), form, changes);
  },
};
