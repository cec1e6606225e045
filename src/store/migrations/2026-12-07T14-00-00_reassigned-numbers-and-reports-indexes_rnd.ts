// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * - The reassigned-numbers query reads, per number, the first `from_at` and the latest `to_at`: with `to_at` in the
 *   index it is answered from the index alone (1,000 numbers a request). It serves every lookup by (msisdn, from_at)
 *   the old index did, so that one goes.
 * - The orders report pages through a period by (requested_at, id): keyset pages without a sort (named apart from
 *   the dashboard's terminations_requested, which leads with requested_at but has no id).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('assignments_msisdn_history').on('number_assignments').columns(['msisdn', 'from_at', 'to_at']).execute();
  await db.schema.dropIndex('assignments_msisdn').execute();
  await db.schema.createIndex('terminations_requested_id').on('terminations').columns(['requested_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('terminations_requested_id').execute();
  await db.schema.createIndex('assignments_msisdn').on('number_assignments').columns(['msisdn', 'from_at']).execute();
  await db.schema.dropIndex('assignments_msisdn_history').execute();
}
