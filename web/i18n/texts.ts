/**
 * The language tables and how a text is found in them, without the browser (the apps' I18n in
 * i18n.ts adds the chosen language and the page): Chinese (default) and English, one table per
 * language (`zh-CN.ts`, `en.ts`; the English table must have every key of the Chinese one, which
 * the type checker enforces).
 *
 * Texts shared by the apps (liveness reasons, camera errors) are written for the store agent,
 * who speaks about "the customer". An app used by the person themselves (self-service) sets a
 * voice: a key `person.<key>`, where the table has one, then stands in for `<key>`, so the
 * shared components speak to the person ("come closer") without knowing which app they are in.
 */
import { zhCN, type MessageKey } from './zh-CN.ts';
import { en } from './en.ts';

export type Lang = 'zh-CN' | 'en';
export const langs: readonly Lang[] = ['zh-CN', 'en'];
const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Who the app speaks to: the store agent (the tables' plain keys) or the person themselves (`person.*` first). */
export type Voice = 'agent' | 'person';

/** The text of `key` in `lang` for `voice`, or undefined when the table has none. */
export function textOf(lang: Lang, key: string, voice: Voice = 'agent'): string | undefined {
  const table: Record<string, string> = tables[lang];
  const own = (k: string) => (Object.hasOwn(table, k) ? table[k] : undefined);
  return (voice === 'person' ? own(`person.${key}`) : undefined) ?? own(key);
}

/** `{name}` in `text` replaced from `vars`. */
export function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}
