// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * The dormancy notices a line was sent for one period of non-use (its last
 * paid activity): which notice (days before the end), the end date it told the
 * subscriber, and when it was queued. A line is ended only once every notice of
 * the policy was sent (the outbox says so) far enough ahead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dormancy_notices')
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('activity_at', 'text', (c) => c.notNull())
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('termination_at', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dormancy_notices_pkey', ['line_id', 'activity_at', 'days_before'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dormancy_notices').execute();
}
