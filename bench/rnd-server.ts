// The process under load for bench/rnd.ts: a store of BENCH_NUMBERS numbers (1,000,000 by default) with their
// assignment histories, seeded with batched inserts; the real API (the reassigned-numbers route, integrator keys)
// and, beside it, a bare Fastify route that takes the same body and schema and answers without a store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import { createApiKey } from '../src/app/auth.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { E164, MAX_PAIRS } from '../src/domain/reassigned-numbers.ts';
import { insertRows } from '../src/store/bulk.ts';
import { inTransaction, migrate, openStore } from '../src/store/database.ts';
import type { NumberAssignmentsTable, NumbersTable } from '../src/store/schema.ts';

const NUMBERS = Number(process.env.BENCH_NUMBERS ?? 1_000_000);
const KEYS = 16;
const BATCH = 50_000;
const DAY = 86_400_000;
const scratch = process.env.BENCH_DB ? undefined : mkdtempSync(join(tmpdir(), 'simexit-rnd-bench-'));
const url = process.env.BENCH_DB ?? `sqlite:${join(scratch as string, 'rnd.db')}`;
const schema = `bench_rnd_${Date.now().toString(36)}`;
const store = await openStore(url, url.startsWith('postgres') ? { schema } : {});
await migrate(store);
const ctx = { store, policy: loadPolicy(undefined, { override: process.env.SIMEXIT_SITE_URL, fallback: 'http://localhost:8080' }), adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets() };

/** The bench's numbers: +7990 and seven digits, so a client can draw ours and others' without asking. */
const msisdnOf = (i: number) => `+7990${String(i).padStart(7, '0')}`;
// A small deterministic generator (mulberry32): the same store every run.
let state = 20261207;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

// Histories from 2023 on: a tenth never given out, the rest held by one to four holders in turn, the last of them
// still holding it or disconnected (in quarantine, or back in the pool).
const start = Date.parse('2023-01-01T00:00:00Z');
const now = Date.now();
const started = performance.now();
let assignments = 0;
for (let from = 0; from < NUMBERS; from += BATCH) {
  const numbers: NumbersTable[] = [];
  const history: NumberAssignmentsTable[] = [];
  for (let i = from; i < Math.min(NUMBERS, from + BATCH); i++) {
    const msisdn = msisdnOf(i);
    const holders = random() < 0.1 ? 0 : 1 + Math.floor(random() * 4);
    let at = start + Math.floor(random() * 400) * DAY;
    let held = false;
    for (let h = 0; h < holders && at < now; h++) {
      const last = h === holders - 1;
      const end = last && random() < 0.6 ? null : at + (30 + Math.floor(random() * 500)) * DAY;
      const to = end !== null && end < now ? end : null;
      history.push({ id: `na_${i}_${h}`, msisdn, line_id: `ln_${i}_${h}`, customer_id: `cus_${i}_${h}`, from_at: new Date(at).toISOString(), to_at: to === null ? null : new Date(to).toISOString() });
      held = to === null;
      if (to === null) break;
      at = to + (45 + Math.floor(random() * 120)) * DAY;
    }
    numbers.push({ msisdn, state: held ? 'assigned' : 'available', quarantine_until: null, updated_at: new Date(now).toISOString() });
  }
  assignments += history.length;
  await inTransaction(store, async (tx) => {
    await insertRows(tx, 'numbers', numbers);
    await insertRows(tx, 'number_assignments', history);
  });
}
if (store.dialect === 'postgres') await sql`analyze number_assignments`.execute(store.db);
else await sql`analyze`.execute(store.db);
const seedSeconds = +((performance.now() - started) / 1000).toFixed(1);

const keys: string[] = [];
for (let k = 0; k < KEYS; k++) keys.push((await createApiKey(ctx, `bench bank ${k}`, ['reassigned-numbers'])).key);
const api = await buildServer(ctx);
const apiAddress = await api.listen({ port: 0, host: '127.0.0.1' });
// The bare route: the same body, the same schema (1,000 pairs at most, E.164, YYYY-MM-DD), an answer per pair.
const bare = Fastify({ bodyLimit: 192 * 1024 });
const pair = { type: 'object', additionalProperties: false, required: ['number', 'date'], properties: { number: { type: 'string', pattern: E164 }, date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } };
const answer = { type: 'object', properties: { number: { type: 'string' }, date: { type: 'string' }, answer: { type: 'string' } } };
bare.post(
  '/bare',
  { schema: { body: { type: 'object', additionalProperties: false, required: ['pairs'], properties: { pairs: { type: 'array', minItems: 1, maxItems: MAX_PAIRS, items: pair } } }, response: { 200: { type: 'object', properties: { answers: { type: 'array', items: answer } } } } } },
  async (request) => ({ answers: (request.body as { pairs: { number: string; date: string }[] }).pairs.map((p) => ({ ...p, answer: 'no' })) }),
);
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ api: apiAddress, bare: bareAddress, keys, numbers: NUMBERS, assignments, seedSeconds, dialect: store.dialect })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([api.close(), bare.close()]);
  // Requests the load generator gave up on may still be finishing their write: wait for them, then drop.
  for (let attempt = 0; store.dialect === 'postgres' && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
      break;
    } catch (error) {
      if (attempt === 4) console.error(`schema ${schema} left behind: ${String(error)}`);
    }
  }
  await store.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
