import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { walCheckpointer, BACKSTOP_PAGES, type WalCheckpointer } from './wal-checkpointer.ts';
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

/**
 * Moves whenever this process's writer may have changed what a reader sees, so
 * the committed reader's kept results can tell they are stale: when a
 * statement changed rows, when a transaction that changed rows ends, and on
 * anything else that is not a plain read (schema changes, pragmas). A worker
 * polling an empty queue (an UPDATE that matches nothing, then COMMIT) does
 * not move it, so an idle worker in the same process does not empty the
 * reader's results twice a second.
 */
export interface WriteCount {
  count: number;
}

type StatementKind = 'read' | 'change' | 'begin' | 'end' | 'other';

function kindOf(sql: string): StatementKind {
  const word = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase();
  if (word === 'select') return 'read';
  if (word === 'insert' || word === 'update' || word === 'delete' || word === 'replace') return 'change';
  if (word === 'begin' || word === 'savepoint') return 'begin';
  if (word === 'commit' || word === 'end' || word === 'rollback' || word === 'release') return 'end';
  return 'other'; // WITH … (may write), CREATE, DROP, ALTER, PRAGMA, …
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, { stmt: StatementSync; reader: boolean; kind: StatementKind }>();
  readonly #writes: WriteCount;
  /** The open transaction changed rows: its end must move the count again (a reader may have kept rows meanwhile). */
  #dirty = false;

  constructor(db: DatabaseSync, writes: WriteCount) {
    this.db = db;
    this.#writes = writes;
  }

  #prepare(sql: string) {
    let entry = this.#statements.get(sql);
    if (!entry) {
      const stmt = this.db.prepare(sql);
      // `reader`: it returns rows (a SELECT, or a write with RETURNING).
      entry = { stmt, reader: stmt.columns().length > 0, kind: kindOf(sql) };
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      this.#statements.set(sql, entry);
    }
    return entry;
  }

  // Runs synchronously from here to the count's update, so no read in this process falls between the two.
  #changed(rows: number): void {
    this.#writes.count++;
    if (rows > 0) this.#dirty = true;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { stmt, reader, kind } = this.#prepare(compiled.sql);
    const params = compiled.parameters as never[];
    if (kind === 'end' && this.#dirty) {
      this.#dirty = false;
      this.#writes.count++;
    }
    if (reader) {
      const rows = stmt.all(...params) as R[];
      if ((kind === 'change' && rows.length > 0) || kind === 'other') this.#changed(rows.length || 1);
      return { rows };
    }
    const { changes, lastInsertRowid } = stmt.run(...params);
    if ((kind === 'change' && Number(changes) > 0) || kind === 'other') this.#changed(Number(changes) || 1);
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
  #checkpointer: WalCheckpointer | undefined;
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
    if (this.#path !== ':memory:' && this.#path !== '') this.#checkpointer = walCheckpointer(this.#path, () => db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`));
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
    this.#checkpointer?.afterCommit();
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
    await this.#checkpointer?.stop();
    this.#connection?.db.close();
    this.#connection = undefined;
  }
}

const heldReleases = new WeakMap<DatabaseConnection, () => void>();
