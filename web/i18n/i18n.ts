/**
 * The web apps' language: the text tables of texts.ts in the language chosen, which is kept in
 * localStorage and set on `<html lang>`, and in the app's voice (agent or person).
 */
import type { MessageKey } from './zh-CN.ts';
import { fill, textOf, type Lang, type Voice } from './texts.ts';

export { langs, type Lang, type Voice } from './texts.ts';
const STORAGE_KEY = 'portrait.lang';

export interface I18n {
  readonly lang: Lang;
  /** The text of `key` in the current language, `{name}` replaced from `vars`. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** For keys built at run time (`problem.${code}`): the text, or undefined when the table has none. */
  maybe(key: string, vars?: Record<string, string | number>): string | undefined;
  set(lang: Lang): void;
}

export function createI18n(voice: Voice = 'agent'): I18n {
  const stored = localStorage.getItem(STORAGE_KEY);
  let lang: Lang = stored === 'en' ? 'en' : 'zh-CN';
  document.documentElement.lang = lang;
  return {
    get lang() { return lang; },
    t: (key, vars) => fill(textOf(lang, key, voice)!, vars),
    maybe: (key, vars) => { const text = textOf(lang, key, voice); return text === undefined ? undefined : fill(text, vars); },
    set(next) {
      lang = next;
      localStorage.setItem(STORAGE_KEY, next);
      document.documentElement.lang = next;
    },
  };
}
