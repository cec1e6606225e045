// The file outbox's e-mails: composed without nodemailer's streams, read back by a mail parser as what was meant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import type { DeliveryMessage } from '../../src/adapters/delivery/deliverer.ts';
import { emailBytes } from '../../src/adapters/delivery/email-bytes.ts';
import { loadPolicy } from '../../src/config/load-config.ts';
import { render } from '../../src/notifications/templates.ts';
import { samplePayloads } from './support/samples.ts';

const policy = loadPolicy(undefined, { fallback: 'http://localhost:8080' });
const identity = { from: '"Оператор — demo" <no-reply@operator.test>', domain: 'operator.test' };

for (const language of ['ru', 'en', 'zh'] as const) {
  test(`an e-mail in ${language} parses back to its subject, text, HTML and headers, CRLF throughout`, async () => {
    const r = render('termination.completed', language, { ...samplePayloads['termination.completed'], certificate: 'link' }, policy);
    const message: DeliveryMessage = { key: `term:TRM-7KQ2-9XW4:completed:${language}`, medium: 'email', to: 'ivan.petrov+sim@example.org', language, subject: r.subject, text: r.text, html: r.html };
    const raw = emailBytes(message, identity, new Date('2026-12-07T10:00:00Z'));
    assert.ok(!/[^\r]\n/.test(raw.toString('latin1')), 'no bare LF');
    assert.ok(raw.every((b) => b < 0x80), 'ASCII only on the wire');
    assert.ok(raw.toString('latin1').split('\r\n').every((line) => line.length <= 998), 'no line over the RFC 5322 limit');
    const mail = await simpleParser(raw);
    assert.equal(mail.subject, r.subject);
    assert.equal(mail.text, r.text);
    assert.equal(mail.html, r.html);
    assert.equal(mail.from?.value[0]?.name, 'Оператор — demo');
    assert.equal(mail.from?.value[0]?.address, 'no-reply@operator.test');
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : [], ['ivan.petrov+sim@example.org']);
    assert.equal(mail.messageId, `<term=3ATRM-7KQ2-9XW4=3Acompleted=3A${language}@operator.test>`);
    assert.equal(mail.headers.get('x-simexit-key'), message.key);
    assert.equal(mail.headers.get('content-language'), language);
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(mail.date?.toISOString(), '2026-12-07T10:00:00.000Z');
  });
}

test('attachments, a non-ASCII address and a subject with a line break come out encoded, never as extra headers', async () => {
  const pdf = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
  const message: DeliveryMessage = {
    key: 'term:TRM-1:completed',
    medium: 'email',
    to: 'Иван <иван@пример.рф>',
    language: 'ru',
    subject: 'Справка\r\nBcc: victim@example.org',
    text: 'plain text\nsecond line',
    html: '<p>ok</p>',
    attachments: [
      { filename: 'справка TRM-1.pdf', content: pdf, contentType: 'application/pdf' },
      { filename: 'esim-qr.png', content: Buffer.from('png'), contentType: 'image/png\r\nX-Evil: 1' },
    ],
  };
  const raw = emailBytes(message, identity);
  assert.ok(!/^(Bcc|X-Evil):/im.test(raw.toString('latin1')), 'no header injected');
  const mail = await simpleParser(raw);
  assert.equal(mail.subject, 'Справка Bcc: victim@example.org');
  assert.equal(mail.text, 'plain text\nsecond line');
  assert.equal(mail.html, '<p>ok</p>');
  assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => [a.name, a.address]) : [], [['Иван', 'иван@пример.рф']]);
  assert.deepEqual(
    mail.attachments.map((a) => [a.filename, a.contentType]),
    [
      ['справка TRM-1.pdf', 'application/pdf'],
      ['esim-qr.png', 'image/pngx-evil:1'],
    ],
  );
  assert.ok(mail.attachments[0]?.content.equals(pdf), 'the attachment bytes as given');
});

test('a plain short-lined ASCII text goes as 7bit, anything else as base64', () => {
  const one = emailBytes({ key: 'k1', medium: 'email', to: 'a@b.test', language: 'en', subject: 'Hi', text: 'Hello\nworld' }, identity).toString('latin1');
  assert.match(one, /Content-Type: text\/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\r\nworld\r\n$/);
  const two = emailBytes({ key: 'k2', medium: 'email', to: 'a@b.test', language: 'ru', subject: 'Привет', text: 'Привет' }, identity).toString('latin1');
  assert.match(two, /Content-Transfer-Encoding: base64\r\n\r\n0J/);
});
