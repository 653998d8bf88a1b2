/**
 * What a web app tells the person while it works or when something went wrong: the problem
 * banner (the API problem or camera error in plain language, with what to do next) and the
 * progress overlay over long steps; a confirmation in the banner's place. Used by all three apps.
 */
import { h, replace } from './dom.ts';
import { explain } from './problems.ts';
import type { I18n } from '../i18n/i18n.ts';

export interface Busy {
  /** Shows a progress fraction (0-1) under the busy label; undefined = indeterminate. */
  progress(fraction: number | undefined, label?: string): void;
}

export interface Feedback {
  /** The banner and the overlay, to place in the page. */
  readonly banner: HTMLElement;
  readonly overlay: HTMLElement;
  /** Shows what went wrong in plain language, with what to do next. */
  problem(e: unknown): void;
  clearProblem(): void;
  /** Shows a confirmation in the banner's place (green). */
  notice(text: string): void;
  /** Runs `work` behind the progress overlay; an error is shown in the banner and gives undefined. */
  busy<T>(label: string, work: (b: Busy) => Promise<T>): Promise<T | undefined>;
}

export function createFeedback(i18n: I18n): Feedback {
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  const overlay = h('div', { class: 'overlay', hidden: true, role: 'status', 'aria-live': 'polite' });
  const f: Feedback = {
    banner, overlay,
    problem(e) {
      const x = explain(i18n, e);
      banner.hidden = false;
      banner.classList.remove('ok');
      replace(banner,
        h('strong', null, x.message),
        x.details.length ? h('ul', null, x.details.map((d) => h('li', null, d))) : null,
        x.next ? h('p', null, x.next) : null,
        h('small', { class: 'code' }, x.code),
        h('button', { type: 'button', class: 'ghost close', 'aria-label': i18n.t('action.close'), onclick: () => f.clearProblem() }, '×'));
    },
    clearProblem() { banner.hidden = true; banner.replaceChildren(); },
    notice(text) {
      banner.hidden = false;
      banner.classList.add('ok');
      replace(banner, h('strong', null, text),
        h('button', { type: 'button', class: 'ghost close', 'aria-label': i18n.t('action.close'), onclick: () => f.clearProblem() }, '×'));
    },
    async busy(label, work) {
      const bar = h('progress', { max: '1' });
      const text = h('p', null, label);
      replace(overlay, h('div', { class: 'card' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), text, bar));
      overlay.hidden = false;
      const b: Busy = {
        progress(fraction, next) {
          if (fraction === undefined) bar.removeAttribute('value'); else bar.value = fraction;
          if (next) text.textContent = next;
        },
      };
      try {
        return await work(b);
      } catch (e) {
        f.problem(e);
        return undefined;
      } finally {
        overlay.hidden = true;
      }
    },
  };
  return f;
}

/** What every screen of an app receives besides its own state: the shell's feedback, the camera's cleanup, the lock. */
export interface ScreenHost {
  /** Runs `fn` when the current screen is left (stop the camera). */
  onLeave(fn: () => void): void;
  /** Shows what went wrong in plain language, with what to do next. */
  problem(e: unknown): void;
  clearProblem(): void;
  /** Runs `work` behind a progress overlay; an error is shown in the banner and gives undefined. */
  busy<T>(label: string, work: (b: Busy) => Promise<T>): Promise<T | undefined>;
  /** Disables navigation (language, logout, cancel) while the camera captures. */
  lock(locked: boolean): void;
}

/**
 * The screen switch of an app made of screens (kiosk, self-service): `show` ends the current
 * screen (its leave callbacks: the camera is closed), clears the banner, builds the new screen into
 * `main`, titles the page and gives the focus to the first field (or the screen itself), for the
 * keyboard and screen readers. `header` holds the buttons `lock` disables while the camera captures.
 */
export function createScreens(feedback: Feedback, main: HTMLElement, header: HTMLElement): ScreenHost & { show(title: string, build: () => (HTMLElement | null)[]): void } {
  let leaving: (() => void)[] = [];
  return {
    show(title, build) {
      for (const fn of leaving) fn();
      leaving = [];
      feedback.clearProblem();
      replace(main, ...build()); // built after the old screen has ended: the new one registers its own leave callbacks
      document.title = title;
      const first = main.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]), select, textarea');
      (first ?? main).focus();
    },
    onLeave(fn) { leaving.push(fn); },
    problem: (e) => feedback.problem(e),
    clearProblem: () => feedback.clearProblem(),
    busy: (label, work) => feedback.busy(label, work),
    lock(on) { for (const b of header.querySelectorAll('button')) b.disabled = on; },
  };
}
