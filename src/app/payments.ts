/**
 * Paying what an account owes through the payment provider. A payment is
 * recorded (`starting`) before the provider is called and updated after it
 * answers, each in its own short write: no transaction is open while the
 * provider is on the line. The account is credited in one transaction with
 * the verified callback that says the payment succeeded, once per payment
 * (the ledger entry is keyed by the payment), and audited.
 */
import type { PaymentCallback, PaymentProvider } from '../adapters/ports.ts';
import { sandboxPayments } from '../adapters/payments/sandbox.ts';
import type { Actor } from '../domain/channels.ts';
import { systemActor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import { FINAL_PAYMENT_STATES, type Payment, payableAmount } from '../domain/payment.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { accountsById } from '../store/parties.repository.ts';
import { claimPayment, lockPayment, lockPaymentByProviderId, paymentById, paymentByKey, recordPaymentCallback, updatePayment } from '../store/payments.repository.ts';
import type { AppContext } from './context.ts';
import { once } from './idempotency.ts';
import { creditAccount } from './termination-actions.ts';

/** The configured provider; the sandbox only in demo mode; otherwise `PAYMENTS_NOT_CONFIGURED`. */
export function paymentProviderOf(ctx: AppContext): PaymentProvider {
  const provider = ctx.payments ?? (ctx.demo ? sandboxPayments : undefined);
  if (!provider || (provider === sandboxPayments && !ctx.demo)) throw new AppError('PAYMENTS_NOT_CONFIGURED', {});
  return provider;
}

export interface PaymentView {
  readonly id: string;
  readonly accountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly state: Payment['state'];
  /** The provider's page to send the subscriber to while the payment is pending. */
  readonly redirectUrl: string | null;
  readonly providerReference: string | null;
  /** The account's balance now (minor units; negative is owed). */
  readonly balance: number;
}

async function viewOf(ctx: AppContext, payment: Payment): Promise<PaymentView> {
  const account = (await accountsById(ctx.store.db, [payment.accountId])).get(payment.accountId);
  return {
    id: payment.id,
    accountId: payment.accountId,
    amount: payment.amount,
    currency: payment.currency,
    state: payment.state,
    redirectUrl: payment.state === 'pending' ? payment.redirectUrl : null,
    providerReference: payment.providerPaymentId,
    balance: account?.balance ?? 0,
  };
}

const customerActor = (customerId: string): Actor => ({ kind: 'customer', id: customerId, channel: 'web' });

/**
 * A subscriber pays on one of their own accounts (`startPayment`); repeating
 * the idempotency key with the same request returns the first answer.
 */
export async function payForAccount(ctx: AppContext, customerId: string, input: { accountId: string; amount?: number | undefined; idempotencyKey: string }): Promise<PaymentView> {
  const { accountId, amount, idempotencyKey } = input;
  const result = await once(ctx, `payments:customer:${customerId}`, idempotencyKey, { accountId, amount: amount ?? null }, async () => ({
    status: 201,
    body: await startPayment(ctx, { customerId, accountId, ...(amount === undefined ? {} : { amount }), idempotencyKey }),
  }));
  return result.body as PaymentView;
}

/**
 * Starts a payment of `amount` (default: what the account owes) on one of the
 * customer's accounts, once per idempotency key. With the sandbox (demo mode)
 * the account is credited at once; with a real provider the answer carries
 * the provider's page and the account is credited when its callback comes.
 */
export async function startPayment(ctx: AppContext, input: { customerId: string; accountId: string; amount?: number; idempotencyKey: string }): Promise<PaymentView> {
  const account = (await accountsById(ctx.store.db, [input.accountId])).get(input.accountId);
  if (!account || account.customerId !== input.customerId) throw new AppError('ACCOUNT_NOT_FOUND', { input: input.accountId });
  const provider = paymentProviderOf(ctx);
  let payment = await paymentByKey(ctx.store.db, input.customerId, input.idempotencyKey);
  if (!payment) {
    // Refused before anything is recorded: an amount the policy does not allow changes nothing.
    const amount = payableAmount(account, input.amount, ctx.policy);
    const now = ctx.clock();
    ({ payment } = await claimPayment(ctx.store.db, {
      id: newId('pay'),
      accountId: account.id,
      customerId: input.customerId,
      amount,
      currency: account.currency,
      provider: provider.name,
      providerPaymentId: null,
      state: 'starting',
      redirectUrl: null,
      idempotencyKey: input.idempotencyKey,
      error: null,
      createdAt: now,
      updatedAt: now,
      settledAt: null,
    }));
  }
  // The same key for another account or amount is another request.
  if (payment.accountId !== account.id || (input.amount !== undefined && input.amount !== payment.amount)) throw new AppError('IDEMPOTENCY_KEY_REUSED', {});
  if (payment.state !== 'starting') return viewOf(ctx, payment);

  // Outside any transaction. The payment id is the provider's idempotency key, so asking again after a failure
  // (or a crash before the answer was recorded) continues the same payment at the provider.
  let started;
  try {
    started = await provider.start({
      paymentId: payment.id,
      accountId: payment.accountId,
      amount: payment.amount,
      currency: payment.currency,
      description: `${ctx.policy.operator.name}: account ${payment.accountId}`,
      returnUrl: `${ctx.policy.operator.siteUrl.replace(/\/+$/, '')}/payments/${payment.id}`,
      callbackUrl: `${ctx.policy.operator.siteUrl.replace(/\/+$/, '')}/api/v1/payments/callback`,
    });
  } catch (e) {
    await updatePayment(ctx.store.db, payment.id, { error: e instanceof AppError ? String(e.details.reason ?? e.code) : 'provider call failed', updatedAt: ctx.clock() });
    if (e instanceof AppError) throw e;
    throw new AppError('PAYMENT_PROVIDER_FAILED', { reason: 'the provider call failed' });
  }

  const actor = customerActor(input.customerId);
  const recorded = await inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const locked = await lockPayment(tx, payment.id);
    if (!locked) throw new AppError('PAYMENT_NOT_FOUND', { input: payment.id });
    if (locked.state !== 'starting') return locked; // a callback came first
    // Only the built-in sandbox (demo mode alone) is believed at start; a real provider's word comes in its signed callback.
    const settled = provider === sandboxPayments && started.state === 'succeeded';
    const next: Payment = { ...locked, providerPaymentId: started.providerPaymentId, redirectUrl: started.redirectUrl, state: settled ? 'succeeded' : 'pending', error: null, updatedAt: now, settledAt: settled ? now : null };
    await updatePayment(tx, locked.id, next);
    await appendAudit(tx, [{ entityType: 'account', entityId: locked.accountId, action: 'payment_started', from: null, to: next.state, actor, at: now, reason: started.providerPaymentId, data: { paymentId: locked.id, amount: locked.amount, provider: provider.name } }]);
    if (settled) await creditAccount(ctx, tx, { accountId: locked.accountId, amount: locked.amount, actor, reference: started.providerPaymentId, key: `payment:${locked.id}`, data: { paymentId: locked.id, provider: provider.name } });
    return next;
  });
  return viewOf(ctx, recorded);
}

/**
 * A callback from the provider: verified (signature, timestamp, shape), then,
 * in one transaction, remembered by its id (a replay changes nothing), matched
 * to its payment (amount and currency must agree), and a success credits the
 * account once. Answers what the payment is now.
 */
export async function receivePaymentCallback(ctx: AppContext, callback: PaymentCallback): Promise<{ paymentId: string; state: Payment['state']; credited: boolean; duplicate: boolean }> {
  const provider = ctx.payments;
  if (!provider || provider === sandboxPayments) throw new AppError('PAYMENTS_NOT_CONFIGURED', {});
  const event = provider.verifyCallback(callback);
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    let payment = await lockPaymentByProviderId(tx, event.providerPaymentId);
    // The provider may call back before its answer to `start` was recorded: our id is its reference.
    if (!payment && event.paymentId) {
      const byId = await lockPayment(tx, event.paymentId);
      if (byId && byId.providerPaymentId === null && byId.provider === provider.name) payment = byId;
    }
    if (!payment) throw new AppError('PAYMENT_NOT_FOUND', { input: event.providerPaymentId });
    if (payment.amount !== event.amount || payment.currency !== event.currency) {
      throw new AppError('PAYMENT_CALLBACK_INVALID', { reason: 'the amount or currency does not match the payment' });
    }
    const fresh = await recordPaymentCallback(tx, { eventId: event.eventId, providerPaymentId: event.providerPaymentId, state: event.state, at: now });
    if (!fresh || FINAL_PAYMENT_STATES.includes(payment.state) || event.state === 'pending') {
      if (payment.providerPaymentId === null) await updatePayment(tx, payment.id, { providerPaymentId: event.providerPaymentId, state: 'pending', updatedAt: now });
      return { paymentId: payment.id, state: payment.providerPaymentId === null ? 'pending' : payment.state, credited: false, duplicate: !fresh || FINAL_PAYMENT_STATES.includes(payment.state) };
    }
    const actor: Actor = { ...systemActor, id: `payments:${provider.name}` };
    await updatePayment(tx, payment.id, { providerPaymentId: event.providerPaymentId, state: event.state, settledAt: now, updatedAt: now });
    if (event.state === 'succeeded') {
      await creditAccount(ctx, tx, { accountId: payment.accountId, amount: payment.amount, actor, reference: event.providerPaymentId, key: `payment:${payment.id}`, data: { paymentId: payment.id, provider: provider.name, callback: event.eventId } });
    } else {
      await appendAudit(tx, [{ entityType: 'account', entityId: payment.accountId, action: 'payment_failed', from: payment.state, to: 'failed', actor, at: now, reason: event.providerPaymentId, data: { paymentId: payment.id, amount: payment.amount, callback: event.eventId } }]);
    }
    return { paymentId: payment.id, state: event.state, credited: event.state === 'succeeded', duplicate: false };
  });
}

/** One of the customer's payments; someone else's answers "not found". */
export async function paymentOf(ctx: AppContext, customerId: string, paymentId: string): Promise<PaymentView> {
  const payment = await paymentById(ctx.store.db, paymentId);
  if (!payment || payment.customerId !== customerId) throw new AppError('PAYMENT_NOT_FOUND', { input: paymentId });
  return viewOf(ctx, payment);
}
