/**
 * Reads on hot paths with their SQL written once. For a lookup by key Kysely's
 * builder and compiler cost two to three times what SQLite spends on the query
 * itself (docs/performance.md), and an API request or a worker batch makes
 * several. The text is portable SQL with `?` placeholders; on Postgres they
 * become $1, $2, …
 */
import { CompiledQuery } from 'kysely';
import { cached } from './bulk.ts';
import { committedReader, type Db, isPostgres, type Tx } from './database.ts';
import type { Database, TableName } from './schema.ts';

type Param = string | number | null;

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** Runs SQL as SQLite spells it; outside a transaction on SQLite, on the store's committed reader. */
async function sqliteRows<R>(db: Db, sql: string, params: readonly Param[]): Promise<readonly R[]> {
  const reader = committedReader(db);
  if (reader) return reader.all<R>(sql, params);
  return (await db.executeQuery<R>(CompiledQuery.raw(sql, params as Param[]))).rows;
}

export async function selectRaw<R>(db: Db, text: string, params: readonly Param[]): Promise<readonly R[]> {
  if (!isPostgres(db)) return sqliteRows<R>(db, text, params);
  return (await db.executeQuery<R>(CompiledQuery.raw(cached(`$|${text}`, () => numbered(text)), params as Param[]))).rows;
}

const CHUNK = 900;
const sqliteTexts = new Map<string, string[]>();

/** `text` with its `:keys` written as `= ?` or `in (?, …)` for `n` keys, built once per text and length. */
function sqliteText(text: string, n: number): string {
  let byLength = sqliteTexts.get(text);
  if (!byLength) {
    byLength = [];
    sqliteTexts.set(text, byLength);
  }
  byLength[n] ??= text.replace(KEYS, n === 1 ? '= ?' : `in (${'?,'.repeat(n - 1)}?)`);
  return byLength[n];
}
const KEYS = ':keys';

/**
 * Loads for a list of keys, de-duplicated, `size` keys at a time (by default
 * few enough for an `in (…)` list within every store's parameter limit).
 */
export async function inChunks<T>(keys: readonly string[], load: (chunk: string[]) => Promise<readonly T[]>, size: number = CHUNK): Promise<T[]> {
  const unique = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += size) {
    for (const row of await load(unique.slice(i, i + size))) out.push(row);
  }
  return out;
}

/**
 * Runs `text` for `keys` (in chunks on SQLite, at once on Postgres), where the text says `column :keys` for
 * "column is one of the keys" (its only parameters): `= ANY($1)` with one array
 * on Postgres, `IN (?, …)` on SQLite. Keys are de-duplicated.
 */
export function selectByKeys<R>(db: Db, text: string, keys: readonly string[]): Promise<readonly R[]> {
  if (isPostgres(db)) {
    // Every key in one array, so rows locked `for update` are locked in one key order across the whole list.
    const sql = cached(`pg|${text}`, () => text.replace(KEYS, '= any($1::text[])'));
    return inChunks(keys, async (all) => (await db.executeQuery<R>(CompiledQuery.raw(sql, [all]))).rows, Number.POSITIVE_INFINITY);
  }
  if (keys.length === 1) return sqliteRows<R>(db, sqliteText(text, 1), keys);
  return inChunks(keys, (chunk) => sqliteRows<R>(db, sqliteText(text, chunk.length), chunk));
}

/** Whole rows of `table` whose `column` is one of `keys`, in key order. */
export function rowsByKey<T extends TableName>(db: Db, table: T, column: keyof Database[T] & string, keys: readonly string[]): Promise<readonly Database[T][]> {
  return selectByKeys<Database[T]>(db, `select * from "${table}" where "${column}" ${KEYS} order by "${column}"`, keys);
}

/**
 * `rowsByKey`, the rows locked for the rest of the transaction: only a
 * transaction takes it. Postgres locks them in key order, so two workers
 * never wait on each other in a circle; SQLite's writer lock already covers
 * the whole transaction.
 */
export function lockRowsByKey<T extends TableName>(tx: Tx, table: T, column: keyof Database[T] & string, keys: readonly string[]): Promise<readonly Database[T][]> {
  return selectByKeys<Database[T]>(tx, `select * from "${table}" where "${column}" ${KEYS} order by "${column}"${forUpdate(tx)}`, keys);
}

/** ` for update` to lock the rows read on Postgres; nothing on SQLite, whose writer lock already covers the whole transaction. */
export const forUpdate = (tx: Tx): string => (isPostgres(tx) ? ' for update' : '');
