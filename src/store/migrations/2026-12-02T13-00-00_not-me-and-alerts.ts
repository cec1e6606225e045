// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * When the holder said a request was not theirs ("not me"), on the order; and
 * the back office's queue of things a person must look at (a "not me" first).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema.alterTable('terminations').addColumn('disowned_at', ts).execute();
  await db.schema
    .createTable('staff_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('handled_at', ts)
    .addColumn('handled_by', 'text')
    .execute();
  await db.schema.createIndex('staff_alerts_open').on('staff_alerts').columns(['handled_at', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_alerts').execute();
  await db.schema.alterTable('terminations').dropColumn('disowned_at').execute();
}
