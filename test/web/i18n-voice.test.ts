// The language tables' voices: the self-service app (the person themselves) gets its own wording
// for the texts it shares with the kiosk (liveness reasons, camera errors), never the agent's
// "the customer" or "use manual review", which the person has no store manager for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zhCN } from '../../web/i18n/zh-CN.ts';
import { en } from '../../web/i18n/en.ts';
import { textOf, langs } from '../../web/i18n/texts.ts';

const tables = { 'zh-CN': zhCN, en } as const;
const agentWords = { 'zh-CN': /客户|人工核验/, en: /customer|manual review/i } as const;

test('a person.* text stands in for an existing key only in the person\'s voice', () => {
  for (const lang of langs) {
    const keys = Object.keys(tables[lang]).filter((k) => k.startsWith('person.'));
    assert.ok(keys.length >= 10, `${lang}: ${keys.length} person.* texts`);
    for (const key of keys) {
      const base = key.slice('person.'.length);
      assert.ok(Object.hasOwn(tables[lang], base), `${lang}: ${key} overrides nothing`);
      assert.equal(textOf(lang, base, 'person'), tables[lang][key as keyof typeof zhCN]);
      assert.equal(textOf(lang, base, 'agent'), tables[lang][base as keyof typeof zhCN]);
    }
  }
  assert.equal(textOf('en', 'liveness.face_too_small'), textOf('en', 'liveness.face_too_small', 'person'), 'no override: the shared text');
  assert.equal(textOf('en', 'no.such.key', 'person'), undefined);
  assert.equal(textOf('en', 'constructor', 'person'), undefined, 'only the table\'s own keys');
});

test('what a liveness refusal or a camera error tells the person never speaks of a customer or a store manager', () => {
  for (const lang of langs) {
    const shared = Object.keys(tables[lang]).filter((k) => /^(liveness|camera)\.[a-z_]+\.next$/.test(k) && !k.startsWith('person.'));
    assert.ok(shared.length >= 15);
    for (const key of shared) {
      const text = textOf(lang, key, 'person')!;
      assert.doesNotMatch(text, agentWords[lang], `${lang} ${key}: ${text}`);
    }
  }
});
