// A remote shop ticket by SMS (issue 14): TICKET lists the shops (named in the keyword's language), TICKET and a
// shop's number takes a ticket for the line's own number in the keyword's language; a number that is not ours gets nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinAdapters } from '../../src/adapters/builtin.ts';
import { receiveInboundSms } from '../../src/app/text-to-cancel.ts';
import type { Language } from '../../src/domain/languages.ts';
import { seed } from '../../src/seed/seed.ts';
import { inboundSmsById } from '../../src/store/inbound-sms.repository.ts';
import { openApi } from '../support/api.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { linesSpeaking, settle, smsTo } from './support.ts';

let n = 0;
// The short number's answers (the "three ahead" SMS about the ticket may be delivered in the same moment).
const repliesTo = async (app: TestApp, msisdn: string) => (await smsTo(app, msisdn)).filter((m) => m.key.startsWith('sms.reply:'));
const text = (from: string, body: string) => ({ smscId: `tk-${process.pid}-${++n}`, from, to: '3030', text: body, via: 'http' as const });

const WORDS: Record<Language, { keyword: string; list: RegExp; taken: RegExp }> = {
  en: { keyword: 'TICKET', list: /text TICKET and the shop's number.*\n1 Tverskaya 1\n2 /s, taken: /your ticket (C-\d{3}) at Tverskaya 1, \d+ ahead now\..*check in at the kiosk with C-\d{3}\.$/ },
  ru: { keyword: 'талон', list: /отправьте ТАЛОН и номер салона.*\n1 Тверская, 1\n2 Невский, 20$/s, taken: /талон (C-\d{3}) \(Тверская, 1\), перед вами: \d+\..*с номером C-\d{3}\.$/ },
  zh: { keyword: '取号', list: /取号请发送“取号”加营业厅编号.*\n1 特维尔大街1号$/s, taken: /您在特维尔大街1号的号码 (C-\d{3})，前面现有 \d+ 人。/ },
};

for (const kind of storeKinds()) {
  describe(`a shop ticket by SMS (${kind.name})`, () => {
    for (const language of ['ru', 'en', 'zh'] as const) {
      test(`${language}: the keyword lists the shops, with a number it takes a remote ticket for the line's number`, async () => {
        const h = await openApi(kind);
        try {
          const [line] = await linesSpeaking(h.app, language);
          assert.ok(line);
          const w = WORDS[language];
          const asked = await receiveInboundSms(h.app, text(line.msisdn, w.keyword));
          await settle(h.app);
          assert.equal((await inboundSmsById(h.app.store.db, asked.id))?.outcome, 'ticket_shops');
          assert.match((await repliesTo(h.app, line.msisdn)).at(-1)?.text ?? '', w.list);

          const took = await receiveInboundSms(h.app, text(line.msisdn, `${w.keyword} 1`));
          await settle(h.app);
          assert.equal((await inboundSmsById(h.app.store.db, took.id))?.outcome, 'ticket_taken');
          const reply = (await repliesTo(h.app, line.msisdn)).at(-1)?.text ?? '';
          const number = w.taken.exec(reply)?.[1];
          assert.ok(number, `the reply names the ticket: ${reply}`);
          const tickets = await h.app.store.db.selectFrom('shop_tickets').selectAll().where('phone', '=', line.msisdn).execute();
          assert.equal(tickets.length, 1);
          assert.equal(tickets[0]?.number, number);
          assert.equal(tickets[0]?.shop_id, 'shop-1');
          assert.equal(tickets[0]?.language, language);
          assert.equal(tickets[0]?.arrived_at, null, 'a remote ticket waits for its holder to check in');
        } finally {
          await h.close();
        }
      });
    }

    test('a stranger gets no ticket and no reply; a shop number not on the list gets the help text; a repeat is one ticket', async () => {
      const h = await openApi(kind);
      try {
        const stranger = '+79990009998';
        await receiveInboundSms(h.app, text(stranger, 'TICKET 1'));
        await settle(h.app);
        assert.equal((await smsTo(h.app, stranger)).length, 0);
        assert.equal((await h.app.store.db.selectFrom('shop_tickets').select('id').where('phone', '=', stranger).execute()).length, 0);

        const [line] = await linesSpeaking(h.app, 'en');
        assert.ok(line);
        const nine = await receiveInboundSms(h.app, text(line.msisdn, 'TICKET 9'));
        await settle(h.app);
        assert.equal((await inboundSmsById(h.app.store.db, nine.id))?.outcome, 'ticket_shops', 'an unknown shop number gets the list again');

        const once = text(line.msisdn, 'ticket 2');
        await receiveInboundSms(h.app, once);
        await receiveInboundSms(h.app, once);
        await settle(h.app);
        assert.equal((await h.app.store.db.selectFrom('shop_tickets').select('id').where('phone', '=', line.msisdn).execute()).length, 1, 'the SMSC delivering twice takes one ticket');
      } finally {
        await h.close();
      }
    });

    test("a forged sender cannot use up the owner's limit: asked again, the number gets the ticket it holds", async () => {
      const h = await openApi(kind);
      try {
        const [line] = await linesSpeaking(h.app, 'en');
        assert.ok(line);
        // Someone forging the line's number texts TICKET 1 more often than a number may take remote tickets.
        const forged: string[] = [];
        for (let i = 0; i < 4; i++) forged.push((await receiveInboundSms(h.app, text(line.msisdn, 'TICKET 1'))).id);
        await settle(h.app);
        for (const id of forged) assert.equal((await inboundSmsById(h.app.store.db, id))?.outcome, 'ticket_taken');
        // The owner asks for their own ticket and gets it: the one ticket the number holds at that shop.
        const own = await receiveInboundSms(h.app, text(line.msisdn, 'TICKET 1'));
        await settle(h.app);
        assert.equal((await inboundSmsById(h.app.store.db, own.id))?.outcome, 'ticket_taken');
        const tickets = await h.app.store.db.selectFrom('shop_tickets').select('number').where('phone', '=', line.msisdn).execute();
        assert.equal(tickets.length, 1, 'one ticket for the number, however often it was asked for');
        assert.ok((await repliesTo(h.app, line.msisdn)).at(-1)?.text.includes(tickets[0]?.number ?? '?'));
      } finally {
        await h.close();
      }
    });

    test('a job that dies after taking the ticket takes none: run again, it takes one; the policy names the service', async () => {
      // The answer fails once as it is queued, after the ticket was taken in the same handling (a crash there).
      let failures = 1;
      const notifier: typeof builtinAdapters.notifier = {
        ...builtinAdapters.notifier,
        enqueue: (tx, messages, at) => {
          if (messages.some((m) => m.template === 'shop.ticket_taken') && failures-- > 0) throw new Error('the worker died');
          return builtinAdapters.notifier.enqueue(tx, messages, at);
        },
      };
      const app = await openTestApp(kind, { adapters: { notifier }, policy: (p) => ({ ...p, shops: { smsTicketLetter: 'S' } }) });
      try {
        await seed(app, { customers: 12, seed: 11 });
        const [line] = await linesSpeaking(app, 'en');
        assert.ok(line);
        const took = await receiveInboundSms(app, text(line.msisdn, 'TICKET 1'));
        await settle(app);
        const tickets = () => app.store.db.selectFrom('shop_tickets').select('number').where('phone', '=', line.msisdn).execute();
        assert.equal(failures, 0, 'the handling failed once');
        assert.equal((await tickets()).length, 0, 'the failed handling took no ticket');
        assert.equal((await inboundSmsById(app.store.db, took.id))?.handledAt, null);
        app.clock.advanceHours(1 / 60); // past the retry's backoff
        await settle(app);
        await settle(app);
        assert.equal((await inboundSmsById(app.store.db, took.id))?.outcome, 'ticket_taken');
        const taken = await tickets();
        assert.equal(taken.length, 1, 'one ticket after the rerun');
        assert.match(taken[0]?.number ?? '', /^S-\d{3}$/, 'the service with the policy\'s letter');
        const replies = await repliesTo(app, line.msisdn);
        assert.equal(replies.length, 1, 'one answer');
        assert.ok(replies[0]?.text.includes(taken[0]?.number ?? '?'));
      } finally {
        await app.close();
      }
    });
  });
}
