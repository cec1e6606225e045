// Frozen: imports nothing from the application.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const timestamp = (db: Kysely<any>) => sql.raw(db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text');

/**
 * Certificates keyed by their order's time-ordered id, with the reference as
 * a unique index: a certificate row (facts and signature, ~500 bytes) is then
 * appended at the end of the table instead of landing on a random page of
 * it, as a key made from the scrambled reference did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificates_by_order')
    .addColumn('termination_id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('issued_at', timestamp(db), (c) => c.notNull())
    .addColumn('signature', 'text')
    .addColumn('key_id', 'text')
    .execute();
  await sql`insert into certificates_by_order (termination_id, reference, facts, issued_at, signature, key_id)
    select termination_id, reference, facts, issued_at, signature, key_id from certificates`.execute(db);
  await db.schema.dropTable('certificates').execute();
  await db.schema.alterTable('certificates_by_order').renameTo('certificates').execute();
  await db.schema.createIndex('certificates_reference').on('certificates').column('reference').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificates_by_reference')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('termination_id', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('issued_at', timestamp(db), (c) => c.notNull())
    .addColumn('signature', 'text')
    .addColumn('key_id', 'text')
    .execute();
  await sql`insert into certificates_by_reference (reference, termination_id, facts, issued_at, signature, key_id)
    select reference, termination_id, facts, issued_at, signature, key_id from certificates`.execute(db);
  await db.schema.dropTable('certificates').execute();
  await db.schema.alterTable('certificates_by_reference').renameTo('certificates').execute();
}
