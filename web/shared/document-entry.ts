/**
 * Entry of an identity document, shared by the kiosk and the self-service app, three ways: the
 * JSON of an ID-card reader (with the chip photo), typed with live validation of resident ID
 * numbers, or typed with a photo of the document. The typed values are shown masked once read
 * from a card; what happens with them (sent to a registration, kept for a verification) is the host's.
 */
import { h, replace } from './dom.ts';
import { maskDocumentNumber, maskName } from '../../src/privacy/mask.ts';
import { checkIdInput, cleanIdInput } from './id-input.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { parseCardReading, type CardReading } from './card-reader.ts';
import { imageMime, photoToBase64 } from './images.ts';
import { Notice } from './problems.ts';
import './document-entry.css';

/** What the document entry needs from the app it is in. */
export interface DocumentHost {
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  maybe(key: string): string | undefined;
  problem(e: unknown): void;
  clearProblem(): void;
  /** The person chose "use this document" (reader) or submitted the typed form. */
  submit(body: DocumentBody): void;
}

const tabLabels: Record<DocumentMethod, MessageKey> = { reader: 'document.tab.reader', manual: 'document.tab.manual', photo: 'document.tab.photo' };

/** A file picker that looks like the other buttons, in the page's language (the browser's own shows its UI language). */
function filePicker(k: DocumentHost, input: HTMLInputElement, label: string): HTMLElement {
  const chosen = h('span', { class: 'chosen' }, k.t('document.file.none'));
  input.addEventListener('change', () => { chosen.textContent = input.files?.[0]?.name ?? k.t('document.file.none'); });
  return h('label', { class: 'field' }, h('span', null, label), h('span', { class: 'file' }, input, h('span', { class: 'pick', 'aria-hidden': 'true' }, k.t('document.file.choose')), chosen));
}

export type DocumentMethod = 'reader' | 'manual' | 'photo';
const docTypes = ['cn_resident_id', 'hmt_residence_permit', 'hk_macau_travel_permit', 'taiwan_travel_permit', 'foreign_permanent_resident_id', 'passport_mrz'] as const;
/** Numbers built like the resident ID (GB 11643): validated while typed. */
const gb11643 = new Set(['cn_resident_id', 'hmt_residence_permit']);

export interface DocumentBody {
  document: { type: string; number: string; name: string };
  source: 'manual_entry' | 'card_reader' | 'document_photo';
  idPhoto?: string;
}

function readerPanel(k: DocumentHost): HTMLElement {
  const file = h('input', { type: 'file', accept: '.json,application/json', 'aria-describedby': 'reader-help' });
  const paste = h('textarea', { rows: 4, placeholder: k.t('document.reader.paste'), spellcheck: 'false' });
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  let reading: CardReading | undefined;
  const use = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => {
    if (reading) k.submit({ document: { type: reading.type, number: reading.number, name: reading.name }, source: 'card_reader', ...(reading.photo ? { idPhoto: reading.photo } : {}) });
  } }, k.t('document.use'));
  function show(text: string): void {
    const r = parseCardReading(text);
    reading = r.ok ? r.reading : undefined;
    use.disabled = !r.ok;
    if (!r.ok) { replace(preview); k.problem(new Notice(k.t(r.error), k.t('reader.next'))); return; }
    k.clearProblem();
    const x = r.reading;
    replace(preview,
      x.photo ? h('img', { class: 'chip', src: `data:${imageMime(x.photo)};base64,${x.photo}`, alt: k.t('document.chip_photo') }) : h('div', { class: 'chip none' }, k.t('document.no_photo')),
      h('dl', null,
        h('dt', null, k.t('document.type')), h('dd', null, k.t(`doctype.${x.type}`)),
        h('dt', null, k.t('document.number')), h('dd', { class: 'mono' }, maskDocumentNumber(x.number)),
        h('dt', null, k.t('document.name')), h('dd', null, maskName(x.name))));
  }
  file.addEventListener('change', () => { const f = file.files?.[0]; if (f) void f.text().then(show); });
  paste.addEventListener('input', () => { if (paste.value.trim().startsWith('{')) show(paste.value); });
  return h('div', { class: 'panel' },
    h('p', { id: 'reader-help', class: 'hint' }, k.t('document.reader.help')),
    filePicker(k, file, k.t('document.reader.file')),
    h('label', { class: 'field' }, h('span', null, k.t('document.reader.or_paste')), paste),
    preview, use);
}

function typedPanel(k: DocumentHost, withPhoto: boolean): HTMLElement {
  const type = h('select', { name: 'type' }, docTypes.map((d) => h('option', { value: d }, k.t(`doctype.${d}`))));
  const number = h('input', { name: 'number', autocomplete: 'off', spellcheck: 'false', inputmode: 'text', 'aria-describedby': 'number-status', required: true });
  const status = h('p', { id: 'number-status', class: 'status', 'aria-live': 'polite' });
  const name = h('input', { name: 'name', autocomplete: 'off', required: true });
  const photo = h('input', { type: 'file', accept: 'image/*', capture: 'environment', required: withPhoto });
  const photoPreview = h('div', { class: 'preview' });
  const send = h('button', { type: 'submit', class: 'primary' }, k.t('document.submit'));
  function validate(): boolean {
    status.className = 'status';
    if (!gb11643.has(type.value)) { status.textContent = k.t('document.checked_on_submit'); return number.value.trim() !== ''; }
    const c = checkIdInput(number.value);
    let text: string, ok = false;
    switch (c.state) {
      case 'empty': text = k.t('document.id.empty'); break;
      case 'incomplete': text = k.t('document.id.incomplete', { n: c.length }); break;
      case 'invalid': text = k.t(`doc.${c.code}`); status.classList.add('bad'); break;
      case 'valid': text = k.t('document.id.valid'); status.classList.add('good'); ok = true; break;
    }
    status.textContent = text;
    number.setAttribute('aria-invalid', c.state === 'invalid' ? 'true' : 'false');
    return ok;
  }
  number.addEventListener('input', validate);
  type.addEventListener('change', validate);
  photo.addEventListener('change', () => {
    const f = photo.files?.[0];
    replace(photoPreview, f ? h('img', { class: 'docphoto', src: URL.createObjectURL(f), alt: k.t('document.photo') }) : null);
  });
  validate();
  return h('form', { class: 'panel', onsubmit: (ev) => {
    ev.preventDefault();
    if (!validate()) { number.focus(); return; }
    if (name.value.trim() === '') { name.focus(); return; }
    const f = photo.files?.[0];
    const body: DocumentBody = {
      document: { type: type.value, number: gb11643.has(type.value) ? cleanIdInput(number.value) : number.value.trim(), name: name.value.trim() },
      source: withPhoto ? 'document_photo' : 'manual_entry',
    };
    if (withPhoto && f) {
      void photoToBase64(f).then((idPhoto) => k.submit({ ...body, idPhoto }), (e: unknown) => k.problem(e));
    } else {
      k.submit(body);
    }
  } },
  withPhoto ? h('p', { class: 'hint' }, k.t('document.photo.help')) : h('p', { class: 'hint' }, k.t('document.manual.help')),
  h('label', { class: 'field' }, h('span', null, k.t('document.type')), type),
  h('label', { class: 'field' }, h('span', null, k.t('document.number')), number, status),
  h('label', { class: 'field' }, h('span', null, k.t('document.name')), name),
  withPhoto ? filePicker(k, photo, k.t('document.photo')) : null,
  withPhoto ? photoPreview : null,
  send);
}

/** The tabs of the entry methods offered (the first one open) and the open method's panel. */
export function documentEntry(k: DocumentHost, offered: readonly DocumentMethod[]): HTMLElement[] {
  const methods = offered.map((id) => ({ id, label: tabLabels[id] }));
  const body = h('div', { role: 'tabpanel', id: 'doc-panel' });
  const tabs = h('div', { role: 'tablist', class: 'tabs', 'aria-label': k.t('document.method') });
  function select(m: DocumentMethod): void {
    for (const b of tabs.querySelectorAll('button')) {
      const on = b.dataset.method === m;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    replace(body, m === 'reader' ? readerPanel(k) : typedPanel(k, m === 'photo'));
  }
  for (const m of methods) {
    tabs.append(h('button', { type: 'button', role: 'tab', 'data-method': m.id, 'aria-controls': 'doc-panel', onclick: () => select(m.id) }, k.t(m.label)));
  }
  // arrow keys move between tabs (the WAI-ARIA tabs pattern)
  tabs.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    const i = methods.findIndex((m) => tabs.querySelector(`[data-method=${m.id}]`)?.getAttribute('aria-selected') === 'true');
    const next = methods[(i + (ev.key === 'ArrowRight' ? 1 : methods.length - 1)) % methods.length]!;
    select(next.id);
    tabs.querySelector<HTMLButtonElement>(`[data-method=${next.id}]`)?.focus();
  });
  select(methods[0]!.id);
  return [tabs, body];
}

