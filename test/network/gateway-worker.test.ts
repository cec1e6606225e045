// Barring through an HTTP provisioning gateway, run by the real worker on a real store: a gateway that is down for
// a while is asked again with the same transaction id until the order completes; one down past the last attempt,
// or one that refuses, leaves the order needing attention with the gateway's own reason.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { networkAdapterFrom } from '../../src/adapters/network/select.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import { networkSettingsOf } from '../../src/config/integrations/network.ts';
import type { Actor } from '../../src/domain/channels.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { CAI3G_FAULT, CAI3G_SET, type Gateway, startGateway } from '../support/gateway.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const operator: Actor = { kind: 'staff', id: 'stf_backoffice', channel: 'bulk' };

async function oneOrder(app: TestApp): Promise<{ reference: string; id: string; msisdn: string }> {
  await seed(app, { customers: 3, seed: 7 });
  const line = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn').executeTakeFirstOrThrow();
  const [outcome] = await requestTerminations(app, [{ msisdn: line.msisdn, channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true }]);
  assert.equal(outcome?.kind, 'created');
  const t = outcome.kind === 'created' ? outcome.termination : undefined;
  return { reference: t?.reference ?? '', id: t?.id ?? '', msisdn: line.msisdn };
}

/** The app with at most `maxAttempts` tries per order and the gateway as its network adapter. */
async function appWith(kind: (typeof kinds)[number], gw: Gateway, part: Record<string, unknown>): Promise<TestApp> {
  const app = await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, maxAttempts: 3 } }) });
  return { ...app, adapters: { ...app.adapters, network: networkAdapterFrom(networkSettingsOf({ network: { kind: 'http', url: `${gw.url}/pg`, attempts: 1, ...part } }, {})) } };
}

async function runAgainLater(app: TestApp): Promise<void> {
  app.clock.advanceHours(1);
  await runWorker(app, { untilIdle: true, deliver: false });
}

const json = { format: 'json', template: '{"transactionId":"{{key}}","msisdn":"{{msisdn}}","iccid":"{{iccid}}"}' };
const kinds = storeKinds();

for (const kind of kinds) {
  describe(`barring through an HTTP gateway (${kind.name})`, () => {
    const gateways: Gateway[] = [];
    after(async () => {
      for (const g of gateways) await g.close();
    });

    test('a gateway down for a while (refused connections, then 503) is asked again with the same transaction id until the order completes', async () => {
      const gw = await startGateway((_, i) => (i === 0 ? { status: 503, body: 'maintenance' } : { status: 200, body: '{"result":"OK"}' }));
      gateways.push(gw);
      const app = await appWith(kind, gw, { body: json, success: { path: 'result', equals: 'OK' } });
      try {
        const order = await oneOrder(app);
        await gw.down();
        await runWorker(app, { untilIdle: true, deliver: false });
        const waiting = await terminationByReference(app.store.db, order.reference);
        assert.equal(waiting?.state, 'executing', 'still being carried out, not handed to a person');
        assert.match(waiting?.lastError ?? '', /network\.bar: the gateway is unavailable \(could not be reached \(ECONNREFUSED\)\)/);
        await gw.up();
        await runAgainLater(app);
        assert.equal((await terminationByReference(app.store.db, order.reference))?.state, 'executing');
        assert.match((await terminationByReference(app.store.db, order.reference))?.lastError ?? '', /HTTP 503: maintenance/);
        await runAgainLater(app);
        const done = await terminationByReference(app.store.db, order.reference);
        assert.equal(done?.state, 'completed');
        assert.equal(done?.lastError, null);
        assert.equal(gw.received.length, 2);
        const key = `${order.id}:network.bar`;
        for (const r of gw.received) assert.equal(r.body, JSON.stringify({ transactionId: key, msisdn: order.msisdn, iccid: JSON.parse(r.body).iccid }));
        assert.equal(gw.received[0]?.body, gw.received[1]?.body, 'the retry is the identical request');
        const barred = await app.store.db.selectFrom('network_barrings').select('key').execute();
        assert.equal(barred.length, 0, 'the built-in record was not used');
      } finally {
        await app.close();
      }
    });

    test("a gateway down past the last attempt leaves the order needing attention with the gateway's reason", async () => {
      const gw = await startGateway(() => ({ status: 503, body: 'Maintenance window until 03:00 UTC' }));
      gateways.push(gw);
      const app = await appWith(kind, gw, { body: json });
      try {
        const order = await oneOrder(app);
        await runWorker(app, { untilIdle: true, deliver: false });
        await runAgainLater(app);
        assert.equal((await terminationByReference(app.store.db, order.reference))?.state, 'executing', 'two attempts of three: still retried');
        await runAgainLater(app);
        const t = await terminationByReference(app.store.db, order.reference);
        assert.equal(t?.state, 'needs_attention');
        assert.equal(t?.lastError, 'network.bar: the gateway is unavailable (HTTP 503: Maintenance window until 03:00 UTC)');
        assert.equal(gw.received.length, 3);
        const job = await app.store.db.selectFrom('jobs').select(['state', 'last_error']).where('key', '=', `execute:${order.id}`).executeTakeFirstOrThrow();
        assert.equal(job.state, 'failed', 'on the dead list for back office');
        assert.match(job.last_error ?? '', /Maintenance window/);
      } finally {
        await app.close();
      }
    });

    test('a gateway that hangs: the worker claims only the orders it can bar within half its lease, each asked once', async () => {
      const gw = await startGateway(() => 'hang');
      gateways.push(gw);
      // One lane, 500 ms per try, a 2 s lease: 2 orders per claim, not the worker's batchSize (500).
      const base = await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, maxAttempts: 3, leaseSeconds: 2 } }) });
      const app: TestApp = { ...base, adapters: { ...base.adapters, network: networkAdapterFrom(networkSettingsOf({ network: { kind: 'http', url: `${gw.url}/pg`, attempts: 1, timeoutMs: 500, concurrency: 1, body: json } }, {})) } };
      try {
        await seed(app, { customers: 12, seed: 7 });
        const lines = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn').limit(8).execute();
        const outcomes = await requestTerminations(app, lines.map((l) => ({ msisdn: l.msisdn, channel: 'bulk' as const, authority: 'operator' as const, actor: operator, effective: { mode: 'now' as const }, confirmNow: true })));
        assert.equal(outcomes.filter((o) => o.kind === 'created').length, 8);
        const totals = await runWorker(app, { untilIdle: true, deliver: false });
        assert.ok(totals.batches >= 4, `8 orders in claims of at most 2 (${totals.batches} batches)`);
        assert.equal(gw.received.length, 8, 'each order asked once in the run');
        assert.equal(new Set(gw.received.map((r) => JSON.parse(r.body).transactionId)).size, 8);
      } finally {
        await app.close();
      }
    });

    test('a CAI3G refusal hands the order to a person on its first attempt, with the fault text', async () => {
      const gw = await startGateway(() => ({ status: 500, body: CAI3G_FAULT, type: 'text/xml' }));
      gateways.push(gw);
      const app = await appWith(kind, gw, { body: { format: 'soap', template: CAI3G_SET } });
      try {
        const order = await oneOrder(app);
        await runWorker(app, { untilIdle: true, deliver: false });
        const t = await terminationByReference(app.store.db, order.reference);
        assert.equal(t?.state, 'needs_attention');
        assert.match(t?.lastError ?? '', /^network\.bar: the gateway refused the barring \(HTTP 500, SOAP Fault: Operation failed; 3006; 13; SUBSCRIBER NOT DEFINED\)$/);
        assert.equal(gw.received.length, 1, 'a refusal is not repeated');
        assert.match(gw.received[0]?.body ?? '', new RegExp(`<cai3:TransactionId>${order.id}:network\\.bar</cai3:TransactionId>`));
      } finally {
        await app.close();
      }
    });
  });
}
