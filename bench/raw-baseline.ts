/**
 * The honest ceiling for bench:bulk: the rows the engine wrote, written again
 * into a fresh copy of the same schema (the same tables, indexes and foreign
 * keys) by the fastest plain method found here — values read and statements
 * built before the clock starts, multi-row VALUES on SQLite and `unnest`
 * arrays on Postgres, 50,000 rows per transaction, keys as the engine's.
 * Only running the statements is timed. The rows the engine updated
 * (lines, numbers, SIMs, accounts, assignments) are copied first as they were
 * before the run, and updated to what the engine left, timed the same way.
 */
import { CompiledQuery, sql } from 'kysely';
import { inTransaction, type Store } from '../src/store/database.ts';
import { insertStatements, runStatements, type Statement, updateStatements } from '../src/store/bulk.ts';
import type { TableName } from '../src/store/schema.ts';

const PAGE = 50_000;

/** Tables the engine inserts into, with the key their rows are paged by. A run that grows another table stops the bench. */
const INSERTED: Partial<Record<TableName, string>> = {
  terminations: 'id',
  jobs: 'id',
  audit_log: 'seq',
  notifications: 'id',
  certificates: 'seq',
  ledger_entries: 'id',
  network_barrings: 'key',
};

/** A row per event sink, not per line: left out. */
const BOOKKEEPING = new Set(['event_cursors']);

type Row = Record<string, string | number | null>;

/** The tables the seed made and the run changes, in foreign-key order, with what each looked like before the run and what the run changed. */
const UPDATED: { table: TableName; key: string; changed: readonly string[]; before: (r: Row) => Row; where: string }[] = [
  { table: 'customers', key: 'id', changed: [], before: (r) => r, where: '1 = 0' },
  { table: 'accounts', key: 'id', changed: ['balance'], before: (r) => r, where: "id in (select account_id from lines where state = 'terminated')" },
  { table: 'numbers', key: 'msisdn', changed: ['state', 'quarantine_until', 'updated_at'], before: (r) => (r.state === 'quarantined' ? { ...r, state: 'assigned', quarantine_until: null } : r), where: "state = 'quarantined'" },
  { table: 'lines', key: 'id', changed: ['state', 'terminated_at'], before: (r) => (r.state === 'terminated' ? { ...r, state: 'active', terminated_at: null } : r), where: "state = 'terminated'" },
  { table: 'number_assignments', key: 'id', changed: ['to_at'], before: (r) => ({ ...r, to_at: null }), where: 'to_at is not null' },
  { table: 'sims', key: 'iccid', changed: ['state', 'updated_at'], before: (r) => (r.state === 'returned' || r.state === 'destroyed' ? { ...r, state: 'active' } : r), where: "state in ('returned', 'destroyed')" },
  { table: 'esim_profiles', key: 'iccid', changed: ['state', 'awaiting_device_deletion_since', 'updated_at'], before: (r) => r, where: "iccid in (select iccid from lines where state = 'terminated')" },
];

async function* pages(store: Store, table: string, key: string, where = '1 = 1'): AsyncGenerator<Row[]> {
  let after: string | number | null = null;
  for (;;) {
    const cond: string = after === null ? where : `(${where}) and "${key}" > ${store.dialect === 'postgres' ? '$1' : '?'}`;
    const params: unknown[] = after === null ? [] : [after];
    const { rows }: { rows: Row[] } = await store.db.executeQuery<Row>(CompiledQuery.raw(`select * from "${table}" where ${cond} order by "${key}" limit ${PAGE}`, params));
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.[key] ?? null;
    if (rows.length < PAGE) return;
  }
}

export async function countRows(store: Store, tables: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of tables) counts.set(t, Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(store.db)).rows[0]?.n ?? 0));
  return counts;
}

/** Writes into `target` (migrated, empty) what the engine wrote into `source`; the seconds the writing took, and how many rows. */
export async function rawBaseline(source: Store, target: Store, grown: readonly string[]): Promise<{ seconds: number; rows: number }> {
  const unknown = grown.filter((t) => !(t in INSERTED) && !UPDATED.some((u) => u.table === t) && !BOOKKEEPING.has(t));
  if (unknown.length > 0) throw new Error(`the engine wrote rows into ${unknown.join(', ')}: add them to the raw baseline (bench/raw-baseline.ts) so it stays a fair ceiling`);
  const postgres = target.dialect === 'postgres';
  let seconds = 0;
  let rows = 0;
  const timed = async (statements: Statement[], n: number) => {
    const started = performance.now();
    await inTransaction(target, (tx) => runStatements(tx, statements));
    seconds += (performance.now() - started) / 1000;
    rows += n;
  };
  // The seeded rows, as they were before the run (not timed).
  for (const u of UPDATED) {
    for await (const page of pages(source, u.table, u.key)) {
      await inTransaction(target, (tx) => runStatements(tx, insertStatements(postgres, u.table, page.map(u.before) as never)));
    }
  }
  for (const [table, key] of Object.entries(INSERTED) as [TableName, string][]) {
    if (!grown.includes(table)) continue;
    for await (const page of pages(source, table, key)) await timed(insertStatements(postgres, table, page as never), page.length);
  }
  for (const u of UPDATED) {
    if (u.changed.length === 0) continue;
    for await (const page of pages(source, u.table, u.key, u.where)) {
      const values = page.map((r) => Object.fromEntries([u.key, ...u.changed].map((c) => [c, r[c] ?? null])));
      await timed(updateStatements(postgres, u.table, u.key as never, values as never), page.length);
    }
  }
  return { seconds, rows };
}
