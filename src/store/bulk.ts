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

/** A statement with its parameters, built before it runs (a benchmark times the running alone). */
export interface Statement {
  readonly text: string;
  readonly params: Value[] | Value[][];
}

/** The statements that insert `rows` (all with the columns of the first): multi-row VALUES, or `unnest` arrays on Postgres. */
export function insertStatements<T extends TableName>(postgres: boolean, table: T, rows: readonly Partial<Row<T>>[], options: { ignoreConflicts?: boolean } = {}): Statement[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const ignore = Boolean(options.ignoreConflicts);
  const statements: Statement[] = [];
  // A table the store has not described (created after it opened) takes the plain VALUES path.
  if (postgres && columns.every((c) => columnTypes.has(`${table}.${c}`))) {
    const text = cached(`iu|${table}|${columns.join(',')}|${ignore}`, () => {
      const arrays = columns.map((c, i) => `$${i + 1}::${castOf(table, c)}`).join(', ');
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) SELECT * FROM unnest(${arrays})${ignore ? ' ON CONFLICT DO NOTHING' : ''}`;
    });
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) statements.push({ text, params: columnArrays(columns, rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT)) });
    return statements;
  }
  const size = chunkSize(postgres, columns.length);
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const text = cached(`i|${postgres}|${table}|${columns.join(',')}|${chunk.length}|${ignore}`, () => {
      const conflict = ignore ? ' ON CONFLICT DO NOTHING' : '';
      return `INSERT INTO ${quote(table)} (${columns.map(quote).join(',')}) VALUES ${placeholders(postgres, chunk.length, columns.length)}${conflict}`;
    });
    statements.push({ text, params: rowParams(columns, chunk) });
  }
  return statements;
}

/** Runs statements in the caller's transaction; the rows they changed. */
export async function runStatements(tx: Tx, statements: readonly Statement[]): Promise<number> {
  let changed = 0;
  for (const s of statements) changed += Number((await tx.executeQuery(CompiledQuery.raw(s.text, s.params as unknown[]))).numAffectedRows ?? 0n);
  return changed;
}

/**
 * Inserts rows (all with the same columns as the first row). With `ignoreConflicts`
 * a row whose unique key already exists is skipped, which is how a retried
 * step stays idempotent. Returns the number of rows inserted.
 */
export function insertRows<T extends TableName>(tx: Tx, table: T, rows: readonly Partial<Row<T>>[], options: { ignoreConflicts?: boolean } = {}): Promise<number> {
  return runStatements(tx, insertStatements(isPostgres(tx), table, rows, options));
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
 * Updates rows found by `key`, each with its own values for `columns`, one
 * statement per chunk: SQLite joins against a VALUES list (its columns are
 * column1, column2, …), Postgres against typed `unnest` arrays. A key given
 * twice takes its last values, as if the rows were updated one by one.
 * Returns the number of rows changed.
 */
export function updateRows<T extends TableName>(tx: Tx, table: T, key: keyof Row<T> & string, given: readonly Partial<Row<T>>[]): Promise<number> {
  return runStatements(tx, updateStatements(isPostgres(tx), table, key, given));
}

/** The statements of `updateRows`, built without running them. */
export function updateStatements<T extends TableName>(postgres: boolean, table: T, key: keyof Row<T> & string, given: readonly Partial<Row<T>>[]): Statement[] {
  const first = given[0];
  if (!first) return [];
  const rows = lastPerKey(given as readonly Record<string, Value>[], key);
  const columns = Object.keys(first).filter((c) => c !== key);
  const all = [key, ...columns];
  const size = postgres ? POSTGRES_ROWS_PER_STATEMENT : chunkSize(false, all.length);
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    if (postgres) {
      const text = cached(`uu|${table}|${all.join(',')}`, () => {
        const sets = columns.map((c) => `${quote(c)} = v.${quote(c)}`).join(', ');
        const arrays = all.map((c, i) => `$${i + 1}::${castOf(table, c)}`).join(', ');
        return `UPDATE ${quote(table)} AS t SET ${sets} FROM unnest(${arrays}) AS v(${all.map(quote).join(',')}) WHERE t.${quote(key)} = v.${quote(key)}`;
      });
      statements.push({ text, params: columnArrays(all, chunk) });
    } else {
      const text = cached(`uv|${table}|${all.join(',')}|${chunk.length}`, () => {
        const sets = columns.map((c, i) => `${quote(c)} = v.column${i + 2}`).join(', ');
        return `UPDATE ${quote(table)} SET ${sets} FROM (VALUES ${placeholders(false, chunk.length, all.length)}) AS v WHERE ${quote(table)}.${quote(key)} = v.column1`;
      });
      statements.push({ text, params: rowParams(all, chunk) });
    }
  }
  return statements;
}

function lastPerKey(rows: readonly Record<string, Value>[], key: string): readonly Record<string, Value>[] {
  const byKey = new Map<Value, Record<string, Value>>();
  for (const row of rows) byKey.set(row[key] ?? null, row);
  return byKey.size === rows.length ? rows : [...byKey.values()];
}
