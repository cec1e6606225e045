/** Guess and send counters per key, with the lock each may carry (the rules are app/lockout.ts). */
import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Counts one on a key with one atomic upsert (parallel guesses all count) and
 * returns the count. A key starts again at 1 when stale: unlocked and first
 * counted before `windowStart`, or its lock ended before `lockEndedBefore`.
 */
export async function countOnKey(db: Db, key: string, now: string, windowStart: string, lockEndedBefore: string): Promise<number> {
  const stale = sql<boolean>`(case when auth_failures.locked_until is null then auth_failures.first_at < ${windowStart} else auth_failures.locked_until < ${lockEndedBefore} end)`;
  const row = await db
    .insertInto('auth_failures')
    .values({ key, failures: 1, first_at: now, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when ${stale} then 1 else auth_failures.failures + 1 end`,
        first_at: sql`case when ${stale} then excluded.first_at else auth_failures.first_at end`,
        locked_until: sql`case when ${stale} then null else auth_failures.locked_until end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** The latest end of a lock still running at `now` on any of the keys. */
export async function latestLockAmong(db: Db, keys: readonly string[], now: string): Promise<string | undefined> {
  const rows = await db.selectFrom('auth_failures').select(['locked_until']).where('key', 'in', [...keys]).where('locked_until', '>', now).execute();
  return rows.map((r) => r.locked_until as string).sort().at(-1);
}

export async function lockKeyUntil(db: Db, key: string, until: string): Promise<void> {
  await db.updateTable('auth_failures').set({ locked_until: until }).where('key', '=', key).execute();
}

export async function failuresOn(db: Db, key: string): Promise<number> {
  const row = await db.selectFrom('auth_failures').select('failures').where('key', '=', key).executeTakeFirst();
  return Number(row?.failures ?? 0);
}

/** When the key's current window started (it must exist). */
export async function firstCountedAt(db: Db, key: string): Promise<string> {
  const row = await db.selectFrom('auth_failures').select('first_at').where('key', '=', key).executeTakeFirstOrThrow();
  return row.first_at;
}

export async function clearKeys(db: Db, keys: readonly string[]): Promise<void> {
  await db.deleteFrom('auth_failures').where('key', 'in', [...keys]).execute();
}

/** Takes one off a key's count (never below zero). */
export async function countOneLess(db: Db, key: string): Promise<void> {
  await db.updateTable('auth_failures').set((eb) => ({ failures: eb('failures', '-', 1) })).where('key', '=', key).where('failures', '>', 0).execute();
}
