// One delivery pass in a process of its own, so a test can kill it mid-send.
// Reads SIMEXIT_DB, SIMEXIT_DB_SCHEMA, SIMEXIT_TEST_NOW and the delivery variables (SIMEXIT_SMTP_URL, …).
import { builtinAdapters } from '../../../src/adapters/builtin.ts';
import { randomInstallationSecrets } from '../../../src/config/installation-secrets.ts';
import { loadPolicy } from '../../../src/config/load-config.ts';
import { deliverDue, deliverersFor } from '../../../src/notifications/deliver.ts';
import { openStore } from '../../../src/store/database.ts';

const store = await openStore(process.env.SIMEXIT_DB ?? '', { schema: process.env.SIMEXIT_DB_SCHEMA || undefined });
const now = process.env.SIMEXIT_TEST_NOW ?? new Date().toISOString();
const ctx = { store, policy: loadPolicy(undefined, { fallback: 'http://localhost:8080' }), adapters: builtinAdapters, clock: () => now, demo: false, secrets: randomInstallationSecrets() };
const deliverers = deliverersFor(ctx, process.env);
const totals = await deliverDue(ctx, { limit: 10, workerId: process.env.SIMEXIT_WORKER_ID ?? 'wrk_once', deliverers });
process.stdout.write(`${JSON.stringify(totals)}\n`);
await deliverers.close();
await store.close();
