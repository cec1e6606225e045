import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Kysely, PostgresAdapter, PostgresDialect, sql, type Transaction } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';
import { AppError } from '../domain/errors.ts';
import { rememberColumnType } from './bulk.ts';
import { type CommittedReader, openCommittedReader } from './committed-reader.ts';
import { nodeSqliteDialect, type WriteCount } from './node-sqlite-dialect.ts';
import { sqlProfiler } from './sql-profile.ts';
import { WriteCounterPlugin } from './write-counter.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A handle inside an open transaction; functions that lock rows ask for this type. */
export type Tx = Transaction<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Db;
  readonly dialect: DialectName;
  /** The Postgres schema the store lives in; undefined on SQLite. */
  readonly schema?: string;
  close(): Promise<void>;
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

function postgresTypes() {
  // Times come back as the same ISO strings SQLite stores; bigints as numbers (money never nears 2^53).
  const parsers: Record<number, (v: string) => unknown> = {
    [TIMESTAMPTZ_OID]: (v) => new Date(v).toISOString(),
    [INT8_OID]: (v) => Number(v),
  };
  return {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      parsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text'),
  };
}

/**
 * Opens the store named by a URL: `sqlite:PATH` (`sqlite::memory:` for a
 * throw-away one) or `postgres://…`. With `schema`, Postgres works inside that
 * schema (created if missing) — tests use one per file. `keepReadResults:
 * false` turns off the SQLite reader's result cache (the API benchmark
 * measures both).
 */
export async function openStore(url: string, options: { schema?: string; poolSize?: number; keepReadResults?: boolean } = {}): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || './data/simexit.db';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const writes: WriteCount = { count: 0 };
    const db = new Kysely<Database>({ dialect: nodeSqliteDialect(path, writes), plugins: [new WriteCounterPlugin()], log: sqlProfiler() });
    if (path === ':memory:') return { db, dialect: 'sqlite', close: () => db.destroy() };
    let reader: CommittedReader;
    try {
      await sql`select 1`.execute(db); // opens the writer, which puts the file in WAL mode
      reader = openCommittedReader(path, writes, { keepResults: options.keepReadResults });
    } catch (error) {
      await db.destroy();
      throw error;
    }
    readers.set(db, reader);
    let closed = false;
    return {
      db,
      dialect: 'sqlite',
      close: async () => {
        if (closed) return;
        closed = true;
        readers.delete(db);
        reader.close();
        await db.destroy();
      },
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    if (options.schema) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '')}"`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: postgresTypes(),
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new WriteCounterPlugin()], log: sqlProfiler() });
    const store: Store = { db, dialect: 'postgres', schema: options.schema ?? 'public', close: () => db.destroy() };
    await loadColumnTypes(store);
    return store;
  }
  throw new AppError('CONFIG_INVALID', { reason: `SIMEXIT_DB must start with sqlite: or postgres:// (got ${url})` });
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(migrationsFolder).filter((f) => f.endsWith('.ts')).sort()) {
      migrations[file.replace(/\.ts$/, '')] = (await import(pathToFileURL(join(migrationsFolder, file)).href)) as Migration;
    }
    return migrations;
  },
};

// Naming the schema matters: Kysely otherwise finds its bookkeeping tables in any schema on the server.
/** The store's migrator (tests step down and up again with it). */
export const migratorOf = (store: Store): Migrator => new Migrator({ db: store.db, provider: migrationProvider, migrationTableSchema: store.schema });

/** Applies every pending migration; returns the names applied now. */
export async function migrate(store: Store): Promise<string[]> {
  const { error, results } = await migratorOf(store).migrateToLatest();
  if (error) throw error;
  await loadColumnTypes(store);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function loadColumnTypes(store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return;
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema()`.execute(store.db);
  for (const r of rows) rememberColumnType(r.table_name, r.column_name, r.data_type);
}

const readers = new WeakMap<Db, CommittedReader>();

/**
 * The read-only connection of a SQLite store when `db` is the store's own
 * handle (not a transaction's): reads through it see committed rows, never
 * queue behind a transaction, and repeat recent results while nothing has
 * been committed since (src/store/committed-reader.ts). Undefined on Postgres (its pool already reads
 * in parallel), inside a transaction, and for an in-memory store.
 */
export const committedReader = (db: Db): CommittedReader | undefined => readers.get(db);

/** Whether a handle talks to Postgres (row locks, SKIP LOCKED, array parameters) rather than SQLite. */
export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** Runs `work` in one transaction; only the outermost use case calls this. */
export function inTransaction<T>(store: Store, work: (tx: Tx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(work);
}
