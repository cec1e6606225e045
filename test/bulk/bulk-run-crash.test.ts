// The bulk page's run is killed and resumed: a real server (bin/simexit serve, a child process) runs a file of
// a few thousand numbers; it is killed with SIGKILL mid-run, twice, and started again. The run finishes by
// itself, every number is ordered and ended exactly once, nothing is repeated, and a page following the run
// (its server-sent events) sees it continue after the restart, reconnecting with Last-Event-ID.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadPolicy } from '../../src/config/load-config.ts';
import { seed } from '../../src/seed/seed.ts';
import { installationEnv, openTestApp, storeKinds } from '../support/stores.ts';

const NUMBERS = 3000;
const KILLS = 2;
const bin = fileURLToPath(new URL('../../bin/simexit', import.meta.url));
const policyFile = fileURLToPath(new URL('../fixtures/bulk-run-policy.yaml', import.meta.url));

const children = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** `simexit serve` (API and worker) on `port`; resolves once it listens. */
function serve(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
    serverErrors += c.toString();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/listening on http/.test(out)) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}): ${err}`)));
  });
}

const killed = (child: ChildProcessWithoutNullStreams) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
/** What the servers said on standard error, for a failure's message. */
let serverErrors = '';

interface Run {
  id: string;
  state: string;
  done: number;
  total: number;
  report: { created: number; scheduled: number; skipped: number; failed: number; skippedBy: { earlierRun: number } };
}

/**
 * A page following the run: reads its events, and when the stream breaks (the server died) connects again,
 * naming the last event it got, until the run is finished. Counts how often it had to come back.
 */
function follow(base: string, id: string, auth: Record<string, string>) {
  const seen: number[] = [];
  let reconnects = 0;
  let lastId: string | null = null;
  const done = (async () => {
    for (;;) {
      try {
        const r = await fetch(`${base}/api/v1/staff/bulk-runs/${id}/events`, { headers: { ...auth, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) } });
        if (r.ok && r.body) {
          const reader = r.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            buffer += decoder.decode(chunk.value, { stream: true });
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = /^event: (\w+)$/m.exec(block)?.[1];
              const eventId = /^id: (\d+)$/m.exec(block)?.[1];
              if (eventId) lastId = eventId;
              if (event === 'progress' || event === 'finished') seen.push(Number(eventId));
              if (event === 'finished') return;
            }
          }
        }
      } catch {
        // The server is down: the page tries again.
      }
      reconnects++;
      await sleep(200);
    }
  })();
  return { seen, reconnects: () => reconnects, done };
}

for (const kind of storeKinds()) {
  test(`a bulk run of ${NUMBERS} numbers survives its server killed ${KILLS} times mid-run and ends every number once (${kind.name})`, { timeout: 600_000 }, async () => {
    const { url, schema } = kind.fresh();
    const app = await openTestApp({ name: kind.name, fresh: () => ({ url, schema }) }, { policy: () => loadPolicy(policyFile) });
    app.clock.advanceHours(-24 * 365); // the orders are due at once by the server's real clock
    let server: ChildProcessWithoutNullStreams | undefined;
    const timers = new AbortController();
    try {
      await seed(app, { customers: NUMBERS + 150, seed: 5 });
      const lines = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn').limit(NUMBERS).execute();
      assert.equal(lines.length, NUMBERS);
      const csv = `msisdn,reason\n${lines.map((l) => `${l.msisdn},regulator`).join('\n')}\n`;

      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { ...process.env, ...installationEnv(app), SIMEXIT_DB: url, SIMEXIT_CONFIG: policyFile, ...(schema ? { SIMEXIT_DB_SCHEMA: schema } : {}) };
      server = await serve(port, env);
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'backoffice', password: 'demo1234' }) });
      assert.equal(login.status, 200);
      const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
      const readRun = async (id: string) => (await (await fetch(`${base}/api/v1/staff/bulk-runs/${id}`, { headers: auth })).json()) as Run;

      const started = await fetch(`${base}/api/v1/staff/bulk-runs?fileName=regulator.csv`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
      assert.equal(started.status, 202);
      const { run } = (await started.json()) as { run: Run };
      const page = follow(base, run.id, auth);

      // Killed each time the run has moved on since the last start, while rows remain. The store is read directly
      // (the server may be too busy to answer while it works), so the kill lands just after a chunk committed.
      const stored = async () => app.store.db.selectFrom('bulk_runs').select(['next_seq', 'state']).where('id', '=', run.id).executeTakeFirstOrThrow();
      const doneAtKill: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        const from = kill === 0 ? 0 : (doneAtKill[kill - 1] as number);
        let now = await stored();
        while (Number(now.next_seq) <= from && now.state === 'running') {
          await sleep(2);
          now = await stored();
        }
        await killed(server);
        assert.equal(now.state, 'running', `the run was still going when the server was killed (${now.next_seq} of ${NUMBERS})`);
        doneAtKill.push(Number(now.next_seq));
        server = await serve(port, env);
      }

      // Bounded waits, so a run that never finishes fails with what it reached instead of hanging.
      const limit = (what: string, ms: number) =>
        sleep(ms, undefined, { signal: timers.signal }).then(
          async () => assert.fail(`${what} within ${ms / 1000} s: ${JSON.stringify(await readRun(run.id).catch((e: unknown) => String(e)))}; server exit ${server?.exitCode ?? server?.signalCode}; stderr: ${serverErrors.slice(-2000)}`),
          () => undefined,
        );
      await Promise.race([page.done, limit('the run finished and the page saw it', 240_000)]);
      const finished = await readRun(run.id);
      assert.deepEqual([finished.state, finished.done], ['finished', NUMBERS]);
      assert.ok(page.reconnects() >= KILLS, `the page reconnected after each kill (${page.reconnects()})`);
      assert.ok(page.seen.some((n) => n > (doneAtKill.at(-1) as number)), 'the page saw the run continue after the last restart');
      assert.equal(page.seen.at(-1), NUMBERS);
      assert.equal(finished.report.skippedBy.earlierRun, 0, 'no chunk was done twice');
      assert.equal(finished.report.created + finished.report.skipped + finished.report.failed, NUMBERS);

      const db = app.store.db;
      const results = await db.selectFrom('bulk_run_results').select(['msisdn', (eb) => eb.fn.countAll().as('n')]).where('run_id', '=', run.id).groupBy('msisdn').execute();
      assert.equal(results.length, NUMBERS, 'an outcome for every number');
      assert.ok(results.every((r) => Number(r.n) === 1), 'one outcome per number');
      const orders = await db.selectFrom('terminations').select(['line_id', (eb) => eb.fn.countAll().as('n')]).where('bulk_key', 'is not', null).groupBy('line_id').execute();
      assert.equal(orders.length, finished.report.created);
      assert.ok(orders.every((o) => Number(o.n) === 1), 'one order per line');

      // The server's worker carries the orders out: each scheduled one completes, each exactly once.
      const open = async () => Number((await db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).where('state', 'in', ['scheduled', 'executing']).executeTakeFirstOrThrow()).n);
      const executed = (async () => {
        while ((await open()) > 0) await sleep(250);
      })();
      await Promise.race([executed, limit('every scheduled order carried out', 300_000)]);
      const completed = await db.selectFrom('audit_log').select(['entity_id', (eb) => eb.fn.countAll().as('n')]).where('entity_type', '=', 'termination').where('to_state', '=', 'completed').groupBy('entity_id').execute();
      assert.equal(completed.length, finished.report.scheduled, 'every scheduled order completed');
      assert.ok(completed.every((c) => Number(c.n) === 1), 'none completed twice');
      const certificates = await db.selectFrom('certificates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(certificates.n), finished.report.scheduled, 'one certificate per ended line');
    } finally {
      timers.abort();
      if (server) await killed(server);
      await app.close();
    }
  });
}
