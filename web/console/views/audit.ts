/**
 * The audit log (GET /v1/audit/events, newest first, 50 a page), "verify chain" (POST
 * /v1/audit/verify: recomputes every link and names the first broken one) and the inspection
 * export as CSV (GET /v1/audit/export.csv, fetched with the session's token and saved).
 */
import { h, replace } from '../../shared/dom.ts';
import type { Console, View } from '../console.ts';
import { when } from '../console.ts';

interface AuditEvent { id: number; seq: number | null; at: string; tenantId: string | null; actorType: string; action: string; subjectType: string | null; subjectId: string | null; hash: string | null }
type Verified = { ok: true; events: number; head: string } | { ok: false; events: number; firstBroken: { seq: number; problem: string; detail: string } };

export const auditView: View = {
  title: 'console.view.audit',
  roles: ['regulator', 'operator_admin'],
  render(c: Console): HTMLElement {
    const regulator = c.session.staff.role === 'regulator';
    const result = h('div', { class: 'verify', 'aria-live': 'polite' });
    const rows = h('tbody');
    const more = h('button', { type: 'button', class: 'secondary', hidden: true }, c.t('console.audit.more'));
    let cursor: string | null = null;

    async function page(): Promise<void> {
      const q = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
      const r = await c.busy(c.t('console.loading'), () => c.api.request<{ items: AuditEvent[]; nextCursor: string | null }>('GET', `/v1/audit/events?${q}`));
      if (!r) return;
      cursor = r.nextCursor;
      more.hidden = cursor === null;
      rows.append(...r.items.map((e) => h('tr', null,
        h('td', { class: 'n' }, e.seq === null ? '…' : String(e.seq)), h('td', null, when(c, e.at, true)), h('td', { class: 'mono' }, e.action),
        h('td', null, e.actorType), h('td', null, e.subjectType ?? ''), h('td', { class: 'mono small', title: e.hash ?? '' }, e.hash ? `${e.hash.slice(0, 12)}…` : c.t('console.audit.unchained')))));
    }
    more.addEventListener('click', () => void page());

    const verify = h('button', { type: 'button', class: 'primary', onclick: async () => {
      const v = await c.busy(c.t('console.audit.verifying'), () => c.api.request<Verified>('POST', '/v1/audit/verify'));
      if (!v) return;
      replace(result, v.ok
        ? h('p', { class: 'good' }, h('strong', null, c.t('console.audit.intact')), ' ', c.t('console.audit.intact.detail', { n: v.events, head: v.head.slice(0, 16) }))
        : h('p', { class: 'bad' }, h('strong', null, c.t('console.audit.broken', { seq: v.firstBroken.seq })), ' ', `${v.firstBroken.problem}: ${v.firstBroken.detail}`));
    } }, c.t('console.audit.verify'));

    const exportCsv = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      const blob = await c.busy(c.t('console.audit.exporting'), () => c.api.download('/v1/audit/export.csv'));
      if (!blob) return;
      const a = h('a', { href: URL.createObjectURL(blob), download: `portrait-audit-${new Date().toISOString().slice(0, 10)}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      c.notice(c.t('console.audit.exported'));
    } }, c.t('console.audit.export'));

    void page();
    return h('section', { class: 'card' },
      h('h1', null, c.t('console.view.audit')),
      h('p', { class: 'lead' }, c.t('console.audit.lead')),
      regulator ? h('div', { class: 'actions' }, verify, exportCsv) : h('p', { class: 'hint' }, c.t('console.audit.regulator_only')),
      result,
      h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', { class: 'n' }, c.t('console.audit.seq')), h('th', null, c.t('console.audit.at')), h('th', null, c.t('console.audit.action')),
          h('th', null, c.t('console.audit.actor')), h('th', null, c.t('console.audit.subject')), h('th', null, c.t('console.audit.hash')))),
        rows),
      h('div', { class: 'actions' }, more));
  },
};
