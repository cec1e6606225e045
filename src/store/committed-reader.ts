import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { STATEMENT_CACHE_LIMIT, type WriteCount } from './node-sqlite-dialect.ts';
import { profiling, recordStatement } from './sql-profile.ts';

/** Reads committed rows of a SQLite store, synchronously; see {@link openCommittedReader}. */
export interface CommittedReader {
  /** The rows of a SELECT; frozen, because the same rows may be handed to the next caller. */
  all<R>(sql: string, params: readonly unknown[]): readonly R[];
  close(): void;
}

/** How long rows may be served without asking SQLite whether another process committed since. */
const RECHECK_AFTER_MS = 1;
const RESULT_CACHE_LIMIT = 10_000;

/**
 * A second, read-only connection for reads made outside any transaction (an
 * API lookup, a status page), with the results of recent reads kept in memory.
 *
 * Why a second connection: the writer connection is shared by the whole
 * process and held across the awaits of every transaction, so a lookup queued
 * behind it waited for a whole batch. In WAL mode this one reads the last
 * committed state at once.
 *
 * Why results are kept, and when they are dropped: an API request reads the
 * same few rows as the one before (the caller's session, the line being
 * previewed, the order being polled), and on this machine each statement costs
 * more inside a busy server (about 25 µs) than the request's own work. Kept
 * rows are dropped as soon as this process's writer runs anything that may
 * change a row (`writes`, COMMIT included) and whenever `PRAGMA data_version`
 * says another connection committed; SQLite is asked that at most once per
 * millisecond, so a commit by another process (a separate worker, the CLI) is
 * seen within 1 ms, and this process's own commits at once.
 *
 * Open it after the writer has put the file in WAL mode.
 */
export function openCommittedReader(path: string, writes: WriteCount): CommittedReader {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 30_000 });
  db.exec('PRAGMA cache_size = -65536');
  const statements = new Map<string, StatementSync>();
  const dataVersion = db.prepare('PRAGMA data_version');
  dataVersion.setReturnArrays(true);
  const results = new Map<string, readonly unknown[]>();
  let writesSeen = writes.count;
  let versionSeen: unknown;
  let checkedAt = Number.NEGATIVE_INFINITY;

  function dropIfStale(): void {
    if (writes.count !== writesSeen) {
      writesSeen = writes.count;
      results.clear();
    }
    const now = performance.now();
    if (now - checkedAt < RECHECK_AFTER_MS) return;
    checkedAt = now;
    const [version] = dataVersion.get() as unknown as [number];
    if (version !== versionSeen) {
      versionSeen = version;
      results.clear();
    }
  }

  function run(sql: string, params: readonly unknown[]): unknown[] {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
      statements.set(sql, stmt);
    }
    if (!profiling) return stmt.all(...(params as never[]));
    const started = performance.now();
    const rows = stmt.all(...(params as never[]));
    recordStatement(sql, performance.now() - started);
    return rows;
  }

  return {
    all<R>(sql: string, params: readonly unknown[]): readonly R[] {
      dropIfStale();
      const key = params.length === 0 ? sql : `${sql}\u0000${JSON.stringify(params)}`;
      let rows = results.get(key);
      if (rows === undefined) {
        rows = Object.freeze(run(sql, params).map((row) => Object.freeze(row)));
        if (results.size >= RESULT_CACHE_LIMIT) results.clear();
        results.set(key, rows);
      }
      return rows as readonly R[];
    },
    close: () => db.close(),
  };
}
