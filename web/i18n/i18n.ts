/**
 * Languages of the web apps: Chinese (default) and English, one table per language
 * (`zh-CN.ts`, `en.ts`; the English table must have every key of the Chinese one, which the
 * type checker enforces). The choice is kept in localStorage and set on `<html lang>`.
 */
import { zhCN, type MessageKey } from './zh-CN.ts';
import { en } from './en.ts';

export type Lang = 'zh-CN' | 'en';
export const langs: readonly Lang[] = ['zh-CN', 'en'];
const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'portrait.lang';

export interface I18n {
  readonly lang: Lang;
  /** The text of `key` in the current language, `{name}` replaced from `vars`. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** For keys built at run time (`problem.${code}`): the text, or undefined when the table has none. */
  maybe(key: string, vars?: Record<string, string | number>): string | undefined;
  set(lang: Lang): void;
}

function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

export function createI18n(): I18n {
  const stored = localStorage.getItem(STORAGE_KEY);
  let lang: Lang = stored === 'en' ? 'en' : 'zh-CN';
  document.documentElement.lang = lang;
  return {
    get lang() { return lang; },
    t: (key, vars) => fill(tables[lang][key], vars),
    maybe: (key, vars) => (key in tables[lang] ? fill(tables[lang][key as MessageKey], vars) : undefined),
    set(next) {
      lang = next;
      localStorage.setItem(STORAGE_KEY, next);
      document.documentElement.lang = next;
    },
  };
}
