
import { referenceSequence } from '../domain/reference.ts';
import { FINAL_TERMINATION_STATES, type Termination, type TerminationState } from '../domain/termination.ts';
import { insertRows, updateRows } from './bulk.ts';
import type { Db, Tx } from './database.ts';
import { fromTermination, toTermination } from './mapping.ts';
import { forUpdate, inChunks, lockRowsByKey, rowsByKey, selectRaw } from './raw-query.ts';
import type { TerminationsTable } from './schema.ts';

export async function insertTerminations(tx: Tx, rows: readonly { termination: Termination; bulkKey: string | null }[]): Promise<void> {
  await insertRows(
    tx,
    'terminations',
    rows.map((r) => fromTermination(r.termination, r.bulkKey)),
  );
}

// Set when the order is created and never changed: leaving them out of the
// UPDATE keeps SQLite and Postgres from rewriting the indexes on them.
const IMMUTABLE = ['reference', 'seq', 'line_id', 'customer_id', 'account_id', 'msisdn', 'sim_type', 'channel', 'authority', 'requested_by_kind', 'requested_by_id', 'requested_at', 'line_state_before', 'bulk_key'] as const;

/** Writes back the columns of changed terminations that can change. */
export async function saveTerminations(tx: Tx, terminations: readonly Termination[]): Promise<void> {
  await updateRows(
    tx,
    'terminations',
    'id',
    terminations.map((t) => {
      const row: Partial<Record<keyof TerminationsTable, unknown>> = fromTermination(t);
      for (const column of IMMUTABLE) delete row[column];
      return row as Partial<TerminationsTable>;
    }),
  );
}

// A row the committed reader keeps (frozen, handed out again while nothing changes) is mapped once: an order
// polled by its app would otherwise parse the same quote, warnings and step log on every request.
const mappedRows = new WeakMap<TerminationsTable, Termination>();
function toTerminationOnce(row: TerminationsTable): Termination {
  if (!Object.isFrozen(row)) return toTermination(row);
  let mapped = mappedRows.get(row);
  if (!mapped) {
    mapped = Object.freeze(toTermination(row));
    mappedRows.set(row, mapped);
  }
  return mapped;
}

export async function terminationsById(db: Db, ids: readonly string[]): Promise<Map<string, Termination>> {
  const rows = await rowsByKey(db, 'terminations', 'id', ids);
  return new Map(rows.map((r) => [r.id, toTerminationOnce(r)]));
}

/** `terminationsById`, the rows locked for the rest of the transaction. */
export async function lockTerminationsById(tx: Tx, ids: readonly string[]): Promise<Map<string, Termination>> {
  const rows = await lockRowsByKey(tx, 'terminations', 'id', ids);
  return new Map(rows.map((r) => [r.id, toTerminationOnce(r)]));
}

/** The order with this reference (in canonical form, see normalizeReference), found by the sequence number it decodes to. */
export async function terminationByReference(db: Db, reference: string): Promise<Termination | undefined> {
  const seq = referenceSequence(reference);
  if (seq === undefined) return undefined;
  const [row] = await selectRaw<TerminationsTable>(db, 'select * from terminations where seq = ? and reference = ?', [seq, reference]);
  return row ? toTerminationOnce(row) : undefined;
}

/** `terminationByReference`, the row locked for the rest of the transaction. */
export async function lockTerminationByReference(tx: Tx, reference: string): Promise<Termination | undefined> {
  const seq = referenceSequence(reference);
  if (seq === undefined) return undefined;
  const [row] = await selectRaw<TerminationsTable>(tx, `select * from terminations where seq = ? and reference = ?${forUpdate(tx)}`, [seq, reference]);
  return row ? toTerminationOnce(row) : undefined;
}

export async function openTerminationsByLine(db: Db, lineIds: readonly string[]): Promise<Map<string, Termination>> {
  const rows = await inChunks(lineIds, (chunk) =>
    db
      .selectFrom('terminations')
      .selectAll()
      .where('line_id', 'in', chunk)
      .where('state', 'not in', [...FINAL_TERMINATION_STATES])
      .execute(),
  );
  return new Map(rows.map((r) => [r.line_id, toTermination(r)]));
}

/** Open orders waiting on blockers for an account or a customer: re-evaluated after a payment or a verification. */
export async function blockedTerminations(db: Db, where: { accountId?: string; customerId?: string }): Promise<Termination[]> {
  let q = db.selectFrom('terminations').selectAll().where('state', 'in', ['blocked', 'awaiting_confirmation']);
  if (where.accountId) q = q.where('account_id', '=', where.accountId);
  if (where.customerId) q = q.where('customer_id', '=', where.customerId);
  return (await q.execute()).map(toTermination);
}

export async function bulkKeysTaken(db: Db, keys: readonly string[]): Promise<Map<string, Termination>> {
  const rows = await inChunks(keys, (chunk) => db.selectFrom('terminations').selectAll().where('bulk_key', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.bulk_key ?? '', toTermination(r)]));
}

export async function listTerminations(
  db: Db,
  options: { state?: TerminationState; customerId?: string; limit: number },
): Promise<Termination[]> {
  let q = db.selectFrom('terminations').selectAll().orderBy('requested_at', 'desc').limit(options.limit);
  if (options.state) q = q.where('state', '=', options.state);
  if (options.customerId) q = q.where('customer_id', '=', options.customerId);
  return (await q.execute()).map(toTermination);
}

export async function countTerminationsByState(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('terminations')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** One page of orders, newest first, with how many match in all; `states` empty matches none, absent matches every order. */
export async function terminationsPage(db: Db, options: { states?: readonly TerminationState[]; offset: number; limit: number }): Promise<{ total: number; terminations: Termination[] }> {
  const { states } = options;
  const matching = () => (states === undefined ? db.selectFrom('terminations') : db.selectFrom('terminations').where('state', 'in', states.length > 0 ? [...states] : ['-' as TerminationState]));
  const total = Number((await matching().select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await matching().selectAll().orderBy('requested_at', 'desc').orderBy('id').offset(options.offset).limit(options.limit).execute();
  return { total, terminations: rows.map(toTermination) };
}

/** How many orders there are in each state and channel (the metrics gauge). */
export async function countTerminationsByStateAndChannel(db: Db): Promise<{ state: string; channel: string; count: number }[]> {
  const rows = await db.selectFrom('terminations').select(['state', 'channel', (eb) => eb.fn.countAll().as('n')]).groupBy(['state', 'channel']).execute();
  return rows.map((r) => ({ state: r.state, channel: r.channel, count: Number(r.n) }));
}
