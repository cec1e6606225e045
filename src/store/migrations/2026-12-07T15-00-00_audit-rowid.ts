// Frozen: imports nothing from the application, so it runs the same years from now.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * On SQLite a `bigint primary key` is an index beside the table: every audit
 * entry was written twice, once in the table keyed by its hidden row id and
 * once in the index on `seq`. Declared `integer primary key`, `seq` is the
 * row id itself and the second B-tree goes (a bulk run writes about ten
 * entries per line). The table is rebuilt, since SQLite cannot change a
 * column's key in place. Postgres keeps its table: its primary key is one index already.
 */
const COLUMNS = `"at" text not null, "actor_kind" text not null, "actor_id" text not null, "channel" text not null, "entity_type" text not null, "entity_id" text not null, "action" text not null, "from_state" text, "to_state" text, "reason" text, "data" text, "prev_hash" text not null, "hash" text not null`;
const NAMES = '"seq", "at", "actor_kind", "actor_id", "channel", "entity_type", "entity_id", "action", "from_state", "to_state", "reason", "data", "prev_hash", "hash"';

async function rebuild(db: Kysely<unknown>, key: string): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql.raw(`create table "audit_log_new" ("seq" ${key} primary key, ${COLUMNS})`).execute(db);
  await sql.raw(`insert into "audit_log_new" (${NAMES}) select ${NAMES} from "audit_log" order by "seq"`).execute(db);
  await sql.raw('drop table "audit_log"').execute(db);
  await sql.raw('alter table "audit_log_new" rename to "audit_log"').execute(db);
  await sql.raw('create index "audit_entity" on "audit_log" ("entity_type", "entity_id")').execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, 'integer');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, 'bigint');
}
