// npm run bench:bulk -- --lines N [--shuffle] [--db URL] [--json]
// Seeds N lines, terminates all of them from a bulk file through the real
// engine (preview, confirmation, every execution step, certificates signed
// with a key made for the run, messages, audit), then writes the same rows
// again into an empty copy of the schema by plain prebuilt statements
// (bench/raw-baseline.ts), and prints {"lines","seconds","linesPerSecond",
// "rawSeconds","rawRatio"}, plus rawLinesPerSecond: the lines/s that writing
// those rows alone reaches, a ceiling no engine writing them can pass here.
// --shuffle feeds the file in random order, as a regulator's list comes.
// --deliver [--attach] then delivers every message of the run through the file outbox (bench/deliver-measure.ts).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import { bulkTerminate } from '../src/app/bulk-terminate.ts';
import type { AppContext } from '../src/app/context.ts';
import { loadCertificateKeys } from '../src/certificates/keys.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { countRows, rawBaseline } from './raw-baseline.ts';
import { measureDelivery } from './deliver-measure.ts';
import { demoMsisdn, seed } from '../src/seed/seed.ts';
import { migrate, openStore } from '../src/store/database.ts';
import { resetSqlProfile, startSqlProfile } from '../src/store/sql-profile.ts';
import { rowsWritten } from '../src/store/write-counter.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000' }, db: { type: 'string' }, json: { type: 'boolean' }, shuffle: { type: 'boolean' }, deliver: { type: 'boolean' }, attach: { type: 'boolean' } } });
const lines = Number(values.lines);
const schema = `bench_${Date.now().toString(36)}`;
// A store of its own in a temporary folder unless --db names one; removed at the end (a 1M-line store takes several GB),
// as is the schema it works in on Postgres.
const scratch = values.db ? undefined : mkdtempSync(join(tmpdir(), 'simexit-bench-'));
const url = values.db ?? `sqlite:${join(scratch as string, 'bench.db')}`;
// SIMEXIT_SQL_PROFILE=1 times each statement shape, as on any simexit command (the bench builds its own context).
if (process.env.SIMEXIT_SQL_PROFILE) startSqlProfile();
const store = await openStore(url, url.startsWith('postgres') ? { schema } : {});
await migrate(store);
const base = loadPolicy(undefined, { override: process.env.SIMEXIT_SITE_URL, fallback: 'http://localhost:8080' });
const policy = { ...base, worker: { ...base.worker, batchSize: Number(process.env.BENCH_BATCH ?? 2000) } };
// The certificate key set, as in production: every certificate of the run is signed in the run.
const keyFile = join(scratch ?? mkdtempSync(join(tmpdir(), 'simexit-bench-key-')), 'certificate-ed25519.pem');
writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const keys = loadCertificateKeys({ keyFile, demoFolder: '', demo: false });
const ctx: AppContext = { store, policy, adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets(), keys };
const log = (text: string) => values.json || process.stderr.write(`${text}\n`);

log(`seeding ${lines} lines on ${store.dialect}…`);
await seed(ctx, { customers: lines, seed: 1 });
const numbers = Array.from({ length: lines }, (_, i) => demoMsisdn(i));
// --shuffle: the file in random order, as a regulator's list comes (seeded, so runs compare).
if (values.shuffle) {
  let state = 42;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = numbers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j] as string, numbers[i] as string];
  }
}
const csv = `msisdn\n${numbers.join('\n')}\n`;

const TABLES = (await sql<{ name: string }>`${sql.raw(store.dialect === 'postgres' ? `select table_name as name from information_schema.tables where table_schema = '${schema}' and table_type = 'BASE TABLE'` : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'")}`.execute(store.db)).rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_'));
const beforeCounts = await countRows(store, TABLES);
resetSqlProfile();
const before = rowsWritten.count;
const started = performance.now();
const report = await bulkTerminate(ctx, { csv, actor: { kind: 'staff', id: 'bench', channel: 'bulk' }, dryRun: false, effective: { mode: 'now' }, reason: 'benchmark' });
const totals = await runWorker(ctx, { untilIdle: true, deliver: false });
const seconds = (performance.now() - started) / 1000;
const engineRows = rowsWritten.count - before;
const completed = report.completed + totals.completed;
log(`engine: ${report.created} orders, ${completed} completed (${report.completed} in the run itself), ${engineRows} rows written in ${seconds.toFixed(1)} s`);

// The ceiling: the same rows written again, into an empty copy of the same schema, by plain prebuilt statements.
const rawStore = await openStore(store.dialect === 'postgres' ? url : `sqlite:${join(scratch ?? tmpdir(), `raw-${schema}.db`)}`, store.dialect === 'postgres' ? { schema: `${schema}_raw` } : {});
await migrate(rawStore);
const after = await countRows(store, TABLES);
const grown = TABLES.filter((t) => (after.get(t) ?? 0) > (beforeCounts.get(t) ?? 0));
const raw = await rawBaseline(store, rawStore, grown);
const rawSeconds = raw.seconds;
await rawStore.close();
const delivery = values.deliver ? await measureDelivery(ctx, { attach: values.attach ?? false, log }) : undefined;
if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade; drop schema "${schema}_raw" cascade`).execute(store.db);
await store.close();
if (scratch) rmSync(scratch, { recursive: true, force: true });
const result = { lines, seconds: +seconds.toFixed(3), linesPerSecond: Math.round(completed / seconds), rawSeconds: +rawSeconds.toFixed(3), rawRatio: +(rawSeconds / seconds).toFixed(3), rawLinesPerSecond: Math.round(completed / rawSeconds), rawMicrosecondsPerRow: +((1e6 * rawSeconds) / raw.rows).toFixed(2), rawRows: raw.rows, rowsWritten: engineRows, rowsPerLine: +(engineRows / lines).toFixed(1), store: store.dialect, completed, ...delivery };
process.stdout.write(`${JSON.stringify(result)}\n`);
