// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Text-to-cancel: every SMS the short number received, once per SMSC message id (`smsc_id` unique: an SMSC
 * that delivers a message twice finds it stored), by SMPP deliver_sm or the HTTP webhook (`via`). The row is
 * also the rate limit's history per sender; `handled_at` and `outcome` say what the `sms.inbound` job did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('inbound_sms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('smsc_id', 'text', (c) => c.notNull().unique())
    .addColumn('from_number', 'text', (c) => c.notNull())
    .addColumn('to_number', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('handled_at', ts)
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('inbound_sms_from').on('inbound_sms').columns(['from_number', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_sms_from').execute();
  await db.schema.dropTable('inbound_sms').execute();
}
