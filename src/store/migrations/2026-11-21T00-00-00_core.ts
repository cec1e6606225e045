// Frozen: imports nothing from the application, so it runs the same years from now.
import { type ColumnDataType, type Expression, type Kysely, PostgresAdapter, sql } from 'kysely';

type Col = ColumnDataType | Expression<unknown>;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts: Col = pg ? 'timestamptz' : 'text';
  const money: Col = 'bigint';

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('doc_type', 'text')
    .addColumn('doc_country', 'text')
    .addColumn('doc_hash', 'text')
    .addColumn('doc_last4', 'text')
    .addColumn('foreigner', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('identity_verified_at', ts)
    .addColumn('password_hash', 'text')
    .addColumn('oidc_subject', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customers_doc_hash').on('customers').column('doc_hash').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance', money, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_customer').on('accounts').column('customer_id').execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', money, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    // One ledger entry per business key (for example a termination's settlement): a retried step cannot post twice.
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_account').on('ledger_entries').columns(['account_id', 'at']).execute();

  await db.schema
    .createTable('numbers')
    .addColumn('msisdn', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('quarantine_until', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('numbers_state').on('numbers').columns(['state', 'quarantine_until']).execute();

  await db.schema
    .createTable('sims')
    .addColumn('iccid', 'text', (c) => c.primaryKey())
    .addColumn('imsi', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('esim_profiles')
    .addColumn('iccid', 'text', (c) => c.primaryKey())
    .addColumn('eid', 'text')
    .addColumn('smdp_address', 'text', (c) => c.notNull())
    .addColumn('matching_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('awaiting_device_deletion_since', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('msisdn', 'text', (c) => c.notNull().references('numbers.msisdn'))
    .addColumn('sim_type', 'text', (c) => c.notNull())
    .addColumn('iccid', 'text', (c) => c.notNull())
    .addColumn('plan_name', 'text', (c) => c.notNull())
    .addColumn('monthly_fee', money, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('contract_started_at', ts, (c) => c.notNull())
    .addColumn('minimum_term_ends_at', ts)
    .addColumn('instalments_left', money, (c) => c.notNull())
    .addColumn('data_left_mb', 'integer', (c) => c.notNull())
    .addColumn('period_start', ts, (c) => c.notNull())
    .addColumn('period_end', ts, (c) => c.notNull())
    .addColumn('port_out_requested_at', ts)
    .addColumn('legal_hold_at', ts)
    .addColumn('last_paid_activity_at', ts)
    .addColumn('activated_at', ts, (c) => c.notNull())
    .addColumn('terminated_at', ts)
    .execute();
  await db.schema.createIndex('lines_msisdn').on('lines').column('msisdn').execute();
  await db.schema.createIndex('lines_customer').on('lines').column('customer_id').execute();
  await db.schema.createIndex('lines_account').on('lines').columns(['account_id', 'state']).execute();
  await db.schema.createIndex('lines_state').on('lines').column('state').execute();
  // At most one live line per number: the invariant the reassigned-numbers query stands on.
  await db.schema
    .createIndex('lines_one_live_per_number')
    .on('lines')
    .column('msisdn')
    .unique()
    .where(sql.ref('state'), '!=', 'terminated')
    .execute();

  await db.schema
    .createTable('number_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('msisdn', 'text', (c) => c.notNull().references('numbers.msisdn'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('from_at', ts, (c) => c.notNull())
    .addColumn('to_at', ts)
    .execute();
  await db.schema.createIndex('assignments_msisdn').on('number_assignments').columns(['msisdn', 'from_at']).execute();
  await db.schema.createIndex('assignments_line').on('number_assignments').column('line_id').execute();

  await db.schema
    .createTable('terminations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('sim_type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('requested_by_kind', 'text', (c) => c.notNull())
    .addColumn('requested_by_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('effective_mode', 'text', (c) => c.notNull())
    .addColumn('effective_at', ts, (c) => c.notNull())
    .addColumn('requested_at', ts, (c) => c.notNull())
    .addColumn('confirm_by', ts)
    .addColumn('confirmed_at', ts)
    .addColumn('completed_at', ts)
    .addColumn('blockers', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('fee_accepted_at', ts)
    .addColumn('instalments_accepted_at', ts)
    .addColumn('amount_settled', money)
    .addColumn('amount_refunded', money)
    .addColumn('quarantine_until', ts)
    .addColumn('sim_collected', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('line_state_before', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    // The bulk file and row this order came from, so re-running a file creates nothing twice.
    .addColumn('bulk_key', 'text', (c) => c.unique())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('terminations_state').on('terminations').columns(['state', 'updated_at']).execute();
  await db.schema.createIndex('terminations_customer').on('terminations').column('customer_id').execute();
  await db.schema.createIndex('terminations_line').on('terminations').column('line_id').execute();
  // At most one open order per line.
  await db.schema
    .createIndex('terminations_one_open_per_line')
    .on('terminations')
    .column('line_id')
    .unique()
    .where(sql.ref('state'), 'not in', ['completed', 'expired', 'withdrawn', 'rejected'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('leased_until', ts)
    .addColumn('leased_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jobs_due')
    .on('jobs')
    .columns(['kind', 'run_at'])
    .where(sql.ref('state'), '=', 'queued')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text')
    .addColumn('data', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();

  // The chain's head: appenders lock this one row, so entries get gap-free sequence numbers in commit order.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('counters').values({ name: 'termination', value: 0 }).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('medium', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('notifications_customer').on('notifications').column('customer_id').execute();

  await db.schema
    .createTable('certificates')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('termination_id', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('issued_at', ts, (c) => c.notNull())
    .execute();

  // State kept by the built-in network (HLR/HSS) adapter: one row per barring, keyed by (order, step).
  await db.schema
    .createTable('network_barrings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('iccid', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reclaims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('former_line_id', 'text', (c) => c.notNull())
    .addColumn('new_line_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'staff',
    'reclaims',
    'network_barrings',
    'certificates',
    'notifications',
    'counters',
    'audit_head',
    'audit_log',
    'jobs',
    'terminations',
    'number_assignments',
    'lines',
    'esim_profiles',
    'sims',
    'numbers',
    'ledger_entries',
    'accounts',
    'customers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
