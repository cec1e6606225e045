// A remote holder checks in at the kiosk with the ticket's number and the last four digits of its phone: then the
// ticket is called in its place. Wrong digits and unknown numbers are refused alike and change nothing, yesterday's
// ticket with the same number is never matched, and failures are limited per address only, so nobody can lock the
// holder out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../src/app/principal.ts';
import { callNext, moveAtCounter } from '../../src/app/shop-console.ts';
import { CHECK_IN_FAILURES_PER_ADDRESS, checkInByNumber, takeTicket } from '../../src/app/shop-kiosk.ts';
import { AppError } from '../../src/domain/errors.ts';
import { seed } from '../../src/seed/seed.ts';
import { ticketById } from '../../src/store/shops.repository.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const agent: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_shop1', name: 'Shop Agent 1', role: 'shop_agent', shopId: 'shop-1' };
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

for (const kind of storeKinds()) {
  describe(`checking in a remote ticket at the kiosk on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 6, seed: 5 });
    });
    after(() => app.close());
    const tick = () => app.clock.advanceHours(1 / 60);
    const remote = (serviceId: string, phone: string) => takeTicket(app, 'shop-1', { serviceId, language: 'en', phone }, '198.51.100.1');
    const audits = (ticketId: string) => app.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', ticketId).where('action', '=', 'ticket_check_in').execute();

    test('the right number and digits check the holder in; the ticket is then called, in its place, once', async () => {
      const ticket = await remote('shop-1-C', '+79990000003');
      tick();
      const walkIn = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '203.0.113.9');
      assert.equal(await code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0004' }, '203.0.113.10')), 'TICKET_CHECK_IN_REFUSED');
      const checked = await checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0003' }, '203.0.113.10');
      assert.equal(checked.id, ticket.id);
      assert.equal(checked.ahead, 0, 'taken before the walk-in, so first');
      assert.equal(checked.estimatedWaitMinutes, 0);
      // Tapped again (or the kiosk lost the answer): the same place, not an error, and one audit entry.
      const again = await checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0003' }, '203.0.113.10');
      assert.deepEqual(again, checked);
      const audit = await audits(ticket.id);
      assert.equal(audit.length, 1);
      assert.deepEqual([audit[0]?.from_state, audit[0]?.to_state], ['waiting', 'waiting']);
      const called = await callNext(app, agent, 'shop-1-w2');
      assert.equal(called?.id, ticket.id, 'called before the walk-in who came later');
      assert.equal(await code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0003' }, '203.0.113.10')), 'TICKET_ALREADY_CALLED');
      await moveAtCounter(app, agent, ticket.id, 'no_show');
      assert.equal((await callNext(app, agent, 'shop-1-w2'))?.id, walkIn.id);
      await moveAtCounter(app, agent, walkIn.id, 'no_show');
    });

    test('wrong digits and an unknown number are refused alike and change nothing', async () => {
      const ticket = await remote('shop-1-C', '+79990000002');
      const before = await ticketById(app.store.db, ticket.id);
      const refusals = await Promise.all([
        code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0003' }, '203.0.113.11')),
        code(checkInByNumber(app, 'shop-1', { number: 'C-999', phoneLast4: '0002' }, '203.0.113.11')),
        code(checkInByNumber(app, 'shop-2', { number: ticket.number, phoneLast4: '0002' }, '203.0.113.11')),
      ]);
      assert.deepEqual(refusals, ['TICKET_CHECK_IN_REFUSED', 'TICKET_CHECK_IN_REFUSED', 'TICKET_CHECK_IN_REFUSED']);
      assert.deepEqual(await ticketById(app.store.db, ticket.id), before);
      assert.equal((await audits(ticket.id)).length, 0);
      assert.equal(await callNext(app, agent, 'shop-1-w2'), null, 'still not in the shop: nobody to call');
    });

    test('failures are limited per address, never per ticket: the holder still checks in from another kiosk', async () => {
      const ticket = await remote('shop-1-S', '+79990000005');
      const guesser = '203.0.113.66';
      for (let i = 0; i < CHECK_IN_FAILURES_PER_ADDRESS; i++) {
        assert.equal(await code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: String(1000 + i) }, guesser)), 'TICKET_CHECK_IN_REFUSED', `guess ${i + 1}`);
      }
      assert.equal(await code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0005' }, guesser)), 'TOO_MANY_CHECK_INS', 'the guessing address is stopped, right digits or not');
      assert.equal((await ticketById(app.store.db, ticket.id))?.arrivedAt, null);
      // A busy kiosk: check-ins that succeed never use up its limit.
      const kiosk = '203.0.113.67';
      for (let i = 0; i < CHECK_IN_FAILURES_PER_ADDRESS + 5; i++) {
        assert.equal(await code(checkInByNumber(app, 'shop-1', { number: ticket.number, phoneLast4: '0005' }, kiosk)), 'ok', `check-in ${i + 1}`);
      }
      assert.equal((await callNext(app, agent, 'shop-1-w3'))?.id, ticket.id);
      await moveAtCounter(app, agent, ticket.id, 'no_show');
    });

    test("yesterday's ticket with the same number is not matched", async () => {
      app.clock.advanceDays(1);
      // Numbers start again each day: today's first S ticket has the number yesterday's first had.
      const yesterday = await remote('shop-1-S', '+79990000001');
      app.clock.advanceDays(1);
      const today = await remote('shop-1-S', '+79990000004');
      assert.equal(today.number, yesterday.number);
      assert.equal(await code(checkInByNumber(app, 'shop-1', { number: yesterday.number, phoneLast4: '0001' }, '203.0.113.12')), 'TICKET_CHECK_IN_REFUSED');
      assert.equal((await ticketById(app.store.db, yesterday.id))?.arrivedAt, null);
      const checked = await checkInByNumber(app, 'shop-1', { number: today.number, phoneLast4: '0004' }, '203.0.113.12');
      assert.equal(checked.id, today.id);
      assert.equal((await callNext(app, agent, 'shop-1-w3'))?.id, today.id, "yesterday's ticket, never checked in, is not called");
    });
  });
}
