import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applyDormancy } from '../src/app/dormancy.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const DAY = 86_400_000;

for (const kind of storeKinds()) {
  describe(`dormancy on ${kind.name}`, () => {
    let app: TestApp;
    let active: number;
    const notices = async () => app.store.db.selectFrom('notifications').select(['key', 'payload', 'state']).where('template', '=', 'dormancy.notice').execute();
    const orders = async () => app.store.db.selectFrom('terminations').select(['reason', 'channel', 'authority', 'state']).execute();
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 200, seed: 9 });
      // Every active line is already far past the limit, as if the rule were switched on over an old base.
      await app.store.db.updateTable('lines').set({ last_paid_activity_at: new Date(Date.parse(app.clock()) - 400 * DAY).toISOString() }).where('state', '=', 'active').execute();
      active = (await app.store.db.selectFrom('lines').select('id').where('state', '=', 'active').execute()).length;
    });
    after(() => app.close());

    test('a base where every line is past the limit gets only notices on the first run, with an end date counted from now', async () => {
      const start = Date.parse(app.clock());
      const first = await applyDormancy(app);
      assert.equal(first.terminated, 0, 'no line is ended without notice');
      assert.equal(first.noticed, active, 'every line gets its first notice');
      assert.equal((await orders()).length, 0);
      const sent = await notices();
      assert.ok(sent.length >= active);
      for (const n of sent) {
        const { terminationAt } = JSON.parse(n.payload) as { terminationAt: string };
        assert.equal(Date.parse(terminationAt), start + 30 * DAY, 'the end is the longest notice period from the first notice, not in the past');
      }
      const again = await applyDormancy(app);
      assert.deepEqual([again.noticed, again.terminated], [0, 0], 'a second run the same day does nothing: counts are this run’s');
      assert.equal((await notices()).length, sent.length, 'no notice is sent twice');
    });

    test('lines whose notices were never delivered are not ended, however late', async () => {
      app.clock.advanceDays(100);
      const late = await applyDormancy(app);
      assert.equal(late.terminated, 0);
      assert.equal(late.noticed, active, 'the 7-day notice goes out (late, so it gives its 7 days)');
      const waiting = await applyDormancy(app, { dryRun: true });
      assert.deepEqual([waiting.noticed, waiting.terminated, waiting.waiting], [0, 0, active]);
      assert.ok(waiting.entries.every((e) => e.action === 'wait' && e.waitingFor === 'delivery'));
      assert.equal((await orders()).length, 0);
    });

    test('once every notice was sent its days ahead, the lines are ended by the operator, once', async () => {
      await runWorker(app, { untilIdle: true, deliver: true });
      const deliveredAt = Date.parse(app.clock());
      assert.ok((await notices()).every((n) => n.state === 'sent'));
      // Delivered now: the 30-day notice now counts from today, so the end is 30 days from delivery.
      app.clock.advanceDays(29);
      const early = await applyDormancy(app);
      assert.deepEqual([early.noticed, early.terminated], [0, 0]);
      app.clock.advanceDays(1);
      assert.ok(Date.parse(app.clock()) >= deliveredAt + 30 * DAY);
      const due = await applyDormancy(app);
      assert.equal(due.noticed, 0);
      assert.ok(due.terminated > 0 && due.terminated <= active);
      const made = await orders();
      assert.equal(made.length, due.terminated);
      assert.ok(made.every((o) => o.reason === 'dormancy: no paid activity' && o.channel === 'bulk' && o.authority === 'operator'));
      const second = await applyDormancy(app);
      assert.equal(second.terminated, 0, 'nothing is ordered twice');
      const scheduled = made.filter((o) => o.state === 'scheduled').length;
      assert.ok(scheduled > 0);
      await runWorker(app, { untilIdle: true, deliver: false });
      assert.equal((await orders()).filter((o) => o.state === 'completed').length, scheduled, 'every scheduled order is carried out (a port-out keeps its order blocked)');
    });
  });
}
