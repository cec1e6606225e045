/**
 * The phone hotline over HTTP through signed webhooks (issue 13): whole calls in ru, en and zh, on both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runWorker } from '../../src/jobs/worker.ts';
import { demoMsisdn, seed } from '../../src/seed/seed.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { codeFromOutbox, delivered } from '../support/outbox.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { hotlineServer, PhoneCall, type VoiceApp, withVoice } from '../support/voice.ts';
import { deliverDue, deliverersFor } from '../../src/notifications/deliver.ts';
import { hotlineFigures } from '../../src/app/hotline.ts';

const KEY = { ru: '1', en: '2', zh: '3' } as const;

for (const kind of storeKinds()) {
  describe(`the phone hotline on ${kind.name}`, () => {
    let app: VoiceApp;
    let server: FastifyInstance;
    before(async () => {
      app = withVoice(await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, backoffBaseSeconds: 0, backoffMaxSeconds: 0 } }) }));
      await seed(app, { customers: 30, seed: 11 });
      server = await hotlineServer(app);
    });
    after(async () => {
      await server.close();
      await app.close();
    });

    const callRow = (sid: string) => app.store.db.selectFrom('calls').selectAll().where('call_sid', '=', sid).executeTakeFirstOrThrow();
    const documentDigits = async (msisdn: string) => {
      const row = await app.store.db.selectFrom('lines').innerJoin('customers', 'customers.id', 'lines.customer_id').select('customers.doc_last4').where('lines.msisdn', '=', msisdn).executeTakeFirstOrThrow();
      return row.doc_last4 ?? '';
    };
    /** The caller reads the code off the phone: the SMS the hotline sent to the line. */
    const smsCode = async (call: PhoneCall) => codeFromOutbox(app, (await callRow(call.sid)).id);

    /** Language, document digits, the SMS code: the call then hears the preview. */
    async function signIn(call: PhoneCall, language: keyof typeof KEY, msisdn = call.from) {
      await call.start();
      await call.press(KEY[language]);
      await call.press(await documentDigits(msisdn));
      await call.press(await smsCode(call));
    }

    for (const [language, index, words] of [
      ['ru', 1, { menu: /нажмите 1/, done: /Готово\. Номер будет отключён/, agent: 'по-русски' }],
      ['en', 2, { menu: /press 1/, done: /Done\. The line will end on/, agent: 'speaks English' }],
      ['zh', 5, { menu: /请按1/, done: /办好了/, agent: '中文客服' }],
    ] as const) {
      test(`a whole call in ${language}: the menu ends the line, the reference goes by SMS, the worker completes it`, async () => {
        const msisdn = demoMsisdn(index);
        const call = new PhoneCall(server, app, msisdn);
        const first = await call.start();
        assert.equal(first.languages[1], { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' }[language], "the caller's own language is offered first");
        assert.equal(first.numDigits, 1);
        await call.press(KEY[language]);
        assert.ok(call.last?.languages.every((l) => l.startsWith(language)), `the rest of the call is in ${language}`);
        assert.equal(call.last?.numDigits, 4, 'the last 4 document digits; never a password');
        await call.press(await documentDigits(msisdn));
        assert.equal(call.last?.numDigits, app.policy.otp.length);
        await call.press(await smsCode(call));
        assert.match(call.said(), words.menu);
        await call.press('1');
        await call.press('1');
        assert.match(call.said(), words.done);
        assert.ok(call.last?.hungUp);
        const row = await callRow(call.sid);
        assert.equal(row.outcome, 'completed_in_menu');
        assert.deepEqual(JSON.parse(row.verified), { caller: true, secret: 'document', smsCode: true });
        assert.ok(row.reference);
        const t = await terminationByReference(app.store.db, row.reference ?? '');
        assert.equal(t?.state, 'scheduled');
        assert.equal(t?.channel, 'phone_ivr');
        await deliverDue(app, { limit: 1000, workerId: 'test-phone', deliverers: deliverersFor(app) });
        const sms = delivered(msisdn).filter((m) => m.text.includes(row.reference ?? '-'));
        assert.ok(sms.some((m) => m.text.includes(`/terminations/${row.reference}`)), 'the reference by SMS with the withdraw link');
        await call.status('completed');
        assert.ok((await callRow(call.sid)).ended_at);
        app.clock.advanceHours(25);
        await runWorker(app, { untilIdle: true });
        assert.equal((await terminationByReference(app.store.db, row.reference ?? ''))?.state, 'completed');
        assert.ok(words.agent);
      });
    }

    /** A live line nobody used in this file yet, with nothing owed and nothing on hold. */
    const used = new Set<string>();
    async function freshLine(): Promise<string> {
      const rows = await app.store.db
        .selectFrom('lines')
        .innerJoin('accounts', 'accounts.id', 'lines.account_id')
        .select(['lines.msisdn'])
        .where('lines.state', '=', 'active')
        .where('accounts.balance', '>=', 0)
        .where('lines.port_out_requested_at', 'is', null)
        .where('lines.legal_hold_at', 'is', null)
        .where('lines.minimum_term_ends_at', 'is', null)
        .orderBy('lines.msisdn')
        .execute();
      const free = rows.map((r) => r.msisdn).find((m) => !used.has(m) && m > demoMsisdn(5));
      if (!free) throw new Error('no free line left in the seed');
      used.add(free);
      return free;
    }

    test('a debt: the caller asks for a payment link by SMS, and the request stays blocked until it is paid', async () => {
      const call = new PhoneCall(server, app, demoMsisdn(0));
      await signIn(call, 'zh');
      assert.match(call.said(), /欠费/);
      assert.match(call.said(), /请按1/);
      await call.press('1');
      assert.ok(call.last?.hungUp);
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'payment_link_sent');
      assert.equal((await terminationByReference(app.store.db, row.reference ?? ''))?.state, 'blocked');
      await deliverDue(app, { limit: 1000, workerId: 'test-phone', deliverers: deliverersFor(app) });
      const link = delivered(demoMsisdn(0)).find((m) => m.key.includes('termination.payment_link') && m.text.includes(row.reference ?? '-'));
      assert.ok(link, 'the payment link reached the phone');
      assert.equal(link.language, 'zh');
      assert.ok(link.text.includes(`/terminations/${row.reference}`), link.text);
    });

    test('a debt: the caller asks to be called back instead', async () => {
      const call = new PhoneCall(server, app, demoMsisdn(0));
      await signIn(call, 'en');
      await call.press('2');
      assert.ok(call.last?.hungUp);
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'callback_requested');
      assert.ok(row.agent_entry_id, 'the agent queue has the call back');
    });

    test('silence and wrong keys: two repeat the prompt, the third hands over in the caller’s language; waiting hears the queue', async () => {
      const call = new PhoneCall(server, app, demoMsisdn(4));
      await call.start();
      await call.press('1');
      const prompt = call.last?.said.at(-1) ?? '-';
      await call.press('');
      assert.match(call.said(), /Извините/);
      assert.ok(call.said().endsWith(prompt), 'the same prompt again');
      await call.press('12');
      assert.match(call.said(), /Извините/);
      await call.press('');
      assert.equal(call.last?.enqueued, 'agents-ru');
      assert.match(call.said(), /по-русски/);
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'handed_to_agent');
      assert.ok(row.agent_entry_id);
      assert.ok(row.handed_over_at);
      const waiting = await call.hold();
      assert.match(waiting.said.join(' '), /в очереди/);
      assert.match(waiting.said.join(' '), /перезвонили/);
      assert.match(waiting.action ?? '', /^\/voice\/twiml\/hold\/keys\?waited=\d+$/);
      await call.press('1');
      assert.ok(call.last?.hungUp);
      assert.equal((await callRow(call.sid)).outcome, 'callback_requested');
    });

    test('0 goes to an agent at any prompt, with what the menu verified so far; 9 slows the speech for the rest of the call', async () => {
      const call = new PhoneCall(server, app, demoMsisdn(3));
      await call.start();
      await call.press('2');
      await call.press('9');
      assert.match(call.last?.xml ?? '', /<prosody rate="slow">/);
      await call.press(await documentDigits(demoMsisdn(3)));
      await call.press('0');
      assert.equal(call.last?.enqueued, 'agents-en');
      assert.match(call.last?.xml ?? '', /<prosody rate="slow">/, 'still slow');
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'handed_to_agent');
      assert.deepEqual(JSON.parse(row.verified), { caller: true, secret: 'document', smsCode: false });
      assert.equal(row.slow, 1);
    });

    test('a caller whose number is not ours types the number of the line', async () => {
      const msisdn = await freshLine();
      const call = new PhoneCall(server, app, '+447700900123');
      const first = await call.start();
      assert.equal(first.languages[1], 'ru-RU', 'no known language: the default order');
      await call.press('2');
      assert.match(call.said(), /hash key/);
      await call.press('55500');
      assert.match(call.said(), /Sorry/);
      await call.press(msisdn.slice(1));
      assert.equal(call.last?.numDigits, 4);
      await signInRest(call, msisdn);
      await call.press('1');
      await call.press('1');
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'completed_in_menu');
      assert.deepEqual(JSON.parse(row.verified), { caller: false, secret: 'document', smsCode: true });
    });

    async function signInRest(call: PhoneCall, msisdn: string) {
      await call.press(await documentDigits(msisdn));
      await call.press(await smsCode(call));
    }

    test('two calls at once from the same number are separate calls; two webhooks for one turn advance it once', async () => {
      const msisdn = await freshLine();
      const a = new PhoneCall(server, app, msisdn);
      const b = new PhoneCall(server, app, msisdn);
      await Promise.all([a.start(), b.start()]);
      await Promise.all([a.press('2'), b.press('1')]);
      const digits = await documentDigits(msisdn);
      const before = (await callRow(a.sid)).version;
      // The platform sends two different webhooks for the same turn (keys, and the silence fallback) at once.
      await Promise.all([a.press(digits), a.press('')]);
      let rowA = await callRow(a.sid);
      assert.equal(rowA.version, before + 1, 'one of them took the turn, the other heard the prompt again');
      if (rowA.state === 'secret') await a.press(digits);
      rowA = await callRow(a.sid);
      assert.equal(rowA.state, 'sms_code');
      const codes = await app.store.db.selectFrom('otp_codes').select('id').where('subject', '=', rowA.id).execute();
      assert.equal(codes.length, 1, 'one code for the call');
      await a.start().then(
        () => assert.fail('the same first webhook again is a replay'),
        (e: Error) => assert.match(e.message, /403/),
      );
      await b.press(digits);
      await a.press(await smsCode(a));
      await b.press(await smsCode(b));
      assert.match(a.said(), /press 1/);
      assert.match(b.said(), /нажмите 1/);
      await a.press('1');
      await a.press('1');
      assert.equal((await callRow(a.sid)).outcome, 'completed_in_menu');
      await b.press('1');
      await b.press('1');
      assert.equal(b.last?.enqueued, 'agents-ru', 'the second request finds the first and hands over, saying so');
      assert.match(b.said(), /уже есть заявка/);
      const rowB = await callRow(b.sid);
      assert.notEqual(rowA.id, rowB.id);
      assert.equal(rowB.language, 'ru');
    });

    test('a status callback closes the record: a call that hung up in the menu is abandoned, a busy one failed', async () => {
      const call = new PhoneCall(server, app, demoMsisdn(4));
      await call.start();
      await call.press('1');
      await call.status('completed');
      const row = await callRow(call.sid);
      assert.equal(row.outcome, 'abandoned');
      assert.ok(row.ended_at);
      assert.equal(row.platform_status, 'completed');
      const busy = new PhoneCall(server, app, demoMsisdn(4));
      await busy.start();
      await busy.status('busy');
      assert.equal((await callRow(busy.sid)).outcome, 'failed');
    });

    test('an early termination fee is said, and confirming after hearing it accepts it', async () => {
      const row = await app.store.db
        .selectFrom('lines')
        .innerJoin('accounts', 'accounts.id', 'lines.account_id')
        .select(['lines.msisdn'])
        .where('lines.state', '=', 'active')
        .where('accounts.balance', '>=', 0)
        .where('lines.minimum_term_ends_at', 'is not', null)
        .where('lines.port_out_requested_at', 'is', null)
        .where('lines.legal_hold_at', 'is', null)
        .where('lines.msisdn', '!=', demoMsisdn(3))
        .orderBy('lines.msisdn')
        .executeTakeFirstOrThrow();
      const call = new PhoneCall(server, app, row.msisdn);
      await signIn(call, 'en');
      assert.match(call.said(), /early termination fee of/);
      await call.press('1');
      assert.match(call.said(), /You agree to the early termination fee/);
      await call.press('1');
      const done = await callRow(call.sid);
      assert.equal(done.outcome, 'completed_in_menu');
      const t = await terminationByReference(app.store.db, done.reference ?? '');
      assert.equal(t?.state, 'scheduled');
      assert.ok(t?.feeAcceptedAt, 'the fee was accepted by confirming');
    });

    test('the back office counts calls by outcome and language, and the share finished in the menu', async () => {
      const figures = await hotlineFigures(app, '2000-01-01T00:00:00.000Z');
      const rows = await app.store.db.selectFrom('calls').select(['outcome']).execute();
      assert.equal(figures.calls, rows.length);
      assert.equal(figures.byOutcome.completed_in_menu, rows.filter((r) => r.outcome === 'completed_in_menu').length);
      assert.ok((figures.byOutcome.handed_to_agent ?? 0) >= 2);
      assert.ok(figures.finishedInMenu > 0 && figures.finishedInMenu < 1);
      assert.ok((figures.byLanguage.ru ?? 0) > 0 && (figures.byLanguage.zh ?? 0) > 0);
    });
  });
}
