// Workers are killed with SIGKILL at random moments while they carry out 2,000
// terminations; after restarts every order must be completed exactly once.
// The network step goes to an HLR that is a separate process over HTTP
// (test/support/fake-hlr.ts, which records every request with its key): every
// order's barring must reach it, be acted on once, and precede completion.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { crashBulkRun } from '../bench/bulk-crash.ts';
import { bulkTerminate } from '../src/app/bulk-terminate.ts';
import { adaptersOf } from '../src/config/compose.ts';
import { networkSettingsOf } from '../src/config/integrations/network.ts';
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
const bulkPolicyFile = fileURLToPath(new URL('./fixtures/bulk-crash-policy.yaml', import.meta.url));
const fakeHlr = fileURLToPath(new URL('./support/fake-hlr.ts', import.meta.url));

/** Starts the fake HLR in its own process; resolves with its address once it listens. */
async function startHlr(record: string): Promise<string> {
  const child = spawn(process.execPath, [fakeHlr, record], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /listening (\d+)/.exec(chunk.toString());
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the fake HLR stopped (${code})`)));
  });
  return `http://127.0.0.1:${port}`;
}

for (const kind of storeKinds()) {
  test(`killed workers finish ${ORDERS} terminations exactly once (${kind.name}, ${WORKERS} workers)`, { timeout: 600_000 }, async () => {
    const { url, schema } = kind.fresh();
    const record = join(mkdtempSync(join(tmpdir(), 'simexit-hlr-')), 'received.jsonl');
    const hlrUrl = await startHlr(record);
    // The installation's network is the HLR over HTTP, as for its workers: its orders take the queue, not the fast path.
    const network = networkSettingsOf({}, { hlrUrl }, {}, 1);
    const app = await openTestApp({ name: kind.name, fresh: () => ({ url, schema }) }, { policy: () => loadPolicy(policyFile), adapters: { network: adaptersOf(network).network } });
    app.clock.advanceHours(-24 * 365); // orders are due at once by the workers' real clock
    try {
      await seed(app, { customers: ORDERS, seed: 3 });
      const csv = `msisdn\n${Array.from({ length: ORDERS }, (_, i) => demoMsisdn(i)).join('\n')}\n`;
      const report = await bulkTerminate(app, { csv, actor: { kind: 'staff', id: 'crash-test', channel: 'bulk' }, dryRun: false, effective: { mode: 'now' }, reason: 'crash test' });
      const scheduled = report.scheduled;
      assert.ok(scheduled > ORDERS * 0.95, `most orders are scheduled (${scheduled})`);

      const env = { ...process.env, ...installationEnv(app), SIMEXIT_HLR_URL: hlrUrl, SIMEXIT_DB: url, SIMEXIT_CONFIG: policyFile, ...(schema ? { SIMEXIT_DB_SCHEMA: schema } : {}) };
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
        const before = await remaining();
        const workers: ChildProcess[] = Array.from({ length: WORKERS }, startWorker);
        // Kill at a random moment of their work, not before it begins (a worker takes about a second to start) and not
        // so late that a fast machine has finished: wait until an order has moved, then up to half a second more.
        const started = Date.now();
        while ((await remaining()) >= before && before > 0 && Date.now() - started < 10_000) await sleep(25);
        await sleep(Math.random() * 500);
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

      // Left alone, the workers finish. A call the HLR failed is retried after a backoff, which --until-idle does not wait for: start them again while work remains.
      for (let final = 0; final < 20 && (final === 0 || (await remaining()) > 0); final++) {
        if (final > 0) await sleep(1000);
        const finals = Array.from({ length: WORKERS }, startWorker);
        const codes = await Promise.all(finals.map((w) => new Promise<number | null>((r) => w.once('exit', r))));
        assert.deepEqual(codes, finals.map(() => 0));
      }

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
      await once('certificates', 'reference');

      // The out-of-process HLR: received at least once, acted on exactly once by key, before completion.
      const received = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; msisdn: string; acted: boolean });
      const completed = await db.selectFrom('terminations').select(['id', 'msisdn']).where('state', '=', 'completed').execute();
      const receivedKeys = new Set(received.map((r) => r.key));
      const actedByKey = new Map<string, number>();
      for (const r of received) if (r.acted) actedByKey.set(r.key, (actedByKey.get(r.key) ?? 0) + 1);
      for (const t of completed) {
        const key = `${t.id}:network.bar`;
        assert.ok(receivedKeys.has(key), `the HLR received the barring of ${t.msisdn} before the order completed`);
        assert.equal(actedByKey.get(key), 1, `the HLR acted on ${key} exactly once`);
      }
      assert.ok([...actedByKey.values()].every((n) => n === 1), 'no key acted on twice');
      const actedMsisdns = received.filter((r) => r.acted).map((r) => r.msisdn);
      assert.equal(new Set(actedMsisdns).size, actedMsisdns.length, 'no line barred twice');
      assert.equal(actedMsisdns.length, scheduled, 'one barring per order, none for an order not carried out');
      const builtinBarrings = await db.selectFrom('network_barrings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(builtinBarrings.n), 0, 'the built-in HLR was not used');
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
      process.stderr.write(`# ${kind.name}: ${kills} kills over ${rounds} rounds, ${left} orders left when the killing stopped; the HLR received ${received.length} requests for ${actedMsisdns.length} barrings\n`);
    } finally {
      // A failed or timed-out run must not leave workers behind to load the machine.
      for (const child of children) child.kill('SIGKILL');
      await app.close();
    }
  });
}

// The fast path (a bulk file with local adapters, executed in the transaction that creates each batch):
// `simexit bulk terminate` killed at random moments of its run at least ten times, then run to the end.
for (const kind of storeKinds()) {
  test(`a bulk file's run killed ${KILLS / 2} times finishes on a rerun with nothing lost or repeated (${kind.name})`, { timeout: 600_000 }, async () => {
    const { url, schema } = kind.fresh();
    const result = await crashBulkRun({ lines: 3000, kills: KILLS / 2, db: url, ...(schema ? { schema } : {}), config: bulkPolicyFile, killWithinMs: 40 });
    assert.deepEqual(result.problems, []);
    assert.ok(result.kills >= KILLS / 2, `killed ${result.kills} times while work remained`);
    assert.ok(result.completed > 2800, `${result.completed} orders completed`);
  });
}
