/** The reassigned-numbers query's one read: per number, when its history starts and its latest disconnection. */
import { CompiledQuery } from 'kysely';
import type { NumberHistoryFacts } from '../domain/reassigned-numbers.ts';
import { type Db, isPostgres } from './database.ts';
import { selectRaw } from './raw-query.ts';

interface FactsRow {
  msisdn: string;
  first_from: string;
  last_to: string | null;
}

// One set-based statement for the whole request, answered from the covering index
// assignments_msisdn_history (msisdn, from_at, to_at) without touching the table. Postgres takes the numbers as one
// array; SQLite as one JSON array (a single parameter, whatever the count).
const PG = `select msisdn, min(from_at) as first_from, max(to_at) as last_to from number_assignments
  where msisdn = any($1::text[]) group by msisdn`;
const SQLITE = `select msisdn, min(from_at) as first_from, max(to_at) as last_to from number_assignments
  where msisdn in (select value from json_each(?)) group by msisdn`;

/** The history facts of each of `msisdns` that has any (numbers without history are missing from the map). */
export async function historyFactsOf(db: Db, msisdns: readonly string[]): Promise<Map<string, NumberHistoryFacts>> {
  const unique = [...new Set(msisdns)];
  if (unique.length === 0) return new Map();
  const rows = isPostgres(db)
    ? (await db.executeQuery<FactsRow>(CompiledQuery.raw(PG, [unique]))).rows
    : await selectRaw<FactsRow>(db, SQLITE, [JSON.stringify(unique)]);
  return new Map(rows.map((r) => [r.msisdn, { firstAssignedAt: r.first_from, lastDisconnectedAt: r.last_to }]));
}
