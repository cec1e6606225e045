/**
 * What people do to an order after it exists: confirm, withdraw, reject,
 * accept charges, pay, verify identity, retry. Each opens one transaction,
 * locks the order, asks the domain and records the transition.
 */
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Customer } from '../domain/model.ts';
import { assertMinor } from '../domain/money.ts';
import { type Assessment, assess, decideAcceptCharges, decideConfirm, decideReassess, decideReject, decideWithdraw, notMeReported, type OrderChange } from '../domain/order-decisions.ts';
import { otherLiveLines } from '../domain/preview.ts';
import { type StateEvent, type Termination, transition } from '../domain/termination.ts';
import { raiseAlert } from '../store/alerts.repository.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { cancelJobs, enqueueJobs, requeueJob } from '../store/jobs.repository.ts';
import { esimsByIccid, linesById, liveLineCounts, lockLinesById } from '../store/lines.repository.ts';
import { accountsById, customersById, lockAccountsById, markIdentityVerified, postLedger } from '../store/parties.repository.ts';
import { blockedTerminations, lockTerminationByReference, saveTerminations } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import { setLineStates } from './line-state.ts';
import { toAllContacts } from './messages.ts';
import { issueOtpsIn } from './otp.ts';

/** Tells the holder, on every contact they have and in their language, what became of their request. */
export async function tellHolder(ctx: AppContext, tx: Tx, t: Termination, template: string, payload: Record<string, unknown>): Promise<void> {
  const customer = (await customersById(tx, [t.customerId])).get(t.customerId);
  const line = (await linesById(tx, [t.lineId])).get(t.lineId);
  if (!customer || !line) return;
  await ctx.adapters.notifier.enqueue(tx, toAllContacts(customer, { ...line, msisdn: t.msisdn }, template, t.reference, payload, t.id), ctx.clock());
}

async function lockOrder(tx: Tx, reference: string): Promise<Termination> {
  const t = await lockTerminationByReference(tx, reference);
  if (!t) throw new AppError('TERMINATION_NOT_FOUND', { input: reference });
  return t;
}

/**
 * Confirms an order (the caller has checked the OTP or the agent checked the
 * passport). `options.within` runs inside the same transaction (using up the
 * SMS code that allowed it): both commit together or neither does.
 */
export async function confirmTermination(ctx: AppContext, reference: string, actor: Actor, options: { within?: (tx: Tx) => Promise<void> } = {}): Promise<Termination> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const t = await lockOrder(tx, reference);
    await options.within?.(tx);
    // Something may have changed since the request (a new debt, a legal hold): the decision looks again.
    const current = t.state === 'awaiting_confirmation' ? ((await assessOrders(ctx, tx, [t])).get(t.id) ?? null) : null;
    const line = (await lockLinesById(tx, [t.lineId])).get(t.lineId) ?? null;
    const customer = (await customersById(tx, [t.customerId])).get(t.customerId) ?? null;
    const decision = decideConfirm({ order: t, actor, line, customer, current }, ctx.policy, now);
    if (decision.kind === 'refused') throw decision.error;
    await appendAudit(tx, await saveOrderChange(ctx, tx, decision, now));
    return decision.termination;
  });
}

/** Saves what a decision on one order changed (lines, order, jobs, messages); returns the events to audit. */
async function saveOrderChange(ctx: AppContext, tx: Tx, change: OrderChange, now: string): Promise<StateEvent[]> {
  const lineEvents = await setLineStates(tx, change.lineChanges, now);
  await saveTerminations(tx, [change.termination]);
  await cancelJobs(tx, change.cancelJobs, now);
  if (change.jobs.length > 0) await enqueueJobs(tx, change.jobs, ctx.policy.worker.maxAttempts, now);
  if (change.messages.length > 0) await ctx.adapters.notifier.enqueue(tx, change.messages, now);
  return [...change.events, ...lineEvents];
}

/**
 * Withdraws an order that has not taken effect: blocked, awaiting its code, or
 * scheduled before effective_at. A scheduled order's line goes back to the
 * state it had. `notMe`: the holder says they never asked for it; recorded as
 * such (disownedAt, the reason "not me") and put in the back office's queue.
 */
export async function withdrawTermination(ctx: AppContext, reference: string, actor: Actor, reason: string | null = null, options: { notMe?: boolean } = {}): Promise<Termination> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const t = await lockOrder(tx, reference);
    // Only a scheduled order changes its line back: only then is the line locked.
    const line = (t.state === 'scheduled' ? await lockLinesById(tx, [t.lineId]) : await linesById(tx, [t.lineId])).get(t.lineId) ?? null;
    const customer = (await customersById(tx, [t.customerId])).get(t.customerId) ?? null;
    const decision = decideWithdraw({ order: t, actor, reason, notMe: Boolean(options.notMe), line, customer }, now);
    if (decision.kind === 'refused') throw decision.error;
    const events = await saveOrderChange(ctx, tx, decision, now);
    if (decision.alert) events.push(notMeReported(t, actor, now, await raiseAlert(tx, decision.alert, now)));
    await appendAudit(tx, events);
    return decision.termination;
  });
}

export async function rejectTermination(ctx: AppContext, reference: string, actor: Actor, reason: string): Promise<Termination> {
  return inTransaction(ctx.store, async (tx) => {
    const t = await lockOrder(tx, reference);
    const line = (await linesById(tx, [t.lineId])).get(t.lineId) ?? null;
    const customer = (await customersById(tx, [t.customerId])).get(t.customerId) ?? null;
    const decision = decideReject({ order: t, actor, reason, line, customer }, ctx.clock());
    if (decision.kind === 'refused') throw decision.error;
    await appendAudit(tx, await saveOrderChange(ctx, tx, decision, ctx.clock()));
    return decision.termination;
  });
}

/** The blockers and amounts of orders as things stand now (debts paid, documents verified, holds placed). */
async function assessOrders(ctx: AppContext, tx: Tx, orders: readonly Termination[]): Promise<Map<string, Assessment>> {
  const lines = await linesById(tx, orders.map((o) => o.lineId));
  const accounts = await accountsById(tx, orders.map((o) => o.accountId));
  const customers = await customersById(tx, orders.map((o) => o.customerId));
  const esims = await esimsByIccid(tx, [...lines.values()].filter((l) => l.simType === 'esim').map((l) => l.iccid));
  const live = await liveLineCounts(tx, orders.map((o) => o.accountId));
  const result = new Map<string, Assessment>();
  for (const t of orders) {
    const line = lines.get(t.lineId);
    const account = accounts.get(t.accountId);
    const customer = customers.get(t.customerId);
    if (!line || !account || !customer) continue;
    const facts = { line, account, customer, esimState: esims.get(line.iccid)?.state ?? null, otherLiveLines: otherLiveLines(live.get(t.accountId) ?? 0, line) };
    result.set(t.id, assess(t, facts, ctx.policy));
  }
  return result;
}

/**
 * Recomputes the blockers of open, unconfirmed orders after something changed
 * (a payment, a verification, an accepted fee); an order with none left moves
 * on to `awaiting_confirmation` by itself.
 */
async function reevaluate(ctx: AppContext, tx: Tx, orders: readonly Termination[], actor: Actor): Promise<{ changed: Termination[]; events: StateEvent[] }> {
  const now = ctx.clock();
  const assessed = await assessOrders(ctx, tx, orders);
  const decisions = orders.flatMap((t) => {
    const current = assessed.get(t.id);
    return current ? [decideReassess(t, current, actor, ctx.policy, now)] : [];
  });
  for (const d of decisions) {
    if (d.jobs.length > 0) await enqueueJobs(tx, d.jobs, ctx.policy.worker.maxAttempts, now);
    if (d.cancelJobs.length > 0) await cancelJobs(tx, d.cancelJobs, now);
  }
  // The order now waits for a code: send it, in this transaction, in the holder's language.
  const codes = decisions.flatMap((d) => (d.code ? [d.code] : []));
  const customers = codes.length > 0 ? await customersById(tx, codes.map((c) => c.customerId)) : new Map<string, Customer>();
  await issueOtpsIn(ctx, tx, codes.map((c) => ({ ...c, language: customers.get(c.customerId)?.language ?? ctx.policy.defaultLanguage })), { replace: true });
  const changed = decisions.map((d) => d.termination);
  await saveTerminations(tx, changed);
  return { changed, events: decisions.flatMap((d) => d.events) };
}

/** The subscriber accepts the early-termination fee and the device instalments on the final invoice. */
export async function acceptCharges(ctx: AppContext, reference: string, actor: Actor): Promise<Termination> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const decision = decideAcceptCharges(await lockOrder(tx, reference), actor, now);
    if (decision.kind === 'refused') throw decision.error;
    const { changed, events } = await reevaluate(ctx, tx, [decision.termination], actor);
    await appendAudit(tx, [decision.event, ...events]);
    return changed[0] ?? decision.termination;
  });
}

/** Records a payment (from the payment provider) and re-evaluates the account's blocked orders. */
export async function recordPayment(ctx: AppContext, accountId: string, amount: number, actor: Actor, providerReference: string): Promise<{ balance: number }> {
  assertMinor(amount);
  if (amount <= 0) throw new AppError('INVALID_AMOUNT', { input: String(amount) });
  return inTransaction(ctx.store, (tx) => creditAccount(ctx, tx, { accountId, amount, actor, reference: providerReference, key: `payment:${providerReference}`, data: {} }));
}

/**
 * Inside the caller's transaction: posts a payment to the account (once per
 * `key`), unblocks the orders it was blocking and audits both.
 */
export async function creditAccount(
  ctx: AppContext,
  tx: Tx,
  payment: { accountId: string; amount: number; actor: Actor; reference: string; key: string; data: Readonly<Record<string, string | number>> },
): Promise<{ balance: number }> {
  const { accountId, amount, actor, reference } = payment;
  const now = ctx.clock();
  const accounts = await lockAccountsById(tx, [accountId]);
  const account = accounts.get(accountId);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { input: accountId });
  await postLedger(tx, [{ accountId, kind: 'payment', amount, description: 'Payment', reference, key: payment.key, at: now }], new Map([[accountId, account.balance]]));
  const { events } = await reevaluate(ctx, tx, await blockedTerminations(tx, { accountId }), actor);
  await appendAudit(tx, [{ entityType: 'account', entityId: accountId, action: 'payment', from: null, to: null, actor, at: now, reason: reference, data: { amount, ...payment.data } }, ...events]);
  return { balance: account.balance + amount };
}

export async function verifyIdentity(ctx: AppContext, customerId: string, actor: Actor, method: string): Promise<void> {
  await inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    await markIdentityVerified(tx, customerId, now);
    const { events } = await reevaluate(ctx, tx, await blockedTerminations(tx, { customerId }), actor);
    await appendAudit(tx, [{ entityType: 'customer', entityId: customerId, action: 'identity_verified', from: null, to: null, actor, at: now, reason: method, data: null }, ...events]);
  });
}

/** Sends an order that needs attention back to the worker, with fresh attempts. */
export async function retryTermination(ctx: AppContext, reference: string, actor: Actor): Promise<Termination> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const t = await lockOrder(tx, reference);
    const moved = transition({ ...t, lastError: null }, 'executing', actor, now, 'retry requested');
    await saveTerminations(tx, [moved.termination]);
    await requeueJob(tx, `execute:${t.id}`, now);
    await appendAudit(tx, [moved.event]);
    return moved.termination;
  });
}
