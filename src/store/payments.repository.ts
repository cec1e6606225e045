import type { Payment, PaymentRecordState } from '../domain/payment.ts';
import type { Db, Tx } from './database.ts';
import { lockRowsByKey } from './raw-query.ts';
import type { PaymentsTable } from './schema.ts';

const toPayment = (r: PaymentsTable): Payment => ({
  id: r.id,
  accountId: r.account_id,
  customerId: r.customer_id,
  amount: Number(r.amount),
  currency: r.currency,
  provider: r.provider,
  providerPaymentId: r.provider_payment_id,
  state: r.state as PaymentRecordState,
  redirectUrl: r.redirect_url,
  idempotencyKey: r.idempotency_key,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  settledAt: r.settled_at,
});

/**
 * Records a payment about to be started, once per (customer, idempotency
 * key): the answer is the payment under that key, new or already there.
 */
export async function claimPayment(db: Db, payment: Payment): Promise<{ payment: Payment; created: boolean }> {
  const inserted = await db
    .insertInto('payments')
    .values({
      id: payment.id,
      account_id: payment.accountId,
      customer_id: payment.customerId,
      amount: payment.amount,
      currency: payment.currency,
      provider: payment.provider,
      provider_payment_id: payment.providerPaymentId,
      state: payment.state,
      redirect_url: payment.redirectUrl,
      idempotency_key: payment.idempotencyKey,
      error: payment.error,
      created_at: payment.createdAt,
      updated_at: payment.updatedAt,
      settled_at: payment.settledAt,
    })
    .onConflict((oc) => oc.columns(['customer_id', 'idempotency_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { payment, created: true };
  const row = await db.selectFrom('payments').selectAll().where('customer_id', '=', payment.customerId).where('idempotency_key', '=', payment.idempotencyKey).executeTakeFirstOrThrow();
  return { payment: toPayment(row), created: false };
}

export async function paymentById(db: Db, id: string): Promise<Payment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPayment(row) : undefined;
}

/** The payment a provider's id names, locked for the rest of the transaction. */
export async function lockPaymentByProviderId(tx: Tx, providerPaymentId: string): Promise<Payment | undefined> {
  const [row] = await lockRowsByKey(tx, 'payments', 'provider_payment_id', [providerPaymentId]);
  return row ? toPayment(row) : undefined;
}

export async function lockPayment(tx: Tx, id: string): Promise<Payment | undefined> {
  const [row] = await lockRowsByKey(tx, 'payments', 'id', [id]);
  return row ? toPayment(row) : undefined;
}

export async function updatePayment(
  db: Db,
  id: string,
  patch: Partial<Pick<Payment, 'state' | 'providerPaymentId' | 'redirectUrl' | 'error' | 'settledAt'>> & { updatedAt: string },
): Promise<void> {
  await db
    .updateTable('payments')
    .set({
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.providerPaymentId !== undefined ? { provider_payment_id: patch.providerPaymentId } : {}),
      ...(patch.redirectUrl !== undefined ? { redirect_url: patch.redirectUrl } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
      ...(patch.settledAt !== undefined ? { settled_at: patch.settledAt } : {}),
      updated_at: patch.updatedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Remembers a provider callback by its id; false when that id was seen before (a replay). */
export async function recordPaymentCallback(tx: Tx, callback: { eventId: string; providerPaymentId: string; state: string; at: string }): Promise<boolean> {
  const inserted = await tx
    .insertInto('payment_callbacks')
    .values({ event_id: callback.eventId, provider_payment_id: callback.providerPaymentId, state: callback.state, received_at: callback.at })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function paymentsOfAccount(db: Db, accountId: string): Promise<Payment[]> {
  const rows = await db.selectFrom('payments').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toPayment);
}

export async function paymentByKey(db: Db, customerId: string, idempotencyKey: string): Promise<Payment | undefined> {
  const row = await db.selectFrom('payments').selectAll().where('customer_id', '=', customerId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row ? toPayment(row) : undefined;
}
