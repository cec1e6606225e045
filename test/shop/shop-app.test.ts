// The shop's use cases without HTTP: numbers per service and day, the queue's order, the three-ahead SMS once,
// service times recorded, and an agent who acts only in their own shop.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Principal } from '../../src/app/principal.ts';
import { putShop } from '../../src/app/shop-admin.ts';
import { callNext, handOffToLanguage, moveAtCounter, shopQueue, transferTicket } from '../../src/app/shop-console.ts';
import { shopFigures } from '../../src/app/shop-figures.ts';
import { checkIn, takeTicket } from '../../src/app/shop-kiosk.ts';
import { AppError } from '../../src/domain/errors.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const shop1: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_shop1', name: 'Shop Agent 1', role: 'shop_agent', shopId: 'shop-1' };
const shop2: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_shop2', name: 'Shop Agent 2', role: 'shop_agent', shopId: 'shop-2' };
const admin: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_admin', name: 'Administrator', role: 'admin', shopId: null };
const backOffice: Principal & { kind: 'staff' } = { kind: 'staff', id: 'stf_backoffice', name: 'Back Office', role: 'back_office', shopId: null };
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

for (const kind of storeKinds()) {
  describe(`shop use cases on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 6, seed: 5 });
    });
    after(() => app.close());
    const tick = () => app.clock.advanceHours(1 / 60);

    test('tickets are numbered per service, called by order, and a remote holder is told once when three are ahead', async () => {
      const kiosk = [];
      for (let i = 0; i < 5; i++) {
        kiosk.push(await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '203.0.113.5'));
        tick();
      }
      assert.deepEqual(kiosk.map((t) => t.number), ['C-001', 'C-002', 'C-003', 'C-004', 'C-005']);
      assert.equal((await takeTicket(app, 'shop-1', { serviceId: 'shop-1-S', language: 'en' }, '203.0.113.5')).number, 'S-001');
      assert.equal(kiosk[4]?.ahead, 4);
      assert.equal(kiosk[4]?.estimatedWaitMinutes, Math.ceil((4 * 600) / 2 / 60), 'two counters offer C, default 10 minutes each');
      tick();
      const remote = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'en', phone: '+79990000003' }, '198.51.100.7');
      assert.equal(remote.ahead, 5);
      const sms = () => app.store.db.selectFrom('notifications').selectAll().where('template', '=', 'shop.turn_near').execute();
      assert.equal((await sms()).length, 0, 'five ahead: not yet');
      const first = await callNext(app, shop1, 'shop-1-w1');
      assert.equal(first?.number, 'C-001');
      assert.equal((await sms()).length, 0, 'four ahead: not yet');
      const second = await callNext(app, shop1, 'shop-1-w2');
      assert.equal(second?.number, 'C-002');
      const told = await sms();
      assert.equal(told.length, 1, 'three ahead: told');
      assert.equal(told[0]?.address, '+79990000003');
      assert.equal(told[0]?.language, 'en');
      tick();
      await moveAtCounter(app, shop1, first!.id, 'serve');
      tick();
      await moveAtCounter(app, shop1, first!.id, 'finish');
      await moveAtCounter(app, shop1, second!.id, 'no_show');
      assert.equal((await sms()).length, 1, 'told once');
      // The remote holder is skipped until they check in, then called in their old place.
      for (const n of ['C-003', 'C-004', 'C-005']) assert.equal((await callNext(app, shop1, 'shop-1-w2'))?.number, n);
      assert.equal(await callNext(app, shop1, 'shop-1-w2'), null);
      await checkIn(app, 'shop-1', remote.id);
      assert.equal((await callNext(app, shop1, 'shop-1-w2'))?.number, remote.number);
      const figures = await shopFigures(app, backOffice, { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', shopId: 'shop-1' });
      assert.equal(figures.hours.length, 1);
      assert.equal(figures.hours[0]?.served, 1);
      assert.equal(figures.hours[0]?.averageServiceSeconds, 60);
      assert.equal(await code(shopFigures(app, shop1, { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' })), 'FORBIDDEN');
    });

    test('an agent of shop 2 cannot call, move or transfer shop 1 tickets', async () => {
      const t = await takeTicket(app, 'shop-1', { serviceId: 'shop-1-S', language: 'ru' }, '203.0.113.6');
      assert.equal(await code(callNext(app, shop2, 'shop-1-w3')), 'SHOP_FORBIDDEN');
      assert.equal(await code(moveAtCounter(app, shop2, t.id, 'recall')), 'SHOP_FORBIDDEN');
      assert.equal(await code(transferTicket(app, shop2, t.id, 'shop-2-w1')), 'SHOP_FORBIDDEN');
      assert.equal(await code(shopQueue(app, admin)), 'SHOP_AGENT_ONLY');
      const queue = await shopQueue(app, shop2);
      assert.ok(queue.tickets.every((x) => x.id !== t.id), 'shop 2 sees only its own queue');
      const called = await callNext(app, shop1, 'shop-1-w3');
      assert.ok(called);
      assert.equal(await code(transferTicket(app, shop1, called.id, 'shop-2-w1')), 'SHOP_FORBIDDEN');
      const handed = await handOffToLanguage(app, shop1, called.id, 'zh');
      assert.equal(handed.state, 'waiting');
      assert.equal(handed.counterId, 'shop-1-w2', 'the counter whose agent speaks Chinese');
      assert.equal((await callNext(app, shop1, 'shop-1-w2'))?.id, called.id, 'called there first');
    });

    test('an administrator\'s hours must be hours a shop can keep', async () => {
      const shop = { id: 'shop-3', name: 'Test', timeZone: 'Europe/Lisbon', languages: ['en' as const], weeklyHours: { mon: [{ open: '18:00', close: '09:00' }] } };
      assert.equal(await code(putShop(app, admin, shop)), 'SHOP_HOURS_BACKWARDS');
      assert.equal(await code(putShop(app, shop1, { ...shop, weeklyHours: {} })), 'FORBIDDEN');
      assert.equal(await code(putShop(app, admin, { ...shop, weeklyHours: { mon: [{ open: '09:00', close: '18:00' }] } })), 'ok');
    });
  });
}
