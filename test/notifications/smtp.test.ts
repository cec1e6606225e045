// E-mail through a real SMTP server started by the test, read back with a real MIME parser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deliverersFromEnv } from '../../src/adapters/delivery/factory.ts';
import type { Deliverers } from '../../src/adapters/delivery/deliverer.ts';
import { deliverDue, receiptRecorder } from '../../src/notifications/deliver.ts';
import { inTransaction } from '../../src/store/database.ts';
import { listFailedNotifications, requeueNotification } from '../../src/notifications/outbox.repository.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { enqueue, message, notificationRow, type SmtpPeer, startSmtpPeer } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

for (const kind of storeKinds()) {
  describe(`e-mail over SMTP (${kind.name})`, () => {
    let app: TestApp;
    let smtp: SmtpPeer;
    let deliverers: Deliverers;
    const worker = { limit: 50, workerId: 'wrk_test' };

    before(async () => {
      app = await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, maxAttempts: 3, backoffBaseSeconds: 10, backoffMaxSeconds: 60 } }) });
      smtp = await startSmtpPeer();
      deliverers = deliverersFromEnv({ SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_MAIL_FROM: '"Demo Operator" <no-reply@operator.test>' }, { policy: app.policy, onReceipt: receiptRecorder(app.store) });
    });
    after(async () => {
      await deliverers.close();
      await smtp.close();
      await app.close();
    });

    test('a request-received e-mail arrives in the customer language with the reference and the withdraw link', async () => {
      smtp.answer = () => undefined;
      const m = message('termination.requested', 'email', { payload: samplePayloads['termination.requested'], language: 'ru' });
      await enqueue(app, [m]);
      const totals = await deliverDue(app, { ...worker, deliverers });
      assert.equal(totals.sent, 1);
      const mail = smtp.received.at(-1);
      assert.ok(mail);
      assert.equal(mail.subject, 'Получена заявка на расторжение договора по номеру +7 999 123 45 67 (TRM-7KQ2-9XW4)');
      assert.equal(mail.headers.get('content-language'), 'ru');
      assert.equal(mail.messageId, `<${m.key.replaceAll(':', '=3A')}@operator.test>`, 'the Message-ID is the notification key');
      assert.equal(mail.headers.get('x-simexit-key'), m.key);
      assert.equal(mail.from?.text, '"Demo Operator" <no-reply@operator.test>');
      assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'anna@example.test');
      assert.ok(mail.text?.includes('http://localhost:8080/terminations/TRM-7KQ2-9XW4'), 'the withdraw link in the text part');
      assert.ok(mail.text?.includes('Отозвать можно до: 23 ноября 2026 г. в 00:00 GMT+3'));
      assert.ok(typeof mail.html === 'string' && mail.html.includes('<html lang="ru"') && mail.html.includes('href="http://localhost:8080/terminations/TRM-7KQ2-9XW4"'));
      const row = await notificationRow(app, m.key);
      assert.equal(row.state, 'sent');
      assert.equal(row.provider_id, 'Q1', "the server's queue id");
      assert.equal(row.sent_at, app.clock());
      assert.equal(Number(row.attempts), 1);
      assert.equal(row.leased_by, null);
    });

    test('nothing is sent twice: a second run finds nothing due', async () => {
      const before = smtp.received.length;
      const totals = await deliverDue(app, { ...worker, deliverers });
      assert.equal(totals.claimed, 0);
      assert.equal(smtp.received.length, before);
    });

    test('a server that refuses the first attempts is retried with backoff until it accepts', async () => {
      let refusals = 0;
      smtp.answer = () => (refusals++ < 2 ? 451 : undefined);
      const m = message('termination.completed', 'email', { payload: samplePayloads['termination.completed'], language: 'en' });
      await enqueue(app, [m]);

      assert.deepEqual(await deliverDue(app, { ...worker, deliverers }), { claimed: 1, sent: 0, retried: 1, failed: 0, lostLeases: 0 });
      let row = await notificationRow(app, m.key);
      assert.equal(row.state, 'queued');
      assert.match(row.last_error ?? '', /451/);
      const firstRetryAt = Date.parse(row.next_attempt_at ?? '');
      assert.ok(firstRetryAt >= Date.parse(app.clock()) + 9_000 && firstRetryAt <= Date.parse(app.clock()) + 11_000, 'about the base backoff later');
      assert.equal((await deliverDue(app, { ...worker, deliverers })).claimed, 0, 'not before its time');

      app.clock.advanceHours(1 / 60);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).retried, 1);
      row = await notificationRow(app, m.key);
      assert.ok(Date.parse(row.next_attempt_at ?? '') >= Date.parse(app.clock()) + 18_000, 'the second wait is longer');

      app.clock.advanceHours(1 / 60);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).sent, 1);
      row = await notificationRow(app, m.key);
      assert.equal(row.state, 'sent');
      assert.equal(Number(row.attempts), 3);
      assert.equal(row.last_error, null);
      const copies = smtp.received.filter((mail) => mail.headers.get('x-simexit-key') === m.key);
      assert.equal(copies.length, 3, 'two refused, one accepted');
      assert.equal(new Set(copies.map((c) => c.messageId)).size, 1, 'every attempt carries the same Message-ID');
      assert.equal(copies[2]?.subject, 'Line +7 999 123 45 67 has been ended (TRM-7KQ2-9XW4)');
    });

    test('after the last attempt the message is failed and listed for the back office', async () => {
      smtp.answer = () => 451;
      const m = message('termination.scheduled', 'email', { payload: samplePayloads['termination.scheduled'], language: 'zh' });
      await enqueue(app, [m]);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const totals = await deliverDue(app, { ...worker, deliverers });
        assert.equal(totals.claimed, 1, `attempt ${attempt}`);
        app.clock.advanceHours(1 / 30);
      }
      const row = await notificationRow(app, m.key);
      assert.equal(row.state, 'failed');
      assert.equal(Number(row.attempts), 3);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).claimed, 0, 'a failed message is not retried by itself');
      const failed = await listFailedNotifications(app.store.db);
      const listed = failed.find((f) => f.key === m.key);
      assert.ok(listed, 'visible to the back office');
      assert.equal(listed.state, 'failed');
      assert.match(listed.lastError ?? '', /451/);
      assert.equal(listed.attempts, 3);

      smtp.answer = () => undefined;
      assert.equal(await inTransaction(app.store, (tx) => requeueNotification(tx, row.id, app.clock())), true);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).sent, 1, 'sent once someone requeues it');
      assert.equal(smtp.received.at(-1)?.subject, `号码 +7 999 123 45 67 将于 2026年11月23日 注销（TRM-7KQ2-9XW4）`);
    });

    test('a recipient the server does not know fails at once, without retries', async () => {
      smtp.unknownRecipients.add('nobody@example.test');
      const m = message('termination.failed', 'email', { payload: samplePayloads['termination.failed'], language: 'en', address: 'nobody@example.test' });
      await enqueue(app, [m]);
      const totals = await deliverDue(app, { ...worker, deliverers });
      assert.equal(totals.failed, 1);
      const row = await notificationRow(app, m.key);
      assert.equal(row.state, 'failed');
      assert.equal(Number(row.attempts), 1);
      assert.match(row.last_error ?? '', /550|rejected/i);
    });

    test('a payload the template cannot render fails at once and sends nothing', async () => {
      const before = smtp.received.length;
      const m = message('termination.requested', 'email', { payload: { reference: 'TRM-X' } });
      await enqueue(app, [m]);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).failed, 1);
      assert.equal(smtp.received.length, before);
      assert.match((await notificationRow(app, m.key)).last_error ?? '', /payload\.msisdn is missing/);
    });
  });
}
