// Frozen: imports nothing from the application.
import type { Kysely } from 'kysely';

/**
 * A reclaimed number's new eSIM gets a real profile (issue 15): once the SM-DP+ has confirmed the order, the
 * profile row keeps the activation code the subscriber installs it with (`LPA:1$<SM-DP+>$<matching id>`), shown
 * on the site and sent by e-mail. Null until then, and for stock and profiles that came in with their code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('esim_profiles').addColumn('activation_code', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('esim_profiles').dropColumn('activation_code').execute();
}
