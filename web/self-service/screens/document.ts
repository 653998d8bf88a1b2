/**
 * The person's identity document with its photo (web/shared/document-entry.ts): a card
 * reader's JSON with the chip photo, or typed (resident ID numbers checked while typed) with a
 * photo of the card. It stays in this page's memory until the server has verified the person.
 */
import { h } from '../../shared/dom.ts';
import { documentEntry, type DocumentHost } from '../../shared/document-entry.ts';
import { Notice } from '../../shared/problems.ts';
import { stepOf, type SelfService } from '../self-service.ts';

export function documentScreen(s: SelfService): HTMLElement {
  const host: DocumentHost = {
    t: s.t, maybe: (key) => s.i18n.maybe(key), problem: (e) => s.problem(e), clearProblem: () => s.clearProblem(),
    submit(body) {
      if (!body.idPhoto) { s.problem(new Notice(s.t('self.document.no_photo'), s.t('self.document.no_photo.next'))); return; }
      s.state.document = { ...body.document, idPhoto: body.idPhoto };
      s.go('check');
    },
  };
  return h('section', { class: 'card' },
    stepOf(s, 1),
    h('h1', null, s.t('self.document.title')),
    h('p', { class: 'lead' }, s.t('self.document.lead')),
    documentEntry(host, ['reader', 'photo']),
    h('button', { type: 'button', class: 'ghost cancel', onclick: () => s.reset() }, s.t('self.back')));
}
