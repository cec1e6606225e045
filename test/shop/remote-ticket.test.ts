// Remote tickets through the API: the holder is told by SMS, in the ticket's language, when three people are ahead
// (once, and a number that is not ours is told too); tickets are limited per address and per phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REMOTE_TICKETS_PER_PHONE, TICKETS_PER_ADDRESS, takeTicket } from '../../src/app/shop-kiosk.ts';
import { AppError } from '../../src/domain/errors.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { delivered } from '../support/outbox.ts';
import { storeKinds } from '../support/stores.ts';

for (const kind of storeKinds()) {
  describe(`remote shop tickets on ${kind.name}`, () => {
    let h: ApiHarness;
    let agent: Record<string, string> = {};
    let press = 0;
    before(async () => {
      h = await openApi(kind, 8);
      agent = { authorization: `Bearer ${await h.login('shop1')}` };
    });
    after(() => h.close());
    const take = (payload: Record<string, string>, address = '203.0.113.20') =>
      h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', remoteAddress: address, headers: { 'idempotency-key': `${kind.name}-${press++}` }, payload });

    test('each remote holder is told once, in their language, when three people are ahead', async () => {
      for (let i = 0; i < 5; i++) {
        assert.equal((await take({ serviceId: 'shop-1-C', language: 'ru' })).statusCode, 201);
        h.app.clock.advanceHours(1 / 60);
      }
      const phones = { ru: '+79990000002', en: '+79990000003', zh: '+79161234567' } as const;
      const remote = new Map<string, string>();
      const ids = new Map<string, string>();
      for (const [language, phone] of Object.entries(phones)) {
        // The anonymous route takes no phone: remote tickets come from application callers.
        const t = await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: language as 'ru', phone }, `198.51.100.${language.length}${remote.size}`);
        assert.equal(t.remote, true);
        assert.equal(t.ahead, 5);
        remote.set(language, t.number);
        ids.set(language, t.id);
      }
      for (let i = 0; i < 2; i++) assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: agent, payload: { counterId: 'shop-1-w2' } })).statusCode, 200);
      await runWorker(h.app, { untilIdle: true });
      const words = { ru: /перед талоном .* осталось человек: 3/, en: /3 ahead of your ticket/, zh: /前面还有 3 人/ } as const;
      for (const [language, phone] of Object.entries(phones) as [keyof typeof phones, string][]) {
        // The outbox folder is shared by both stores' runs: this run's messages are keyed by its tickets.
        const sms = delivered(phone).filter((m) => m.key === `shop-ahead:${ids.get(language)}`);
        assert.equal(sms.length, 1, `${language}: one SMS`);
        assert.equal(sms[0]?.language, language);
        assert.match(sms[0]?.text ?? '', words[language]);
        assert.ok(sms[0]?.text.includes(remote.get(language) ?? '?'), 'the SMS names the ticket');
      }
      await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: agent, payload: { counterId: 'shop-1-w2' } });
      await runWorker(h.app, { untilIdle: true });
      assert.equal(delivered(phones.ru).filter((m) => m.key === `shop-ahead:${ids.get('ru')}`).length, 1, 'told once');
    });

    test('the anonymous kiosk route refuses a phone', async () => {
      assert.equal((await take({ serviceId: 'shop-1-C', language: 'en', phone: '+79990000009' })).statusCode, 400);
    });

    test('tickets are limited per address and remote ones per phone', async () => {
      let refused = 0;
      let issued = 0;
      for (let i = 0; i < TICKETS_PER_ADDRESS + 3 && refused === 0; i++) {
        const r = await take({ serviceId: 'shop-1-S', language: 'en' }, '192.0.2.77');
        if (r.statusCode === 429) refused++;
        else if (r.statusCode === 201) issued++;
      }
      assert.equal(refused, 1);
      assert.ok(issued >= TICKETS_PER_ADDRESS, `${issued} issued before the limit`);
      const codes: string[] = [];
      for (let i = 0; i <= REMOTE_TICKETS_PER_PHONE + 1; i++) {
        // A ticket still waiting would be given back (see below): each earlier one is over before the next is asked for.
        await h.app.store.db.updateTable('shop_tickets').set({ state: 'served' }).where('phone', '=', '+79990000004').where('state', '=', 'waiting').execute();
        codes.push(await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-S', language: 'en', phone: '+79990000004' }, `192.0.2.${100 + i}`).then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e))));
      }
      assert.equal(codes.at(-1), 'TOO_MANY_TICKETS');
      assert.equal(codes.filter((c) => c === 'ok').length >= REMOTE_TICKETS_PER_PHONE, true, codes.join());
      // Another shop is another count: what was asked for at shop-1 never keeps the number from a ticket at shop-2.
      const elsewhere = await takeTicket(h.app, 'shop-2', { serviceId: 'shop-2-C', language: 'ru', phone: '+79990000004' }, '192.0.2.99');
      assert.equal(elsewhere.remote, true);
    });

    test('a number still holding a waiting remote ticket for the service gets that one back, nothing counted', async () => {
      const phone = '+79990000006';
      const first = await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: 'en', phone }, '192.0.2.201');
      for (let i = 0; i < REMOTE_TICKETS_PER_PHONE + 2; i++) {
        const again = await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: 'en', phone }, `192.0.2.${210 + i}`);
        assert.equal(again.id, first.id);
        assert.equal(again.number, first.number);
      }
      const rows = await h.app.store.db.selectFrom('shop_tickets').select('id').where('phone', '=', phone).execute();
      assert.equal(rows.length, 1, 'one ticket, however often it is asked for');
      const inChinese = await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: 'zh', phone }, '192.0.2.230');
      assert.equal(inChinese.id, first.id);
      assert.equal(inChinese.language, 'zh', 'asked for in another language, the ticket speaks it from now on');
    });
  });
}
