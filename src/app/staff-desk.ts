/**
 * What a member of staff does for a customer through any staff channel (the
 * API today; the shop and the hotline next). Who may act for whom and which
 * channel a role's action is recorded under are decided here (staff-cases.ts),
 * never by the channel.
 */
import type { EffectiveChoice } from '../domain/preview.ts';
import type { Termination, TerminationState } from '../domain/termination.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { AppError } from '../domain/errors.ts';
import { handleAlert, listAlerts } from '../store/alerts.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { inTransaction } from '../store/database.ts';
import { listTerminations } from '../store/terminations.repository.ts';
import { listFailedNotifications, requeueNotification } from '../notifications/outbox.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { requestTermination } from './request-termination.ts';
import { type LineView, lineFor, linesOf, terminationFor } from './self-service.ts';
import { actsForAnyone, auditStaffRead, type CaseRequest, channelOfStaff, findCustomerIds, openCase, requireDocumentChecked } from './staff-cases.ts';
import { actorOf } from './subscriber-terminations.ts';
import { confirmTermination, rejectTermination, retryTermination, verifyIdentity } from './termination-actions.ts';
import type { StaffCase } from '../store/cases.repository.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

/** A customer as staff see them; a front-line agent never sees the document on file. */
export interface CustomerView {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly identityVerified: boolean;
  readonly documentLast4: string | null;
  readonly lines: LineView[];
}

/** Every read is audited, one entry per customer. */
async function customerViews(ctx: AppContext, agent: Staff, ids: readonly string[], what: string): Promise<CustomerView[]> {
  const customers = await customersById(ctx.store.db, ids);
  const full = actsForAnyone(agent);
  const views: CustomerView[] = [];
  for (const c of customers.values()) {
    await auditStaffRead(ctx, agent, c.id, what, c.id);
    views.push({ id: c.id, name: c.name, language: c.language, identityVerified: c.identityVerifiedAt !== null, documentLast4: full ? (c.document?.last4 ?? null) : null, lines: await linesOf(ctx, c.id) });
  }
  return views;
}

/** One customer as this member of staff may see them (see `CustomerView`); the read is audited as `what`. */
export async function customerForStaff(ctx: AppContext, agent: Staff, customerId: string, what: string): Promise<CustomerView | null> {
  const [view] = await customerViews(ctx, agent, [customerId], what);
  return view ?? null;
}

/** Staff search by an exact number or document (front-line agents: only customers of their open cases); audited. */
export async function findCustomers(ctx: AppContext, agent: Staff, query: { msisdn?: string; document?: string }): Promise<CustomerView[]> {
  return customerViews(ctx, agent, await findCustomerIds(ctx, agent, query), 'search');
}

/** Opens a case (see `openCase`) and returns it with the customer it is for; audited. */
export async function openCustomerCase(ctx: AppContext, agent: Staff, request: CaseRequest): Promise<{ case: StaffCase; customer: CustomerView }> {
  const c = await openCase(ctx, agent, request);
  const [customer] = await customerViews(ctx, agent, [c.customerId], 'case');
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', { input: c.customerId });
  return { case: c, customer };
}

export interface StaffTerminationRequest {
  readonly lineId: string;
  readonly effective: EffectiveChoice;
  /** The agent checked the identity document: confirmed at once (front-line agents only within a case opened by document). */
  readonly documentChecked: boolean;
  readonly simCollected?: boolean | undefined;
  readonly chargesAccepted?: boolean | undefined;
}

/** Ends a line on the customer's behalf, recorded under the agent's channel (shop counter, phone, back office). */
export async function requestForCustomer(ctx: AppContext, agent: Staff, input: StaffTerminationRequest): Promise<Termination> {
  const channel = channelOfStaff(agent);
  const line = await lineFor(ctx, agent, input.lineId);
  if (input.documentChecked) await requireDocumentChecked(ctx, agent, line.customerId);
  const outcome = await requestTermination(ctx, {
    lineId: line.id,
    channel,
    authority: 'subscriber',
    actor: actorOf(agent, channel),
    effective: input.effective,
    confirmNow: input.documentChecked,
    identityChecked: input.documentChecked,
    chargesAccepted: input.chargesAccepted,
    simCollected: input.simCollected,
  });
  return outcome.termination;
}

/** Confirms a customer's pending request once the agent checked their document (lost SIM, no code). */
export async function confirmForCustomer(ctx: AppContext, agent: Staff, reference: string): Promise<Termination> {
  const channel = channelOfStaff(agent);
  const t = await terminationFor(ctx, agent, reference);
  await requireDocumentChecked(ctx, agent, t.customerId);
  await verifyIdentity(ctx, t.customerId, actorOf(agent, channel), `document checked by ${agent.role}`);
  return confirmTermination(ctx, t.reference, actorOf(agent, channel));
}

/** Back office: orders by state, newest first (at most 1,000). */
export const listOrders = (ctx: AppContext, query: { state?: TerminationState | undefined; limit: number }): Promise<Termination[]> =>
  listTerminations(ctx.store.db, { state: query.state, limit: Math.min(1000, query.limit) });

/** Back office: sends an order that needs attention back to the worker. */
export const retryOrder = (ctx: AppContext, agent: Staff, reference: string): Promise<Termination> => retryTermination(ctx, reference, actorOf(agent, 'api'));

/** Back office: refuses a request (fraud, wrong person). */
export const rejectOrder = (ctx: AppContext, agent: Staff, reference: string, reason: string): Promise<Termination> => rejectTermination(ctx, reference, actorOf(agent, 'api'), reason);

/** Back office: alerts, newest first, with numbers masked. */
export async function alertsToHandle(ctx: AppContext, options: { all: boolean }) {
  const alerts = await listAlerts(ctx.store.db, { open: !options.all, limit: 200 });
  return alerts.map(({ subjectRef, ...a }) => ({ ...a, reference: subjectRef, data: { ...a.data, ...(typeof a.data.msisdn === 'string' ? { msisdn: maskMsisdn(a.data.msisdn) } : {}) } }));
}

export async function markAlertHandled(ctx: AppContext, agent: Staff, alertId: string): Promise<void> {
  if (!(await handleAlert(ctx.store.db, alertId, agent.id, ctx.clock()))) throw new AppError('NOT_FOUND', { input: `alert ${alertId}` });
}

/** Back office: messages that will not reach the customer, with phone numbers masked. */
export async function failedMessages(ctx: AppContext) {
  return (await listFailedNotifications(ctx.store.db, { limit: 200 })).map((n) => ({ ...n, address: n.medium === 'sms' ? maskMsisdn(n.address) : n.address }));
}

/** Back office: queues a failed message again. */
export async function retryMessage(ctx: AppContext, messageId: string): Promise<void> {
  if (!(await inTransaction(ctx.store, (tx) => requeueNotification(tx, messageId, ctx.clock())))) throw new AppError('NOT_FOUND', { input: `failed message ${messageId}` });
}
