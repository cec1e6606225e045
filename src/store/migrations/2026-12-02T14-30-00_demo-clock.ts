// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/** Demo mode's moved clock: how far ahead of real time the whole installation runs (one row). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_clock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('offset_seconds', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_clock').execute();
}
