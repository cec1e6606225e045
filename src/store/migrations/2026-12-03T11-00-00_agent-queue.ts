// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * The hotline's agent queue: one row per caller waiting for a call agent (a
 * call on hold, or a request to be called back), from `waiting` to `taken`
 * (an agent holds it) to `finished` (with an outcome), or `abandoned` (the
 * caller hung up while waiting). Waits and handle times are kept in seconds,
 * so the back office's figures are plain sums on either database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('agent_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('call_sid', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('caller_number', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('line_id', 'text')
    .addColumn('verified', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('position_at_entry', 'integer', (c) => c.notNull())
    .addColumn('enqueued_at', ts, (c) => c.notNull())
    .addColumn('taken_by', 'text')
    .addColumn('taken_at', ts)
    .addColumn('call_ended_at', ts)
    .addColumn('finished_at', ts)
    .addColumn('outcome', 'text')
    .addColumn('wait_seconds', 'integer')
    .addColumn('handle_seconds', 'integer')
    .addColumn('case_id', 'text')
    .addColumn('termination_ref', 'text')
    .execute();
  // The agents' list and a caller's place: waiting entries of a language, oldest first.
  await db.schema.createIndex('agent_queue_waiting').on('agent_queue').columns(['state', 'language', 'enqueued_at', 'id']).execute();
  // The wait estimate: a language's most recently answered entries.
  await db.schema.createIndex('agent_queue_answered').on('agent_queue').columns(['language', 'taken_at']).execute();
  // A status callback finds the call's entry; an agent finds what they hold.
  await db.schema.createIndex('agent_queue_call').on('agent_queue').columns(['call_sid']).execute();
  await db.schema.createIndex('agent_queue_holder').on('agent_queue').columns(['taken_by', 'state']).execute();
  // The figures: entries by when they joined.
  await db.schema.createIndex('agent_queue_enqueued').on('agent_queue').columns(['enqueued_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['agent_queue_enqueued', 'agent_queue_holder', 'agent_queue_call', 'agent_queue_answered', 'agent_queue_waiting']) await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('agent_queue').execute();
}
