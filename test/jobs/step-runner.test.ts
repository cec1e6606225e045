// The step runner: an outside system is called outside any transaction, each order's call once per key, and one
// order whose record fails never makes the runner call an outside system again for the others.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { BarRequest, BillingAdapter, NetworkAdapter } from '../../src/adapters/ports.ts';
import { builtinBilling, builtinEsim } from '../../src/adapters/builtin.ts';
import type { RecordsInStore } from '../../src/adapters/local.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import type { Actor } from '../../src/domain/channels.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { inTransaction } from '../../src/store/database.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const operator: Actor = { kind: 'staff', id: 'stf_backoffice', channel: 'bulk' };

/** An HLR that is not ours: no `recordsInStore`, so the runner must call it outside its transactions. */
function remoteHlr(app: TestApp, probe: boolean) {
  const received: string[] = [];
  const heldLocks: string[] = [];
  const adapter: NetworkAdapter = {
    async bar(requests: readonly BarRequest[]) {
      received.push(...requests.map((r) => r.key));
      if (probe) {
        // Were the runner inside a transaction on these orders, this write would wait for it (a row lock on
        // Postgres, the one connection on SQLite) and lose the race.
        const ids = requests.map((r) => r.key.split(':')[0] as string);
        const write = inTransaction(app.store, (tx) => tx.updateTable('terminations').set({ updated_at: sql`updated_at` }).where('id', 'in', ids).execute()).then(() => 'written');
        const verdict = await Promise.race([write, sleep(3000).then(() => 'blocked')]);
        if (verdict === 'blocked') heldLocks.push(...ids);
      }
      return requests.map(() => ({ ok: true as const }));
    },
  };
  return { adapter, received, heldLocks };
}

async function ordersFor(app: TestApp, count: number): Promise<string[]> {
  const lines = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn').execute();
  const outcomes = await requestTerminations(app, lines.map((l) => ({ msisdn: l.msisdn, channel: 'bulk' as const, authority: 'operator' as const, actor: operator, effective: { mode: 'now' as const }, confirmNow: true })));
  const created = outcomes.flatMap((o) => (o.kind === 'created' ? [o.termination.reference] : []));
  assert.ok(created.length >= count, `${created.length} orders to execute`);
  return created;
}

for (const kind of storeKinds()) {
  describe(`step runner (${kind.name})`, () => {
    test('an outside HLR is called outside any transaction, once per order, and every order completes', async () => {
      const app = await openTestApp(kind);
      try {
        await seed(app, { customers: 20, seed: 5 });
        const orders = await ordersFor(app, 5);
        const hlr = remoteHlr(app, true);
        await runWorker({ ...app, adapters: { ...app.adapters, network: hlr.adapter } }, { untilIdle: true, deliver: false });
        assert.deepEqual(hlr.heldLocks, [], 'no order was locked while the HLR was called');
        assert.equal(hlr.received.length, orders.length);
        assert.equal(new Set(hlr.received).size, orders.length, 'one call per key');
        const states = await app.store.db.selectFrom('terminations').select('state').where('reference', 'in', orders).execute();
        assert.ok(states.every((s) => s.state === 'completed'));
        const builtin = await app.store.db.selectFrom('network_barrings').select('key').execute();
        assert.equal(builtin.length, 0, 'the built-in HLR was not used');
      } finally {
        await app.close();
      }
    });

    test('a batch mixing SIM and eSIM lines records each order its own answer, in one pass with no retry', async () => {
      const app = await openTestApp(kind);
      try {
        await seed(app, { customers: 40, seed: 5 });
        const orders = await ordersFor(app, 10);
        const kinds = await app.store.db.selectFrom('lines').innerJoin('terminations', 'terminations.line_id', 'lines.id').select(['terminations.reference', 'lines.sim_type']).where('terminations.reference', 'in', orders).execute();
        assert.ok(kinds.some((k) => k.sim_type === 'sim') && kinds.some((k) => k.sim_type === 'esim'), 'the batch mixes both kinds');
        // Counts the recording transactions that reach the eSIM step: one batch, one pass, when nothing is at fault.
        let passes = 0;
        const esim = { release: builtinEsim.release, prepareDownload: builtinEsim.prepareDownload, recordsInStore: async (...args: Parameters<typeof builtinEsim.recordsInStore>) => (passes++, builtinEsim.recordsInStore(...args)) };
        await runWorker({ ...app, adapters: { ...app.adapters, esim } }, { untilIdle: true, deliver: false });
        assert.equal(passes, 1, 'the batch was recorded in one transaction, never split to find a fault');
        const rows = await app.store.db.selectFrom('terminations').select(['id', 'reference', 'state', 'steps']).where('reference', 'in', orders).execute();
        const simType = new Map(kinds.map((k) => [k.reference, k.sim_type]));
        for (const r of rows) {
          assert.equal(r.state, 'completed', r.reference);
          const steps = (typeof r.steps === 'string' ? JSON.parse(r.steps) : r.steps) as { step: string; outcome: string }[];
          const release = steps.find((s) => s.step === 'sim.release');
          assert.match(release?.outcome ?? '', simType.get(r.reference) === 'sim' ? /^sim / : /^esim /, `${r.reference} got its own line's answer`);
        }
        const jobs = await app.store.db.selectFrom('jobs').select(['key', 'attempts']).where('kind', '=', 'termination.execute').execute();
        assert.deepEqual(jobs.filter((j) => Number(j.attempts) !== 1).map((j) => j.key), [], 'no order needed a second attempt');
      } finally {
        await app.close();
      }
    });

    test("one order whose record fails is retried alone; the others' outside calls are not made again", async () => {
      const app = await openTestApp(kind);
      try {
        await seed(app, { customers: 20, seed: 5 });
        const orders = await ordersFor(app, 5);
        const faulty = orders[2] as string;
        const hlr = remoteHlr(app, false);
        let faults = 0;
        let failing = true;
        // A local billing adapter whose record throws for one order, as a constraint or a bad row would.
        const billing: BillingAdapter & RecordsInStore<Parameters<BillingAdapter['settle']>[0][number], { invoiced: number; refunded: number }> = {
          settle: builtinBilling.settle,
          async recordsInStore(tx, requests, answers, at) {
            if (requests.some((r) => r.reference === faulty) && failing) {
              faults++;
              throw new Error(`ledger refused ${faulty}`);
            }
            await builtinBilling.recordsInStore(tx, requests, answers, at);
          },
        };
        const ctx = { ...app, adapters: { ...app.adapters, network: hlr.adapter, billing } };
        await runWorker(ctx, { untilIdle: true, deliver: false });
        assert.ok(faults >= 2, `the batch was split until the order at fault was alone (${faults} faults)`);
        const rows = await app.store.db.selectFrom('terminations').select(['reference', 'state', 'last_error']).where('reference', 'in', orders).execute();
        const others = rows.filter((r) => r.reference !== faulty);
        assert.ok(others.every((r) => r.state === 'completed'), 'the other orders completed in the same run');
        const faultyId = (await app.store.db.selectFrom('terminations').select('id').where('reference', '=', faulty).executeTakeFirstOrThrow()).id;
        const job = await app.store.db.selectFrom('jobs').select(['attempts', 'last_error']).where('key', '=', `execute:${faultyId}`).executeTakeFirstOrThrow();
        assert.match(job.last_error ?? '', /ledger refused/, "the fault is kept on the order's job");
        assert.equal(hlr.received.length, orders.length, 'splitting the batch called the HLR for nobody twice');

        failing = false;
        app.clock.advanceHours(1);
        await runWorker(ctx, { untilIdle: true, deliver: false });
        const retried = await app.store.db.selectFrom('terminations').select('state').where('reference', '=', faulty).executeTakeFirstOrThrow();
        assert.equal(retried.state, 'completed');
        // Its barring answer was rolled back with the failed record, so the retry asks again, with the same key
        // (the HLR acts on a key once); nobody else's barring is asked for again.
        const again = hlr.received.slice(orders.length);
        assert.deepEqual(again, [`${faultyId}:network.bar`]);
      } finally {
        await app.close();
      }
    });
  });
}
