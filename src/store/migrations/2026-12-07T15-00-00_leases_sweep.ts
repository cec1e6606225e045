// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Leader leases (issue 17): work only one worker may do at a time, such as the scheduled sweep of numbers, is
 * done by whoever holds its row. A lease runs out at `expires_at` (its holder died or stalled) and is then free
 * to take; `due_at` is when the work is next due, so workers agree on the schedule without talking.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute();
}
