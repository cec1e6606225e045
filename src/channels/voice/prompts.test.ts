import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LANGUAGES } from '../../domain/languages.ts';
import { PROMPTS, word } from './prompts.ts';

const speaking = { timeZone: 'Europe/Moscow', operatorName: 'simexit' };
const params = { msisdn: '+79991234567', amount: 45_000, currency: 'RUB', megabytes: 2048, at: '2026-11-22T10:00:00.000Z', until: '2027-05-21T10:00:00.000Z', nowAt: '2026-11-22T10:00:00.000Z', endAt: '2026-11-30T21:00:00.000Z', fee: 1500, instalments: 2500, owed: 45_000, reference: 'TRM-7KQ2-9XW4', position: 2, waitSeconds: 90, length: 6, key: '1', code: 'PORT_OUT_IN_PROGRESS' };

describe('the hotline prompts', () => {
  test('every prompt has words in ru, en and zh', () => {
    const keys = Object.keys(PROMPTS.en).sort();
    for (const language of LANGUAGES) assert.deepEqual(Object.keys(PROMPTS[language]).sort(), keys, language);
    for (const language of LANGUAGES) {
      for (const key of keys) {
        const text = word({ key, params }, language, speaking).text;
        assert.ok(text.length > 3 && !text.includes('undefined') && !text.includes('NaN'), `${language} ${key}: ${text}`);
      }
    }
  });

  test('each language-menu option is said in its own language; the rest in the call’s', () => {
    assert.deepEqual(word({ key: 'language_option', params: { language: 'zh', key: '3' } }, 'ru', speaking), { text: '中文服务请按3。', language: 'zh' });
    assert.equal(word({ key: 'handover' }, 'en', speaking).language, 'en');
    assert.match(word({ key: 'code_sent', params }, 'en', speaking).text, /ending in/);
    assert.doesNotMatch(word({ key: 'code_sent', params }, 'en', speaking).text, /999/, 'only the last four digits are said');
  });
});
