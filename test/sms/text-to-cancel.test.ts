// Text-to-cancel handled by the worker (issue 14): keyword → preview and code → code → confirmed, channel `sms`;
// the wrong code, a number that is not ours, a repeat from the SMSC, STOP, HELP and the rate limit. Replies are
// read where the phone reads them, in the file outbox.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { receiveInboundSms } from '../../src/app/text-to-cancel.ts';
import { inboundSmsById } from '../../src/store/inbound-sms.repository.ts';
import { openTerminationsByLine, terminationByReference } from '../../src/store/terminations.repository.ts';
import { openApi } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';
import { linesSpeaking, settle, smsTo } from './support.ts';

let n = 0;
const text = (from: string, body: string) => ({ smscId: `t-${process.pid}-${++n}`, from, to: '3030', text: body, via: 'http' as const });

for (const kind of storeKinds()) {
  describe(`text-to-cancel (${kind.name})`, () => {
    test('keyword → preview with a code; a wrong code is told; the right code confirms with channel sms', async () => {
      const h = await openApi(kind);
      try {
        const [line] = await linesSpeaking(h.app, 'en');
        assert.ok(line, 'an English line');
        await receiveInboundSms(h.app, text(line.msisdn, ' cancel '));
        await settle(h.app);
        const open = (await openTerminationsByLine(h.app.store.db, [line.lineId])).get(line.lineId);
        assert.equal(open?.state, 'awaiting_confirmation');
        assert.equal(open?.channel, 'sms');
        const preview = (await smsTo(h.app, line.msisdn)).find((m) => m.key.startsWith('otp:'));
        assert.ok(preview, 'the preview with its code was sent');
        assert.match(preview.text, /^Your contract ends on .* if you confirm\..* To confirm, reply \d{6}\. Not you\? Do not reply\.$/);
        const code = /reply (\d{6})/.exec(preview.text)?.[1] ?? '';
        const stored = await h.app.store.db.selectFrom('notifications').select('payload').where('key', '=', preview.key).executeTakeFirstOrThrow();
        assert.equal(JSON.parse(stored.payload).code, null, 'the code leaves the database once sent');

        const wrong = code === '000000' ? '111111' : '000000';
        await receiveInboundSms(h.app, text(line.msisdn, wrong));
        await settle(h.app);
        assert.match((await smsTo(h.app, line.msisdn)).at(-1)?.text ?? '', /^That code is wrong or expired\. Tries left: \d\.$/);

        await receiveInboundSms(h.app, text(line.msisdn, `CANCEL ${code.slice(0, 3)} ${code.slice(3)}`));
        await settle(h.app);
        const t = await terminationByReference(h.app.store.db, open?.reference ?? '');
        assert.equal(t?.state, 'scheduled');
        assert.ok(t?.confirmedAt);
        const confirmed = (await smsTo(h.app, line.msisdn)).find((m) => m.key.startsWith('sms.reply:') && m.text.startsWith(`Request ${t?.reference} confirmed`));
        assert.ok(confirmed, 'the confirmation names the reference');
        const events = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', t?.id ?? '').execute();
        assert.ok(events.some((e) => e.to_state === 'scheduled' && e.channel === 'sms'), 'confirmed through channel sms');
      } finally {
        await h.close();
      }
    });

    test('a number that is not ours gets no reply; a message the SMSC delivers twice is handled once', async () => {
      const h = await openApi(kind);
      try {
        const stranger = '+79990009999';
        const r = await receiveInboundSms(h.app, text(stranger, 'CANCEL'));
        await settle(h.app);
        assert.equal((await inboundSmsById(h.app.store.db, r.id))?.outcome, 'not_ours');
        assert.equal((await smsTo(h.app, stranger)).length, 0);
        assert.equal((await h.app.store.db.selectFrom('notifications').select('id').where('address', '=', stranger).execute()).length, 0);

        const [line] = await linesSpeaking(h.app, 'ru');
        assert.ok(line);
        const once = text(line.msisdn, 'помощь');
        await receiveInboundSms(h.app, once);
        await receiveInboundSms(h.app, once);
        await settle(h.app);
        await receiveInboundSms(h.app, once);
        await settle(h.app);
        const help = (await smsTo(h.app, line.msisdn)).filter((m) => m.key.startsWith('sms.reply:'));
        assert.equal(help.length, 1, 'one reply');
        assert.match(help[0]?.text ?? '', /^Расторжение: ОТКЛЮЧИТЬ .*Талон в салон: ТАЛОН/);
        assert.equal((await h.app.store.db.selectFrom('inbound_sms').select('id').where('smsc_id', '=', once.smscId).execute()).length, 1);
      } finally {
        await h.close();
      }
    });

    test('STOP voids the code and is answered; anything else gets help; the sixth message in ten minutes is refused once', async () => {
      const h = await openApi(kind);
      try {
        const [line] = await linesSpeaking(h.app, 'zh');
        assert.ok(line);
        await receiveInboundSms(h.app, text(line.msisdn, '注销'));
        await settle(h.app);
        const preview = (await smsTo(h.app, line.msisdn)).find((m) => m.key.startsWith('otp:'));
        assert.match(preview?.text ?? '', /^确认后，合同将于.*回复\d{6}确认。不是您本人？请勿回复。$/);
        const code = /回复(\d{6})确认/.exec(preview?.text ?? '')?.[1] ?? '';
        await receiveInboundSms(h.app, text(line.msisdn, 'TD'));
        await settle(h.app);
        assert.match((await smsTo(h.app, line.msisdn)).at(-1)?.text ?? '', /将不再给您发短信，验证码已作废/);
        await receiveInboundSms(h.app, text(line.msisdn, code));
        await settle(h.app);
        assert.match((await smsTo(h.app, line.msisdn)).at(-1)?.text ?? '', /^验证码错误/, 'the voided code no longer confirms');
        await receiveInboundSms(h.app, text(line.msisdn, '你好'));
        await settle(h.app);
        assert.match((await smsTo(h.app, line.msisdn)).at(-1)?.text ?? '', /^注销合同：发送“注销”/);
        // Four so far: the fifth is answered, the sixth refused and told so, the seventh refused in silence.
        const before = (await smsTo(h.app, line.msisdn)).length;
        for (let i = 0; i < 3; i++) await receiveInboundSms(h.app, text(line.msisdn, '帮助'));
        await settle(h.app);
        const after = (await smsTo(h.app, line.msisdn)).slice(before);
        assert.equal(after.length, 2, after.map((m) => m.text).join(' | '));
        // The three arrive at one instant and one worker batch may take them in any order: one help, one refusal.
        assert.equal(after.filter((m) => /^注销合同/.test(m.text)).length, 1, after.map((m) => m.text).join(' | '));
        assert.equal(after.filter((m) => /^消息过多，请.*后再试。$/.test(m.text)).length, 1, after.map((m) => m.text).join(' | '));
      } finally {
        await h.close();
      }
    });
  });
}
