import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPolicy } from '../../src/config/load-config.ts';
import { TEST_SITE_URL } from '../support/stores.ts';
import { LANGUAGES as ALL_LANGUAGES, type Language } from '../../src/domain/languages.ts';
import { render, TEMPLATE_NAMES, TemplateError } from '../../src/notifications/templates.ts';
import { samplePayloads } from './support/samples.ts';

const policy = loadPolicy(undefined, { fallback: TEST_SITE_URL });
const LANGUAGES = ALL_LANGUAGES;
const LEFTOVERS = /undefined|null|NaN|Invalid Date|\[object |[{}]/;
const SCRIPT: Readonly<Record<Language, RegExp>> = { ru: /[А-Яа-яЁё]/, en: /^[^А-Яа-яЁё\u4e00-\u9fff]*$/, zh: /[\u4e00-\u9fff]/ };

describe('message templates', () => {
  for (const template of TEMPLATE_NAMES) {
    for (const language of LANGUAGES) {
      test(`${template} renders completely in ${language}`, () => {
        const m = render(template, language, samplePayloads[template], policy);
        for (const [part, value] of Object.entries(m)) {
          assert.ok(value.trim().length > 0, `${part} is empty`);
          assert.doesNotMatch(value, LEFTOVERS, `${part} has a leftover: ${value}`);
          assert.match(value.replace(policy.operator.name, ''), SCRIPT[language], `${part} is not in ${language}`);
        }
        assert.match(m.html, new RegExp(`<html lang="${language}"`));
        assert.match(m.html, /<title>[^<]+<\/title>/);
        assert.match(m.html, /<main /);
        for (const [, href, label] of m.html.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)) {
          assert.ok(href?.startsWith(policy.operator.siteUrl), `link ${href} points to the operator's site`);
          assert.ok(label && label.trim().length > 0, 'a link says where it goes');
        }
      });
    }
  }

  test('every template is covered by a sample payload', () => {
    assert.deepEqual(Object.keys(samplePayloads).sort(), [...TEMPLATE_NAMES].sort());
  });

  test('the request-received message carries the reference and a withdraw link valid until the effective time', () => {
    const link = `${policy.operator.siteUrl}/terminations/TRM-7KQ2-9XW4`;
    const expected: Record<Language, string> = { en: '23 November 2026 at 00:00 GMT+3', ru: '23 ноября 2026 г. в 00:00 GMT+3', zh: '2026年11月23日 GMT+3 00:00' };
    for (const language of LANGUAGES) {
      const m = render('termination.requested', language, samplePayloads['termination.requested'], policy);
      for (const part of [m.subject, m.text, m.html, m.sms]) assert.ok(part.includes('TRM-7KQ2-9XW4'), `${language}: the reference is in every part`);
      for (const part of [m.text, m.html, m.sms]) assert.ok(part.includes(link), `${language}: the withdraw link is in ${part.slice(0, 40)}`);
      assert.ok(m.text.includes(expected[language]), `${language}: the withdraw deadline in Moscow time (${m.text})`);
    }
  });

  test('a request still awaiting its code promises no withdrawal: it says not to share the code and when the request lapses', () => {
    const awaiting = { ...samplePayloads['termination.requested'], state: 'awaiting_confirmation', withdrawUntil: null, confirmBy: '2026-11-21T21:30:00.000Z' };
    const lapses: Record<Language, string> = { en: 'lapses at 22 November 2026 at 00:30 GMT+3', ru: 'истечёт 22 ноября 2026 г. в 00:30 GMT+3', zh: '将于 2026年11月22日 GMT+3 00:30 失效' };
    const withdraw: Record<Language, RegExp> = { en: /withdraw/i, ru: /отзов/i, zh: /撤回/ };
    for (const language of LANGUAGES) {
      const m = render('termination.requested', language, awaiting, policy);
      for (const part of [m.text, m.sms]) {
        assert.ok(part.includes(lapses[language]), `${language}: when it lapses, in ${part}`);
        assert.doesNotMatch(part, withdraw[language], `${language}: no withdrawal offered`);
      }
    }
    const blocked = render('termination.requested', 'en', { ...awaiting, state: 'blocked', confirmBy: null }, policy);
    assert.match(blocked.text, /cannot go ahead without you/);
    assert.doesNotMatch(blocked.sms, /withdraw/i);
  });

  test('one-time codes name the action and say the operator never asks for them', () => {
    const actions: Record<string, Record<Language, string>> = {
      'otp.confirm_termination': { en: 'to confirm ending line', ru: 'подтвердить расторжение договора', zh: '确认注销号码' },
      'otp.password_reset': { en: 'to reset the password', ru: 'сбросить пароль', zh: '重置号码' },
      'otp.cancel_without_signin': { en: 'to cancel line', ru: 'расторгнуть договор', zh: '注销号码' },
    };
    const neverAsks: Record<Language, RegExp> = { en: /never asks for this code by phone or messenger/, ru: /никогда не спрашивает этот код по телефону или в мессенджерах/, zh: /绝不会通过电话或即时通讯软件索要此验证码/ };
    for (const [template, byLanguage] of Object.entries(actions)) {
      for (const language of LANGUAGES) {
        const m = render(template, language, samplePayloads[template as keyof typeof samplePayloads], policy);
        assert.ok(m.sms.includes('482913'), 'the code');
        assert.ok(m.sms.includes('+7 *** *** 45 67'), `the masked line, grouped: ${m.sms}`);
        assert.ok(m.sms.includes(byLanguage[language]), `${template} ${language} names the action: ${m.sms}`);
        assert.match(m.sms, neverAsks[language]);
        assert.ok(m.text.includes('482913') && m.html.includes('482913'));
      }
    }
    assert.match(render('otp.confirm_termination', 'en', samplePayloads['otp.confirm_termination'], policy).sms, /^Code 482913 to confirm ending line \+7 \*\*\* \*\*\* 45 67 \(request TRM-7KQ2-9XW4\)\. Valid until 13:05 GMT\+3\./);
  });

  test('money is formatted for the language and dates follow the operator time zone', () => {
    const completed = samplePayloads['termination.completed'];
    for (const [language, locale] of [['ru', 'ru-RU'], ['en', 'en-GB'], ['zh', 'zh-CN']] as const) {
      const m = render('termination.completed', language, completed, policy);
      assert.ok(m.text.includes(new Intl.NumberFormat(locale, { style: 'currency', currency: 'RUB' }).format(1234.5)), `${language}: ${m.text}`);
      assert.ok(m.text.includes(new Intl.NumberFormat(locale, { style: 'currency', currency: 'RUB' }).format(50)));
    }
    const shanghai = { ...policy, operator: { ...policy.operator, timezone: 'Asia/Shanghai' } };
    assert.ok(render('termination.scheduled', 'en', samplePayloads['termination.scheduled'], shanghai).text.includes('23 November 2026 at 05:00 GMT+8'));
    const yen = render('termination.completed', 'en', { ...completed, currency: 'JPY', amountSettled: 1500 }, policy);
    assert.ok(yen.text.includes('¥1,500') || yen.text.includes('JP¥1,500'), 'a currency without minor digits');
  });

  test('a payload that does not fit is refused, never rendered with gaps', () => {
    const { reference: _dropped, ...withoutReference } = samplePayloads['termination.requested'];
    assert.throws(() => render('termination.requested', 'en', withoutReference, policy), TemplateError);
    assert.throws(() => render('termination.completed', 'en', { ...samplePayloads['termination.completed'], amountSettled: '12' }, policy), TemplateError);
    assert.throws(() => render('termination.scheduled', 'en', { ...samplePayloads['termination.scheduled'], effectiveAt: 'soon' }, policy), TemplateError);
    assert.throws(() => render('no.such.template', 'en', {}, policy), TemplateError);
    const noQuarantine = render('termination.completed', 'en', { ...samplePayloads['termination.completed'], quarantineUntil: null }, policy);
    assert.doesNotMatch(noQuarantine.text, LEFTOVERS);
  });

  test('payload text is escaped in HTML and an unknown language falls back to the default', () => {
    const m = render('termination.failed', 'en', { ...samplePayloads['termination.failed'], reference: 'TRM-<b>&"x"' }, policy);
    assert.ok(m.html.includes('TRM-&lt;b&gt;&amp;&quot;x&quot;'));
    assert.ok(!m.html.includes('<b>'));
    const fallback = render('termination.failed', 'de', samplePayloads['termination.failed'], policy);
    assert.match(fallback.html, new RegExp(`<html lang="${policy.defaultLanguage}"`));
  });
});
