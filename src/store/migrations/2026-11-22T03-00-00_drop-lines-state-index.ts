// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * `lines_activity (state, last_paid_activity_at)` answers every query by
 * state that `lines_state` did, so the second index only cost two index
 * writes per line on each termination.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('lines_state').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('lines_state').on('lines').column('state').execute();
}
