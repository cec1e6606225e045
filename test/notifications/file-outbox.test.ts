// The embedded default: with no provider configured, messages become .eml and .txt files.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { fileNameFor } from '../../src/adapters/delivery/deliverer.ts';
import { deliverersFor, deliverDue } from '../../src/notifications/deliver.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { enqueue, message, notificationRow } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

for (const kind of storeKinds()) {
  test(`with no provider set, e-mails are written as RFC 5322 .eml files and SMS as .txt files (${kind.name})`, async () => {
    const app = await openTestApp(kind);
    const outbox = mkdtempSync(join(tmpdir(), 'simexit-outbox-'));
    const deliverers = deliverersFor(app, { SIMEXIT_OUTBOX: outbox });
    try {
      const email = message('termination.completed', 'email', { payload: samplePayloads['termination.completed'], language: 'zh' });
      const sms = message('termination.requested', 'sms', { payload: samplePayloads['termination.requested'], language: 'ru' });
      await enqueue(app, [email, sms]);
      assert.equal((await deliverDue(app, { limit: 10, workerId: 'wrk_files', deliverers })).sent, 2);

      const emlName = `${fileNameFor(email.key)}.eml`;
      const txtName = `${fileNameFor(sms.key)}.txt`;
      assert.deepEqual(readdirSync(outbox).sort(), [emlName, txtName].sort(), 'one file per message, nothing left half-written');
      const raw = readFileSync(join(outbox, emlName));
      assert.ok(raw.includes('\r\n'), 'CRLF line ends');
      assert.ok(!/[^\r]\n/.test(raw.toString('latin1')), 'no bare LF');
      const mail = await simpleParser(raw);
      assert.equal(mail.subject, '号码 +7 999 123 45 67 已注销（TRM-7KQ2-9XW4）');
      assert.equal(mail.messageId, `<${email.key.replaceAll(':', '=3A')}@localhost>`);
      assert.equal(mail.headers.get('content-language'), 'zh');
      assert.ok(mail.date instanceof Date);
      assert.ok(mail.text?.includes('最终账单：'));
      assert.ok(typeof mail.html === 'string' && mail.html.includes('<html lang="zh"'));

      const txt = readFileSync(join(outbox, txtName), 'utf8');
      assert.match(txt, /^To: \+79991234567\nFrom: 7000\nLanguage: ru\nKey: /);
      assert.ok(txt.includes('получена заявка TRM-7KQ2-9XW4') && txt.includes('http://localhost:8080/terminations/TRM-7KQ2-9XW4'));
      assert.equal((await notificationRow(app, sms.key)).provider_id, txtName);
    } finally {
      await deliverers.close();
      await app.close();
    }
  });
}

test('an attachment written by the outbox thread arrives byte for byte (a Buffer crosses to a thread as a plain Uint8Array)', async () => {
  const outbox = mkdtempSync(join(tmpdir(), 'simexit-outbox-'));
  const { fileEmailDeliverer } = await import('../../src/adapters/delivery/file-outbox.ts');
  const pdf = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
  const deliverer = fileEmailDeliverer(outbox, { from: 'no-reply@operator.test', domain: 'operator.test' });
  const { providerId } = await deliverer.send({ key: 'term:TRM-1:completed', medium: 'email', to: 'a@b.test', language: 'en', subject: 'Done', text: 'See attached.', attachments: [{ filename: 'TRM-1.pdf', content: pdf, contentType: 'application/pdf' }] });
  const mail = await simpleParser(readFileSync(join(outbox, providerId)));
  assert.equal(mail.attachments[0]?.filename, 'TRM-1.pdf');
  assert.ok(mail.attachments[0]?.content.equals(pdf), 'the PDF as given');
});
