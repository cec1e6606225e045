// The process under load for bench/api.ts: the real API on a seeded store, and a bare Fastify route beside it.
// Prints one JSON line: the two addresses and the subscribers to load it as, 10,000 (BENCH_DISTINCT) lines to
// preview and as many orders to poll, each with its owner's session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import { issueSession } from '../src/app/auth.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { seed } from '../src/seed/seed.ts';
import { migrate, openStore } from '../src/store/database.ts';
import { startSqlProfile } from '../src/store/sql-profile.ts';

const scratch = process.env.BENCH_DB ? undefined : mkdtempSync(join(tmpdir(), 'simexit-api-bench-'));
const url = process.env.BENCH_DB ?? `sqlite:${join(scratch as string, 'api.db')}`;
const schema = `bench_api_${Date.now().toString(36)}`;
const distinct = Number(process.env.BENCH_DISTINCT ?? 10_000);
// SIMEXIT_SQL_PROFILE=1 times each statement shape, as on any simexit command (the bench builds its own context).
if (process.env.SIMEXIT_SQL_PROFILE) startSqlProfile();
const store = await openStore(url, url.startsWith('postgres') ? { schema } : { keepReadResults: process.env.BENCH_KEEP_READ_RESULTS !== '0' });
await migrate(store);
const ctx = { store, policy: loadPolicy(undefined, { override: process.env.SIMEXIT_SITE_URL, fallback: 'http://localhost:8080' }), adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets() };
// Lines 0…distinct-1 are previewed; orders are opened on the lines after them (some are refused: debts, a
// suspended line), enough customers for `distinct` orders.
const customers = Math.ceil(distinct * 2.6);
await seed(ctx, { customers, seed: 1 });
const id = (prefix: string, i: number) => `${prefix}_${String(i).padStart(8, '0')}`;
const session = async (i: number) => (await issueSession(ctx, { kind: 'customer', id: id('cus', i), name: 'bench', language: 'en' })).token;
const previews: { token: string; lineId: string }[] = [];
for (let i = 0; i < distinct; i++) previews.push({ token: await session(i), lineId: id('ln', i) });
const orders: { token: string; reference: string }[] = [];
for (let from = distinct; from < customers && orders.length < distinct; from += 1000) {
  const batch = Array.from({ length: Math.min(1000, customers - from) }, (_, k) => from + k);
  const outcomes = await requestTerminations(
    ctx,
    batch.map((i) => ({ lineId: id('ln', i), channel: 'web' as const, authority: 'subscriber' as const, actor: { kind: 'customer' as const, id: id('cus', i), channel: 'web' as const }, effective: { mode: 'end_of_period' as const } })),
  );
  for (const [k, o] of outcomes.entries()) if (o.kind === 'created' && orders.length < distinct) orders.push({ token: await session(batch[k] as number), reference: o.termination.reference });
}
if (orders.length < distinct) throw new Error(`only ${orders.length} orders to look at`);

const api = await buildServer(ctx);
const apiAddress = await api.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ api: apiAddress, bare: bareAddress, previews, orders })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([api.close(), bare.close()]);
  if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
  await store.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
