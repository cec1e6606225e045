// The sweep of numbers on a schedule inside the worker (issue 17): quarantines that ended become available, the
// longest-ended first and in batches, never a number a reclaim is taking; one worker at a time holds the lease.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sweepQuarantine } from '../../src/app/inventory-actions.ts';
import { runSweepIfDue, SWEEP_LEASE } from '../../src/app/scheduled-sweep.ts';
import { addDays, addMinutes } from '../../src/domain/time.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { insertRows } from '../../src/store/bulk.ts';
import { inTransaction, openStore } from '../../src/store/database.ts';
import { lockNumber } from '../../src/store/inventory.repository.ts';
import { leaseState, takeLease } from '../../src/store/leases.repository.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const sweep = { intervalMinutes: 60, batchSize: 2, leaseSeconds: 30 };

async function quarantined(app: TestApp, numbers: readonly { msisdn: string; endsInDays: number }[]) {
  const now = app.clock();
  await inTransaction(app.store, (tx) => insertRows(tx, 'numbers', numbers.map((n) => ({ msisdn: n.msisdn, state: 'quarantined', quarantine_until: addDays(now, n.endsInDays), updated_at: now }))));
}

const stateOf = async (app: TestApp, msisdn: string) => (await app.store.db.selectFrom('numbers').select('state').where('msisdn', '=', msisdn).executeTakeFirstOrThrow()).state;

/** The numbers released, in the order the audit recorded them. */
const releasedInOrder = async (app: TestApp, prefix: string) =>
  (await app.store.db.selectFrom('audit_log').select('entity_id').where('entity_type', '=', 'number').where('to_state', '=', 'available').where('entity_id', 'like', `${prefix}%`).orderBy('seq').execute()).map((r) => r.entity_id);

for (const kind of storeKinds()) {
  describe(`scheduled sweep on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind, { policy: (p) => ({ ...p, sweep, dormancy: { ...p.dormancy, enabled: false } }) });
    });
    after(() => app.close());

    test('numbers whose quarantine ended become available, longest-ended first, a batch at a time', async () => {
      await quarantined(app, [
        { msisdn: '+79510000003', endsInDays: -1 },
        { msisdn: '+79510000001', endsInDays: -30 },
        { msisdn: '+79510000005', endsInDays: 365 },
        { msisdn: '+79510000002', endsInDays: -10 },
        { msisdn: '+79510000004', endsInDays: 0 },
      ]);
      const progress: number[] = [];
      assert.equal(await sweepQuarantine(app, { batchSize: 2, onProgress: (n) => progress.push(n) }), 4);
      assert.deepEqual(progress, [2, 4, 4], 'two full batches, then one that finds nothing left');
      const order = await releasedInOrder(app, '+795100000');
      assert.deepEqual(new Set(order.slice(0, 2)), new Set(['+79510000001', '+79510000002']), 'the first batch holds the longest-ended');
      assert.deepEqual(new Set(order.slice(2)), new Set(['+79510000003', '+79510000004']));
      assert.equal(await stateOf(app, '+79510000005'), 'quarantined', 'a quarantine not over yet stays');
      assert.equal(await sweepQuarantine(app), 0, 'a second sweep finds nothing');
    });

    test('a number a reclaim is taking is never released meanwhile', { skip: kind.name === 'sqlite' ? 'SQLite writers take turns: a reclaim commits before or after a sweep, never during' : false }, async () => {
      await quarantined(app, [
        { msisdn: '+79520000001', endsInDays: -3 },
        { msisdn: '+79520000002', endsInDays: -2 },
      ]);
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      let finish!: () => void;
      const reclaimDone = new Promise<void>((resolve) => (finish = resolve));
      const reclaim = inTransaction(app.store, async (tx) => {
        await lockNumber(tx, '+79520000001');
        locked();
        await reclaimDone;
        await tx.updateTable('numbers').set({ state: 'assigned', quarantine_until: null }).where('msisdn', '=', '+79520000001').execute();
      });
      await isLocked;
      const released = await sweepQuarantine(app, { batchSize: 10 });
      assert.equal(released, 1);
      assert.equal(await stateOf(app, '+79520000001'), 'quarantined', 'the number being reclaimed stays quarantined');
      assert.equal(await stateOf(app, '+79520000002'), 'available');
      finish();
      await reclaim;
      assert.equal(await stateOf(app, '+79520000001'), 'assigned', 'the reclaim finds it quarantined and takes it');
    });

    test('of two workers only one sweeps; the next run is due an interval later on the app clock', async () => {
      await quarantined(app, [
        { msisdn: '+79530000001', endsInDays: -2 },
        { msisdn: '+79530000002', endsInDays: -1 },
        { msisdn: '+79530000003', endsInDays: 1 },
      ]);
      // A second installation over the same data, as another worker process would be.
      const otherStore = await openStore(app.storeAt.url, { schema: app.storeAt.schema });
      const other = { ...app, store: otherStore };
      try {
        let holding = 0;
        let most = 0;
        const onHeld = async () => {
          holding++;
          most = Math.max(most, holding);
          await sleep(50); // long enough for the other worker to try while this one holds the lease
          holding--;
        };
        const [a, b] = await Promise.all([runSweepIfDue(app, 'worker-a', { onHeld }), runSweepIfDue(other, 'worker-b', { onHeld })]);
        assert.equal(most, 1, 'never two sweeps at once');
        assert.equal([a, b].filter((r) => r !== null).length, 1, 'exactly one worker swept');
        assert.equal((a ?? b)?.released, 2);
        assert.equal(await runSweepIfDue(other, 'worker-b'), null, 'not due again straight away');
        app.clock.advanceDays(2);
        const later = await runSweepIfDue(other, 'worker-b');
        assert.equal(later?.released, 1, 'due again once the interval passed; the number whose quarantine has since ended goes');
      } finally {
        await otherStore.close();
      }
    });

    test('a worker that stopped renewing its lease is taken over after the lease runs out', async () => {
      app.clock.advanceDays(1);
      const now = app.clock();
      assert.ok(await takeLease(app.store.db, SWEEP_LEASE, 'worker-dead', now, addMinutes(now, 0.5)));
      await quarantined(app, [{ msisdn: '+79540000001', endsInDays: -1 }]);
      assert.equal(await runSweepIfDue(app, 'worker-c'), null, 'held by a worker that may still be working');
      app.clock.advanceHours(1);
      const run = await runSweepIfDue(app, 'worker-c');
      assert.equal(run?.released, 1);
      assert.equal(run?.lost, false);
    });

    test('a worker whose lease was taken over stops before its next batch and leaves the lease to the new holder', async () => {
      app.clock.advanceDays(1);
      await quarantined(app, [
        { msisdn: '+79560000001', endsInDays: -2 },
        { msisdn: '+79560000002', endsInDays: -1 },
      ]);
      const run = await runSweepIfDue(app, 'worker-slow', {
        // While this worker stalls, its lease runs out and another worker takes it.
        onHeld: async () => {
          app.clock.advanceHours(1);
          const now = app.clock();
          assert.ok(await takeLease(app.store.db, SWEEP_LEASE, 'worker-new', now, addMinutes(now, 5)));
        },
      });
      assert.equal(run?.lost, true);
      assert.equal(run?.released, 0, 'nothing swept once the lease was lost');
      assert.equal(await stateOf(app, '+79560000001'), 'quarantined');
      assert.equal((await leaseState(app.store.db, SWEEP_LEASE, app.clock()))?.holder, 'worker-new');
      app.clock.advanceHours(1);
      assert.equal((await runSweepIfDue(app, 'worker-new'))?.released, 2, 'the new holder sweeps them');
    });

    test('the worker runs the sweep when asked; dormancy runs only when enabled', async () => {
      app.clock.advanceDays(1);
      await quarantined(app, [{ msisdn: '+79550000001', endsInDays: -1 }]);
      const totals = await runWorker(app, { untilIdle: true, sweep: true, deliver: false });
      assert.equal(totals.numbersReleased, 1);
      assert.equal(await stateOf(app, '+79550000001'), 'available');
      assert.equal((await runWorker(app, { untilIdle: true, deliver: false })).numbersReleased, 0, 'a run until idle does not sweep unless asked');
    });
  });
}

describe('scheduled sweep and dormancy', () => {
  test('the scheduled run applies dormancy when enabled and leaves it alone when not', async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    for (const enabled of [false, true]) {
      const app = await openTestApp(sqlite, { policy: (p) => ({ ...p, sweep, dormancy: { ...p.dormancy, enabled } }) });
      try {
        await seed(app, { customers: 30, seed: 3 });
        const run = await runSweepIfDue(app, 'worker-d');
        const notices = await app.store.db.selectFrom('notifications').select('id').where('template', '=', 'dormancy.notice').execute();
        if (enabled) {
          assert.ok((run?.dormancy?.noticed ?? 0) + (run?.dormancy?.terminated ?? 0) > 0, 'dormant lines are acted on');
        } else {
          assert.deepEqual([run?.dormancy?.noticed, run?.dormancy?.terminated, notices.length], [0, 0, 0], 'nothing done while dormancy is off');
        }
      } finally {
        await app.close();
      }
    }
  });
});
