/**
 * Batch writes for the hot paths (bulk termination, the worker). Kysely builds
 * one node per value, which costs more than SQLite itself once a batch holds
 * thousands of values; here the SQL text is built once per shape and reused,
 * and the parameters go straight to the driver. Reads and single-row writes
 * stay on Kysely's query builder.
 */
import { CompiledQuery } from 'kysely';
import { type Tx, isPostgres } from './database.ts';
import type { Database, TableName } from './schema.ts';

type Value = string | number | null;
type Row<T extends TableName> = { [K in keyof Database[T]]: Database[T][K] };

const SQLITE_MAX_PARAMS = 30_000;
const POSTGRES_MAX_PARAMS = 60_000;
const ROWS_PER_STATEMENT = 500;

const columnTypes = new Map<string, string>();
/** Postgres column types, read from information_schema when a store opens: batch updates cast to them. */
export function rememberColumnType(table: string, column: string, type: string): void {
  columnTypes.set(`${table}.${column}`, type);
}

const quote = (name: string) => `"${name}"`;

const sqlCache = new Map<string, string>();
/** SQL text built once per shape (the key names the shape) and reused, so SQLite's statement cache finds it again. */
export function cached(key: string, build: () => string): string {
  let text = sqlCache.get(key);
  if (text === undefined) {
    text = build();
    sqlCache.set(key, text);
  }
  return text;
}

function placeholders(postgres: boolean, rows: number, columns: number, casts?: readonly string[]): string {
  const groups: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      n++;
      const cast = casts?.[c] ? `::${casts[c]}` : '';
      cells.push(postgres ? `$${n}${cast}` : '?');
    }
    groups.push(`(${cells.join(',')})`);
  }
  return groups.join(',');
}

function chunkSize(postgres: boolean, columns: number): number {
  const limit = postgres ? POSTGRES_MAX_PARAMS : SQLITE_MAX_PARAMS;
  return Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(limit / columns)));
}

/**
 * Inserts rows (all with the same columns as the first row). With `ignoreConflicts`
 * a row whose unique key already exists is skipped, which is how a retried
 * step stays idempotent. Returns the number of rows inserted.
 */
export async function insertRows<T extends TableName>(
  tx: Tx,
  table: T,
  rows: readonly Partial<Row<T>>[],
  options: { ignoreConflicts?: boolean } = {},
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const columns = Object.keys(first);
  const postgres = isPostgres(tx);
  // A table the store has not described (created after it opened) takes the plain VALUES path.
  if (postgres && columns.every((c) => columnTypes.has(`${table}.${c}`))) return insertUnnest(tx, table, columns, rows, Boolean(options.ignoreConflicts));
  const size = chunkSize(postgres, columns.length);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const text = cached(`i|${postgres}|${table}|${columns.join(',')}|${chunk.length}|${options.ignoreConflicts}`, () => {
      const conflict = options.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : '';
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) VALUES ${placeholders(postgres, chunk.length, columns.length)}${conflict}`;
    });
    const result = await tx.executeQuery(CompiledQuery.raw(text, rowParams(columns, chunk)));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

const POSTGRES_ROWS_PER_STATEMENT = 5000;

const castOf = (table: string, column: string) => `${columnTypes.get(`${table}.${column}`) ?? 'text'}[]`;

/** The values of `rows` row after row, in `columns` order: the parameters of a multi-row VALUES list. */
function rowParams(columns: readonly string[], rows: readonly object[]): Value[] {
  const params: Value[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const c of columns) params[i++] = (row as Record<string, Value>)[c] ?? null;
  return params;
}

function columnArrays(columns: readonly string[], rows: readonly object[]): Value[][] {
  return columns.map((c) => rows.map((row) => (row as Record<string, Value>)[c] ?? null));
}

/**
 * Postgres: one array parameter per column and `unnest`, so a statement of
 * thousands of rows has a handful of parameters and a trivial plan.
 */
async function insertUnnest(tx: Tx, table: string, columns: readonly string[], rows: readonly object[], ignoreConflicts: boolean): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
    const text = cached(`iu|${table}|${columns.join(',')}|${ignoreConflicts}`, () => {
      const arrays = columns.map((c, i) => `$${i + 1}::${castOf(table, c)}`).join(', ');
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) SELECT * FROM unnest(${arrays})${ignoreConflicts ? ' ON CONFLICT DO NOTHING' : ''}`;
    });
    const result = await tx.executeQuery(CompiledQuery.raw(text, columnArrays(columns, chunk)));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

/**
 * Updates rows found by `key`, each with its own values for `columns`, one
 * statement per chunk: SQLite joins against a VALUES list (its columns are
 * column1, column2, …), Postgres against typed `unnest` arrays. A key given
 * twice takes its last values, as if the rows were updated one by one.
 * Returns the number of rows changed.
 */
export async function updateRows<T extends TableName>(
  tx: Tx,
  table: T,
  key: keyof Row<T> & string,
  given: readonly Partial<Row<T>>[],
): Promise<number> {
  const first = given[0];
  if (!first) return 0;
  const rows = lastPerKey(given as readonly Record<string, Value>[], key);
  const columns = Object.keys(first).filter((c) => c !== key);
  const all = [key, ...columns];
  const postgres = isPostgres(tx);
  const size = postgres ? POSTGRES_ROWS_PER_STATEMENT : chunkSize(false, all.length);
  let changed = 0;
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    let text: string;
    let params: Value[] | Value[][];
    if (postgres) {
      text = cached(`uu|${table}|${all.join(',')}`, () => {
        const sets = columns.map((c) => `${quote(c)} = v.${quote(c)}`).join(', ');
        const arrays = all.map((c, i) => `$${i + 1}::${castOf(table, c)}`).join(', ');
        return `UPDATE ${quote(table)} AS t SET ${sets} FROM unnest(${arrays}) AS v(${all.map(quote).join(',')}) WHERE t.${quote(key)} = v.${quote(key)}`;
      });
      params = columnArrays(all, chunk);
    } else {
      text = cached(`uv|${table}|${all.join(',')}|${chunk.length}`, () => {
        const sets = columns.map((c, i) => `${quote(c)} = v.column${i + 2}`).join(', ');
        return `UPDATE ${quote(table)} SET ${sets} FROM (VALUES ${placeholders(false, chunk.length, all.length)}) AS v WHERE ${quote(table)}.${quote(key)} = v.column1`;
      });
      params = rowParams(all, chunk);
    }
    const result = await tx.executeQuery(CompiledQuery.raw(text, params));
    changed += Number(result.numAffectedRows ?? 0n);
  }
  return changed;
}

function lastPerKey(rows: readonly Record<string, Value>[], key: string): readonly Record<string, Value>[] {
  const byKey = new Map<Value, Record<string, Value>>();
  for (const row of rows) byKey.set(row[key] ?? null, row);
  return byKey.size === rows.length ? rows : [...byKey.values()];
}
