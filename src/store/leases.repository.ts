/**
 * Leader leases: work that one worker at a time may do (the scheduled sweep of numbers) belongs to whoever
 * holds its row. Every change is one conditional statement, so two workers racing for a lease cannot both win,
 * on SQLite and on Postgres alike; a lease whose holder stops renewing it runs out and is free to take.
 */
import type { Db } from './database.ts';

/**
 * Takes the lease `name` for `holder` until `until`, if its work is due at `now` and nobody else holds it (or
 * their hold ran out). One INSERT … ON CONFLICT DO UPDATE … WHERE: of racing workers exactly one gets true.
 * The first take of a lease that was never taken creates it, due now.
 */
export async function takeLease(db: Db, name: string, holder: string, now: string, until: string): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: until, due_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at'), updated_at: eb.ref('excluded.updated_at') }))
        .where((eb) => eb.and([eb('leases.due_at', '<=', now), eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends the holder's lease to `until`; false when it is no longer theirs (it ran out and another worker took it). */
export async function renewLease(db: Db, name: string, holder: string, now: string, until: string): Promise<boolean> {
  const r = await db.updateTable('leases').set({ expires_at: until, updated_at: now }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives the lease up, its work next due at `nextDueAt`; does nothing when it is no longer the holder's. */
export async function finishLease(db: Db, name: string, holder: string, now: string, nextDueAt: string): Promise<boolean> {
  const r = await db.updateTable('leases').set({ expires_at: now, due_at: nextDueAt, updated_at: now }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** When the lease's work is next due and whether someone holds it at `now` (undefined: never taken, so due). */
export async function leaseState(db: Db, name: string, now: string): Promise<{ dueAt: string; held: boolean; holder: string } | undefined> {
  const row = await db.selectFrom('leases').select(['holder', 'expires_at', 'due_at']).where('name', '=', name).executeTakeFirst();
  return row ? { dueAt: row.due_at, held: row.expires_at > now, holder: row.holder } : undefined;
}
