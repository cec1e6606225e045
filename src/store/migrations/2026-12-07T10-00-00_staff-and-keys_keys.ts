// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Staff and integrator keys managed by administrators (issue 17): a staff member can be disabled (kept, for the
 * audit trail and the names on old orders, but signs in no more), and an API key records when it was last used and
 * when it was revoked (a revoked key is kept, so the list still says what it was). One column per statement:
 * SQLite alters one at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema.alterTable('staff').addColumn('disabled_at', ts).execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', ts).execute();
  await db.schema.alterTable('api_keys').addColumn('revoked_at', ts).execute();
  await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('created_by').execute();
  await db.schema.alterTable('api_keys').dropColumn('revoked_at').execute();
  await db.schema.alterTable('api_keys').dropColumn('last_used_at').execute();
  await db.schema.alterTable('staff').dropColumn('disabled_at').execute();
}
