/** What the service does, the three steps, and the privacy note: the face is used once and not kept. */
import { h } from '../../shared/dom.ts';
import type { SelfService } from '../self-service.ts';

export function startScreen(s: SelfService): HTMLElement {
  return h('section', { class: 'card intro' },
    h('h1', null, s.t('self.start.title')),
    h('p', { class: 'lead' }, s.t('self.start.lead')),
    h('ol', { class: 'journey' },
      h('li', null, s.t('self.start.step.document')), h('li', null, s.t('self.start.step.face')), h('li', null, s.t('self.start.step.numbers'))),
    h('aside', { class: 'privacy', 'aria-labelledby': 'privacy-title' },
      h('h2', { id: 'privacy-title' }, s.t('self.privacy.title')), h('p', null, s.t('self.privacy'))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary big', autofocus: true, onclick: () => s.go('document') }, s.t('self.start.button'))));
}
