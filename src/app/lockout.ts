import { AppError } from '../domain/errors.ts';
import { addMinutes, ms } from '../domain/time.ts';
import type { Db } from '../store/database.ts';

/**
 * Counts failures per key (`signin:+7999…`, `addr:203.0.113.5`, `otp:+7999…`)
 * inside a window as long as the lock-out; at `maxFailures` the key is locked
 * until the lock-out ends.
 */
export async function assertNotLocked(db: Db, keys: readonly string[], now: string, code: 'AUTH_LOCKED' | 'OTP_LOCKED'): Promise<void> {
  const rows = await db.selectFrom('auth_failures').selectAll().where('key', 'in', [...keys]).execute();
  const locked = rows.find((r) => r.locked_until && r.locked_until > now);
  if (locked?.locked_until) throw new AppError(code, { until: locked.locked_until });
}

/** `limits` pairs each key with how many failures lock it. */
export async function recordFailure(db: Db, limits: readonly (readonly [string, number])[], now: string, lockoutMinutes: number): Promise<boolean> {
  let lockedNow = false;
  for (const [key, maxFailures] of limits) {
    const row = await db.selectFrom('auth_failures').selectAll().where('key', '=', key).executeTakeFirst();
    const fresh = !row || ms(row.first_at) < ms(now) - lockoutMinutes * 60_000 || (row.locked_until !== null && row.locked_until <= now);
    const failures = fresh ? 1 : Number(row.failures) + 1;
    const lockedUntil = failures >= maxFailures ? addMinutes(now, lockoutMinutes) : null;
    if (lockedUntil) lockedNow = true;
    if (!row) {
      await db.insertInto('auth_failures').values({ key, failures, first_at: now, locked_until: lockedUntil }).onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until: lockedUntil })).execute();
    } else {
      await db.updateTable('auth_failures').set({ failures, first_at: fresh ? now : row.first_at, locked_until: lockedUntil }).where('key', '=', key).execute();
    }
  }
  return lockedNow;
}

export async function clearFailures(db: Db, keys: readonly string[]): Promise<void> {
  await db.deleteFrom('auth_failures').where('key', 'in', [...keys]).execute();
}
