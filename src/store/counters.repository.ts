import type { Tx } from './database.ts';

/**
 * Reserves `count` consecutive values of a named counter and returns the
 * first. The row lock serialises concurrent reservations until commit.
 */
export async function reserveSequence(tx: Tx, name: string, count: number): Promise<number> {
  const updated = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (updated) return Number(updated.value) - count + 1;
  await tx.insertInto('counters').values({ name, value: count }).execute();
  return 1;
}
