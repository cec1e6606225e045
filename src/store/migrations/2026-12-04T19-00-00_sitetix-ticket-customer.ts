// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/** The site lists a signed-in customer's open tickets: without this index each look reads every ticket kept. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('shop_tickets_customer').on('shop_tickets').columns(['customer_id', 'state']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('shop_tickets_customer').execute();
}
