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
// Memory is bounded in rows: lookups of a few rows are what repeats; a scan of many rows (a report, a batch read
// by chunks) is read once and would only crowd the lookups out.
const KEPT_ROWS_LIMIT = 20_000;
const LARGEST_KEPT_RESULT = 50; // rows, and parameters

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
 * rows are dropped as soon as this process's writer changes a row or ends a
 * transaction that did (`writes`, see WriteCount) and whenever `PRAGMA data_version`
 * says another connection committed; SQLite is asked that at most once per
 * millisecond, so a commit by another process (a separate worker, the CLI) is
 * seen within 1 ms, and this process's own commits at once.
 *
 * Open it after the writer has put the file in WAL mode.
 */
export function openCommittedReader(path: string, writes: WriteCount, options: { keepResults?: boolean } = {}): CommittedReader {
  const keepResults = options.keepResults ?? true;
  const db = new DatabaseSync(path, { readOnly: true, timeout: 30_000 });
  db.exec('PRAGMA cache_size = -65536');
  const statements = new Map<string, StatementSync>();
  const dataVersion = db.prepare('PRAGMA data_version');
  dataVersion.setReturnArrays(true);
  // By SQL text, then by parameters: the texts are the same string objects every time, so the outer lookup does not rehash them.
  const results = new Map<string, Map<string, readonly unknown[]>>();
  let keptRows = 0;
  const forget = () => {
    results.clear();
    keptRows = 0;
  };
  let writesSeen = writes.count;
  let versionSeen: unknown;
  let checkedAt = Number.NEGATIVE_INFINITY;

  function dropIfStale(): void {
    if (writes.count !== writesSeen) {
      writesSeen = writes.count;
      forget();
    }
    const now = performance.now();
    if (now - checkedAt < RECHECK_AFTER_MS) return;
    checkedAt = now;
    const [version] = dataVersion.get() as unknown as [number];
    if (version !== versionSeen) {
      versionSeen = version;
      forget();
    }
  }

  /** The rows, frozen: the same rows may be handed to the next caller. */
  function run(sql: string, params: readonly unknown[]): readonly unknown[] {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
      statements.set(sql, stmt);
    }
    const started = profiling ? performance.now() : 0;
    const rows = stmt.all(...(params as never[]));
    if (profiling) recordStatement(sql, performance.now() - started);
    return Object.freeze(rows.map((row) => Object.freeze(row)));
  }

  return {
    all<R>(sql: string, params: readonly unknown[]): readonly R[] {
      // A read by many keys is a batch read once (the worker, a report): not worth its long key.
      if (!keepResults || params.length > LARGEST_KEPT_RESULT) return run(sql, params) as readonly R[];
      dropIfStale();
      // One string parameter is its own key; anything else is a JSON list behind a NUL, which no string parameter
      // starts with (the API refuses NUL at its edge, and JSON never writes one raw).
      const key = params.length === 1 && typeof params[0] === 'string' ? params[0] : `\u0000${JSON.stringify(params)}`;
      const kept = results.get(sql)?.get(key);
      if (kept) return kept as readonly R[];
      const rows = run(sql, params);
      if (rows.length > LARGEST_KEPT_RESULT) return rows as readonly R[];
      if (keptRows + rows.length > KEPT_ROWS_LIMIT) forget();
      let bySql = results.get(sql);
      if (!bySql) {
        bySql = new Map();
        results.set(sql, bySql);
      }
      bySql.set(key, rows);
      keptRows += Math.max(1, rows.length);
      return rows as readonly R[];
    },
    close: () => db.close(),
  };
}
