// A bulk run's batches side by side (two at once on Postgres, src/app/bulk-terminate.ts): when the file's lines share
// accounts across batches, the run ends as the same file run one batch at a time does — every order in the same
// state, every account with the same balance and ledger, each order settled as its own quote said, an unbroken audit
// chain, each order number once.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bulkTerminate } from '../../src/app/bulk-terminate.ts';
import { demoMsisdn, seed } from '../../src/seed/seed.ts';
import { verifyAudit } from '../../src/store/audit.repository.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

const LINES = 60;
const ACCOUNTS = 7;

/** Seeds a store whose lines belong to ACCOUNTS accounts, so consecutive batches of 5 keep meeting the same ones. */
async function sharedAccounts(kind: ReturnType<typeof storeKinds>[number]): Promise<TestApp> {
  const app = await openTestApp(kind, { policy: (p) => ({ ...p, bulk: { batchSize: 5 } }) });
  await seed(app, { customers: LINES, seed: 7 });
  const lines = await app.store.db.selectFrom('lines').select(['id', 'account_id', 'customer_id']).orderBy('id').execute();
  for (const [i, line] of lines.entries()) {
    const owner = lines[i % ACCOUNTS] as (typeof lines)[number];
    await app.store.db.updateTable('lines').set({ account_id: owner.account_id, customer_id: owner.customer_id }).where('id', '=', line.id).execute();
  }
  return app;
}

async function outcome(app: TestApp) {
  const orders = await app.store.db.selectFrom('terminations').select(['msisdn', 'state', 'seq', 'reference', 'quote', 'blockers']).orderBy('msisdn').execute();
  const settled = new Map((await app.store.db.selectFrom('audit_log').select(['reason', 'data']).where('action', '=', 'settled').execute()).map((r) => [r.reason, JSON.parse(r.data ?? '{}') as { invoiced: number; refunded: number }]));
  const accounts = await app.store.db.selectFrom('accounts').select(['id', 'balance']).orderBy('id').execute();
  const ledger = await sql<{ account_id: string; n: number; total: number }>`select account_id, count(*) as n, sum(amount) as total from ledger_entries group by account_id order by account_id`.execute(app.store.db);
  return {
    states: orders.map((o) => `${o.msisdn} ${o.state} ${o.blockers}`),
    // What each order's own quote said against what its settlement did: they were decided in one transaction.
    mismatched: orders.filter((o) => {
      if (o.state !== 'completed') return false;
      const q = JSON.parse(o.quote ?? '{}') as { finalInvoice: number; refund: number };
      const s = settled.get(o.reference);
      return !s || s.invoiced !== q.finalInvoice || s.refunded !== q.refund;
    }).map((o) => o.msisdn),
    seqs: new Set(orders.map((o) => Number(o.seq))).size,
    balances: accounts.map((a) => `${a.id} ${a.balance}`),
    ledger: ledger.rows.map((r) => `${r.account_id} ${Number(r.n)} ${Number(r.total)}`),
  };
}

for (const kind of storeKinds()) {
  describe(`a bulk run in batches side by side on ${kind.name}`, () => {
    const apps: TestApp[] = [];
    after(() => Promise.all(apps.map((a) => a.close())));

    test('lines sharing accounts across batches end as they do one batch at a time', async () => {
      const csv = `msisdn\n${Array.from({ length: LINES }, (_, i) => demoMsisdn(i)).join('\n')}\n`;
      const run = async (lanes: number) => {
        const app = await sharedAccounts(kind);
        apps.push(app);
        const report = await bulkTerminate(app, { csv, actor: { kind: 'staff', id: 'lanes', channel: 'bulk' }, dryRun: false, effective: { mode: 'now' }, reason: 'lanes', lanes });
        assert.equal(report.created + report.skipped, LINES);
        assert.ok(report.completed > LINES / 2, `most orders carried out (${report.completed})`);
        assert.equal((await verifyAudit(app.store.db)).ok, true);
        return { report, ...(await outcome(app)) };
      };
      const oneAtATime = await run(1);
      const sideBySide = await run(2);
      // The batches may take the accounts they share in either order: what each ends with is the same.
      assert.deepEqual(sideBySide.balances, oneAtATime.balances);
      assert.deepEqual(sideBySide.ledger, oneAtATime.ledger);
      assert.deepEqual(sideBySide.report, oneAtATime.report);
      assert.deepEqual(sideBySide.states, oneAtATime.states);
      assert.deepEqual(sideBySide.mismatched, []);
      assert.deepEqual(oneAtATime.mismatched, []);
      assert.equal(sideBySide.seqs, sideBySide.states.length, 'each order has a number of its own');
    });
  });
}
