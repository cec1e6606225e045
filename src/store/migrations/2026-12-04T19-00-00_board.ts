// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The lobby board's feed (issue 14): every call or recall of a ticket is a row of `shop_calls`, numbered per
 * shop by `seq` with no gaps, so a board served by any process reads the calls after the last one it showed.
 * `shop_board_cursors` holds each shop's last `seq`; a call bumps it in its own transaction, and on Postgres the
 * row lock this takes makes a second call of the same shop wait for the first to commit, so the numbers are
 * committed in order and a reader never skips one that commits late. Tickets at a counter when this runs get a
 * row each, so the board does not go blank after the upgrade.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('shop_board_cursors')
    .addColumn('shop_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('shop_calls')
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('counter_id', 'text')
    .addColumn('counter_label', 'text', (c) => c.notNull())
    .addColumn('called_at', ts, (c) => c.notNull())
    .addColumn('recalls', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('shop_calls_pk', ['shop_id', 'seq'])
    .execute();
  // The board's snapshot: the latest call of each ticket.
  await db.schema.createIndex('shop_calls_ticket').on('shop_calls').columns(['ticket_id', 'seq']).execute();
  await sql`
    insert into shop_calls (shop_id, seq, ticket_id, number, counter_id, counter_label, called_at, recalls)
    select t.shop_id, row_number() over (partition by t.shop_id order by t.called_at, t.id), t.id, t.number, t.counter_id, coalesce(c.label, ''), t.called_at, t.recalls
    from shop_tickets t left join shop_counters c on c.id = t.counter_id
    where t.state in ('called', 'serving') and t.called_at is not null`.execute(db);
  await sql`insert into shop_board_cursors (shop_id, seq) select shop_id, max(seq) from shop_calls group by shop_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('shop_calls_ticket').execute();
  for (const table of ['shop_calls', 'shop_board_cursors']) await db.schema.dropTable(table).execute();
}
