/** The customer picks a number from the store's available inventory; it is reserved, assigned, and the registration completed. */
import { h, replace } from '../../shared/dom.ts';
import { idempotencyKey } from '../../shared/api.ts';
import type { Kiosk, Receipt, RegistrationView } from '../kiosk.ts';
import { cancelButton } from './document.ts';
import { documentSummary } from './shared.ts';

interface NumberPage { items: { id: string; msisdn: string }[]; nextCursor: string | null }
const PAGE = 20;

/** 170 0000 0012: the groups people read phone numbers in. */
export function groupMsisdn(msisdn: string): string {
  return msisdn.length === 11 ? `${msisdn.slice(0, 3)} ${msisdn.slice(3, 7)} ${msisdn.slice(7)}` : msisdn;
}

export function numberScreen(k: Kiosk): HTMLElement {
  const reg = k.state.registration!;
  const tenantId = k.state.session!.staff.tenantId!;
  const grid = h('fieldset', { class: 'numbers' }, h('legend', null, k.t('number.legend')));
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, k.t('number.more'));
  const confirm = h('button', { type: 'submit', class: 'primary big', disabled: true }, k.t('number.confirm'));
  let cursor: string | null = null;

  async function load(reset: boolean): Promise<void> {
    const q = new URLSearchParams({ state: 'available', limit: String(PAGE), ...(cursor && !reset ? { cursor } : {}) });
    try {
      const page = await k.api.request<NumberPage>('GET', `/v1/tenants/${tenantId}/numbers?${q}`);
      if (reset) replace(grid, h('legend', null, k.t('number.legend')));
      for (const n of page.items) {
        const input = h('input', { type: 'radio', name: 'msisdn', value: n.msisdn, onchange: () => { confirm.disabled = false; } });
        grid.append(h('label', { class: 'tile' }, input, h('span', { class: 'mono' }, groupMsisdn(n.msisdn))));
      }
      if (page.items.length === 0 && reset) grid.append(h('p', { class: 'hint' }, k.t('number.none')));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
    } catch (e) {
      k.problem(e);
    }
  }
  more.addEventListener('click', () => { void load(false); });
  void load(true);

  const form = h('form', { class: 'card wide', onsubmit: (ev) => {
    ev.preventDefault();
    const chosen = grid.querySelector<HTMLInputElement>('input[name=msisdn]:checked')?.value;
    if (!chosen) return;
    void k.busy(k.t('number.busy'), async (b) => {
      b.progress(0.1, k.t('number.reserving'));
      await k.api.request('POST', `/v1/registrations/${reg.id}/number-reservation`, { msisdn: chosen });
      b.progress(0.4, k.t('number.assigning'));
      k.state.registration = await k.api.request<RegistrationView>('POST', `/v1/registrations/${reg.id}/number`, undefined, { idempotencyKey: idempotencyKey('number') });
      b.progress(0.7, k.t('number.completing'));
      k.state.registration = await k.api.request<RegistrationView>('POST', `/v1/registrations/${reg.id}/complete`, undefined, { idempotencyKey: idempotencyKey('complete') });
      b.progress(0.9, k.t('number.receipt'));
      return k.api.request<Receipt>('GET', `/v1/registrations/${reg.id}/receipt`);
    }).then((receipt) => {
      if (!receipt) { void load(true); return; }
      k.state.receipt = receipt;
      k.go('receipt');
    });
  } },
  h('h1', null, k.t('number.title')),
  documentSummary(k),
  h('p', { class: 'lead' }, k.t('number.lead')),
  grid, more,
  h('div', { class: 'actions' }, confirm),
  cancelButton(k));
  return form;
}
