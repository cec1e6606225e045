// The process under load for bench/api.ts: the real API on a seeded store, and a bare Fastify route beside it.
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
// SIMEXIT_SQL_PROFILE=1 times each statement shape, as on any simexit command (the bench builds its own context).
if (process.env.SIMEXIT_SQL_PROFILE) startSqlProfile();
const store = await openStore(url, url.startsWith('postgres') ? { schema } : { keepReadResults: process.env.BENCH_KEEP_READ_RESULTS !== '0' });
await migrate(store);
const ctx = { store, policy: loadPolicy(undefined, { override: process.env.SIMEXIT_SITE_URL, fallback: 'http://localhost:8080' }), adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets() };
await seed(ctx, { customers: Number(process.env.BENCH_CUSTOMERS ?? 10_000), seed: 1 });
const [outcome] = await requestTerminations(ctx, [{ lineId: 'ln_00000001', channel: 'web', authority: 'subscriber', actor: { kind: 'customer', id: 'cus_00000001', channel: 'web' }, effective: { mode: 'end_of_period' } }]);
if (outcome?.kind !== 'created') throw new Error('no order to look at');
const session = await issueSession(ctx, { kind: 'customer', id: 'cus_00000001', name: 'bench', language: 'en' });

const api = await buildServer(ctx);
const apiAddress = await api.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ api: apiAddress, bare: bareAddress, token: session.token, reference: outcome.termination.reference, lineId: 'ln_00000001' })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([api.close(), bare.close()]);
  if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
  await store.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
