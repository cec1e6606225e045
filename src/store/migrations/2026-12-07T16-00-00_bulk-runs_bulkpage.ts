// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Bulk runs (issue 17): a file of numbers uploaded by the back office is a stored run, worked through by the
 * queue in chunks. `bulk_run_rows` keeps the file's rows as read (so a run resumes without the file), and
 * `bulk_run_results` one outcome per row, written in the same transaction as the chunk's orders and the run's
 * cursor `next_seq`: a run killed half-way continues at the next chunk and repeats nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('bulk_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_hash', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('next_seq', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('scheduled', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    // JSON objects: counts per blocker code, per kind of skip, per channel of each number's order.
    .addColumn('blocked', 'text', (c) => c.notNull())
    .addColumn('skipped_by', 'text', (c) => c.notNull())
    .addColumn('by_channel', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute();
  await db.schema.createIndex('bulk_runs_created').on('bulk_runs').columns(['created_at']).execute();
  await db.schema.createIndex('bulk_runs_file').on('bulk_runs').columns(['file_hash', 'state']).execute();
  await db.schema
    .createTable('bulk_run_rows')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('effective', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('bulk_run_rows_pk', ['run_id', 'seq'])
    .execute();
  await db.schema
    .createTable('bulk_run_results')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('detail', 'text')
    .addPrimaryKeyConstraint('bulk_run_results_pk', ['run_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['bulk_runs_created', 'bulk_runs_file']) await db.schema.dropIndex(index).execute();
  for (const table of ['bulk_run_results', 'bulk_run_rows', 'bulk_runs']) await db.schema.dropTable(table).execute();
}
