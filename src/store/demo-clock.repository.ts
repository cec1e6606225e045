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
