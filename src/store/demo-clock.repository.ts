/** Demo mode's stored clock offset: one row, seconds ahead of real time. */
import type { Db, Tx } from './database.ts';

export async function readClockOffset(db: Db): Promise<number> {
  const row = await db.selectFrom('demo_clock').select('offset_seconds').where('id', '=', 1).executeTakeFirst();
  return row ? Number(row.offset_seconds) : 0;
}

export async function writeClockOffset(tx: Tx, offsetSeconds: number, at: string): Promise<void> {
  await tx
    .insertInto('demo_clock')
    .values({ id: 1, offset_seconds: offsetSeconds, updated_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ offset_seconds: offsetSeconds, updated_at: at }))
    .execute();
}

/**
 * Moves the end of the sessions and trusted devices still valid at `now` by
 * `seconds`, so a demo's jump forward does not sign everyone out (a session
 * lasts as long in demo time as it would have in real time).
 */
export async function carrySessionsForward(tx: Tx, seconds: number, now: string): Promise<void> {
  for (const table of ['sessions', 'trusted_devices'] as const) {
    const rows = await tx.selectFrom(table).select(['token_hash', 'expires_at']).where('expires_at', '>', now).execute();
    for (const row of rows) {
      const expiresAt = new Date(Date.parse(row.expires_at) + seconds * 1000).toISOString();
      await tx.updateTable(table).set({ expires_at: expiresAt }).where('token_hash', '=', row.token_hash).execute();
    }
  }
}
