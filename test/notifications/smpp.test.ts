// SMS through a real SMSC peer (the smpp package's server) started by the test.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deliverers } from '../../src/adapters/delivery/deliverer.ts';
import { deliverersFromEnv } from '../../src/adapters/delivery/factory.ts';
import { userMessageReference } from '../../src/adapters/delivery/smpp.ts';
import { deliverDue, receiptRecorder } from '../../src/notifications/deliver.ts';
import { listFailedNotifications } from '../../src/notifications/outbox.repository.ts';
import { render } from '../../src/notifications/templates.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { enqueue, eventually, message, notificationRow, type SmppPeer, startSmppPeer } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

const KEY_TLV = 0x1401;

for (const kind of storeKinds()) {
  describe(`SMS over SMPP (${kind.name})`, () => {
    let app: TestApp;
    let smsc: SmppPeer;
    let deliverers: Deliverers;
    const errors: Error[] = [];
    const worker = { limit: 50, workerId: 'wrk_test' };
    const rowOf = (key: string) => notificationRow(app, key);

    before(async () => {
      app = await openTestApp(kind);
      smsc = await startSmppPeer();
      deliverers = deliverersFromEnv(
        { SIMEXIT_SMPP_URL: smsc.url(`?key_tlv=0x${KEY_TLV.toString(16)}`), SIMEXIT_SMS_FROM: 'SimExit' },
        { policy: app.policy, onReceipt: receiptRecorder(app.store), onError: (e) => errors.push(e) },
      );
    });
    after(async () => {
      await deliverers.close();
      await smsc.close();
      await app.close();
    });

    test('Cyrillic and Chinese go as UCS2, the SMSC decodes them, and the delivery receipts are recorded', async () => {
      const ru = message('otp.confirm_termination', 'sms', { payload: samplePayloads['otp.confirm_termination'], language: 'ru' });
      const zh = message('termination.requested', 'sms', { payload: samplePayloads['termination.requested'], language: 'zh' });
      await enqueue(app, [ru, zh]);
      const totals = await deliverDue(app, { ...worker, deliverers });
      assert.equal(totals.sent, 2);
      assert.deepEqual(smsc.binds, [{ systemId: 'simexit', password: 'pw123' }], 'one bind, with the credentials from the URL');

      for (const m of [ru, zh]) {
        const sms = smsc.submitted.find((s) => s.pdu.simexit_key === m.key);
        assert.ok(sms, `the SMSC got ${m.key}, named by the key TLV`);
        assert.equal(sms.pdu.data_coding, 8, 'UCS2');
        assert.equal(sms.text, render(m.template, m.language, m.payload, app.policy).sms, 'decoded back to the very text');
        assert.equal(sms.pdu.destination_addr, '79991234567');
        assert.equal(sms.pdu.dest_addr_ton, 1);
        assert.equal(sms.pdu.source_addr, 'SimExit');
        assert.equal(sms.pdu.source_addr_ton, 5, 'an alphanumeric sender');
        assert.equal(sms.pdu.registered_delivery, 1, 'a receipt is asked for');
        assert.equal(sms.pdu.user_message_reference, userMessageReference(m.key));
        await eventually(async () => (await rowOf(m.key)).receipt_status === 'delivered', `the receipt of ${m.key}`);
        const row = await rowOf(m.key);
        assert.equal(row.state, 'sent');
        assert.equal(row.provider_id, sms.messageId);
        assert.ok(row.delivered_at);
      }
      const otp = smsc.submitted.find((s) => s.pdu.simexit_key === ru.key);
      assert.match(otp?.text ?? '', /^Код 482913 — чтобы подтвердить расторжение договора по номеру \+7 \*\*\* \*\*\* 45 67/);
      assert.ok(Buffer.byteLength(otp?.text ?? '', 'utf16le') > 140 && otp?.pdu.message_payload, 'a long text goes whole in message_payload');
      await eventually(async () => smsc.receiptAcks.length >= 2, 'the acknowledgements of the receipts');
      assert.ok(smsc.receiptAcks.every((s) => s === 0), 'receipts are acknowledged once recorded');
      assert.deepEqual(errors, []);
    });

    test('with long=udh a long text goes as concatenated parts that reassemble to the very text', async () => {
      const udh = deliverersFromEnv(
        { SIMEXIT_SMPP_URL: smsc.url(`?long=udh&key_tlv=0x${KEY_TLV.toString(16)}`), SIMEXIT_SMS_FROM: 'SimExit' },
        { policy: app.policy, onReceipt: receiptRecorder(app.store), onError: (e) => errors.push(e) },
      );
      try {
        const ru = message('otp.confirm_termination', 'sms', { payload: samplePayloads['otp.confirm_termination'], language: 'ru' });
        const en = message('termination.requested', 'sms', { payload: samplePayloads['termination.requested'], language: 'en' });
        await enqueue(app, [ru, en]);
        const before = smsc.submitted.length;
        assert.equal((await deliverDue(app, { ...worker, deliverers: udh })).sent, 2);
        const submitted = smsc.submitted.slice(before);
        for (const m of [ru, en]) {
          const text = render(m.template, m.language, m.payload, app.policy).sms;
          const parts = submitted.filter((s) => s.pdu.user_message_reference === userMessageReference(m.key));
          const headers = parts.map((p) => [...((p.pdu.short_message as { udh: Buffer[] }).udh[0] ?? [])]);
          const limit = m.language === 'ru' ? 67 : 153;
          assert.ok(parts.length > 1, `${m.key} is split`);
          assert.ok(parts.every((p) => !p.pdu.message_payload && (Number(p.pdu.esm_class) & 0x40) === 0x40), 'each part carries a user data header');
          assert.deepEqual(headers.map((h) => h[4]), parts.map((_, i) => i + 1), 'numbered 1, 2, …');
          assert.ok(headers.every((h) => h[0] === 0 && h[3] === parts.length && h[2] === (headers[0] as number[])[2]), 'one reference and the count in every part');
          assert.ok(parts.every((p) => p.text.length <= limit), `at most ${limit} characters a part`);
          assert.equal(parts.map((p) => p.text).join(''), text, 'the parts put together are the very text');
          assert.deepEqual(parts.map((p) => p.pdu.simexit_key), parts.map((_, i) => `${m.key}#${i + 1}/${parts.length}`), 'each part its own key, so an SMSC that de-duplicates keeps them all');
          assert.equal((await rowOf(m.key)).provider_id, parts[0]?.messageId, "the first part's id is recorded");
        }
      } finally {
        await udh.close();
      }
    });

    test('plain Latin text goes in the GSM default alphabet', async () => {
      const en = message('reclaim.completed', 'sms', { payload: samplePayloads['reclaim.completed'], language: 'en' });
      await enqueue(app, [en]);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).sent, 1);
      const sms = smsc.submitted.find((s) => s.pdu.simexit_key === en.key);
      assert.equal(sms?.pdu.data_coding, 0);
      assert.equal(sms?.text, render(en.template, 'en', en.payload, app.policy).sms);
    });

    test('an undeliverable receipt makes the message visible as failed to the back office', async () => {
      smsc.receiptFor = () => 'UNDELIV';
      const m = message('dormancy.notice', 'sms', { payload: samplePayloads['dormancy.notice'], language: 'ru' });
      await enqueue(app, [m]);
      assert.equal((await deliverDue(app, { ...worker, deliverers })).sent, 1);
      await eventually(async () => (await rowOf(m.key)).receipt_status === 'undeliverable', 'the failure receipt');
      const listed = (await listFailedNotifications(app.store.db)).find((f) => f.key === m.key);
      assert.ok(listed);
      assert.equal(listed.state, 'sent');
      assert.equal(listed.receiptStatus, 'undeliverable');
      assert.equal((await rowOf(m.key)).delivered_at, null);
      smsc.receiptFor = () => 'DELIVRD';
    });

    test('a refused bind is retried later, not lost', async () => {
      const wrong = deliverersFromEnv({ SIMEXIT_SMPP_URL: smsc.url().replace('pw123', 'nope') }, { policy: app.policy, onReceipt: receiptRecorder(app.store) });
      try {
        const m = message('termination.failed', 'sms', { payload: samplePayloads['termination.failed'], language: 'en' });
        await enqueue(app, [m]);
        assert.equal((await deliverDue(app, { ...worker, deliverers: wrong })).retried, 1);
        const row = await rowOf(m.key);
        assert.equal(row.state, 'queued');
        assert.match(row.last_error ?? '', /bind refused/);
        app.clock.advanceHours(1);
        assert.equal((await deliverDue(app, { ...worker, deliverers })).sent, 1, 'the right credentials send it');
      } finally {
        await wrong.close();
      }
    });
  });
}
