import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGsm7, smsSegments } from '../adapters/delivery/smpp.ts';
import { loadPolicy } from '../config/load-config.ts';
import { formatterFor } from '../notifications/format.ts';
import { NOW, sampleAccount, sampleCustomer, sampleLine } from './decision-fixtures.ts';
import { LANGUAGES } from './languages.ts';
import { preview } from './preview.ts';
import {
  DEFAULT_SMS_RATE,
  INBOUND_KINDS,
  type InboundCommand,
  normalizeSms,
  parseInboundSms,
  type SmsPreviewFacts,
  type SmsReply,
  smsPreviewFacts,
  smsRateDecision,
  smsReplyText,
} from './sms-commands.ts';
import { addSeconds } from './time.ts';

const policy = loadPolicy(undefined, { override: 'https://selfcare.example.ru' });

describe('reading an inbound SMS', () => {
  test('the kinds are stable names', () => {
    assert.deepEqual(INBOUND_KINDS, ['cancel', 'confirm', 'stop', 'help', 'ticket', 'other']);
  });

  test('normalizing: full-width forms, invisible characters, case, ё, punctuation and spaces', () => {
    const cases: [string, string][] = [
      ['  Ёж   ИДЁТ ', 'еж идет'],
      ['ＳＴＯＰ！', 'stop'],
      ['CAN\u200bCEL', 'cancel'],
      ['a\u00a0\u00a0b\t\nc', 'a b c'],
      ['注销123456', '注销 123456'],
      ['«Помощь»?!', 'помощь'],
      ['и\u0306', 'й'],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeSms(input), expected, JSON.stringify(input));
  });

  const cancel = (language: 'ru' | 'en' | 'zh'): InboundCommand => ({ kind: 'cancel', language });
  const stop = (language: 'ru' | 'en' | 'zh'): InboundCommand => ({ kind: 'stop', language });
  const help = (language: 'ru' | 'en' | 'zh'): InboundCommand => ({ kind: 'help', language });
  const confirm = (code: string, language: 'ru' | 'en' | 'zh' | null = null): InboundCommand => ({ kind: 'confirm', code, language });
  const other: InboundCommand = { kind: 'other' };
  const ticket = (shop: number | null, language: 'ru' | 'en' | 'zh'): InboundCommand => ({ kind: 'ticket', shop, language });

  const cases: [string, InboundCommand][] = [
    // en
    ['CANCEL', cancel('en')],
    ['  cancel  ', cancel('en')],
    ['Cancel!', cancel('en')],
    ['cAnCeL.', cancel('en')],
    ['ＣＡＮＣＥＬ', cancel('en')],
    ['STOP', stop('en')],
    ['stop.', stop('en')],
    ['HELP', help('en')],
    ['help?', help('en')],
    // ru
    ['ОТКЛЮЧИТЬ', cancel('ru')],
    [' Отключить!!! ', cancel('ru')],
    ['отключить', cancel('ru')],
    ['РАСТОРГНУТЬ', cancel('ru')],
    ['расторгнуть.', cancel('ru')],
    ['СТОП', stop('ru')],
    ['Стоп', stop('ru')],
    ['ПОМОЩЬ', help('ru')],
    ['помощь!', help('ru')],
    // zh
    ['注销', cancel('zh')],
    ['注销。', cancel('zh')],
    ['\u3000注销\u3000', cancel('zh')],
    ['註銷', cancel('zh')],
    ['停止', stop('zh')],
    ['退订', stop('zh')],
    ['TD', stop('zh')],
    ['帮助', help('zh')],
    ['幫助！', help('zh')],
    // the code alone, in groups, in full-width digits, or after the cancel keyword
    ['123456', confirm('123456')],
    [' 123 456 ', confirm('123456')],
    ['12 34 56', confirm('123456')],
    ['123-456', confirm('123456')],
    ['１２３４５６', confirm('123456')],
    ['CANCEL 123456', confirm('123456', 'en')],
    ['cancel: 123 456', confirm('123456', 'en')],
    ['cancel123456', confirm('123456', 'en')],
    ['ОТКЛЮЧИТЬ 123456', confirm('123456', 'ru')],
    ['Расторгнуть 123-456', confirm('123456', 'ru')],
    ['注销123456', confirm('123456', 'zh')],
    ['注销 123456。', confirm('123456', 'zh')],
    // a shop ticket: the keyword alone asks which shop, with one digit it takes one
    ['TICKET', ticket(null, 'en')],
    ['ticket 2', ticket(2, 'en')],
    ['Ticket2', ticket(2, 'en')],
    ['ТАЛОН', ticket(null, 'ru')],
    ['талон 1', ticket(1, 'ru')],
    ['取号', ticket(null, 'zh')],
    ['取号１', ticket(1, 'zh')],
    ['取號 3', ticket(3, 'zh')],
    ['TICKET 0', other],
    ['TICKET 12', other],
    ['ТАЛОН 1 2', other],
    ['TICKET PLEASE', other],
    // anything else
    ['', other],
    ['   ', other],
    ['!!!', other],
    ['12345', other],
    ['1234567', other],
    ['123456 789', other],
    ['12345a', other],
    ['CANCEL PLEASE', other],
    ['CANCEL CANCEL', other],
    ['ОТКЛЮЧИТЬ ИНТЕРНЕТ', other],
    ['Отключить номер', other],
    ['STOP 123456', other],
    ['HELP 123456', other],
    ['Привет', other],
    ['otklyuchit', other],
    // look-alike letters of the other script are not read as the keyword
    ['\u0421ANCEL', other], // Cyrillic С
    ['ST\u041eP', other], // Cyrillic О
    ['CT\u041e\u041f', other], // Latin C, T with Cyrillic О, П
    ['\u041e\u0422K\u041b\u042e\u0427\u0418\u0422\u042c', other], // ОТKЛЮЧИТЬ with a Latin K
    ['\u0422D', other], // Cyrillic Т
  ];

  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} is ${expected.kind}${'language' in expected && expected.language ? ` (${expected.language})` : ''}`, () => {
      assert.deepEqual(parseInboundSms(input, 6), expected);
    });
  }

  test('a code is as long as the policy says', () => {
    assert.deepEqual(parseInboundSms('1234 5678', 8), confirm('12345678'));
    assert.deepEqual(parseInboundSms('123456', 8), other);
    assert.deepEqual(parseInboundSms('1234', 4), confirm('1234'));
  });
});

describe('the replies', () => {
  const facts = (over: Partial<SmsPreviewFacts> = {}): SmsPreviewFacts => ({
    effectiveAt: '2026-12-31T21:00:00.000Z',
    currency: 'RUB',
    owed: 0,
    refund: 0,
    dataLeftMb: 0,
    code: '123456',
    ...over,
  });
  const replies: [string, SmsReply][] = [
    ['preview, nothing to pay or lose', { kind: 'preview', facts: facts() }],
    ['preview, owed and data', { kind: 'preview', facts: facts({ owed: 45_000, dataLeftMb: 3000 }) }],
    ['preview, refund and a little data', { kind: 'preview', facts: facts({ refund: 25_050, dataLeftMb: 850 }) }],
    ['confirmed', { kind: 'confirmed', reference: 'TRM-7KQ2-9XW4', effectiveAt: '2026-12-31T21:00:00.000Z' }],
    ['wrong code', { kind: 'wrong_code', attemptsLeft: 2 }],
    ['wrong code, void', { kind: 'wrong_code', attemptsLeft: 0 }],
    ['help', { kind: 'help' }],
    ['stopped', { kind: 'stopped' }],
    ['rate limited', { kind: 'rate_limited', retryAfterSeconds: 290 }],
  ];
  // Dates in the operator's zone (Moscow: the 31st at 21:00 UTC is the 1st of January), money in the
  // currency's digits, data in GB of 1024 MB rounded down; no-break spaces written as spaces.
  const expected: Record<'ru' | 'en' | 'zh', string[]> = {
    ru: [
      'Расторжение с 1 января 2027 г. Подтвердить: ответьте 123456. Не вы? Не отвечайте.',
      'Расторжение с 1 января 2027 г., к оплате 450,00 ₽, сгорит 2,9 ГБ. Подтвердить: ответьте 123456. Не вы? Не отвечайте.',
      'Расторжение с 1 января 2027 г., вернём 250,50 ₽, сгорит 850 МБ. Подтвердить: ответьте 123456. Не вы? Не отвечайте.',
      'Заявка TRM-7KQ2-9XW4 подтверждена, расторжение с 1 января 2027 г.; отозвать: https://selfcare.example.ru',
      'Код неверный или устарел. Осталось попыток: 2.',
      'Код неверный и больше не действует. Новый: отправьте ОТКЛЮЧИТЬ.',
      'Расторжение: ОТКЛЮЧИТЬ (придут условия и код). Талон в салон: ТАЛОН. Отписаться: СТОП. https://selfcare.example.ru',
      'Больше не пишем вам с 7000, код отменён. Начать снова: ОТКЛЮЧИТЬ или ПОМОЩЬ.',
      'Слишком много сообщений. Попробуйте через 5 минут.',
    ],
    en: [
      'Your contract ends on 1 January 2027 if you confirm. To confirm, reply 123456. Not you? Do not reply.',
      'Your contract ends on 1 January 2027 if you confirm. To pay: RUB 450.00. Data lost: 2.9 GB. To confirm, reply 123456. Not you? Do not reply.',
      'Your contract ends on 1 January 2027 if you confirm. Refund: RUB 250.50. Data lost: 850 MB. To confirm, reply 123456. Not you? Do not reply.',
      'Request TRM-7KQ2-9XW4 confirmed: your contract ends on 1 January 2027. To withdraw: https://selfcare.example.ru',
      'That code is wrong or expired. Tries left: 2.',
      'That code is wrong and no longer works. Text CANCEL for a new one.',
      'To end your contract, text CANCEL: we reply with the terms and a code. TICKET: a shop queue ticket. STOP: opt out. https://selfcare.example.ru',
      'No more texts from 7000; your code is void. To start again, text CANCEL or HELP.',
      'Too many messages. Try again in 5 minutes.',
    ],
    zh: [
      '确认后，合同将于2027年1月1日终止。回复123456确认。不是您本人？请勿回复。',
      '确认后，合同将于2027年1月1日终止，需付RUB 450.00，剩余2.9 GB流量作废。回复123456确认。不是您本人？请勿回复。',
      '确认后，合同将于2027年1月1日终止，退款RUB 250.50，剩余850 MB流量作废。回复123456确认。不是您本人？请勿回复。',
      '申请TRM-7KQ2-9XW4已确认，合同将于2027年1月1日终止。撤回：https://selfcare.example.ru',
      '验证码错误或已过期，还可尝试2次。',
      '验证码错误，已失效。发送“注销”获取新验证码。',
      '注销合同：发送“注销”，我们将回复条款和验证码。发送“取号”预约营业厅排号。回复TD退订。https://selfcare.example.ru',
      '7000将不再给您发短信，验证码已作废。重新开始请发送“注销”或“帮助”。',
      '消息过多，请5分钟后再试。',
    ],
  };

  for (const language of LANGUAGES) {
    for (const [i, [name, reply]] of replies.entries()) {
      test(`${language}: ${name}`, () => {
        assert.equal(smsReplyText(reply, formatterFor(language, policy)), expected[language][i]);
      });
    }
  }

  test('every reply fits two SMS with long values, and English ones go as GSM-7', () => {
    const longPolicy = loadPolicy(undefined, { override: 'https://selfcare.example-operator.ru' });
    // The longest Russian and English month, the largest code, six-figure sums, a huge data allowance.
    const at = '2026-09-29T21:00:00.000Z';
    const long = facts({ effectiveAt: at, code: '1234567890', dataLeftMb: 1_048_575 });
    const worst: SmsReply[] = [
      { kind: 'preview', facts: { ...long, owed: 99_999_999 } },
      { kind: 'preview', facts: { ...long, refund: 99_999_999 } },
      { kind: 'preview', facts: { ...long, dataLeftMb: 1023, owed: 99_999_999 } },
      { kind: 'confirmed', reference: 'TRM-7KQ2-9XW4', effectiveAt: at },
      { kind: 'wrong_code', attemptsLeft: 10 },
      { kind: 'wrong_code', attemptsLeft: 0 },
      { kind: 'help' },
      { kind: 'stopped' },
      { kind: 'rate_limited', retryAfterSeconds: 86_400 },
      { kind: 'rate_limited', retryAfterSeconds: 7199 },
    ];
    for (const language of LANGUAGES) {
      const f = { ...formatterFor(language, longPolicy), shortNumber: '900090' };
      for (const reply of worst) {
        const text = smsReplyText(reply, f);
        assert.ok(smsSegments(text) <= 2, `${language} ${reply.kind}: ${smsSegments(text)} segments (${text.length} chars): ${text}`);
        if (language === 'en') assert.ok(isGsm7(text), `English goes as GSM-7: ${text}`);
      }
    }
  });

  test('the preview facts come from the preview: what is left to pay, the refund, the data and the day', () => {
    const input = (balance: number) => ({
      line: sampleLine({ dataLeftMb: 2048 }),
      account: sampleAccount(balance),
      customer: sampleCustomer(),
      esimState: null,
      policy,
      channel: 'sms' as const,
      authority: 'subscriber' as const,
      effective: { mode: 'now' as const },
      feeAccepted: true,
      instalmentsAccepted: true,
      otherLiveLines: 0,
      now: NOW,
    });
    for (const balance of [-45_000, 500_000]) {
      const p = preview(input(balance));
      const f = smsPreviewFacts(p, '123456');
      assert.deepEqual(f, { effectiveAt: p.effectiveAt, currency: 'RUB', owed: p.quote.owedAfter, refund: p.quote.refund, dataLeftMb: 2048, code: '123456' });
      assert.ok(f.owed === 0 || f.refund === 0, 'never both');
      assert.ok(balance < 0 ? f.owed > 0 : f.refund > 0);
    }
  });
});

describe('how often a number may text', () => {
  const now = '2026-12-03T12:00:00.000Z';
  const ago = (...seconds: number[]) => seconds.map((s) => addSeconds(now, -s));
  const cases: [string, string[], ReturnType<typeof smsRateDecision>][] = [
    ['a first message', [], { kind: 'allow' }],
    ['the fifth in ten minutes', ago(500, 400, 300, 200), { kind: 'allow' }],
    ['the sixth: refused and told once, until the second oldest leaves', ago(500, 400, 300, 200, 100), { kind: 'refuse', retryAfterSeconds: 200, tell: true }],
    ['the seventh: refused silently', ago(500, 400, 300, 200, 100, 50), { kind: 'refuse', retryAfterSeconds: 300, tell: false }],
    ['in any order', ago(100, 500, 300, 200, 400), { kind: 'refuse', retryAfterSeconds: 200, tell: true }],
    ['a message exactly ten minutes old has left the window', ago(600, 400, 300, 200, 100), { kind: 'allow' }],
    ['older messages do not count', ago(5000, 4000, 3000, 2000, 1000, 601), { kind: 'allow' }],
  ];
  for (const [name, history, expected] of cases) {
    test(name, () => assert.deepEqual(smsRateDecision(history, now), expected));
  }

  test('the defaults are five messages in ten minutes', () => {
    assert.deepEqual(DEFAULT_SMS_RATE, { maxMessages: 5, windowSeconds: 600 });
  });

  test('the limits are parameters', () => {
    const one = { maxMessages: 1, windowSeconds: 60 };
    assert.deepEqual(smsRateDecision(ago(10), now, one), { kind: 'refuse', retryAfterSeconds: 60, tell: true });
    assert.deepEqual(smsRateDecision(ago(60), now, one), { kind: 'allow' });
  });

  test('a number that waits as long as it was told is let through, and one that keeps texting is not', () => {
    let history = ago(500, 400, 300, 200, 100);
    let at = now;
    const first = smsRateDecision(history, at);
    assert.equal(first.kind, 'refuse');
    history = [...history, at];
    at = addSeconds(at, first.kind === 'refuse' ? first.retryAfterSeconds - 1 : 0);
    assert.equal(smsRateDecision(history, at).kind, 'refuse', 'a second early');
    history = [...history, at];
    at = addSeconds(at, 1);
    const again = smsRateDecision(history, at);
    assert.equal(again.kind, 'refuse', 'texting while refused keeps it refused');
    history = [...history, at];
    const wait = again.kind === 'refuse' ? again.retryAfterSeconds : 0;
    assert.equal(smsRateDecision(history, addSeconds(at, wait - 1)).kind, 'refuse');
    assert.deepEqual(smsRateDecision(history, addSeconds(at, wait)), { kind: 'allow' });
  });
});
