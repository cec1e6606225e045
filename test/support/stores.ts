import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { builtinAdapters } from '../../src/adapters/builtin.ts';
import type { Adapters } from '../../src/adapters/adapters.ts';
import type { AppContext } from '../../src/app/context.ts';
import { ephemeralKeys } from '../../src/certificates/keys.ts';
import { randomInstallationSecrets } from '../../src/config/installation-secrets.ts';
import { loadPolicy } from '../../src/config/load-config.ts';
import type { Policy } from '../../src/domain/policy.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';

export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A URL for a brand-new empty store (SQLite: a new file; Postgres: the shared database, with a fresh schema). */
  fresh(): { url: string; schema?: string };
}

// Workers in tests deliver messages as files into a throw-away folder, never into ./data.
const outbox = process.env.SIMEXIT_OUTBOX ? undefined : mkdtempSync(join(tmpdir(), 'simexit-outbox-'));
if (outbox) process.env.SIMEXIT_OUTBOX = outbox;
// A response that does not match its schema fails the test (in production it is logged).
process.env.SIMEXIT_VALIDATE_RESPONSES ??= 'strict';

let counter = 0;
const unique = (label: string) => `t_${label}_${process.pid}_${Date.now().toString(36)}_${counter++}`;

// What this test file created, removed once all its tests are done: repeated runs on a developer's machine (and
// CI, which shares the machine's Postgres) would otherwise pile up folders in /tmp and schemas in the database.
const folders: string[] = outbox ? [outbox] : [];
const schemas: string[] = [];
after(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  const url = process.env.SIMEXIT_TEST_PG;
  if (!url || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
});

/** SQLite always; Postgres too when SIMEXIT_TEST_PG names one. */
export function storeKinds(): StoreKind[] {
  const sqliteFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'simexit-'));
    folders.push(folder);
    return folder;
  };
  const kinds: StoreKind[] = [{ name: 'sqlite', fresh: () => ({ url: `sqlite:${join(sqliteFolder(), 'test.db')}` }) }];
  const url = process.env.SIMEXIT_TEST_PG;
  if (url) {
    kinds.push({
      name: 'postgres',
      fresh: () => {
        const schema = unique('pg');
        schemas.push(schema);
        return { url, schema };
      },
    });
  }
  return kinds;
}

/** A clock tests move by hand. */
export function testClock(start = '2026-11-21T10:00:00.000Z') {
  let now = Date.parse(start);
  const clock = () => new Date(now).toISOString();
  return Object.assign(clock, {
    advanceHours: (h: number) => {
      now += h * 3_600_000;
    },
    advanceDays: (d: number) => {
      now += d * 86_400_000;
    },
  });
}

/**
 * The site address test installations say they serve. Outside demo mode an installation must set one
 * (operator.siteUrl or SIMEXIT_SITE_URL): test servers do, as an operator would.
 */
export const TEST_SITE_URL = 'http://localhost:8080';

/** `storeAt`: where its store is, for a second process-like installation over the same data (openStore again). */
export type TestApp = AppContext & { clock: ReturnType<typeof testClock>; store: Store; storeAt: { url: string; schema?: string | undefined }; close(): Promise<void> };

export async function openTestApp(kind: StoreKind, options: { policy?: (p: Policy) => Policy; adapters?: Partial<Adapters> } = {}): Promise<TestApp> {
  const { url, schema } = kind.fresh();
  const store = await openStore(url, { schema });
  await migrate(store);
  const base = loadPolicy(undefined, { fallback: TEST_SITE_URL });
  const policy = options.policy ? options.policy(base) : base;
  const clock = testClock();
  return { store, storeAt: { url, schema }, policy, adapters: { ...builtinAdapters, ...options.adapters }, clock, keys: ephemeralKeys(), demo: false, secrets: randomInstallationSecrets(), responseChecks: 'strict', outbox: process.env.SIMEXIT_OUTBOX, close: () => store.close() };
}

/**
 * The variables a child process (`bin/simexit worker`, …) needs to act as the
 * same installation as `app` outside demo mode: its secrets and its
 * certificate key, written to a file of this test file's.
 */
export function installationEnv(app: TestApp): Record<string, string> {
  const folder = mkdtempSync(join(tmpdir(), 'simexit-keys-'));
  folders.push(folder);
  const keyFile = join(folder, 'certificate.pem');
  if (!app.keys?.privateKey) throw new Error('the test app has no private certificate key');
  writeFileSync(keyFile, app.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { SIMEXIT_DOCUMENT_KEY: app.secrets.documentKey, SIMEXIT_REFERENCE_KEY: app.secrets.referenceKey, SIMEXIT_CERT_KEY: keyFile, SIMEXIT_SITE_URL: app.policy.operator.siteUrl, SIMEXIT_DEMO: '0' };
}
