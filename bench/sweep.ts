// npm run bench:sweep -- [--numbers N] [--db URL] [--batch B] [--json]
// Seeds N quarantined numbers whose quarantine has ended (default 1,000,000, in batched inserts), sweeps them
// back to available through the real engine (sweepQuarantine: one UPDATE per batch, longest-ended first, and an
// audit entry per number), then puts the same rows back in quarantine and moves them with one bare UPDATE on the
// same store: the ceiling for the row changes alone. Prints {"numbers","seconds","numbersPerSecond",
// "bareSeconds","bareNumbersPerSecond","bareRatio"}: bareRatio is bare time / engine time (1 = as fast as the bare
// UPDATE).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import type { AppContext } from '../src/app/context.ts';
import { sweepQuarantine } from '../src/app/inventory-actions.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { DEFAULT_SWEEP_POLICY } from '../src/domain/policy.ts';
import { insertRows } from '../src/store/bulk.ts';
import { inTransaction, migrate, openStore } from '../src/store/database.ts';
import { startSqlProfile } from '../src/store/sql-profile.ts';

const { values } = parseArgs({ options: { numbers: { type: 'string', default: '1000000' }, db: { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean' } } });
const count = Number(values.numbers);
const schema = `bench_${Date.now().toString(36)}`;
const scratch = values.db ? undefined : mkdtempSync(join(tmpdir(), 'simexit-bench-'));
const url = values.db ?? `sqlite:${join(scratch as string, 'bench.db')}`;
// SIMEXIT_SQL_PROFILE=1 times each statement shape, as on any simexit command (the bench builds its own context).
if (process.env.SIMEXIT_SQL_PROFILE) startSqlProfile();
const store = await openStore(url, url.startsWith('postgres') ? { schema } : {});
await migrate(store);
const base = loadPolicy(undefined, { override: process.env.SIMEXIT_SITE_URL, fallback: 'http://localhost:8080' });
const sweep = { ...(base.sweep ?? DEFAULT_SWEEP_POLICY), ...(values.batch ? { batchSize: Number(values.batch) } : {}) };
const policy = { ...base, sweep };
const ctx: AppContext = { store, policy, adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets() };
const log = (text: string) => values.json || process.stderr.write(`${text}\n`);

// Quarantines that ended over the last 400 days, in no order, so "longest-ended first" has work to do.
const DAY = 86_400_000;
const started0 = Date.now();
const endedAt = (i: number) => new Date(started0 - (1 + ((i * 7919) % 400)) * DAY - (i % 86_400) * 1000).toISOString();
const msisdn = (i: number) => `+7958${String(i).padStart(7, '0')}`;

log(`seeding ${count} quarantined numbers on ${store.dialect}…`);
const seedStarted = performance.now();
const CHUNK = 50_000;
for (let start = 0; start < count; start += CHUNK) {
  const now = new Date().toISOString();
  await inTransaction(store, (tx) =>
    insertRows(tx, 'numbers', Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => ({ msisdn: msisdn(start + k), state: 'quarantined', quarantine_until: endedAt(start + k), updated_at: now }))),
  );
}
// Postgres plans from statistics, which autovacuum refreshes after a change this size; the bench does not wait for it.
if (store.dialect === 'postgres') await sql`analyze numbers`.execute(store.db);
log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; sweeping (batches of ${sweep.batchSize})…`);

const started = performance.now();
const released = await sweepQuarantine(ctx, { onProgress: (n) => values.json || (process.stderr.isTTY && process.stderr.write(`\rreleased ${n}`)) });
const seconds = (performance.now() - started) / 1000;
if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
if (released !== count) throw new Error(`released ${released} of ${count}`);
log(`engine: ${released} numbers in ${seconds.toFixed(1)} s`);

// The same rows back in quarantine (untimed), then the bare baseline: one plain UPDATE of them all.
await sql`update numbers set state = 'quarantined', quarantine_until = updated_at where msisdn like '+7958%'`.execute(store.db);
const now = new Date().toISOString();
const bareStarted = performance.now();
const bare = await sql`update numbers set state = 'available', quarantine_until = null, updated_at = ${now} where state = 'quarantined' and quarantine_until <= ${now}`.execute(store.db);
const bareSeconds = (performance.now() - bareStarted) / 1000;
if (Number(bare.numAffectedRows) !== count) throw new Error(`bare update moved ${bare.numAffectedRows} of ${count}`);

if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
await store.close();
if (scratch) rmSync(scratch, { recursive: true, force: true });
const result = {
  numbers: count,
  seconds: +seconds.toFixed(3),
  numbersPerSecond: Math.round(count / seconds),
  bareSeconds: +bareSeconds.toFixed(3),
  bareNumbersPerSecond: Math.round(count / bareSeconds),
  bareRatio: +(bareSeconds / seconds).toFixed(3),
  batchSize: sweep.batchSize,
  store: store.dialect,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
