// The preview reads a line, its account, its customer, its eSIM's state and the account's live lines in one
// statement: on every seeded line, on both stores, it must give what the five separate lookups give.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seed } from '../src/seed/seed.ts';
import { esimsByIccid, lineForPreview, linesById, liveLineCounts } from '../src/store/lines.repository.ts';
import { accountsById, customersById } from '../src/store/parties.repository.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`a line and its parties in one read, on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 150, seed: 4 });
      // The demo data gives each account one line: give one account a second, live line and another a terminated one.
      // The second line is a physical SIM whose ICCID an eSIM profile also has: its preview must not take that profile's state.
      const db = app.store.db;
      const [first, second] = await db.selectFrom('lines').selectAll().where('state', '=', 'active').where('sim_type', '=', 'sim').orderBy('id').limit(2).execute();
      const profile = await db.selectFrom('esim_profiles').select('iccid').orderBy('iccid').executeTakeFirst();
      assert.ok(first && second && profile);
      for (const [line, id, msisdn, state, iccid] of [[first, 'ln_second', '+79991112233', 'active', profile.iccid], [second, 'ln_ended', '+79991112244', 'terminated', `${second.iccid}9`]] as const) {
        await db.insertInto('numbers').values({ msisdn, state: state === 'active' ? 'assigned' : 'quarantined', quarantine_until: null, updated_at: line.activated_at }).execute();
        await db.insertInto('lines').values({ ...line, id, msisdn, iccid, state, terminated_at: state === 'active' ? null : line.activated_at }).execute();
      }
    });
    after(() => app.close());

    test('equals the separate lookups for every line: SIM and eSIM, accounts with one line and with several', async () => {
      const db = app.store.db;
      const ids = (await db.selectFrom('lines').select('id').orderBy('id').execute()).map((r) => r.id);
      const lines = await linesById(db, ids);
      const all = [...lines.values()];
      const [accounts, customers, esims, live] = await Promise.all([
        accountsById(db, all.map((l) => l.accountId)),
        customersById(db, all.map((l) => l.customerId)),
        esimsByIccid(db, all.filter((l) => l.simType === 'esim').map((l) => l.iccid)),
        liveLineCounts(db, all.map((l) => l.accountId)),
      ]);
      assert.ok(all.some((l) => l.simType === 'esim') && all.some((l) => l.simType === 'sim'));
      assert.ok([...live.values()].some((n) => n > 1), 'the demo data has accounts with several live lines');
      for (const line of all) {
        assert.deepEqual(await lineForPreview(db, line.id), {
          line,
          account: accounts.get(line.accountId),
          customer: customers.get(line.customerId),
          esimState: line.simType === 'esim' ? (esims.get(line.iccid)?.state ?? null) : null,
          liveLines: live.get(line.accountId) ?? 0,
        });
      }
      assert.equal(await lineForPreview(db, 'ln_nobody'), undefined);
    });
  });
}
