// Remote tickets from the site: a signed-in subscriber sees the shops, takes a ticket for their own active line
// (the SMS goes to that line, never to a typed number), sees it among today's tickets and is told by SMS when
// three people are ahead (the demo logins are the first six customers). The clock starts on a Saturday at 13:00 in Moscow: shop-1 is open, shop-2 closed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REMOTE_TICKETS_PER_PHONE } from '../../src/app/shop-kiosk.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { delivered } from '../support/outbox.ts';
import { storeKinds } from '../support/stores.ts';

for (const kind of storeKinds()) {
  describe(`site tickets on ${kind.name}`, () => {
    let h: ApiHarness;
    let press = 0;
    const bearer = async (msisdn: string) => ({ authorization: `Bearer ${await h.login(msisdn)}` });
    const take = (headers: Record<string, string>, payload: Record<string, string>, key = `${kind.name}-site-${press++}`) =>
      h.server.inject({ method: 'POST', url: '/api/v1/me/shop-tickets', headers: { ...headers, 'idempotency-key': key }, payload });
    const moveTo = (iso: string) => h.app.clock.advanceHours((Date.parse(iso) - Date.parse(h.app.clock())) / 3_600_000);
    const ticketCount = async () => Number((await h.app.store.db.selectFrom('shop_tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    before(async () => {
      h = await openApi(kind, 12);
    });
    after(() => h.close());

    test('a subscriber sees each shop: open now or when it opens, its hours today, and per service the letter and the wait', async () => {
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/me/shops' })).statusCode, 401);
      const r = await h.server.inject({ method: 'GET', url: '/api/v1/me/shops', headers: await bearer('+79990000001') });
      assert.equal(r.statusCode, 200, r.body);
      const [tverskaya, nevsky] = r.json();
      assert.equal(tverskaya.name, 'Tverskaya 1');
      assert.equal(tverskaya.open, true);
      assert.deepEqual(tverskaya.todayHours, [{ open: '10:00', close: '18:00' }]);
      assert.deepEqual(tverskaya.services.map((s: { letter: string; names: { en: string } }) => [s.letter, s.names.en]), [['C', 'Cancel a contract'], ['S', 'SIM card and number']]);
      assert.equal(tverskaya.services[0].estimatedWaitMinutes, 0);
      assert.equal(nevsky.open, false);
      assert.deepEqual(nevsky.todayHours, []);
      assert.equal(nevsky.nextOpening, '2026-11-23T06:00:00.000Z', 'Monday 09:00 in Moscow');
      assert.deepEqual(nevsky.languages, ['ru', 'en']);
    });

    test("a ticket for my own line goes to that line's number; the same key gives the same ticket back", async () => {
      const me = await bearer('+79990000002');
      const before = await ticketCount();
      const body = { shopId: 'shop-1', serviceId: 'shop-1-C', lineId: 'ln_00000002', language: 'en' };
      const first = await take(me, body, `${kind.name}-same`);
      assert.equal(first.statusCode, 201, first.body);
      const ticket = first.json();
      assert.match(ticket.number, /^C-\d{3}$/);
      assert.equal(ticket.shopName, 'Tverskaya 1');
      assert.equal(ticket.phone, '+79990000002');
      assert.equal(ticket.state, 'waiting');
      assert.equal(ticket.checkedIn, false);
      const again = await take(me, body, `${kind.name}-same`);
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().id, ticket.id);
      assert.equal(await ticketCount(), before + 1, 'one ticket for one key');
      const reused = await take(me, { ...body, serviceId: 'shop-1-S' }, `${kind.name}-same`);
      assert.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED');
      const row = await h.app.store.db.selectFrom('shop_tickets').select(['customer_id', 'phone', 'remote', 'source']).where('id', '=', ticket.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row, remote: Number(row.remote) }, { customer_id: 'cus_00000002', phone: '+79990000002', remote: 1, source: 'site' });
      const mine = await h.server.inject({ method: 'GET', url: '/api/v1/me/shop-tickets', headers: me });
      assert.deepEqual(mine.json().map((t: { id: string }) => t.id), [ticket.id]);
      const theirs = await h.server.inject({ method: 'GET', url: '/api/v1/me/shop-tickets', headers: await bearer('+79990000003') });
      assert.deepEqual(theirs.json(), []);
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/me/shop-tickets', headers: me, payload: body })).json().code, 'IDEMPOTENCY_KEY_REQUIRED');
    });

    test("someone else's line, a line that is not active, an unknown shop or service: refused, and no ticket is taken", async () => {
      const me = await bearer('+79990000004');
      const before = await ticketCount();
      const refused = async (body: Record<string, string>) => {
        const r = await take(me, { shopId: 'shop-1', serviceId: 'shop-1-C', lineId: 'ln_00000004', language: 'ru', ...body });
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, r.body);
        assert.doesNotMatch(r.body, /\+79990000005/, "never shows the other's number");
        return r.json().code as string;
      };
      assert.equal(await refused({ lineId: 'ln_00000005' }), 'LINE_NOT_FOUND');
      assert.equal(await refused({ lineId: 'ln_99999999' }), 'LINE_NOT_FOUND');
      assert.equal(await refused({ shopId: 'shop-9' }), 'SHOP_NOT_FOUND');
      assert.equal(await refused({ serviceId: 'shop-2-C' }), 'SHOP_SERVICE_NOT_FOUND');
      assert.equal(await refused({ shopId: 'shop-2', serviceId: 'shop-2-C', language: 'zh' }), 'VALIDATION_FAILED');
      await h.app.store.db.updateTable('lines').set({ state: 'suspended' }).where('id', '=', 'ln_00000004').execute();
      assert.equal(await refused({}), 'TICKET_LINE_NOT_ACTIVE');
      await h.app.store.db.updateTable('lines').set({ state: 'active' }).where('id', '=', 'ln_00000004').execute();
      assert.equal(await ticketCount(), before);
      assert.equal(delivered('+79990000005').filter((m) => m.key.startsWith('shop-')).length, 0);
      const anonymous = await h.server.inject({ method: 'POST', url: '/api/v1/me/shop-tickets', headers: { 'idempotency-key': 'anon' }, payload: { shopId: 'shop-1', serviceId: 'shop-1-C', lineId: 'ln_00000004', language: 'ru' } });
      assert.equal(anonymous.statusCode, 401);
    });

    test('asked again, a line gets the ticket it holds; at most three new ones in a quarter of an hour per shop', async () => {
      const me = await bearer('+79990000000');
      const first = await take(me, { shopId: 'shop-1', serviceId: 'shop-1-S', lineId: 'ln_00000000', language: 'ru' });
      const again = await take(me, { shopId: 'shop-1', serviceId: 'shop-1-S', lineId: 'ln_00000000', language: 'ru' });
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().id, first.json().id, 'a ticket still waiting is given back, with another key too');
      assert.equal(again.json().number, first.json().number);
      const codes: (string | number)[] = [201];
      for (let i = 1; i <= REMOTE_TICKETS_PER_PHONE; i++) {
        // The holder's earlier ticket is over (served, say): the next one is new and counts.
        await h.app.store.db.updateTable('shop_tickets').set({ state: 'served' }).where('phone', '=', '+79990000000').where('state', '=', 'waiting').execute();
        const r = await take(me, { shopId: 'shop-1', serviceId: 'shop-1-S', lineId: 'ln_00000000', language: 'ru' });
        codes.push(r.statusCode === 201 ? 201 : r.json().code);
      }
      assert.deepEqual(codes, [201, 201, 201, 'TOO_MANY_TICKETS']);
      h.app.clock.advanceHours(0.26);
      assert.equal((await take(me, { shopId: 'shop-1', serviceId: 'shop-1-S', lineId: 'ln_00000000', language: 'ru' })).statusCode, 201, 'again after the quarter of an hour');
    });

    test('the holder is told by SMS, in their language, when three people are ahead, and the page shows how many', async () => {
      // Monday 10:00 in Moscow: Nevsky is open; five visitors wait at the kiosk.
      moveTo('2026-11-23T07:00:00.000Z');
      const me = await bearer('+79990000003');
      const agent = { authorization: `Bearer ${await h.login('shop2')}` };
      for (let i = 0; i < 5; i++) {
        const r = await h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-2/tickets', remoteAddress: '203.0.113.41', headers: { 'idempotency-key': `${kind.name}-kiosk-${i}` }, payload: { serviceId: 'shop-2-C', language: 'ru' } });
        assert.equal(r.statusCode, 201, r.body);
      }
      const taken = await take(me, { shopId: 'shop-2', serviceId: 'shop-2-C', lineId: 'ln_00000003', language: 'en' });
      assert.equal(taken.statusCode, 201, taken.body);
      const ticket = taken.json();
      assert.equal(ticket.ahead, 5);
      assert.ok(ticket.estimatedWaitMinutes > 0);
      for (let i = 0; i < 2; i++) assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: agent, payload: { counterId: 'shop-2-w1' } })).statusCode, 200);
      await runWorker(h.app, { untilIdle: true });
      const sms = delivered('+79990000003').filter((m) => m.key === `shop-ahead:${ticket.id}`);
      assert.equal(sms.length, 1);
      assert.equal(sms[0]?.language, 'en');
      assert.match(sms[0]?.text ?? '', /3 ahead of your ticket/);
      assert.ok(sms[0]?.text.includes(ticket.number));
      const mine = (await h.server.inject({ method: 'GET', url: '/api/v1/me/shop-tickets', headers: me })).json();
      assert.deepEqual(mine.map((t: { id: string; ahead: number; aheadNoticeSent: boolean }) => [t.id, t.ahead, t.aheadNoticeSent]), [[ticket.id, 3, true]]);
      // The next local day the ticket is no longer today's.
      moveTo('2026-11-24T07:00:00.000Z');
      assert.deepEqual((await h.server.inject({ method: 'GET', url: '/api/v1/me/shop-tickets', headers: await bearer('+79990000003') })).json(), []);
    });
  });
}
