// The process under load for bench/voice.ts: the real server with the phone hotline on a seeded store, and a bare
// Fastify route beside it that takes the same form-encoded webhook and answers a fixed TwiML document.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { randomInstallationSecrets } from '../src/config/installation-secrets.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { demoMsisdn, seed } from '../src/seed/seed.ts';
import { migrate, openStore } from '../src/store/database.ts';
import { startSqlProfile } from '../src/store/sql-profile.ts';

const scratch = process.env.BENCH_DB ? undefined : mkdtempSync(join(tmpdir(), 'simexit-voice-bench-'));
const url = process.env.BENCH_DB ?? `sqlite:${join(scratch as string, 'voice.db')}`;
const schema = `bench_voice_${Date.now().toString(36)}`;
// SIMEXIT_SQL_PROFILE=1 times each statement shape (printed when the server stops).
if (process.env.SIMEXIT_SQL_PROFILE) startSqlProfile();
const store = await openStore(url, url.startsWith('postgres') ? { schema } : {});
await migrate(store);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const voice = { authToken: randomBytes(24).toString('base64url'), baseUrl: 'https://voice.bench.test' };
const ctx = { store, policy: loadPolicy(undefined, { fallback: 'http://localhost:8080' }), adapters: builtinAdapters, clock: () => new Date().toISOString(), demo: false, secrets: randomInstallationSecrets(), voice };
await seed(ctx, { customers, seed: 1 });

// The host's request log would measure the terminal, not the hotline.
const server = await buildServer(ctx, { logger: false });
const serverAddress = await server.listen({ port: 0, host: '127.0.0.1' });
const bare = Fastify();
bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
const BARE_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" numDigits="1" timeout="6" action="/bare" method="POST"><Say language="en-GB">Press a key.</Say></Gather></Response>';
bare.post('/bare', async (_request, reply) => reply.type('text/xml; charset=utf-8').send(BARE_TWIML));
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ server: serverAddress, bare: bareAddress, authToken: voice.authToken, baseUrl: voice.baseUrl, callers: Array.from({ length: customers }, (_, i) => demoMsisdn(i)) })}\n`);
process.on('SIGTERM', async () => {
  await Promise.all([server.close(), bare.close()]);
  if (store.dialect === 'postgres') await sql.raw(`drop schema "${schema}" cascade`).execute(store.db);
  await store.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
