// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * The phone hotline's calls: one row per call the voice platform sent us (its CallSid unique), holding the
 * call flow's state so any server process can answer the next webhook and a restart loses nothing. `version`
 * moves by one per turn: a webhook advances the call only from the version its Gather named, so two webhooks
 * for one turn cannot both advance it. The figures the back office reads (outcome, started/answered/handed
 * over/ended) are columns. `voice_webhooks` keeps a digest of every signed webhook seen, to refuse a replay.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('call_sid', 'text', (c) => c.notNull().unique())
    .addColumn('from_number', 'text', (c) => c.notNull())
    .addColumn('to_number', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('wrong_inputs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('slow', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_id', 'text')
    .addColumn('line_id', 'text')
    .addColumn('verified', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('reference', 'text')
    .addColumn('agent_entry_id', 'text')
    .addColumn('platform_status', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('answered_at', ts)
    .addColumn('handed_over_at', ts)
    .addColumn('ended_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_started').on('calls').columns(['started_at']).execute();
  await db.schema.createIndex('calls_from').on('calls').columns(['from_number', 'started_at']).execute();
  await db.schema
    .createTable('voice_webhooks')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('call_sid', 'text', (c) => c.notNull())
    .addColumn('seen_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('voice_webhooks_seen').on('voice_webhooks').columns(['seen_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('voice_webhooks_seen').execute();
  await db.schema.dropTable('voice_webhooks').execute();
  await db.schema.dropIndex('calls_from').execute();
  await db.schema.dropIndex('calls_started').execute();
  await db.schema.dropTable('calls').execute();
}
