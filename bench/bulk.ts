// npm run bench:bulk -- --lines N [--db URL] [--json] [--deliver [--attach]]
// Seeds N lines, terminates all of them through the real engine (preview,
// confirmation, every execution step, audit), then writes as many rows as the
// engine wrote with plain batched inserts into a scratch table on the same
// store, and prints {"lines","seconds","linesPerSecond","rawSeconds","rawRatio"}, plus
// rawLinesPerSecond: the lines/s that plain inserts of the same rows alone would allow,
// a ceiling no engine writing those rows can pass on this machine.
// --deliver then delivers every message of the run through the file outbox (bench/deliver-measure.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import { bulkTerminate } from '../src/app/bulk-terminate.ts';
import type { AppContext } from '../src/app/context.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { measureDelivery } from './deliver-measure.ts';
import { demoMsisdn, seed } from '../src/seed/seed.ts';
import { insertRows, rememberColumnType } from '../src/store/bulk.ts';
import { inTransaction, migrate, openStore } from '../src/store/database.ts';
import { startSqlProfile } from '../src/store/sql-profile.ts';
import { rowsWritten } from '../src/store/write-counter.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000' }, db: { type: 'string' }, json: { type: 'boolean' }, deliver: { type: 'boolean' }, attach: { type: 'boolean' } } });
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
const ctx: AppContext = { store, policy, adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets() };
const log = (text: string) => values.json || process.stderr.write(`${text}\n`);

log(`seeding ${lines} lines on ${store.dialect}…`);
await seed(ctx, { customers: lines, seed: 1 });
const csv = `msisdn\n${Array.from({ length: lines }, (_, i) => demoMsisdn(i)).join('\n')}\n`;

const before = rowsWritten.count;
const started = performance.now();
const report = await bulkTerminate(ctx, { csv, actor: { kind: 'staff', id: 'bench', channel: 'bulk' }, dryRun: false, effective: { mode: 'now' }, reason: 'benchmark' });
const totals = await runWorker(ctx, { untilIdle: true, deliver: false });
const seconds = (performance.now() - started) / 1000;
const engineRows = rowsWritten.count - before;
log(`engine: ${report.created} orders, ${totals.completed} completed, ${engineRows} rows written in ${seconds.toFixed(1)} s`);

// The baseline: as many rows, as wide as an audit entry, in batched inserts on the same store.
await sql`create table bench_raw (seq bigint primary key, at text, actor_kind text, actor_id text, channel text, entity_type text, entity_id text, action text, from_state text, to_state text, reason text, data text, prev_hash text, hash text)`.execute(store.db);
for (const [column, type] of Object.entries({ seq: 'bigint', at: 'text', actor_kind: 'text', actor_id: 'text', channel: 'text', entity_type: 'text', entity_id: 'text', action: 'text', from_state: 'text', to_state: 'text', reason: 'text', data: 'text', prev_hash: 'text', hash: 'text' })) {
  rememberColumnType('bench_raw', column, type);
}
const rawStarted = performance.now();
const batch = 5000;
for (let start = 0; start < engineRows; start += batch * 10) {
  await inTransaction(store, async (tx) => {
    for (let b = start; b < Math.min(engineRows, start + batch * 10); b += batch) {
      const n = Math.min(batch, engineRows - b);
      await insertRows(tx, 'bench_raw' as never, Array.from({ length: n }, (_, i) => ({
        seq: b + i, at: new Date().toISOString(), actor_kind: 'system', actor_id: 'worker', channel: 'system', entity_type: 'termination', entity_id: `TRM-${b + i}`,
        action: 'transition', from_state: 'executing', to_state: 'completed', reason: null, data: null, prev_hash: 'a'.repeat(64), hash: 'b'.repeat(64),
      })) as never);
    }
  });
}
const rawSeconds = (performance.now() - rawStarted) / 1000;
const delivery = values.deliver ? await measureDelivery(ctx, { attach: values.attach ?? false, log }) : undefined;
if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
await store.close();
if (scratch) rmSync(scratch, { recursive: true, force: true });
const result = { lines, seconds: +seconds.toFixed(3), linesPerSecond: Math.round(totals.completed / seconds), rawSeconds: +rawSeconds.toFixed(3), rawRatio: +(rawSeconds / seconds).toFixed(3), rawLinesPerSecond: Math.round(totals.completed / rawSeconds), rawMicrosecondsPerRow: +((1e6 * rawSeconds) / engineRows).toFixed(2), rowsWritten: engineRows, rowsPerLine: +(engineRows / lines).toFixed(1), store: store.dialect, completed: totals.completed, ...delivery };
process.stdout.write(`${JSON.stringify(result)}\n`);
