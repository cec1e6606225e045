// Long SMS through the real SMPP server the suite starts (issue 14): a reply that comes in parts (a UDH with an
// 8- or 16-bit reference, or the sar_* TLVs) is handled once, when every part is in, with its text joined in
// order; a part the SMSC delivers again changes nothing; a message still missing a part after the timeout is
// given up, not handled half.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import smpp from 'smpp';
import type { Deliverers } from '../../src/adapters/delivery/deliverer.ts';
import { PARTS_TIMEOUT_SECONDS } from '../../src/domain/sms-parts.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { deliverersFor } from '../../src/notifications/deliver.ts';
import { openTerminationsByLine, terminationByReference } from '../../src/store/terminations.repository.ts';
import { type ApiHarness, openApi } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';
import { type SmppPeer, startSmppPeer } from '../notifications/support/peers.ts';
import { linesSpeaking, type TestLine } from './support.ts';

const SHORT = '3030';
const udh8 = (ref: number, total: number, seq: number) => Buffer.from([5, 0x00, 3, ref, total, seq]);
const udh16 = (ref: number, total: number, seq: number) => Buffer.from([6, 0x08, 4, ref >> 8, ref & 0xff, total, seq]);
const ucs2 = (text: string) => smpp.encodings.UCS2.encode(text);

for (const kind of storeKinds()) {
  describe(`long SMS over SMPP (${kind.name})`, () => {
    let h: ApiHarness;
    let smsc: SmppPeer;
    let deliverers: Deliverers;
    let ru: TestLine[];

    before(async () => {
      h = await openApi(kind);
      smsc = await startSmppPeer();
      deliverers = deliverersFor(h.app, { SIMEXIT_SMPP_URL: smsc.url(), SIMEXIT_SMS_FROM: SHORT });
      await deliverers.sms.listen?.();
      ru = await linesSpeaking(h.app, 'ru');
      assert.ok(ru.length >= 2, 'two Russian lines');
    });
    after(async () => {
      await deliverers.close();
      await smsc.close();
      await h.close();
    });

    /** The SMSC delivers one part (acknowledged once stored); the worker then runs until nothing is due. */
    async function part(line: TestLine, fields: Record<string, unknown>): Promise<void> {
      const status = await smsc.deliverPdu({ source_addr: line.msisdn.replace(/^\+/, ''), source_addr_ton: smpp.TON.INTERNATIONAL, source_addr_npi: smpp.NPI.ISDN, destination_addr: SHORT, ...fields });
      assert.equal(status, 0, 'acknowledged once stored');
      await runWorker(h.app, { untilIdle: true, deliverers });
    }
    const ucs2Part = (line: TestLine, header: Buffer, text: string, id: string) => part(line, { esm_class: 0x40, data_coding: 8, short_message: Buffer.concat([header, ucs2(text)]), receipted_message_id: id });
    const sentTo = (line: TestLine, from = 0) => smsc.submitted.slice(from).filter((s) => s.pdu.destination_addr === line.msisdn.replace(/^\+/, ''));
    const messagesFrom = async (line: TestLine) => (await h.app.store.db.selectFrom('inbound_sms').select(['text', 'outcome']).where('from_number', '=', line.msisdn).orderBy('received_at').execute()).map((r) => ({ ...r }));

    test('ОТКЛЮЧИТЬ in two UCS2 parts, the second first, is one message with one reply; the code in two sar parts, one sent twice, confirms once', async () => {
      const line = ru[0] as TestLine;
      const mark = smsc.submitted.length;
      await ucs2Part(line, udh8(0x2a, 2, 2), 'ЧИТЬ', 'mo-parts-ru-2');
      assert.equal(sentTo(line, mark).length, 0, 'half a message gets no answer');
      assert.deepEqual(await messagesFrom(line), [], 'nor is it handled');
      await ucs2Part(line, udh8(0x2a, 2, 1), 'ОТКЛЮ', 'mo-parts-ru-1');
      assert.deepEqual(await messagesFrom(line), [{ text: 'ОТКЛЮЧИТЬ', outcome: 'code_sent' }]);
      // The order's notice and the preview with its code: one request, one code.
      const replies = sentTo(line, mark);
      const previews = replies.filter((r) => /ответьте \d{6}/.test(r.text));
      assert.equal(previews.length, 1, replies.map((r) => r.text).join(' | '));
      const code = /ответьте (\d{6})/.exec(previews[0]?.text ?? '')?.[1] ?? '';
      const open = (await openTerminationsByLine(h.app.store.db, [line.lineId])).get(line.lineId);
      assert.equal(open?.state, 'awaiting_confirmation');

      // The SMSC missed our acknowledgement and delivers the first part again: same id, then under a new id.
      await ucs2Part(line, udh8(0x2a, 2, 1), 'ОТКЛЮ', 'mo-parts-ru-1');
      await ucs2Part(line, udh8(0x2a, 2, 1), 'ОТКЛЮ', 'mo-parts-ru-1-again');
      assert.equal(sentTo(line, mark).length, replies.length, 'nothing more sent');
      assert.equal((await messagesFrom(line)).length, 1, 'still one message');

      const beforeCode = smsc.submitted.length;
      const sar = (seq: number, text: string, id: string) => part(line, { esm_class: 0, data_coding: 0, short_message: text, sar_msg_ref_num: 0x0501, sar_total_segments: 2, sar_segment_seqnum: seq, receipted_message_id: id });
      await sar(2, code.slice(3), 'mo-code-2');
      await sar(2, code.slice(3), 'mo-code-2');
      await sar(1, code.slice(0, 3), 'mo-code-1');
      const confirmed = await terminationByReference(h.app.store.db, open?.reference ?? '');
      assert.equal(confirmed?.state, 'scheduled', 'the joined code confirmed the order');
      const answers = sentTo(line, beforeCode);
      const confirmations = answers.filter((a) => a.text.startsWith(`Заявка ${confirmed?.reference} подтверждена`));
      assert.equal(confirmations.length, 1, answers.map((a) => a.text).join(' | '));
    });

    test('Chinese text cut inside a surrogate pair is joined whole: stored as sent, answered once', async () => {
      const [line] = await linesSpeaking(h.app, 'zh');
      assert.ok(line, 'a Chinese line');
      // A 16-bit-reference UDH takes 7 of the 140 octets: 66 UCS2 code units a part, the 66th here the first half of 😀.
      const words = '您好，我想知道怎样才能注销我的号码，我已经不再使用这张卡了，谢谢您的帮助，祝您一切顺利，工作愉快，身体健康，万事如意，心想事成，再次感谢您的耐心解答';
      assert.ok(words.length >= 65);
      const text = `${words.slice(0, 65)}😀再见，𠮷野家见`;
      const cut = 66;
      const mark = smsc.submitted.length;
      await ucs2Part(line, udh16(0x1234, 2, 1), text.slice(0, cut), 'mo-zh-1');
      await ucs2Part(line, udh16(0x1234, 2, 2), text.slice(cut), 'mo-zh-2');
      assert.deepEqual(await messagesFrom(line), [{ text, outcome: 'other' }]);
      const replies = sentTo(line, mark);
      assert.equal(replies.length, 1, 'one reply, the help text');
      assert.equal(replies[0]?.pdu.data_coding, 8);
    });

    test('a message still missing a part after the timeout is given up, not handled half; the late part changes nothing', async () => {
      const line = ru[1] as TestLine;
      const mark = smsc.submitted.length;
      // "ОТКЛЮЧИТЬ ИНТЕРНЕТ" asks to switch off mobile data; its first part alone would ask to end the contract.
      await ucs2Part(line, udh8(0x77, 2, 1), 'ОТКЛЮЧИТЬ', 'mo-cut-1');
      h.app.clock.advanceHours((PARTS_TIMEOUT_SECONDS + 60) / 3600);
      await runWorker(h.app, { untilIdle: true, deliverers });
      await ucs2Part(line, udh8(0x77, 2, 2), ' ИНТЕРНЕТ', 'mo-cut-2');
      assert.deepEqual(await messagesFrom(line), [], 'nothing handled');
      assert.equal(sentTo(line, mark).length, 0, 'no reply');
      assert.equal((await openTerminationsByLine(h.app.store.db, [line.lineId])).get(line.lineId), undefined, 'no order opened');
      const parts = await h.app.store.db.selectFrom('inbound_sms_parts').select(['seq', 'outcome']).where('from_number', '=', line.msisdn).orderBy('seq').execute();
      assert.deepEqual(parts.map((p) => ({ ...p })), [{ seq: 1, outcome: 'given_up' }, { seq: 2, outcome: 'late' }], 'both parts kept, marked');
    });
  });
}
