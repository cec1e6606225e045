// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/** The dormancy sweep looks for active lines by their last paid activity. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('lines_activity').on('lines').columns(['state', 'last_paid_activity_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('lines_activity').execute();
}
