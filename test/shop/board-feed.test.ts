// The lobby board across processes, on both stores: two API servers over the same store (as behind a load
// balancer, or `serve` split in two); a call made in server A's console reaches a board connected to server B
// within a second, calls made at the same moment through both get consecutive numbers, and a board that comes
// back with Last-Event-ID gets exactly the calls it missed, each once; one that names no call it can resume
// from gets a snapshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/channels/api/server.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

interface BoardEvent {
  readonly id: string;
  readonly event: string;
  readonly data: { number?: string; seq?: number; counterLabel?: string; recalls?: number; cursor?: number; calls?: { number: string }[] };
}

/** A board's stream, read as it comes: the events so far, a wait for one, and the end. */
function openBoard(base: string, lastEventId?: string) {
  const events: BoardEvent[] = [];
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const reading = (async () => {
    const response = await fetch(`${base}/api/v1/shops/shop-1/board`, { headers, signal: abort.signal });
    assert.equal(response.status, 200);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ id: /^id: (.*)$/m.exec(block)?.[1] ?? '', event, data: JSON.parse(data) });
      }
    }
  })().catch((e: unknown) => {
    if (!abort.signal.aborted) throw e;
  });
  return {
    events,
    calls: () => events.filter((e) => e.event === 'called'),
    async waitFor(until: (events: BoardEvent[]) => boolean, timeoutMs: number): Promise<number> {
      const started = Date.now();
      while (!until(events)) {
        if (Date.now() - started > timeoutMs) assert.fail(`waited ${timeoutMs} ms; the board got ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return Date.now() - started;
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

const addressOf = (server: FastifyInstance) => {
  const a = server.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of storeKinds()) {
  describe(`the lobby board across two servers on ${kind.name}`, () => {
    let a: ApiHarness;
    let storeB: Store;
    let serverB: FastifyInstance;
    let baseA = '';
    let baseB = '';
    let agent: Record<string, string> = {};
    before(async () => {
      a = await openApi(kind, 8);
      // Server B: its own connection to the same data, as another process has; nothing in memory shared with A.
      storeB = await openStore(a.app.storeAt.url, { schema: a.app.storeAt.schema });
      serverB = await buildServer({ ...a.app, store: storeB });
      await a.server.listen({ port: 0, host: '127.0.0.1' });
      await serverB.listen({ port: 0, host: '127.0.0.1' });
      baseA = addressOf(a.server);
      baseB = addressOf(serverB);
      agent = { authorization: `Bearer ${await a.login('shop1')}` };
    });
    after(async () => {
      await serverB?.close();
      await storeB?.close();
      await a?.close();
    });

    const takeTicket = async () => {
      const r = await fetch(`${baseA}/api/v1/shops/shop-1/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `board-${Math.random()}` }, body: JSON.stringify({ serviceId: 'shop-1-C', language: 'ru' }) });
      assert.equal(r.status, 201);
      return ((await r.json()) as { number: string }).number;
    };
    const callNext = async (base: string, counterId: string) => {
      const r = await fetch(`${base}/api/v1/staff/shop/call-next`, { method: 'POST', headers: { ...agent, 'content-type': 'application/json' }, body: JSON.stringify({ counterId }) });
      assert.equal(r.status, 200);
      return ((await r.json()) as { ticket: { id: string; number: string } }).ticket;
    };

    test("a call in server A's console is on a board connected to server B within a second", async () => {
      const number = await takeTicket();
      const board = openBoard(baseB);
      await board.waitFor((e) => e.some((x) => x.event === 'snapshot'), 5000);
      assert.equal(board.events[0]?.event, 'snapshot');
      assert.equal(board.events[0]?.id, '0', 'no call yet: the stream starts before the first');
      const calledAt = Date.now();
      assert.equal((await callNext(baseA, 'shop-1-w1')).number, number);
      await board.waitFor((e) => e.some((x) => x.event === 'called'), 1000);
      assert.ok(Date.now() - calledAt < 1000, 'within a second');
      const [call] = board.calls();
      assert.deepEqual([call?.id, call?.data.number, call?.data.counterLabel], ['1', number, '1']);
      await board.close();
    });

    test('two calls at the same moment through A and B get consecutive numbers, each on the board once', async () => {
      await takeTicket();
      await takeTicket();
      const board = openBoard(baseB, '1');
      await sleep(100);
      const [one, two] = await Promise.all([callNext(baseA, 'shop-1-w1'), callNext(baseB, 'shop-1-w2')]);
      await board.waitFor((e) => e.filter((x) => x.event === 'called').length >= 2, 1000);
      await sleep(700);
      const calls = board.calls();
      assert.deepEqual(calls.map((c) => c.id), ['2', '3']);
      assert.deepEqual(calls.map((c) => c.data.number).sort(), [one.number, two.number].sort());
      assert.equal(board.events.some((e) => e.event === 'snapshot'), false, 'it resumed after call 1: no snapshot');
      await board.close();
    });

    test('a board that reconnects with Last-Event-ID gets exactly the calls it missed, none twice', async () => {
      const first = openBoard(baseB);
      await first.waitFor((e) => e.length > 0, 5000);
      const lastSeen = first.events.at(-1)?.id ?? '';
      assert.equal(lastSeen, '3');
      await first.close();
      // Offline: a call at counter 2 and a recall of it, made through A.
      await takeTicket();
      const missed = await callNext(baseA, 'shop-1-w2');
      a.app.clock.advanceHours(1 / 60);
      const recall = await fetch(`${baseA}/api/v1/staff/shop/tickets/${missed.id}/move`, { method: 'POST', headers: { ...agent, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'recall' }) });
      assert.equal(recall.status, 200);

      const back = openBoard(baseB, lastSeen);
      await back.waitFor((e) => e.length >= 2, 1000);
      await takeTicket();
      const later = await callNext(baseA, 'shop-1-w1');
      await back.waitFor((e) => e.length >= 3, 1000);
      await sleep(700);
      assert.deepEqual(
        back.events.map((e) => [e.event, e.id, e.data.number, e.data.recalls]),
        [
          ['called', '4', missed.number, 0],
          ['called', '5', missed.number, 1],
          ['called', '6', later.number, 0],
        ],
      );
      await back.close();
    });

    test('a board naming no call it can resume from gets a snapshot of the calls at the counters', async () => {
      for (const lastEventId of ['999999', 'yesterday']) {
        const board = openBoard(baseA, lastEventId);
        await board.waitFor((e) => e.length > 0, 5000);
        const [snapshot] = board.events;
        assert.equal(snapshot?.event, 'snapshot');
        assert.equal(snapshot?.id, '6');
        assert.equal(snapshot?.data.cursor, 6);
        // The first ticket at counter 1 and its successor, the second at 2 and the recalled one: all still called.
        assert.equal(snapshot?.data.calls?.length, 5);
        await board.close();
      }
      const json = (await (await fetch(`${baseB}/api/v1/shops/shop-1/board`)).json()) as { cursor: number; timeZone: string; calls: { number: string }[] };
      assert.deepEqual([json.cursor, json.timeZone, json.calls.length], [6, 'Europe/Moscow', 5]);
    });
  });
}
