// npm run bench:bulk-crash -- [--lines 1000000] [--kills 10] [--db URL] [--json]
// The fast path under SIGKILL: seeds N lines, runs `simexit bulk terminate`
// on a file of all of them in a child process and kills it (SIGKILL) at
// random moments while it works, at least K times, then runs the same file
// to the end and checks that no order, audit entry, ledger entry or message
// was lost or repeated (checkBulkRun). test/crash.test.ts runs it small.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import type { AppContext } from '../src/app/context.ts';
import { loadCertificateKeys } from '../src/certificates/keys.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { EXECUTION_STEPS } from '../src/domain/termination.ts';
import { demoMsisdn, seed } from '../src/seed/seed.ts';
import { verifyAudit } from '../src/store/audit.repository.ts';
import { migrate, openStore, type Store } from '../src/store/database.ts';

const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));

export interface CrashRun {
  readonly lines: number;
  readonly kills: number;
  readonly runs: number;
  readonly seconds: number;
  readonly completed: number;
  readonly problems: string[];
}

const count = async (store: Store, text: string): Promise<number> => Number((await sql<{ n: number }>`${sql.raw(text)}`.execute(store.db)).rows[0]?.n ?? 0);

/**
 * What must hold after a bulk file ran, however often its runs were killed:
 * one order per number of the file, every order carried out has each step and
 * each audit transition once, one settlement per order, each message once,
 * one certificate per completed order, and an unbroken audit chain. Returns
 * the problems found (none: the run lost and repeated nothing).
 */
export async function checkBulkRun(store: Store, lines: number): Promise<{ completed: number; problems: string[] }> {
  const problems: string[] = [];
  const say = (ok: boolean, what: string) => ok || problems.push(what);
  const orders = await count(store, 'select count(*) as n from terminations');
  say(orders === lines, `${orders} orders for ${lines} numbers`);
  say((await count(store, 'select count(distinct bulk_key) as n from terminations')) === orders, 'two orders carry the same line of the file');
  const completed = await count(store, "select count(*) as n from terminations where state = 'completed'");
  say(completed > lines * 0.95, `only ${completed} of ${lines} orders completed`);
  say((await count(store, "select count(*) as n from terminations where state in ('scheduled', 'executing')")) === 0, 'orders were left half done');
  const stepsOk = (await sql<{ steps: string }>`select steps from terminations where state = 'completed'`.execute(store.db)).rows.every(
    (r) => (JSON.parse(r.steps) as { step: string }[]).map((s) => s.step).join() === EXECUTION_STEPS.join(),
  );
  say(stepsOk, 'a completed order does not have each step exactly once');
  const repeatedTransitions = await count(
    store,
    "select count(*) as n from (select entity_id, from_state, to_state from audit_log where entity_type = 'termination' group by entity_id, from_state, to_state having count(*) > 1) x",
  );
  say(repeatedTransitions === 0, `${repeatedTransitions} order transitions recorded twice`);
  const completedEntries = await count(store, "select count(*) as n from audit_log where entity_type = 'termination' and to_state = 'completed'");
  say(completedEntries === completed, `${completedEntries} "completed" audit entries for ${completed} completed orders`);
  const lineEntries = await count(store, "select count(*) as n from audit_log where entity_type = 'line' and to_state = 'terminated'");
  say(lineEntries === completed, `${lineEntries} "line terminated" entries for ${completed} orders`);
  const settled = await count(store, "select count(*) as n from audit_log where entity_type = 'account' and action = 'settled'");
  say(settled === completed, `${settled} settlements audited for ${completed} orders`);
  const ledgerTwice = await count(store, 'select count(*) as n from (select key from ledger_entries where key is not null group by key having count(*) > 1) x');
  say(ledgerTwice === 0, `${ledgerTwice} ledger entries written twice`);
  const ledgerRefs = await count(store, "select count(distinct reference) as n from ledger_entries where reference like 'TRM-%'");
  say(ledgerRefs <= completed, `ledger entries for ${ledgerRefs} orders, more than the ${completed} carried out`);
  const messagesTwice = await count(store, 'select count(*) as n from (select key from notifications group by key having count(*) > 1) x');
  say(messagesTwice === 0, `${messagesTwice} messages written twice`);
  const completedMails = await count(store, "select count(distinct subject_ref) as n from notifications where template = 'termination.completed'");
  const withEmail = await count(store, "select count(*) as n from terminations t join customers c on c.id = t.customer_id where t.state = 'completed' and c.email is not null");
  say(completedMails === withEmail, `${completedMails} orders have their "completed" e-mail, ${withEmail} should`);
  const certificates = await count(store, 'select count(*) as n from certificates');
  say(certificates === completed, `${certificates} certificates for ${completed} completed orders`);
  say((await count(store, 'select count(*) as n from certificates where signature is null')) === 0, 'a certificate is unsigned');
  const verdict = await verifyAudit(store.db);
  say(verdict.ok, verdict.ok ? '' : `the audit chain is broken at entry ${verdict.firstBadSeq}: ${verdict.problem}`);
  return { completed, problems };
}

/** Seeds `lines` lines into a fresh store, kills `simexit bulk terminate` at least `kills` times mid-run, then lets it finish. */
export async function crashBulkRun(options: { lines: number; kills: number; db?: string; schema?: string; config?: string; killWithinMs?: number; log?: (text: string) => void }): Promise<CrashRun> {
  const log = options.log ?? (() => undefined);
  const folder = mkdtempSync(join(tmpdir(), 'simexit-bulk-crash-'));
  const url = options.db ?? `sqlite:${join(folder, 'crash.db')}`;
  const store = await openStore(url, url.startsWith('postgres') ? { schema: options.schema } : {});
  const children = new Set<ChildProcess>();
  const onExit = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', onExit);
  try {
    await migrate(store);
    const keyFile = join(folder, 'certificate.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const secrets = randomInstallationSecrets();
    const policy = loadPolicy(options.config, { fallback: 'http://localhost:8080' });
    const ctx: AppContext = { store, policy, adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets, keys: loadCertificateKeys({ keyFile, demoFolder: '', demo: false }) };
    log(`seeding ${options.lines} lines…`);
    await seed(ctx, { customers: options.lines, seed: 5 });
    const file = join(folder, 'numbers.csv');
    writeFileSync(file, `msisdn\n${Array.from({ length: options.lines }, (_, i) => demoMsisdn(i)).join('\n')}\n`);
    const env = {
      ...process.env,
      SIMEXIT_DB: url,
      ...(options.schema ? { SIMEXIT_DB_SCHEMA: options.schema } : {}),
      SIMEXIT_DOCUMENT_KEY: secrets.documentKey,
      SIMEXIT_REFERENCE_KEY: secrets.referenceKey,
      SIMEXIT_CERT_KEY: keyFile,
      SIMEXIT_SITE_URL: policy.operator.siteUrl,
      SIMEXIT_DEMO: '0',
      ...(options.config ? { SIMEXIT_CONFIG: options.config } : {}),
    };
    const orders = () => count(store, 'select count(*) as n from terminations');
    const start = () => {
      const child = spawn(process.execPath, [bin, 'bulk', 'terminate', '--file', file, '--json'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      children.add(child);
      const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => (children.delete(child), resolve({ code, stderr }))));
      return { child, exited };
    };
    const started = performance.now();
    let kills = 0;
    let runs = 0;
    while (kills < options.kills && (await orders()) < options.lines && runs < options.kills * 5) {
      runs++;
      const before = await orders();
      const run = start();
      // Kill it while it works: once it has committed a batch of this run, after a random further moment.
      let done = false;
      void run.exited.then(() => (done = true));
      while (!done && (await orders()) === before) await sleep(20);
      await sleep(Math.random() * (options.killWithinMs ?? 400));
      const killed = !done && run.child.kill('SIGKILL');
      if (killed) kills++;
      await run.exited;
      log(`run ${runs}: ${killed ? 'killed' : 'finished'} at ${await orders()} of ${options.lines} orders`);
    }
    runs++;
    const last = await start().exited;
    if (last.code !== 0) throw new Error(`the final run failed (${last.code}): ${last.stderr}`);
    const seconds = (performance.now() - started) / 1000;
    const { completed, problems } = await checkBulkRun(store, options.lines);
    return { lines: options.lines, kills, runs, seconds: +seconds.toFixed(1), completed, problems };
  } finally {
    process.removeListener('exit', onExit);
    onExit();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, kills: { type: 'string', default: '10' }, db: { type: 'string' }, json: { type: 'boolean' } } });
  const schema = values.db?.startsWith('postgres') ? `crash_${Date.now().toString(36)}` : undefined;
  const result = await crashBulkRun({ lines: Number(values.lines), kills: Number(values.kills), ...(values.db ? { db: values.db } : {}), ...(schema ? { schema } : {}), log: (t) => values.json || process.stderr.write(`${t}\n`) });
  if (schema && values.db) {
    const store = await openStore(values.db, { schema });
    await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
    await store.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.problems.length === 0 && result.kills >= Number(values.kills) ? 0 : 1;
}
