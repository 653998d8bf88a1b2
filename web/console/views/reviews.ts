/**
 * The store manager's manual-review queue (GET /v1/manual-reviews): registrations whose person
 * is checked against the document in person instead of by face; approve or reject with a note
 * (POST /v1/registrations/{id}/manual-review/decision). Documents are shown masked.
 */
import { h, replace } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Console, View } from '../console.ts';
import { when } from '../console.ts';

interface Pending { id: string; createdAt?: string; expiresAt: string; document: null | { type: string; maskedNumber: string; maskedName: string; age?: number } }

export const reviewsView: View = {
  title: 'console.view.reviews',
  roles: ['store_manager'],
  render(c: Console): HTMLElement {
    const list = h('div', { class: 'stack' });
    async function load(): Promise<void> {
      const items = await c.busy(c.t('console.loading'), () => c.api.request<Pending[]>('GET', '/v1/manual-reviews'));
      if (!items) return;
      replace(list, items.length === 0 ? h('p', { class: 'none' }, c.t('console.reviews.none')) : items.map(item));
    }
    function item(r: Pending): HTMLElement {
      const note = h('input', { name: 'note', maxlength: 500, required: true, placeholder: c.t('console.reviews.note.placeholder') });
      const decide = (approved: boolean) => async () => {
        if (!note.value.trim()) { note.setAttribute('aria-invalid', 'true'); note.focus(); return; }
        const done = await c.busy(c.t('console.saving'), () => c.api.request('POST', `/v1/registrations/${r.id}/manual-review/decision`,
          { approved, note: note.value.trim() }, { idempotencyKey: idempotencyKey('review') }));
        if (done === undefined) return;
        c.notice(c.t(approved ? 'console.reviews.approved' : 'console.reviews.rejected'));
        await load();
      };
      return h('article', { class: 'review' },
        h('div', { class: 'docline' }, h('span', { class: 'tag' }, r.document ? c.i18n.maybe(`doctype.${r.document.type}`) ?? r.document.type : '—'),
          h('span', { class: 'mono' }, r.document?.maskedNumber ?? ''), h('span', null, r.document?.maskedName ?? ''),
          r.document?.age !== undefined ? h('span', null, c.t('console.reviews.age', { age: r.document.age })) : null,
          h('span', { class: 'hint' }, c.t('console.reviews.expires', { at: when(c, r.expiresAt) }))),
        h('p', { class: 'hint' }, c.t('console.reviews.instructions')),
        h('label', { class: 'field' }, h('span', null, c.t('console.reviews.note')), note),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: decide(true) }, c.t('console.reviews.approve')),
          h('button', { type: 'button', class: 'secondary danger', onclick: decide(false) }, c.t('console.reviews.reject'))));
    }
    void load();
    return h('section', { class: 'card' }, h('h1', null, c.t('console.view.reviews')), h('p', { class: 'lead' }, c.t('console.reviews.lead')), list);
  },
};
