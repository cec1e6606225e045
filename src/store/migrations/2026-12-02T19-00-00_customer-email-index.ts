// Frozen: imports nothing from the application.
import { type Kysely, sql } from 'kysely';

/**
 * Signing in by e-mail (a former holder whose number went to someone else)
 * looks a customer up by lower(email): without this index every such attempt,
 * an anonymous caller's included, reads the whole customers table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_email_lower').on('customers').expression(sql`lower(email)`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_email_lower').execute();
}
