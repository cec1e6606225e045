// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * A case is what lets a shop or call agent act for one customer: opened in the
 * agent's shop (the customer present, identified by an exact number or
 * document) or for the call the agent holds, and closed or expired after.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text')
    .addColumn('call_id', 'text')
    .addColumn('identified_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('staff_cases_holder').on('staff_cases').columns(['staff_id', 'customer_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_cases').execute();
}
