// Workers are killed with SIGKILL at random moments while they carry out 2,000
// terminations; after restarts every order must be completed exactly once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { bulkTerminate } from '../src/app/bulk-terminate.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { demoMsisdn, seed } from '../src/seed/seed.ts';
import { verifyAudit } from '../src/store/audit.repository.ts';
import { installationEnv, openTestApp, storeKinds } from './support/stores.ts';

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const ORDERS = 2000;
const KILLS = 20;
const WORKERS = 2;
const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));
const policyFile = fileURLToPath(new URL('./fixtures/crash-policy.yaml', import.meta.url));

for (const kind of storeKinds()) {
  test(`killed workers finish ${ORDERS} terminations exactly once (${kind.name}, ${WORKERS} workers)`, { timeout: 600_000 }, async () => {
    const { url, schema } = kind.fresh();
    const app = await openTestApp({ name: kind.name, fresh: () => ({ url, schema }) }, { policy: () => loadPolicy(policyFile) });
    app.clock.advanceHours(-24 * 365); // orders are due at once by the workers' real clock
    try {
      await seed(app, { customers: ORDERS, seed: 3 });
      const csv = `msisdn\n${Array.from({ length: ORDERS }, (_, i) => demoMsisdn(i)).join('\n')}\n`;
      const report = await bulkTerminate(app, { csv, actor: { kind: 'staff', id: 'crash-test', channel: 'bulk' }, dryRun: false, effective: { mode: 'now' }, reason: 'crash test' });
      const scheduled = report.scheduled;
      assert.ok(scheduled > ORDERS * 0.95, `most orders are scheduled (${scheduled})`);

      const env = { ...process.env, ...installationEnv(app), SIMEXIT_DB: url, SIMEXIT_CONFIG: policyFile, ...(schema ? { SIMEXIT_DB_SCHEMA: schema } : {}) };
      const remaining = async () =>
        Number((await app.store.db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).where('state', 'in', ['scheduled', 'executing']).executeTakeFirstOrThrow()).n);
      const startWorker = () => {
        const child = spawn(process.execPath, [bin, 'worker', '--until-idle', '--no-deliver'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        children.add(child);
        child.once('exit', () => children.delete(child));
        return child;
      };
      let kills = 0;
      let rounds = 0;
      while (kills < KILLS && rounds < 200) {
        rounds++;
        const workers: ChildProcess[] = Array.from({ length: WORKERS }, startWorker);
        await sleep(200 + Math.random() * 400);
        if ((await remaining()) === 0) {
          for (const w of workers) w.kill('SIGKILL');
          break;
        }
        for (const w of workers) {
          if (w.exitCode === null && w.kill('SIGKILL')) kills++;
        }
        await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : undefined)));
      }
      assert.ok(kills >= KILLS, `workers were killed ${kills} times while work remained`);
      const left = await remaining();
      assert.ok(left > 0 || kills >= KILLS);

      const finals = Array.from({ length: WORKERS }, startWorker);
      const codes = await Promise.all(finals.map((w) => new Promise<number | null>((r) => w.once('exit', r))));
      assert.deepEqual(codes, finals.map(() => 0));

      const db = app.store.db;
      const states = await db.selectFrom('terminations').select(['state', (eb) => eb.fn.countAll().as('n')]).groupBy('state').execute();
      const byState = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
      assert.equal(byState.completed, scheduled, `every scheduled order completed: ${JSON.stringify(byState)}`);

      for (const t of await db.selectFrom('terminations').select(['reference', 'steps']).where('state', '=', 'completed').execute()) {
        const steps = (JSON.parse(t.steps) as { step: string }[]).map((s) => s.step);
        assert.deepEqual(steps, ['network.bar', 'sim.release', 'billing.settle', 'number.quarantine', 'notify.completed'], t.reference);
      }
      const once = async (table: 'network_barrings' | 'certificates', column: 'msisdn' | 'reference') => {
        const rows = await db.selectFrom(table).select([column, (eb) => eb.fn.countAll().as('n')]).groupBy(column).execute();
        assert.equal(rows.length, scheduled, `${table}: one per order`);
        assert.ok(rows.every((r) => Number(r.n) === 1), `${table}: never twice`);
      };
      await once('network_barrings', 'msisdn');
      await once('certificates', 'reference');
      const transitions = await db
        .selectFrom('audit_log')
        .select(['entity_id', 'to_state', (eb) => eb.fn.countAll().as('n')])
        .where('entity_type', '=', 'termination')
        .where('to_state', 'in', ['executing', 'completed'])
        .groupBy(['entity_id', 'to_state'])
        .execute();
      assert.equal(transitions.length, scheduled * 2);
      assert.ok(transitions.every((r) => Number(r.n) === 1), 'each order entered executing and completed exactly once');
      const completedMessages = await db.selectFrom('notifications').select(['key', (eb) => eb.fn.countAll().as('n')]).where('template', '=', 'termination.completed').groupBy('key').execute();
      assert.ok(completedMessages.every((m) => Number(m.n) === 1));
      const invoices = await db.selectFrom('ledger_entries').select(['reference', 'kind', (eb) => eb.fn.countAll().as('n')]).where('kind', 'in', ['invoice', 'refund']).groupBy(['reference', 'kind']).execute();
      assert.ok(invoices.every((r) => Number(r.n) === 1), 'no ledger entry posted twice');
      const drift = await db
        .selectFrom('accounts')
        .leftJoin('ledger_entries', 'ledger_entries.account_id', 'accounts.id')
        .select(['accounts.id', 'accounts.balance', (eb) => eb.fn.sum<number>('ledger_entries.amount').as('moved')])
        .groupBy(['accounts.id', 'accounts.balance'])
        .execute();
      const opening = new Map((await db.selectFrom('accounts').select(['id']).execute()).map((a) => [a.id, 0]));
      assert.equal(drift.length, opening.size);
      const numbers = await db.selectFrom('numbers').select(['state', (eb) => eb.fn.countAll().as('n')]).groupBy('state').execute();
      assert.equal(Number(numbers.find((n) => n.state === 'quarantined')?.n ?? 0), scheduled);
      assert.equal((await verifyAudit(db)).ok, true);
      process.stderr.write(`# ${kind.name}: ${kills} kills over ${rounds} rounds, ${left} orders left when the killing stopped\n`);
    } finally {
      // A failed or timed-out run must not leave workers behind to load the machine.
      for (const child of children) child.kill('SIGKILL');
      await app.close();
    }
  });
}
