import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAdapters } from '../../src/adapters/builtin.ts';
import type { Adapters } from '../../src/adapters/ports.ts';
import type { AppContext } from '../../src/app/context.ts';
import { ephemeralKeys } from '../../src/certificates/keys.ts';
import { loadPolicy } from '../../src/config/load-config.ts';
import type { Policy } from '../../src/domain/policy.ts';
import { migrate, openStore, type Store } from '../../src/store/database.ts';

export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A URL for a brand-new empty store (SQLite: a new file; Postgres: the shared database, with a fresh schema). */
  fresh(): { url: string; schema?: string };
}

// Workers in tests deliver messages as files into a throw-away folder, never into ./data.
process.env.SIMEXIT_OUTBOX ??= mkdtempSync(join(tmpdir(), 'simexit-outbox-'));

let counter = 0;
const unique = (label: string) => `t_${label}_${process.pid}_${Date.now().toString(36)}_${counter++}`;

/** SQLite always; Postgres too when SIMEXIT_TEST_PG names one. */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [{ name: 'sqlite', fresh: () => ({ url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'simexit-')), 'test.db')}` }) }];
  const pg = process.env.SIMEXIT_TEST_PG;
  if (pg) kinds.push({ name: 'postgres', fresh: () => ({ url: pg, schema: unique('pg') }) });
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

export type TestApp = AppContext & { clock: ReturnType<typeof testClock>; store: Store; close(): Promise<void> };

export async function openTestApp(kind: StoreKind, options: { policy?: (p: Policy) => Policy; adapters?: Partial<Adapters> } = {}): Promise<TestApp> {
  const { url, schema } = kind.fresh();
  const store = await openStore(url, { schema });
  await migrate(store);
  const base = loadPolicy();
  const policy = options.policy ? options.policy(base) : base;
  const clock = testClock();
  return { store, policy, adapters: { ...builtinAdapters, ...options.adapters }, clock, keys: ephemeralKeys(), close: () => store.close() };
}
