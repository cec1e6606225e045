// Closing time (issue 14): the worker lapses the tickets a shop's day left, shortly after it closes in the shop's
// own zone; a remote holder is told once in their language, a ticket at a counter is left alone, a ticket taken
// after the closing waits for the next opening, and running again (or two workers at once) changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../src/app/principal.ts';
import { callNext, moveAtCounter } from '../../src/app/shop-console.ts';
import { takeTicket } from '../../src/app/shop-kiosk.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { inTransaction } from '../../src/store/database.ts';
import { requeueJob } from '../../src/store/jobs.repository.ts';
import { delivered } from '../support/outbox.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const shop1: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_shop1', name: 'Shop Agent 1', role: 'shop_agent', shopId: 'shop-1' };
// The test clock starts on Saturday 2026-11-21 at 10:00Z, 13:00 in Moscow; shop-1 keeps Saturday 10:00–18:00 there.
const SATURDAY_CLOSING = '2026-11-21T15:00:00.000Z';
const MONDAY_CLOSING = '2026-11-23T18:00:00.000Z'; // closed on Sunday, Monday 09:00–21:00
const hoursUntil = (app: TestApp, instant: string) => (Date.parse(instant) - Date.parse(app.clock())) / 3_600_000;

for (const kind of storeKinds()) {
  describe(`closing time on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 6, seed: 5 });
    });
    after(() => app.close());

    const ticketState = async (id: string) => (await app.store.db.selectFrom('shop_tickets').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    const lapseAudits = async () => (await app.store.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'ticket_lapse').execute()).map((r) => r.entity_id).sort();
    const lapsedSms = (phone: string, ticketId: string) => delivered(phone).filter((m) => m.key === `shop-lapsed:${ticketId}`);
    const bothWorkers = () => Promise.all(['a', 'b'].map((w) => runWorker(app, { untilIdle: true, workerId: `closing-${kind.name}-${w}` })));

    test('after closing the waiting tickets lapse, once, and the remote holder is told in their language', async () => {
      const zhPhone = '+79990000003';
      const enPhone = '+79990000004';
      const atCounter = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-S', language: 'ru' }, '203.0.113.9');
      const kiosk = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '203.0.113.9');
      const remote = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'zh', phone: zhPhone }, '198.51.100.9');
      assert.equal((await callNext(app, shop1, 'shop-1-w3'))?.id, atCounter.id);
      await moveAtCounter(app, shop1, atCounter.id, 'serve');

      await runWorker(app, { untilIdle: true });
      assert.deepEqual([await ticketState(kiosk.id), await ticketState(remote.id)], ['waiting', 'waiting'], 'open: nothing lapses');

      // Closed, but within the grace: an agent may still start the last one called. A remote ticket taken now is for Monday.
      app.clock.advanceHours(hoursUntil(app, SATURDAY_CLOSING) + 5 / 60);
      const forMonday = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'en', phone: enPhone }, '198.51.100.10');
      await bothWorkers();
      assert.equal(await ticketState(kiosk.id), 'waiting', 'not before the run is due');

      app.clock.advanceHours(6 / 60); // 15:11Z, 18:11 in Moscow
      await bothWorkers();
      assert.equal(await ticketState(kiosk.id), 'cancelled');
      assert.equal(await ticketState(remote.id), 'cancelled');
      assert.equal(await ticketState(atCounter.id), 'serving', 'a ticket at a counter is its agent\'s');
      assert.equal(await ticketState(forMonday.id), 'waiting', 'taken after the closing: it waits for Monday');
      assert.deepEqual(await lapseAudits(), [kiosk.id, remote.id].sort(), 'each lapse audited once, though two workers ran');
      const told = lapsedSms(zhPhone, remote.id);
      assert.equal(told.length, 1, 'one SMS');
      assert.equal(told[0]?.language, 'zh');
      assert.match(told[0]?.text ?? '', new RegExp(`特维尔大街1号已停止营业，您的号码 ${remote.number} 已失效`));

      // The job run again (a lease that ran out, a retry by hand): nothing more lapses, nobody is told twice.
      await inTransaction(app.store, (tx) => requeueJob(tx, `shop-close:shop-1@${SATURDAY_CLOSING}`, app.clock()));
      app.clock.advanceHours(1 / 60);
      await bothWorkers();
      assert.deepEqual(await lapseAudits(), [kiosk.id, remote.id].sort());
      assert.equal(lapsedSms(zhPhone, remote.id).length, 1);
      assert.equal(await ticketState(forMonday.id), 'waiting');

      // Each run queued the next closing: Monday's lapses the ticket taken for Monday, told in English.
      const next = await app.store.db.selectFrom('jobs').select(['run_at', 'state']).where('key', '=', `shop-close:shop-1@${MONDAY_CLOSING}`).executeTakeFirstOrThrow();
      assert.deepEqual({ ...next }, { run_at: '2026-11-23T18:10:00.000Z', state: 'queued' });
      app.clock.advanceHours(hoursUntil(app, MONDAY_CLOSING) + 11 / 60);
      await bothWorkers();
      assert.equal(await ticketState(forMonday.id), 'cancelled');
      assert.equal(await ticketState(atCounter.id), 'serving');
      assert.match(lapsedSms(enPhone, forMonday.id)[0]?.text ?? '', new RegExp(`Tverskaya 1 has closed, your ticket ${forMonday.number} has lapsed`));
    });
  });
}
