/**
 * Pieces the admin views share: the confirmation before an action that cannot be taken back (a
 * native modal <dialog>: focus moves into it, Esc or Cancel closes it, focus returns to the
 * button that opened it), and the panel that shows a secret once (a one-time password, an API
 * key) with a copy button and the warning that it will not be shown again.
 */
import { h } from '../shared/dom.ts';
import type { Console } from './console.ts';

export interface ConfirmText {
  title: string;
  body: string;
  /** The label of the button that goes ahead. */
  yes: string;
  /** A destructive action: the confirm button is red and Cancel has the focus. */
  danger?: boolean;
}

/** Asks before an action; resolves true when confirmed. */
export function confirmAction(c: Console, text: ConfirmText): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    let answer = false;
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
      h('h2', { id: 'confirm-title' }, text.title),
      h('p', { id: 'confirm-body' }, text.body),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: text.danger ? 'primary danger' : 'primary', autofocus: !text.danger,
          onclick: () => { answer = true; dialog.close(); } }, text.yes),
        h('button', { type: 'button', class: 'ghost', autofocus: !!text.danger, onclick: () => dialog.close() }, c.t('console.confirm.cancel'))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export interface SecretText {
  title: string;
  /** Whom to give it to, and how. */
  lead: string;
  /** The accessible name of the secret's field. */
  label: string;
}

/**
 * The secret, shown once: selectable, with a copy button, the warning, and a button that removes
 * it. The panel takes the focus so a keyboard user lands on it.
 */
export function secretPanel(c: Console, secret: string, text: SecretText): HTMLElement {
  const value = h('input', { class: 'secret-value mono', readonly: true, value: secret, 'aria-label': text.label, spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span', { class: 'copied', 'aria-live': 'polite' });
  async function copy(): Promise<void> {
    value.select();
    let ok = false;
    try {
      if (navigator.clipboard) { await navigator.clipboard.writeText(secret); ok = true; }
    } catch { /* plain http outside localhost has no clipboard API: fall back below */ }
    if (!ok) ok = document.execCommand('copy');
    copied.textContent = ok ? c.t('console.secret.copied') : c.t('console.secret.copy_failed');
  }
  const panel = h('section', { class: 'secret', tabindex: '-1', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title' }, text.title),
    h('p', null, text.lead),
    h('div', { class: 'secret-row' }, value,
      h('button', { type: 'button', class: 'secondary', onclick: () => { void copy(); } }, c.t('console.secret.copy')), copied),
    h('p', { class: 'warn-line' }, h('strong', null, c.t('console.secret.once'))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => {
        const view = panel.closest<HTMLElement>('main');
        panel.remove();
        view?.focus(); // the focus stays on the page, not lost with the button
      } }, c.t('console.secret.done'))));
  queueMicrotask(() => { panel.scrollIntoView({ block: 'nearest' }); panel.focus(); });
  return panel;
}
