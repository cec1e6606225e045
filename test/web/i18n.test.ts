import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { dictionaries, initialLanguage, translate } from '../../web/src/i18n/index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every message exists in Russian, English and Chinese, with the same placeholders and no empty text', () => {
  const keys = Object.keys(en) as (keyof typeof en)[];
  for (const [language, dictionary] of Object.entries(dictionaries)) {
    assert.deepEqual(Object.keys(dictionary).sort(), [...keys].sort(), `${language} has exactly the English keys`);
    for (const key of keys) {
      const text = dictionary[key];
      assert.ok(text.trim().length > 0, `${language} ${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(en[key]), `${language} ${key} placeholders`);
    }
  }
});

test('the first language is the browser\'s first choice among ours; a choice made on the site wins', () => {
  assert.equal(initialLanguage(null, ['de-DE', 'zh-CN', 'en']), 'zh');
  assert.equal(initialLanguage(null, ['fr']), 'en');
  assert.equal(initialLanguage('ru', ['zh-CN']), 'ru');
  assert.equal(translate('ru', 'request.title', { reference: 'TRM-1' }), 'Заявка TRM-1');
});
