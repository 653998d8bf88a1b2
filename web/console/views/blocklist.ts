/**
 * The operator's blocklist of documents refused at registration (GET/POST /v1/blocklist, DELETE
 * /v1/blocklist/{id}): each entry with its document type and masked number only (the server keeps
 * no full number), reason, note, scope (this operator, or deployment-wide: read-only here), who
 * added it and when; add a document (checked while typed where the browser can), remove an entry
 * of this operator after a confirmation. The number typed is cleared once the entry is added.
 */
import { h, replace } from '../../shared/dom.ts';
import { checkIdInput } from '../../shared/id-input.ts';
import type { Console, View } from '../console.ts';
import { whenShort } from '../console.ts';
import { dataRow, dataTable, type Column } from '../table.ts';
import { confirmAction } from '../dialog.ts';

interface Entry {
  id: string; tenantId: string | null; documentType: string | null; maskedNumber: string | null; reasonCode: string; reason: string;
  createdByUsername: string | null; createdAt: string;
}
interface Page { items: Entry[]; nextCursor: string | null }

const docTypes = ['cn_resident_id', 'hmt_residence_permit', 'hk_macau_travel_permit', 'taiwan_travel_permit', 'foreign_permanent_resident_id', 'passport_mrz'] as const;
/** Numbers the browser can check while typed (GB 11643); the server checks every type. */
const gb11643 = new Set(['cn_resident_id', 'hmt_residence_permit']);
/** The server's reason codes (src/blocklist/blocklist.ts). */
const reasonCodes = ['fraud', 'forged_document', 'lost_or_stolen', 'authority_request', 'other'] as const;

export const blocklistView: View = {
  title: 'console.view.blocklist',
  roles: ['operator_admin'],
  render(c: Console): HTMLElement {
    const own = c.session.staff.tenantId;
    const list = h('div', { class: 'table-wrap' });
    const more = h('div', { class: 'actions', hidden: true });
    const docText = (t: string | null) => (t ? c.i18n.maybe(`doctype.${t}`) ?? t : c.t('console.blocklist.type_unknown'));

    const columns: Column<Entry>[] = [
      { label: c.t('console.blocklist.document'), cell: (e) => [h('span', { class: 'tag' }, docText(e.documentType)), ' ',
        h('span', { class: 'mono' }, e.maskedNumber ?? c.t('console.blocklist.not_kept'))] },
      { label: c.t('console.blocklist.reason'), cell: (e) => c.i18n.maybe(`console.blocklist.reason.${e.reasonCode}`) ?? e.reasonCode },
      { label: c.t('console.blocklist.note'), cell: (e) => h('span', { class: 'note' }, e.reason) },
      { label: c.t('console.blocklist.scope'), cell: (e) => (e.tenantId === null ? c.t('console.blocklist.scope.deployment') : c.t('console.blocklist.scope.tenant')) },
      { label: c.t('console.blocklist.added'), cell: (e) => [whenShort(c, e.createdAt), h('br'), h('small', { class: 'hint' }, e.createdByUsername ?? c.t('console.blocklist.by_system'))] },
      { label: c.t('console.actions'), kind: 'act', cell: (e) => (e.tenantId !== null && e.tenantId === own ? h('button', {
        type: 'button', class: 'ghost small danger', 'aria-label': c.t('console.blocklist.remove_of', { number: e.maskedNumber ?? '' }),
        onclick: () => { void remove(e); },
      }, c.t('console.blocklist.remove')) : null) },
    ];
    const rowAttrs = (e: Entry) => ({ 'data-entry': e.id });

    async function load(cursor?: string): Promise<void> {
      const q = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
      const page = await c.busy(c.t('console.loading'), () => c.api.request<Page>('GET', `/v1/blocklist?${q}`));
      if (!page) return;
      if (!cursor) {
        replace(list, page.items.length === 0 ? h('p', { class: 'none' }, c.t('console.blocklist.none')) : dataTable(columns, page.items, rowAttrs));
      } else {
        list.querySelector('tbody')?.append(...page.items.map((e) => dataRow(columns, e, rowAttrs(e))));
      }
      more.hidden = page.nextCursor === null;
      replace(more, page.nextCursor ? h('button', { type: 'button', class: 'ghost', onclick: () => { void load(page.nextCursor!); } }, c.t('console.audit.more')) : null);
    }

    async function remove(e: Entry): Promise<void> {
      const number = e.maskedNumber ?? c.t('console.blocklist.not_kept');
      const yes = await confirmAction(c, {
        title: c.t('console.blocklist.remove.title'), body: c.t('console.blocklist.remove.body', { type: docText(e.documentType), number }),
        yes: c.t('console.blocklist.remove'), danger: true,
      });
      if (!yes) return;
      const done = await c.busy(c.t('console.saving'), async () => { await c.api.request('DELETE', `/v1/blocklist/${e.id}`); return true; });
      if (!done) return;
      c.notice(c.t('console.blocklist.removed', { number }));
      await load();
    }

    const type = h('select', { name: 'documentType' }, docTypes.map((d) => h('option', { value: d }, c.t(`doctype.${d}`))));
    const number = h('input', { name: 'documentNumber', required: true, maxlength: 200, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'bl-number-status' });
    const mrz = h('textarea', {
      name: 'mrz', rows: 3, maxlength: 200, autocomplete: 'off', spellcheck: 'false', hidden: true,
      'aria-label': c.t('console.blocklist.number'), 'aria-describedby': 'bl-number-status', placeholder: c.t('console.blocklist.mrz_placeholder'),
    });
    const status = h('p', { id: 'bl-number-status', class: 'status', 'aria-live': 'polite' });
    const reason = h('select', { name: 'reasonCode' }, reasonCodes.map((r) => h('option', { value: r }, c.t(`console.blocklist.reason.${r}`))));
    const note = h('input', { name: 'reason', required: true, maxlength: 500, autocomplete: 'off', placeholder: c.t('console.blocklist.note_placeholder') });
    const field = () => (type.value === 'passport_mrz' ? mrz : number);

    /** The live check of a resident ID number; other types are checked by the server. True when it may be sent. */
    function validate(): boolean {
      const isMrz = type.value === 'passport_mrz';
      number.hidden = isMrz; number.required = !isMrz;
      mrz.hidden = !isMrz; mrz.required = isMrz;
      status.className = 'status';
      if (!gb11643.has(type.value)) { status.textContent = c.t('document.checked_on_submit'); return field().value.trim() !== ''; }
      const r = checkIdInput(number.value);
      number.setAttribute('aria-invalid', r.state === 'invalid' ? 'true' : 'false');
      switch (r.state) {
        case 'empty': status.textContent = c.t('document.id.empty'); return false;
        case 'incomplete': status.textContent = c.t('document.id.incomplete', { n: r.length }); return false;
        case 'invalid': status.textContent = c.t(`doc.${r.code}`); status.classList.add('bad'); return false;
        case 'valid': status.textContent = c.t('document.id.valid'); status.classList.add('good'); return true;
      }
    }
    number.addEventListener('input', validate);
    type.addEventListener('change', validate);

    const form = h('form', { class: 'admin-form', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!validate()) { field().focus(); return; }
      const body = { documentType: type.value, documentNumber: field().value.trim(), reasonCode: reason.value, reason: note.value.trim() };
      const added = await c.busy(c.t('console.saving'), () => c.api.request<Entry>('POST', '/v1/blocklist', body));
      if (!added) return;
      // the full number leaves the page as soon as the server has it
      number.value = ''; mrz.value = ''; note.value = '';
      validate();
      c.notice(c.t('console.blocklist.added_notice', { type: docText(added.documentType), number: added.maskedNumber ?? '' }));
      await load();
    } },
    h('h2', null, c.t('console.blocklist.new')),
    h('div', { class: 'grid2' },
      h('label', { class: 'field' }, h('span', null, c.t('console.blocklist.type')), type),
      h('label', { class: 'field' }, h('span', null, c.t('console.blocklist.number')), number, mrz, status),
      h('label', { class: 'field' }, h('span', null, c.t('console.blocklist.reason')), reason),
      h('label', { class: 'field' }, h('span', null, c.t('console.blocklist.note')), note, h('small', { class: 'hint' }, c.t('console.blocklist.note_hint')))),
    h('button', { type: 'submit', class: 'primary' }, c.t('console.blocklist.submit')));
    validate();

    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.blocklist')), h('p', { class: 'lead' }, c.t('console.blocklist.lead')), list, more, form);
  },
};
