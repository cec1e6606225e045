// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * Shop set-up by administrators (issue 14): a shop's name and address per language (JSON objects keyed ru/en/zh;
 * `shops.name` stays, the name in the shop's first language, for readers that know only it) and a counter taken
 * out of service (no ticket is called to it). Shops set up before keep `{}`: their one name stands for every
 * language until an administrator names them. One column per statement: SQLite alters one at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shops').addColumn('names', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('shops').addColumn('address', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('shop_counters').addColumn('out_of_service', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('shop_counters').dropColumn('out_of_service').execute();
  await db.schema.alterTable('shops').dropColumn('address').execute();
  await db.schema.alterTable('shops').dropColumn('names').execute();
}
