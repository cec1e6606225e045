// Frozen: imports nothing from the application.
import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * Certificate PDFs are kept once made (issue 16): rendered when first needed (a download, the CLI, an e-mail that
 * attaches one) and read back after, one per order and language. `key_id` names the key that signed the file: a
 * file signed with a key no longer in use is made again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('certificate_files')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('pdf', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('rendered_at', pg ? 'timestamptz' : 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('certificate_files_pkey', ['seq', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('certificate_files').execute();
}
