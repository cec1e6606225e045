// Frozen: imports nothing from the application.
import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Payments through a payment provider: one row per payment simexit started,
 * from `starting` (recorded before the provider is called) to `pending` (the
 * subscriber is on the provider's page) to `succeeded` or `failed` (a verified
 * callback said so). The provider's id is unique, so a callback credits the
 * account at most once; the callback ids seen are kept so a replay is known.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const ts: ColumnDataType = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_payment_id', 'text', (c) => c.unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('redirect_url', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('settled_at', ts)
    .addUniqueConstraint('payments_idempotency', ['customer_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('payments_account').on('payments').columns(['account_id', 'created_at']).execute();
  await db.schema
    .createTable('payment_callbacks')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('provider_payment_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_callbacks').execute();
  await db.schema.dropIndex('payments_account').execute();
  await db.schema.dropTable('payments').execute();
}
