// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/** The Ed25519 signature over a certificate's canonical facts, and the key that made it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').addColumn('signature', 'text').execute();
  await db.schema.alterTable('certificates').addColumn('key_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').dropColumn('key_id').execute();
  await db.schema.alterTable('certificates').dropColumn('signature').execute();
}
