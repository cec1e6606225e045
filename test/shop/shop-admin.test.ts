// Administrators set the shops up through the API: names and addresses per language, counters out of service,
// shop agents bound to a shop. Each refusal has its own code and changes nothing; each change is audited; an
// agent moved to another shop no longer reaches the first one's queue.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kioskServices, takeTicket } from '../../src/app/shop-kiosk.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

const WEEK = { mon: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }] };
const SHOP = { names: { ru: 'Арбат, 5', en: 'Arbat 5', zh: '阿尔巴特街5号' }, address: { ru: 'Москва, ул. Арбат, 5', en: '5 Arbat St, Moscow' }, timeZone: 'Europe/Moscow', languages: ['ru', 'en', 'zh'], weeklyHours: WEEK };

for (const kind of storeKinds()) {
  describe(`shop administration API on ${kind.name}`, () => {
    let h: ApiHarness;
    let admin: string;
    before(async () => {
      h = await openApi(kind, 6);
      admin = await h.login('admin');
    });
    after(() => h.close());

    const send = (method: 'GET' | 'POST', url: string, payload?: unknown, token = admin, language = 'en') =>
      h.server.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}`, 'accept-language': language }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const audits = async () => (await h.app.store.db.selectFrom('audit_log').select('seq').execute()).length;
    const tables = async () => {
      const db = h.app.store.db;
      return JSON.stringify([
        await db.selectFrom('shops').selectAll().orderBy('id').execute(),
        await db.selectFrom('shop_counters').selectAll().orderBy('id').execute(),
        await db.selectFrom('shop_services').selectAll().orderBy('id').execute(),
        await db.selectFrom('staff').select(['id', 'shop_id']).orderBy('id').execute(),
      ]);
    };
    /** Sends a request that must be refused with `code`, and checks that nothing changed and nothing was audited. */
    const refused = async (code: string, status: number, method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const [before, audited] = [await tables(), await audits()];
      const r = await send(method, url, payload);
      assert.equal(r.json().code, code, `${url}: ${r.body}`);
      assert.equal(r.statusCode, status, url);
      assert.equal(await tables(), before, `${url}: nothing changed`);
      assert.equal(await audits(), audited, `${url}: nothing audited`);
      return r;
    };

    test('a shop is saved with its names and address per language; the kiosk shows them and the change is audited', async () => {
      const saved = await send('POST', '/admin/shops/shop-arbat', SHOP);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().name, 'Арбат, 5', 'the name in its first language');
      const kiosk = (await send('GET', '/shops/shop-arbat/services')).json();
      assert.deepEqual(kiosk.shop.names, SHOP.names);
      assert.equal(kiosk.shop.address.en, '5 Arbat St, Moscow');
      assert.equal(kiosk.shop.address.zh, undefined, 'no address given in Chinese');
      const entry = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'shop').where('entity_id', '=', 'shop-arbat').where('action', '=', 'shop_saved').executeTakeFirstOrThrow();
      assert.equal(entry.actor_id, 'stf_admin');
      assert.deepEqual(JSON.parse(entry.data ?? '{}').names, SHOP.names);
      // A caller that knows one name only still works: it stands for every language.
      const old = await send('POST', '/admin/shops/shop-old', { name: 'Old Street', timeZone: 'Europe/Moscow', languages: ['ru', 'en'], weeklyHours: WEEK });
      assert.equal(old.statusCode, 200, old.body);
      assert.equal((await send('GET', '/shops/shop-old/services')).json().shop.name, 'Old Street');
    });

    test('each refusal names what is wrong in words, with its own code, and changes nothing', async () => {
      await refused('SHOP_ZONE_INVALID', 400, 'POST', '/admin/shops/shop-arbat', { ...SHOP, timeZone: 'Moscow/Arbat' });
      await refused('SHOP_HOURS_OVERLAP', 400, 'POST', '/admin/shops/shop-arbat', { ...SHOP, weeklyHours: { tue: [{ open: '09:00', close: '14:00' }, { open: '13:00', close: '20:00' }] } });
      const backwards = await refused('SHOP_HOURS_BACKWARDS', 400, 'POST', '/admin/shops/shop-arbat', { ...SHOP, weeklyHours: { fri: [{ open: '18:00', close: '09:00' }] } });
      assert.equal(backwards.json().message, 'Friday: 18:00–09:00 closes before it opens');
      const ru = await send('POST', '/admin/shops/shop-arbat', { ...SHOP, weeklyHours: { fri: [{ open: '18:00', close: '09:00' }] } }, admin, 'ru');
      assert.equal(ru.json().message, 'Пятница: 18:00–09:00 — закрытие раньше открытия');
      await refused('LANGUAGE_NOT_SUPPORTED', 400, 'POST', '/admin/shops/shop-arbat', { ...SHOP, languages: ['ru', 'de'] });
      await refused('SHOP_NAME_MISSING', 400, 'POST', '/admin/shops/shop-arbat', { ...SHOP, names: { ru: 'Арбат, 5' } });
      await refused('SHOP_NOT_FOUND', 404, 'POST', '/admin/shops/shop-none/services/shop-none-c', { letter: 'C', names: { ru: 'Р', en: 'C', zh: '注' } });
      await refused('SHOP_NOT_FOUND', 404, 'POST', '/admin/shops/shop-none/counters/shop-none-w1', { label: '1', services: [], languages: ['ru'] });
      await refused('SHOP_NOT_FOUND', 404, 'GET', '/admin/shops/shop-none');
      await refused('SHOP_LETTER_TAKEN', 409, 'POST', '/admin/shops/shop-1/services/shop-1-x', { letter: 'C', names: { ru: 'Другое', en: 'Other', zh: '其他' } });
      await refused('SHOP_SERVICE_NOT_FOUND', 404, 'POST', '/admin/shops/shop-1/counters/shop-1-w9', { label: '9', services: ['shop-1-C', 'shop-2-C'], languages: ['ru'] });
      await refused('LANGUAGE_NOT_SUPPORTED', 400, 'POST', '/admin/shops/shop-1/counters/shop-1-w9', { label: '9', services: ['shop-1-C'], languages: ['fr'] });
      await refused('SHOP_LABEL_TAKEN', 409, 'POST', '/admin/shops/shop-1/counters/shop-1-w9', { label: '2', services: ['shop-1-C'], languages: ['ru'] });
      await refused('STAFF_NOT_FOUND', 404, 'POST', '/admin/staff/stf_nobody/shop', { shopId: 'shop-1' });
      await refused('STAFF_NOT_SHOP_AGENT', 409, 'POST', '/admin/staff/stf_callcentre/shop', { shopId: 'shop-1' });
      await refused('SHOP_NOT_FOUND', 404, 'POST', '/admin/staff/stf_shop1/shop', { shopId: 'shop-none' });
      const agent = await h.login('shop2');
      const r = await send('POST', '/admin/staff/stf_shop2/shop', { shopId: 'shop-1' }, agent);
      assert.equal(r.statusCode, 403, 'a shop agent cannot move themselves');
    });

    test('a counter out of service is skipped: nothing is called or sent to it, and the change is audited', async () => {
      const agent = await h.login('shop1');
      await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '203.0.113.9');
      const waitFor = async () => (await kioskServices(h.app, 'shop-1')).services.find((s) => s.id === 'shop-1-C')?.estimatedWaitMinutes ?? null;
      const before = await waitFor();
      const off = await send('POST', '/admin/shops/shop-1/counters/shop-1-w2', { label: '2', services: ['shop-1-C'], languages: ['ru', 'zh'], outOfService: true });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().outOfService, true);
      const after = await waitFor();
      assert.ok(before !== null && after !== null && after > before, `the kiosk's estimate grows with one counter fewer (${before} → ${after} min)`);
      const call = await send('POST', '/staff/shop/call-next', { counterId: 'shop-1-w2' }, agent);
      assert.equal(call.json().code, 'SHOP_COUNTER_OUT_OF_SERVICE');
      assert.equal(call.json().message, 'Counter 2 is out of service');
      const queue = (await send('GET', '/staff/shop/queue', undefined, agent)).json();
      assert.ok(queue.tickets.some((t: { state: string }) => t.state === 'waiting'), 'the ticket still waits');
      const called = (await send('POST', '/staff/shop/call-next', { counterId: 'shop-1-w1' }, agent)).json().ticket;
      assert.equal(called.state, 'called', 'a counter in service calls it');
      const handOff = await send('POST', `/staff/shop/tickets/${called.id}/transfer`, { language: 'zh' }, agent);
      assert.equal(handOff.json().code, 'NO_AGENT_SPEAKS', 'the only Chinese-speaking counter is out of service');
      assert.equal((await send('POST', `/staff/shop/tickets/${called.id}/transfer`, { counterId: 'shop-1-w2' }, agent)).json().code, 'SHOP_COUNTER_OUT_OF_SERVICE');
      // Saved again without the flag (an older caller): it stays out of service.
      assert.equal((await send('POST', '/admin/shops/shop-1/counters/shop-1-w2', { label: '2', services: ['shop-1-C'], languages: ['ru', 'zh'] })).json().outOfService, true);
      const entries = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', 'shop-1').where('action', '=', 'counter_saved').execute();
      assert.equal(JSON.parse(entries[0]?.data ?? '{}').outOfService, true);
      assert.equal((await send('POST', '/admin/shops/shop-1/counters/shop-1-w2', { label: '2', services: ['shop-1-C'], languages: ['ru', 'zh'], outOfService: false })).json().outOfService, false);
    });

    test('a shop agent bound to another shop no longer sees or calls the first shop\'s queue', async () => {
      const agent = await h.login('shop1');
      const ticket = await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-S', language: 'en' }, '203.0.113.10');
      const mine = (await send('GET', '/staff/shop/queue', undefined, agent)).json();
      assert.equal(mine.shop.id, 'shop-1');
      assert.ok(mine.tickets.some((t: { id: string }) => t.id === ticket.id));
      const bound = await send('POST', '/admin/staff/stf_shop1/shop', { shopId: 'shop-2' });
      assert.equal(bound.statusCode, 200, bound.body);
      assert.equal(bound.json().shopId, 'shop-2');
      const now = (await send('GET', '/staff/shop/queue', undefined, agent)).json();
      assert.equal(now.shop.id, 'shop-2', 'the same session, the new shop');
      assert.ok(now.tickets.every((t: { id: string }) => t.id !== ticket.id), "shop 1's ticket is not in the list");
      assert.equal((await send('POST', '/staff/shop/call-next', { counterId: 'shop-1-w3' }, agent)).json().code, 'SHOP_FORBIDDEN');
      assert.equal((await send('POST', `/staff/shop/tickets/${ticket.id}/move`, { action: 'recall' }, agent)).json().code, 'SHOP_FORBIDDEN');
      const entry = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'staff').where('entity_id', '=', 'stf_shop1').executeTakeFirstOrThrow();
      assert.equal(entry.action, 'staff_shop_bound');
      assert.deepEqual(JSON.parse(entry.data ?? '{}'), { shopId: 'shop-2', formerShopId: 'shop-1' });
      const staff = (await send('GET', '/admin/staff')).json();
      assert.equal(staff.find((s: { id: string }) => s.id === 'stf_shop1').shopId, 'shop-2');
      // Unbound, the console says it is for an agent with a shop.
      await send('POST', '/admin/staff/stf_shop1/shop', { shopId: null });
      assert.equal((await send('GET', '/staff/shop/queue', undefined, agent)).json().code, 'SHOP_AGENT_ONLY');
      await send('POST', '/admin/staff/stf_shop1/shop', { shopId: 'shop-1' });
    });
  });
}
