import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { applyDormancy } from '../src/app/dormancy.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`dormancy on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 200, seed: 9 });
    });
    after(() => app.close());

    test('lines near the limit get a notice once; lines past it are ended by the operator, once', async () => {
      const { inactiveDays } = app.policy.dormancy;
      const limit = new Date(Date.parse(app.clock()) - inactiveDays * 86_400_000).toISOString();
      const dormant = await app.store.db.selectFrom('lines').select(['id']).where('state', '=', 'active').where('last_paid_activity_at', '<=', limit).execute();
      assert.ok(dormant.length > 0, 'the demo data has dormant lines');
      const first = await applyDormancy(app);
      assert.ok(first.noticed > 0, 'some lines are in the notice window');
      assert.ok(first.terminated > 0 && first.terminated <= dormant.length);
      const orders = await app.store.db.selectFrom('terminations').select(['reason', 'channel', 'authority']).execute();
      assert.ok(orders.every((o) => o.reason === 'dormancy: no paid activity' && o.channel === 'bulk' && o.authority === 'operator'));
      const notices = (await app.store.db.selectFrom('notifications').select('id').where('template', '=', 'dormancy.notice').execute()).length;
      assert.ok(notices >= first.noticed);
      const second = await applyDormancy(app);
      assert.equal(second.terminated, 0, 'nothing is ordered twice');
      assert.equal((await app.store.db.selectFrom('notifications').select('id').where('template', '=', 'dormancy.notice').execute()).length, notices, 'no notice is sent twice');
      await runWorker(app, { untilIdle: true, deliver: false });
      const ended = await app.store.db.selectFrom('terminations').select('state').where('state', '=', 'completed').execute();
      assert.equal(ended.length, first.terminated);
    });
  });
}
