import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Kysely dialect over Node's built-in `node:sqlite`.
 *
 * Why not Kysely's own SqliteDialect: it issues a plain deferred `BEGIN`, and in
 * WAL mode a deferred transaction that reads and then writes fails at once with
 * SQLITE_BUSY when another process committed meanwhile (the busy handler is not
 * consulted for that upgrade). Every transaction here is `BEGIN IMMEDIATE`, so
 * two processes (the server and a CLI, or two workers) simply wait their turn.
 * Prepared statements are cached by SQL text because the batch paths run the
 * same statement thousands of times.
 */
export function nodeSqliteDialect(path: string, writes: WriteCount = { count: 0 }): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new NodeSqliteDriver(path, writes),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

export const STATEMENT_CACHE_LIMIT = 500;

/** Counts the statements this process's writer ran that may change rows (COMMIT included), so a reader's cache can tell it is stale. */
export interface WriteCount {
  count: number;
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, { stmt: StatementSync; reader: boolean; writes: boolean }>();
  readonly #writes: WriteCount;

  constructor(db: DatabaseSync, writes: WriteCount) {
    this.db = db;
    this.#writes = writes;
  }

  #prepare(sql: string) {
    let entry = this.#statements.get(sql);
    if (!entry) {
      const stmt = this.db.prepare(sql);
      // `reader`: it returns rows (a SELECT, or a write with RETURNING); `writes`: anything but a SELECT may change rows.
      entry = { stmt, reader: stmt.columns().length > 0, writes: !/^\s*select\b/i.test(sql) };
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      this.#statements.set(sql, entry);
    }
    return entry;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { stmt, reader, writes } = this.#prepare(compiled.sql);
    const params = compiled.parameters as never[];
    if (writes) this.#writes.count++;
    if (reader) return { rows: stmt.all(...params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { stmt } = this.#prepare(compiled.sql);
    for (const row of stmt.iterate(...(compiled.parameters as never[]))) yield { rows: [row as R] };
  }
}

class NodeSqliteDriver implements Driver {
  readonly #path: string;
  readonly #writes: WriteCount;
  #connection: NodeSqliteConnection | undefined;
  // One connection per process: queries and transactions take turns.
  #queue: Promise<void> = Promise.resolve();

  constructor(path: string, writes: WriteCount) {
    this.#path = path;
    this.#writes = writes;
  }

  async init(): Promise<void> {
    const db = new DatabaseSync(this.#path, { timeout: 30_000 });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    db.exec('PRAGMA cache_size = -65536');
    // Fewer, larger checkpoints: the worker rewrites the same rows several times within seconds.
    db.exec('PRAGMA wal_autocheckpoint = 20000');
    db.exec('PRAGMA temp_store = MEMORY');
    this.#connection = new NodeSqliteConnection(db, this.#writes);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const connection = this.#connection;
    if (!connection) throw new Error('sqlite driver used before init');
    heldReleases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = heldReleases.get(connection);
    heldReleases.delete(connection);
    release?.();
  }

  async destroy(): Promise<void> {
    this.#connection?.db.close();
    this.#connection = undefined;
  }
}

const heldReleases = new WeakMap<DatabaseConnection, () => void>();
