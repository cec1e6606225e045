// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Long SMS (issue 14): each part of a concatenated SMS, once per SMSC id (`smsc_id` unique, like inbound_sms),
 * with its sender, recipient, reference, total and place (`seq`). Parts are not messages: they live apart from
 * `inbound_sms`, which holds what the short number handles (and counts for its rate limit), and the joined
 * message goes there once every part is in. `body` is the part's text as UTF-16BE code units in base64, because
 * a UCS2 part may end in half a surrogate pair, which UTF-8 text cannot hold. `closed_at` and `outcome` say
 * what became of it (joined into `message_id`, given up on after the timeout, or late). The partial unique
 * index keeps one part per place of a message still open, whatever id a repeat comes with.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('inbound_sms_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('smsc_id', 'text', (c) => c.notNull().unique())
    .addColumn('from_number', 'text', (c) => c.notNull())
    .addColumn('to_number', 'text', (c) => c.notNull())
    .addColumn('ref', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('gsm', 'integer', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('closed_at', ts)
    .addColumn('outcome', 'text')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema.createIndex('inbound_sms_parts_message').on('inbound_sms_parts').columns(['from_number', 'to_number', 'ref', 'total', 'received_at']).execute();
  await db.schema
    .createIndex('inbound_sms_parts_open_place')
    .on('inbound_sms_parts')
    .columns(['from_number', 'to_number', 'ref', 'total', 'seq'])
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_sms_parts_open_place').execute();
  await db.schema.dropIndex('inbound_sms_parts_message').execute();
  await db.schema.dropTable('inbound_sms_parts').execute();
}
