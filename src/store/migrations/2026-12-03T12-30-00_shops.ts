// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * The shop (issue 14): shops with their time zone, languages and weekly hours (JSON), their counters ("windows")
 * and service types, the queue tickets from kiosk or remote issue to served, and one service-time record per
 * finished ticket (shop, service, local date and hour, wait and service seconds), which the wait estimate and the
 * back office's figures read. Lists (languages, services, the checklist) are JSON text on both databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('shops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('weekly_hours', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('shop_counters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shop_counters_shop').on('shop_counters').columns(['shop_id', 'label']).unique().execute();
  await db.schema
    .createTable('shop_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id'))
    .addColumn('letter', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shop_services_letter').on('shop_services').columns(['shop_id', 'letter']).unique().execute();
  await db.schema
    .createTable('shop_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull().references('shops.id'))
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('remote', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('counter_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('issued_at', ts, (c) => c.notNull())
    .addColumn('arrived_at', ts)
    .addColumn('transferred_at', ts)
    .addColumn('called_at', ts)
    .addColumn('recalls', 'integer', (c) => c.notNull())
    .addColumn('served_at', ts)
    .addColumn('finished_at', ts)
    .addColumn('customer_id', 'text')
    .addColumn('phone', 'text')
    .addColumn('notice_sent_at', ts)
    .addColumn('document_checked_at', ts)
    .addColumn('line_id', 'text')
    .addColumn('sim_outcome', 'text')
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('termination_ref', 'text')
    .execute();
  // The queue of a shop: open tickets by state; the board: calls of a shop, newest first.
  await db.schema.createIndex('shop_tickets_queue').on('shop_tickets').columns(['shop_id', 'state', 'issued_at']).execute();
  await db.schema.createIndex('shop_tickets_called').on('shop_tickets').columns(['shop_id', 'called_at']).execute();
  await db.schema
    .createTable('shop_service_times')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('local_hour', 'integer', (c) => c.notNull())
    .addColumn('wait_seconds', 'integer', (c) => c.notNull())
    .addColumn('service_seconds', 'integer', (c) => c.notNull())
    .addColumn('finished_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shop_service_times_recent').on('shop_service_times').columns(['shop_id', 'service_id', 'finished_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['shop_service_times_recent', 'shop_tickets_called', 'shop_tickets_queue', 'shop_services_letter', 'shop_counters_shop']) await db.schema.dropIndex(index).execute();
  for (const table of ['shop_service_times', 'shop_tickets', 'shop_services', 'shop_counters', 'shops']) await db.schema.dropTable(table).execute();
}
