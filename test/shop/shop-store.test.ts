// The shop's store: the demo shops, their counters and services, and a ticket round trip on both databases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { documentHash } from '../../src/app/secrets.ts';
import { EMPTY_SHOP_CHECKLIST, type ShopTicket } from '../../src/domain/shop.ts';
import { seed } from '../../src/seed/seed.ts';
import { inTransaction } from '../../src/store/database.ts';
import { countersOf, insertTicket, listShops, openTicketsOf, recordServiceTime, saveTicket, servicesOf, serviceTimeFigures, ticketById } from '../../src/store/shops.repository.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

for (const kind of storeKinds()) {
  describe(`shop store on ${kind.name}`, () => {
    let app: TestApp;
    let summary: Awaited<ReturnType<typeof seed>>;
    before(async () => {
      app = await openTestApp(kind);
      summary = await seed(app, { customers: 6, seed: 3 });
    });
    after(() => app.close());

    test('the demo data has two shops with counters, services and an agent each', async () => {
      const shops = await listShops(app.store.db);
      assert.deepEqual(shops.map((s) => s.id), ['shop-1', 'shop-2']);
      assert.equal((await countersOf(app.store.db, 'shop-1')).length, 3);
      assert.deepEqual((await servicesOf(app.store.db, 'shop-2')).map((s) => s.letter), ['C']);
      const agents = await app.store.db.selectFrom('staff').select(['login', 'shop_id']).where('role', '=', 'shop_agent').orderBy('login').execute();
      assert.deepEqual(agents.map((a) => ({ ...a })), [{ login: 'shop1', shop_id: 'shop-1' }, { login: 'shop2', shop_id: 'shop-2' }]);
    });

    test('each showcase login names the document number the counter types for the passport check', async () => {
      const subscribers = summary.demoLogins.filter((l) => l.role === 'subscriber');
      assert.equal(subscribers.length, 6);
      for (const [i, login] of subscribers.entries()) {
        const typed = /shop: document (\S+)/.exec(login.description)?.[1] ?? '';
        const row = await app.store.db.selectFrom('customers').select('doc_hash').where('id', '=', `cus_${String(i).padStart(8, '0')}`).executeTakeFirstOrThrow();
        assert.equal(documentHash(app.secrets.documentKey, typed), row.doc_hash, login.login);
      }
    });

    test('a ticket is stored and read back with every field, and service times add up per hour', async () => {
      const at = app.clock();
      const ticket: ShopTicket = {
        id: 'tkt_store', shopId: 'shop-1', number: 'C-001', service: 'shop-1-C', localDay: '2026-11-21', language: 'en', priority: 'normal', source: 'site', remote: true, state: 'waiting',
        counterId: null, agentId: null, issuedAt: at, arrivedAt: null, transferredAt: null, calledAt: null, recalls: 0, servingAt: null, closedAt: null, aheadNoticeAt: null,
        customerId: null, phone: '+79990000003', documentCheckedAt: null, lineId: null, simOutcome: null, checklist: EMPTY_SHOP_CHECKLIST, terminationRef: null,
      };
      await inTransaction(app.store, (tx) => insertTicket(tx, ticket));
      assert.deepEqual(await ticketById(app.store.db, 'tkt_store'), ticket);
      const moved = { ...ticket, state: 'called' as const, counterId: 'shop-1-w1', calledAt: at, arrivedAt: at, simOutcome: 'destroyed' as const, checklist: { ...EMPTY_SHOP_CHECKLIST, pinRemoved: true } };
      await inTransaction(app.store, (tx) => saveTicket(tx, moved));
      assert.deepEqual(await ticketById(app.store.db, 'tkt_store'), moved);
      assert.equal((await openTicketsOf(app.store.db, 'shop-1')).length, 1);
      await inTransaction(app.store, async (tx) => {
        await recordServiceTime(tx, { ticketId: 'a', shopId: 'shop-1', serviceId: 'shop-1-C', localDate: '2026-11-21', localHour: 13, waitSeconds: 60, serviceSeconds: 300, finishedAt: at });
        await recordServiceTime(tx, { ticketId: 'b', shopId: 'shop-1', serviceId: 'shop-1-C', localDate: '2026-11-21', localHour: 13, waitSeconds: 180, serviceSeconds: 500, finishedAt: at });
        await recordServiceTime(tx, { ticketId: 'b', shopId: 'shop-1', serviceId: 'shop-1-C', localDate: '2026-11-21', localHour: 13, waitSeconds: 999, serviceSeconds: 999, finishedAt: at });
      });
      const figures = await serviceTimeFigures(app.store.db, { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
      assert.deepEqual(figures, [{ shopId: 'shop-1', serviceId: 'shop-1-C', localHour: 13, served: 2, averageWaitSeconds: 120, averageServiceSeconds: 400, longestWaitSeconds: 180 }]);
    });
  });
}
