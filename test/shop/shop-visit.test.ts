// A whole shop visit through the API, on both stores: a kiosk ticket (idempotent per request key) is called in the
// console and appears on the lobby board's stream; the agent finds the holder, checks the passport (a wrong number
// refused and audited), takes the debt in cash, records the SIM (a wrong ICCID refused) and the checklist, and
// confirms; after the worker runs the number is pending release and the certificate downloads. An agent of the
// other shop can call, see and act on none of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { documentHash } from '../../src/app/secrets.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

const DOCUMENT = 'RU 4512 778899';
const HOLDER = '+79990000001';

/** Reads server-sent events from a stream until `until` says stop (or the time runs out). */
async function readEvents(body: ReadableStream<Uint8Array>, until: (events: { event: string; data: unknown }[]) => boolean, timeoutMs = 5000): Promise<{ event: string; data: unknown }[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(events) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((resolve) => setTimeout(() => resolve({ done: true, value: undefined }), deadline - Date.now()))]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

for (const kind of storeKinds()) {
  describe(`a shop visit on ${kind.name}`, () => {
    let h: ApiHarness;
    let base = '';
    const auth = new Map<string, Record<string, string>>();
    before(async () => {
      h = await openApi(kind, 8);
      await h.app.store.db.updateTable('customers').set({ doc_hash: documentHash(h.app.secrets.documentKey, DOCUMENT) }).where('id', '=', 'cus_00000001').execute();
      await h.app.store.db.updateTable('accounts').set({ balance: -30_000 }).where('id', '=', 'acc_00000001').execute();
      for (const login of ['shop1', 'shop2', 'backoffice', 'admin']) auth.set(login, { authorization: `Bearer ${await h.login(login)}` });
      await h.server.listen({ port: 0, host: '127.0.0.1' });
      const address = h.server.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(() => h.close());
    const as = (login: string) => auth.get(login) ?? {};

    test('ticket → called (on the board) → passport → pay → SIM → confirm → pending release → certificate', async () => {
      const services = await h.server.inject({ method: 'GET', url: '/api/v1/shops/shop-1/services' });
      assert.equal(services.statusCode, 200, services.body);
      assert.deepEqual(services.json().services.map((s: { letter: string }) => s.letter), ['C', 'S']);
      // The test clock is Saturday 21 November 2026, 13:00 in Moscow: shop-1 keeps Saturday hours until 18:00.
      assert.equal(services.json().open, true);
      assert.equal(services.json().nextOpening, h.app.clock());

      const take = () => h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': 'kiosk-press-1' }, payload: { serviceId: 'shop-1-C', language: 'ru' } });
      const ticket = await take();
      assert.equal(ticket.statusCode, 201, ticket.body);
      assert.equal(ticket.json().number, 'C-001');
      assert.equal((await take()).json().id, ticket.json().id, 'the same kiosk press is one ticket');
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', payload: { serviceId: 'shop-1-C', language: 'ru' } })).statusCode, 400, 'a kiosk press carries a key');
      const id = ticket.json().id as string;

      // The board: a snapshot first, then the call made in the console.
      const stream = await fetch(`${base}/api/v1/shops/shop-1/board`, { headers: { accept: 'text/event-stream' } });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
      const seen = readEvents(stream.body!, (events) => events.some((e) => e.event === 'called'));
      await new Promise((resolve) => setTimeout(resolve, 100));

      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: as('shop2'), payload: { counterId: 'shop-1-w1' } })).json().code, 'SHOP_FORBIDDEN');
      const called = await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: as('shop1'), payload: { counterId: 'shop-1-w1' } });
      assert.equal(called.statusCode, 200, called.body);
      assert.equal(called.json().ticket.id, id);
      const events = await seen;
      assert.equal(events[0]?.event, 'snapshot');
      const call = events.find((e) => e.event === 'called')?.data as { number: string; counterLabel: string } | undefined;
      assert.deepEqual({ number: call?.number, counterLabel: call?.counterLabel }, { number: 'C-001', counterLabel: '1' });
      const board = await h.server.inject({ method: 'GET', url: '/api/v1/shops/shop-1/board' });
      assert.equal(board.json().calls[0].number, 'C-001', 'a board that reconnects gets the call in its snapshot');

      const post = (path: string, payload: unknown, login = 'shop1', headers: Record<string, string> = {}) => h.server.inject({ method: 'POST', url: `/api/v1/staff/shop/tickets/${id}/${path}`, headers: { ...as(login), ...headers }, payload: payload as object });
      assert.equal((await post('move', { action: 'serve' })).statusCode, 200);
      assert.equal((await post('customer', { msisdn: HOLDER }, 'shop2')).json().code, 'SHOP_FORBIDDEN');
      const found = await post('customer', { msisdn: HOLDER });
      assert.equal(found.statusCode, 200, found.body);
      assert.equal(found.json().customer.id, 'cus_00000001');
      const lineId = found.json().customer.lines[0].id as string;

      const wrong = await post('passport', { documentNumber: 'RU 7319 482650' });
      assert.equal(wrong.statusCode, 403);
      assert.equal(wrong.json().code, 'DOCUMENT_MISMATCH');
      const audit = await h.app.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'document_mismatch').execute();
      assert.equal(audit.length, 1);
      assert.ok(!/482650|RU 7319/.test(audit[0]?.data ?? ''), 'the typed number is not kept');
      assert.equal((await post('confirm', { lineId })).json().code, 'DOCUMENT_NOT_CHECKED_AT_COUNTER');
      const checked = await post('passport', { documentNumber: DOCUMENT });
      assert.equal(checked.statusCode, 200, checked.body);
      assert.equal(checked.json().documentChecked, true);

      const preview = await h.server.inject({ method: 'GET', url: `/api/v1/staff/shop/tickets/${id}/preview?lineId=${lineId}`, headers: as('shop1') });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.ok(preview.json().blockers.some((b: { code: string }) => b.code === 'UNPAID_BALANCE'));
      const pay = () => post('payments', { lineId, amount: 30_000, method: 'cash' }, 'shop1', { 'idempotency-key': 'till-1' });
      assert.equal((await pay()).statusCode, 201);
      assert.equal((await pay()).json().balance, 0, 'the same payment key is one payment');
      const ledger = await h.app.store.db.selectFrom('ledger_entries').selectAll().where('account_id', '=', 'acc_00000001').where('kind', '=', 'payment').execute();
      assert.equal(ledger.length, 1);
      assert.equal(ledger[0]?.reference, 'shop:shop-1:stf_shop1:C-001', 'the ledger entry names the shop, the agent and the ticket');
      const paid = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', 'acc_00000001').where('action', '=', 'payment').execute();
      assert.match(paid[0]?.data ?? '', /"shopId":"shop-1"/);
      assert.match(paid[0]?.data ?? '', /"method":"cash"/);

      const iccid = (await h.app.store.db.selectFrom('lines').select('iccid').where('id', '=', lineId).executeTakeFirstOrThrow()).iccid;
      assert.equal((await post('sim', { lineId, outcome: 'handed_in', iccid: '8970199000000009999' })).json().code, 'ICCID_MISMATCH');
      assert.equal((await post('sim', { lineId, outcome: 'handed_in', iccid })).statusCode, 200);
      assert.equal((await post('confirm', { lineId })).json().code, 'SHOP_CHECKLIST_INCOMPLETE');
      assert.equal((await post('checklist', { checklist: { pinRemoved: true, dataExported: true, loginsMoved: true } })).statusCode, 200);
      const confirmed = await post('confirm', { lineId });
      assert.equal(confirmed.statusCode, 201, confirmed.body);
      const reference = confirmed.json().termination.reference as string;
      const order = await h.app.store.db.selectFrom('terminations').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
      assert.equal(order.channel, 'store');
      const requested = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'termination').where('entity_id', '=', order.id).execute();
      assert.ok(requested.some((e) => e.actor_id === 'stf_shop1' && e.channel === 'store'), 'the agent is recorded');
      assert.equal((await post('move', { action: 'finish' })).statusCode, 200);

      for (let i = 0; i < 3; i++) {
        await runWorker(h.app, { untilIdle: true });
        if ((await h.app.store.db.selectFrom('terminations').select('state').where('reference', '=', reference).executeTakeFirstOrThrow()).state === 'completed') break;
        h.app.clock.advanceHours(25);
      }
      assert.equal((await h.app.store.db.selectFrom('terminations').select('state').where('reference', '=', reference).executeTakeFirstOrThrow()).state, 'completed');
      assert.equal((await h.app.store.db.selectFrom('numbers').select('state').where('msisdn', '=', HOLDER).executeTakeFirstOrThrow()).state, 'quarantined', 'the number is pending release');
      assert.equal((await h.server.inject({ method: 'GET', url: `/api/v1/staff/shop/tickets/${id}/certificate.pdf`, headers: as('shop2') })).json().code, 'SHOP_FORBIDDEN');
      const pdf = await h.server.inject({ method: 'GET', url: `/api/v1/staff/shop/tickets/${id}/certificate.pdf`, headers: as('shop1') });
      assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 300));
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

      const figures = await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop-figures?shopId=shop-1', headers: as('backoffice') });
      assert.equal(figures.statusCode, 200, figures.body);
      assert.equal(figures.json().hours[0]?.served, 1, figures.body);
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop-figures', headers: as('shop1') })).statusCode, 403);
    });

    test('a SIM kept by the subscriber or destroyed is recorded without an ICCID, and audited', async () => {
      const taken = await h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': 'kiosk-press-sim' }, payload: { serviceId: 'shop-1-C', language: 'en' } });
      assert.equal(taken.statusCode, 201, taken.body);
      const called = await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: as('shop1'), payload: { counterId: 'shop-1-w2' } });
      const id = called.json().ticket.id as string;
      const post = (path: string, payload: unknown) => h.server.inject({ method: 'POST', url: `/api/v1/staff/shop/tickets/${id}/${path}`, headers: as('shop1'), payload: payload as object });
      const found = await post('customer', { msisdn: '+79990000002' });
      assert.equal(found.statusCode, 200, found.body);
      const lineId = found.json().customer.lines[0].id as string;
      for (const outcome of ['kept_by_subscriber', 'destroyed'] as const) {
        const r = await post('sim', { lineId, outcome });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().simOutcome, outcome);
      }
      const audit = await h.app.store.db.selectFrom('audit_log').select('data').where('action', '=', 'sim_recorded').where('entity_id', '=', 'cus_00000002').execute();
      assert.deepEqual(audit.map((a) => JSON.parse(a.data ?? '{}').outcome).sort(), ['destroyed', 'kept_by_subscriber']);
    });

    test("an agent of shop 2 sees neither shop 1's queue nor its customers", async () => {
      const queue = await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop/queue', headers: as('shop2') });
      assert.equal(queue.statusCode, 200);
      assert.equal(queue.json().shop.id, 'shop-2');
      assert.ok(queue.json().tickets.every((t: { id: string }) => !t.id.startsWith('x')));
      const t = await h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': 'kiosk-press-2' }, payload: { serviceId: 'shop-1-S', language: 'en' } });
      const id = t.json().id as string;
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop/queue', headers: as('shop2') })).json().tickets.some((x: { id: string }) => x.id === id), false);
      for (const [path, payload] of [['move', { action: 'recall' }], ['transfer', { counterId: 'shop-2-w1' }], ['customer', { msisdn: HOLDER }], ['passport', { documentNumber: DOCUMENT }], ['checklist', { checklist: { pinRemoved: true, dataExported: true, loginsMoved: true } }]] as const) {
        const r = await h.server.inject({ method: 'POST', url: `/api/v1/staff/shop/tickets/${id}/${path}`, headers: as('shop2'), payload });
        assert.equal(r.json().code, 'SHOP_FORBIDDEN', `${path}: ${r.body}`);
      }
      const customers = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(HOLDER)}`, headers: as('shop2') });
      assert.deepEqual(customers.json(), [], "shop 1's case is not shop 2's");
      const admin = await h.server.inject({ method: 'POST', url: '/api/v1/admin/shops/shop-2/counters/shop-2-w3', headers: as('admin'), payload: { label: '3', services: ['shop-2-C'], languages: ['zh'] } });
      assert.equal(admin.statusCode, 200, admin.body);
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/admin/shops/shop-2/counters/shop-2-w4', headers: as('shop2'), payload: { label: '4', services: [], languages: ['ru'] } })).statusCode, 403);
    });
  });
}
