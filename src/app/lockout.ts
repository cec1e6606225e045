import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { addMinutes } from '../domain/time.ts';
import type { Db } from '../store/database.ts';

/**
 * Attempts per key (`signin:+7999…`, `signin-addr:203.0.113.5`, `otp:…`) inside
 * a window as long as the lock-out. An attempt is counted *before* the secret
 * is checked, with one atomic upsert, so parallel guesses cannot slip past the
 * limit; a success gives its attempt back.
 */
export async function assertNotLocked(db: Db, keys: readonly string[], now: string, code: 'AUTH_LOCKED' | 'OTP_LOCKED'): Promise<void> {
  const rows = await db.selectFrom('auth_failures').selectAll().where('key', 'in', [...keys]).execute();
  const locked = rows.find((r) => r.locked_until && r.locked_until > now);
  if (locked?.locked_until) throw new AppError(code, { until: locked.locked_until });
}

async function countAttempt(db: Db, key: string, now: string, windowStart: string): Promise<number> {
  const stale = sql<boolean>`(auth_failures.first_at < ${windowStart} or (auth_failures.locked_until is not null and auth_failures.locked_until <= ${now}))`;
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

/**
 * Counts one attempt on every key; `limits` pairs each key with how many
 * attempts it allows. Over a limit, the key locks until the lock-out ends and
 * the attempt is refused with `code`.
 */
export async function takeAttempt(
  db: Db,
  limits: readonly (readonly [string, number])[],
  now: string,
  lockoutMinutes: number,
  code: 'AUTH_LOCKED' | 'OTP_LOCKED',
): Promise<void> {
  const windowStart = addMinutes(now, -lockoutMinutes);
  for (const [key, max] of limits) {
    const attempts = await countAttempt(db, key, now, windowStart);
    if (attempts > max) {
      const until = addMinutes(now, lockoutMinutes);
      await db.updateTable('auth_failures').set({ locked_until: until }).where('key', '=', key).execute();
      throw new AppError(code, { until });
    }
  }
}

/** After a success: the subject's count starts again; an address gets its attempt back. */
export async function attemptSucceeded(db: Db, subjectKey: string, addressKey: string): Promise<void> {
  await db.deleteFrom('auth_failures').where('key', '=', subjectKey).execute();
  await db.updateTable('auth_failures').set((eb) => ({ failures: eb('failures', '-', 1) })).where('key', '=', addressKey).where('failures', '>', 0).execute();
}

/** Locks a key at once (the last allowed attempt just failed). */
export async function lockNow(db: Db, key: string, now: string, lockoutMinutes: number): Promise<string> {
  const until = addMinutes(now, lockoutMinutes);
  await db.updateTable('auth_failures').set({ locked_until: until }).where('key', '=', key).execute();
  return until;
}
