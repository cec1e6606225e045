// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * The back office's dashboard counts orders by the day they were requested and times those completed in a period:
 * without these indexes each look reads every order. Both cover what the queries read (the request's channel,
 * authority and reason; the completion's two times), so a period is read from the index alone, not the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('terminations_requested').on('terminations').columns(['requested_at', 'channel', 'authority', 'reason']).execute();
  await db.schema.createIndex('terminations_completed').on('terminations').columns(['completed_at', 'requested_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('terminations_completed').execute();
  await db.schema.dropIndex('terminations_requested').execute();
}
