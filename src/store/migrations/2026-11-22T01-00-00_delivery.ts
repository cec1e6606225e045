// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * What delivering the notification outbox needs: attempts and the next one,
 * a lease taken before a send (state `sending`), what the provider called the
 * message, and its delivery receipt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';

  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  const columns: [string, ColumnDataType, boolean][] = [
    ['attempts', 'integer', true],
    // Null means "as soon as possible": rows written before this migration, and by notifiers that do not set it.
    ['next_attempt_at', ts, false],
    ['leased_until', ts, false],
    ['leased_by', 'text', false],
    ['provider_id', 'text', false],
    // Set when sending gives up, or when a receipt says the message was not delivered.
    ['failed_at', ts, false],
    ['delivered_at', ts, false],
    ['receipt_status', 'text', false],
  ];
  for (const [name, type, counter] of columns) {
    await db.schema
      .alterTable('notifications')
      .addColumn(name, type, (c) => (counter ? c.notNull().defaultTo(0) : c))
      .execute();
  }

  // Only messages still to send are in this index, so claims stay cheap however long the history grows.
  await db.schema
    .createIndex('notifications_pending')
    .on('notifications')
    .columns(['state', 'created_at'])
    .where(sql.ref('state'), 'in', [sql.lit('queued'), sql.lit('sending')])
    .execute();
  await db.schema.createIndex('notifications_provider').on('notifications').column('provider_id').execute();
  // Messages that will not arrive (sending gave up, or the receipt said so), for the back office.
  await db.schema.createIndex('notifications_failed').on('notifications').column('failed_at').where(sql.ref('failed_at'), 'is not', null).execute();

  // Receipts as the provider sends them, kept even when they arrive before the send is recorded.
  await db.schema
    .createTable('delivery_receipts')
    .addColumn('provider_id', 'text', (c) => c.primaryKey())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_receipts').execute();
  await db.schema.dropIndex('notifications_failed').execute();
  await db.schema.dropIndex('notifications_provider').execute();
  await db.schema.dropIndex('notifications_pending').execute();
  for (const c of ['receipt_status', 'delivered_at', 'failed_at', 'provider_id', 'leased_by', 'leased_until', 'next_attempt_at', 'attempts']) {
    await db.schema.alterTable('notifications').dropColumn(c).execute();
  }
}
