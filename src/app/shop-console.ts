/**
 * The shop counter's console (issue 14), for role `shop_agent` and only in the agent's own shop: a ticket or
 * counter of another shop is refused with SHOP_FORBIDDEN. The queue moves through `transitionTicket` (call next,
 * recall, no-show, transfer, serve, finish; a hand-off to another language is a transfer to a counter whose agent
 * speaks it). A called ticket's holder is found by an exact number (a staff case in this shop), their passport
 * checked by typing its number against the stored keyed hash (a mismatch refused and audited, nothing of the
 * document kept), and the cancellation runs through the staff desk (channel `store`, the agent recorded) once
 * the SIM and the checklist are recorded. Every move is audited; a call or recall is recorded for the lobby boards (src/app/shop-board.ts).
 */
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import type { EffectiveChoice, Preview } from '../domain/preview.ts';
import { checklistComplete, SHOP_CHECKLIST_ITEMS, type Shop, type ShopChecklist, type ShopCounter, type ShopTicket, type SimOutcome } from '../domain/shop.ts';
import { nextTicket, type Ticket, type TicketMove, type TicketPriority, type TicketState, transitionTicket } from '../domain/shop-queue.ts';
import type { Termination } from '../domain/termination.ts';
import { localDate, ms } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { recordCall } from '../store/board.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { customersById } from '../store/parties.repository.ts';
import { counterById, countersOf, lockTicket, openTicketsOf, recordServiceTime, saveCounter, saveTicket, ticketById } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';
import { once } from './idempotency.ts';
import type { Principal } from './principal.ts';
import { documentHash } from './secrets.ts';
import { lineFor, previewLine } from './self-service.ts';
import { requireShop } from './shop-admin.ts';
import { wakeBoards } from './shop-board.ts';
import { localHourOf, tellRemoteHolders } from './shop-kiosk.ts';
import { openCase } from './staff-cases.ts';
import { type CustomerView, customerForStaff, requestForCustomer } from './staff-desk.ts';
import { certificatePdfFor } from './certificates.ts';
import { creditAccount } from './termination-actions.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;
type ShopAgent = Staff & { readonly shopId: string };

const actorOf = (agent: Staff): Actor => ({ kind: 'staff', id: agent.id, channel: 'store' });

/** The console is a shop agent's, bound to a shop. */
function requireShopAgent(agent: Staff): ShopAgent {
  if (agent.role !== 'shop_agent' || !agent.shopId) throw new AppError('SHOP_AGENT_ONLY', {});
  return agent as ShopAgent;
}

async function counterOfShop(ctx: AppContext, agent: ShopAgent, counterId: string): Promise<ShopCounter> {
  const counter = await counterById(ctx.store.db, counterId);
  if (!counter) throw new AppError('SHOP_COUNTER_NOT_FOUND', { input: counterId });
  if (counter.shopId !== agent.shopId) throw new AppError('SHOP_FORBIDDEN', {});
  return counter;
}

async function ticketOfShop(ctx: AppContext, agent: ShopAgent, ticketId: string): Promise<ShopTicket> {
  const ticket = await ticketById(ctx.store.db, ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND', { input: ticketId });
  if (ticket.shopId !== agent.shopId) throw new AppError('SHOP_FORBIDDEN', {});
  return ticket;
}

/** A ticket at a counter (called or being served) whose holder this agent may act for. */
async function ticketAtCounter(ctx: AppContext, agent: ShopAgent, ticketId: string): Promise<ShopTicket> {
  const ticket = await ticketOfShop(ctx, agent, ticketId);
  if (ticket.state !== 'called' && ticket.state !== 'serving') throw new AppError('TICKET_INVALID_TRANSITION', { number: ticket.number, action: 'serve', from: ticket.state, to: 'serving' });
  return ticket;
}

function requireCustomer(ticket: ShopTicket): string {
  if (!ticket.customerId) throw new AppError('TICKET_NO_CUSTOMER', { number: ticket.number });
  return ticket.customerId;
}

export interface ConsoleTicket {
  readonly id: string;
  readonly number: string;
  readonly serviceId: string;
  readonly language: Language;
  readonly priority: TicketPriority;
  readonly remote: boolean;
  readonly arrived: boolean;
  readonly state: TicketState;
  readonly counterId: string | null;
  readonly issuedAt: string;
  readonly calledAt: string | null;
  readonly recalls: number;
  readonly customerId: string | null;
  readonly documentChecked: boolean;
  readonly lineId: string | null;
  readonly simOutcome: SimOutcome | null;
  readonly checklist: ShopChecklist;
  readonly terminationRef: string | null;
}

export const consoleTicketOf = (t: ShopTicket): ConsoleTicket => ({
  id: t.id,
  number: t.number,
  serviceId: t.service,
  language: t.language,
  priority: t.priority,
  remote: t.remote,
  arrived: t.arrivedAt !== null,
  state: t.state,
  counterId: t.counterId,
  issuedAt: t.issuedAt,
  calledAt: t.calledAt,
  recalls: t.recalls,
  customerId: t.customerId,
  documentChecked: t.documentCheckedAt !== null,
  lineId: t.lineId,
  simOutcome: t.simOutcome,
  checklist: t.checklist,
  terminationRef: t.terminationRef,
});

/** The agent's shop: its counters and the open tickets (waiting, called, serving), oldest first. */
export async function shopQueue(ctx: AppContext, staff: Staff): Promise<{ shop: Shop; counters: ShopCounter[]; tickets: ConsoleTicket[] }> {
  const agent = requireShopAgent(staff);
  const shop = await requireShop(ctx, agent.shopId);
  return { shop, counters: await countersOf(ctx.store.db, shop.id), tickets: (await openTicketsOf(ctx.store.db, shop.id)).map(consoleTicketOf) };
}

/** Applies one queue move to a locked ticket, audits it and, for a call or recall, records it for the lobby boards. */
async function moveTicket(ctx: AppContext, agent: ShopAgent, ticketId: string, move: TicketMove, extra: (t: ShopTicket, tx: Tx) => Promise<Partial<ShopTicket>> = async () => ({})): Promise<ShopTicket> {
  const shop = await requireShop(ctx, agent.shopId);
  const now = ctx.clock();
  const moved = await inTransaction(ctx.store, async (tx) => {
    const t = await lockTicket(tx, ticketId, ctx.store.dialect);
    if (!t) throw new AppError('TICKET_NOT_FOUND', { input: ticketId });
    if (t.shopId !== agent.shopId) throw new AppError('SHOP_FORBIDDEN', {});
    const { ticket, event } = transitionTicket(t, move, now);
    const next: ShopTicket = { ...t, ...(ticket as Ticket), agentId: move.action === 'transfer' ? null : agent.id, ...(await extra({ ...t, ...ticket }, tx)) };
    await saveTicket(tx, next);
    // The counter called to, read once: its agent is set, and its label goes to the boards.
    const counter = move.action === 'call' || move.action === 'recall' ? await counterById(tx, next.counterId ?? '') : undefined;
    if (move.action === 'call' && counter) await saveCounter(tx, { ...counter, agentId: agent.id }, now);
    if (move.action === 'finish') await recordTimes(tx, shop, next);
    if (move.action === 'call' || move.action === 'recall') {
      const label = counter?.label ?? '';
      await recordCall(tx, { shopId: shop.id, ticketId: next.id, number: next.number, counterId: next.counterId, counterLabel: label, calledAt: next.calledAt ?? now, recalls: next.recalls });
    }
    await appendAudit(tx, [{ entityType: 'shop_ticket', entityId: t.id, action: `ticket_${event.action}`, from: event.from, to: event.to, actor: actorOf(agent), at: now, reason: null, data: { shopId: t.shopId, number: t.number, counterId: event.counterId } }]);
    await tellRemoteHolders(ctx, tx, shop);
    return next;
  });
  if (move.action === 'call' || move.action === 'recall') wakeBoards(ctx, shop.id);
  return moved;
}

/** Wait: from arrival to the first call; service: from the start of serving (else the call) to the finish. */
async function recordTimes(tx: Tx, shop: Shop, t: ShopTicket): Promise<void> {
  const finishedAt = t.closedAt ?? t.servingAt ?? t.issuedAt;
  const started = t.servingAt ?? t.calledAt ?? finishedAt;
  const waitSeconds = Math.max(0, Math.round((ms(t.calledAt ?? started) - ms(t.arrivedAt ?? t.issuedAt)) / 1000));
  const serviceSeconds = Math.max(0, Math.round((ms(finishedAt) - ms(started)) / 1000));
  await recordServiceTime(tx, { ticketId: t.id, shopId: shop.id, serviceId: t.service, localDate: localDate(finishedAt, shop.timeZone), localHour: localHourOf(finishedAt, shop.timeZone), waitSeconds, serviceSeconds, finishedAt });
}

/** A counter a ticket may be called or sent to: of the agent's shop and in service. */
async function workingCounter(ctx: AppContext, agent: ShopAgent, counterId: string): Promise<ShopCounter> {
  const counter = await counterOfShop(ctx, agent, counterId);
  if (counter.outOfService) throw new AppError('SHOP_COUNTER_OUT_OF_SERVICE', { label: counter.label });
  return counter;
}

/** Calls the next ticket to a counter of the agent's shop (`nextTicket`); null when nobody is waiting. */
export async function callNext(ctx: AppContext, staff: Staff, counterId: string): Promise<ConsoleTicket | null> {
  const agent = requireShopAgent(staff);
  const counter = await workingCounter(ctx, agent, counterId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = nextTicket(await openTicketsOf(ctx.store.db, agent.shopId), counter);
    if (!next) return null;
    try {
      return consoleTicketOf(await moveTicket(ctx, agent, next.id, { action: 'call', counterId: counter.id }));
    } catch (e) {
      // Another counter called it first: take the next one.
      if (!(e instanceof AppError && e.code === 'TICKET_INVALID_TRANSITION')) throw e;
    }
  }
  return null;
}

export type ConsoleMove = 'recall' | 'no_show' | 'serve' | 'finish';

/** Recall (announce again), no-show, serve (the holder is at the counter) or finish a ticket of the agent's shop. */
export async function moveAtCounter(ctx: AppContext, staff: Staff, ticketId: string, action: ConsoleMove): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  await ticketOfShop(ctx, agent, ticketId);
  const move: TicketMove = { action: action === 'serve' ? 'start' : action };
  return consoleTicketOf(await moveTicket(ctx, agent, ticketId, move));
}

/** Sends a called or served ticket to another counter of the same shop; it keeps its number and is called there first. */
export async function transferTicket(ctx: AppContext, staff: Staff, ticketId: string, counterId: string): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  await ticketOfShop(ctx, agent, ticketId);
  const counter = await workingCounter(ctx, agent, counterId);
  return consoleTicketOf(await moveTicket(ctx, agent, ticketId, { action: 'transfer', counterId: counter.id }));
}

/** Hands the holder to a counter whose agent speaks `language` (one offering the ticket's service first). */
export async function handOffToLanguage(ctx: AppContext, staff: Staff, ticketId: string, language: Language): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketOfShop(ctx, agent, ticketId);
  const speakers = (await countersOf(ctx.store.db, agent.shopId)).filter((c) => c.id !== ticket.counterId && !c.outOfService && c.languages.includes(language));
  const target = speakers.find((c) => c.services.includes(ticket.service)) ?? speakers[0];
  if (!target) throw new AppError('NO_AGENT_SPEAKS', { language });
  return consoleTicketOf(await moveTicket(ctx, agent, ticketId, { action: 'transfer', counterId: target.id }, async () => ({ language })));
}

async function updateTicket(ctx: AppContext, agent: ShopAgent, ticket: ShopTicket, changes: Partial<ShopTicket>, audit: { entityType: 'customer' | 'shop_ticket'; entityId: string; action: string; data: Record<string, unknown> }): Promise<ShopTicket> {
  const now = ctx.clock();
  const next = { ...ticket, ...changes };
  await inTransaction(ctx.store, async (tx) => {
    await saveTicket(tx, next);
    await appendAudit(tx, [{ ...audit, from: null, to: null, actor: actorOf(agent), at: now, reason: null, data: { shopId: agent.shopId, ticketId: ticket.id, number: ticket.number, ...audit.data } }]);
  });
  return next;
}

/** Finds the holder of a called ticket by an exact number of a live line (opens a staff case in this shop). */
export async function findTicketCustomer(ctx: AppContext, staff: Staff, ticketId: string, msisdn: string): Promise<{ ticket: ConsoleTicket; customer: CustomerView }> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  const c = await openCase(ctx, agent, { msisdn });
  const next = await updateTicket(ctx, agent, ticket, { customerId: c.customerId, documentCheckedAt: ticket.customerId === c.customerId ? ticket.documentCheckedAt : null }, { entityType: 'shop_ticket', entityId: ticket.id, action: 'ticket_customer_found', data: { customerId: c.customerId } });
  const customer = await customerForStaff(ctx, agent, c.customerId, 'shop_ticket');
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', { input: 'ticket' });
  return { ticket: consoleTicketOf(next), customer };
}

/**
 * The passport check: the typed document number, hashed with the installation's key, must be the one on file
 * for the ticket's customer. A match opens a document case (what lets the agent confirm); a mismatch is audited
 * (without the typed number) and refused. Nothing of the document is kept.
 */
export async function checkPassport(ctx: AppContext, staff: Staff, ticketId: string, documentNumber: string): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  const customerId = requireCustomer(ticket);
  const customer = (await customersById(ctx.store.db, [customerId])).get(customerId);
  const typed = documentHash(ctx.secrets.documentKey, documentNumber);
  if (!customer?.document || customer.document.numberHash !== typed) {
    await inTransaction(ctx.store, (tx) =>
      appendAudit(tx, [{ entityType: 'customer', entityId: customerId, action: 'document_mismatch', from: null, to: null, actor: actorOf(agent), at: ctx.clock(), reason: null, data: { shopId: agent.shopId, ticketId: ticket.id, number: ticket.number } }]),
    );
    throw new AppError('DOCUMENT_MISMATCH', {});
  }
  await openCase(ctx, agent, { document: documentNumber });
  const next = await updateTicket(ctx, agent, ticket, { documentCheckedAt: ctx.clock() }, { entityType: 'customer', entityId: customerId, action: 'document_checked', data: {} });
  return consoleTicketOf(next);
}

async function lineOfTicket(ctx: AppContext, agent: ShopAgent, ticket: ShopTicket, lineId: string) {
  const customerId = requireCustomer(ticket);
  const line = await lineFor(ctx, agent, lineId);
  if (line.customerId !== customerId) throw new AppError('LINE_NOT_FOUND', { input: lineId });
  return line;
}

/** The preview of a line of the ticket's customer, as the counter sees it (channel `store`). */
export async function ticketPreview(ctx: AppContext, staff: Staff, ticketId: string, lineId: string, effective: EffectiveChoice): Promise<Preview & { lineId: string; msisdn: string; simType: string }> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  await lineOfTicket(ctx, agent, ticket, lineId);
  return previewLine(ctx, agent, lineId, 'store', effective);
}

export interface CounterPayment {
  readonly lineId: string;
  /** Minor units, positive. */
  readonly amount: number;
  readonly method: 'cash' | 'card';
}

/** Money taken at the counter, credited to the line's account in the ledger with the agent and the shop; once per key. */
export async function payAtCounter(ctx: AppContext, staff: Staff, ticketId: string, payment: CounterPayment, key: string): Promise<{ balance: number; status: number }> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  const line = await lineOfTicket(ctx, agent, ticket, payment.lineId);
  if (!Number.isInteger(payment.amount) || payment.amount <= 0) throw new AppError('INVALID_AMOUNT', { input: String(payment.amount) });
  const done = await once(ctx, `shop-pay:${agent.shopId}`, key, { ticketId, ...payment }, async () => {
    const { balance } = await inTransaction(ctx.store, (tx) =>
      creditAccount(ctx, tx, { accountId: line.accountId, amount: payment.amount, actor: actorOf(agent), reference: `shop:${agent.shopId}:${agent.id}:${ticket.number}`, key: `shop-pay:${agent.shopId}:${key}`, data: { shopId: agent.shopId, agentId: agent.id, method: payment.method, ticketId } }),
    );
    return { status: 201, body: { balance } };
  });
  return { balance: (done.body as { balance: number }).balance, status: done.status };
}

const normalizeIccid = (iccid: string): string => iccid.replace(/[\s-]/g, '').replace(/F$/i, '');

/** What became of the line's SIM: handed in (the typed or scanned ICCID must be the line's), kept by the subscriber, or destroyed. */
export async function recordSim(ctx: AppContext, staff: Staff, ticketId: string, input: { lineId: string; outcome: SimOutcome; iccid?: string | undefined }): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  const line = await lineOfTicket(ctx, agent, ticket, input.lineId);
  if (input.outcome === 'handed_in' && normalizeIccid(input.iccid ?? '') !== normalizeIccid(line.iccid)) throw new AppError('ICCID_MISMATCH', {});
  const next = await updateTicket(ctx, agent, ticket, { lineId: line.id, simOutcome: input.outcome }, { entityType: 'customer', entityId: line.customerId, action: 'sim_recorded', data: { lineId: line.id, outcome: input.outcome } });
  return consoleTicketOf(next);
}

/** The counter's checklist: PIN removed, data exported, logins moved off the number. */
export async function recordChecklist(ctx: AppContext, staff: Staff, ticketId: string, checklist: ShopChecklist): Promise<ConsoleTicket> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  const next = await updateTicket(ctx, agent, ticket, { checklist }, { entityType: 'shop_ticket', entityId: ticket.id, action: 'checklist_recorded', data: { checklist } });
  return consoleTicketOf(next);
}

/**
 * Ends the line at the counter through the staff desk (channel `store`, the agent recorded, confirmed at once on
 * the passport check), once the passport was checked, the SIM recorded and every checklist item ticked.
 */
export async function confirmAtCounter(ctx: AppContext, staff: Staff, ticketId: string, input: { lineId: string; effective: EffectiveChoice; chargesAccepted?: boolean | undefined }): Promise<{ ticket: ConsoleTicket; termination: Termination }> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketAtCounter(ctx, agent, ticketId);
  await lineOfTicket(ctx, agent, ticket, input.lineId);
  if (!ticket.documentCheckedAt) throw new AppError('DOCUMENT_NOT_CHECKED_AT_COUNTER', {});
  if (ticket.lineId !== input.lineId || !ticket.simOutcome) throw new AppError('SIM_NOT_RECORDED', {});
  if (!checklistComplete(ticket.checklist)) throw new AppError('SHOP_CHECKLIST_INCOMPLETE', { missing: SHOP_CHECKLIST_ITEMS.filter((i) => !ticket.checklist[i]).join(', ') });
  const termination = await requestForCustomer(ctx, agent, { lineId: input.lineId, effective: input.effective, documentChecked: true, simCollected: ticket.simOutcome === 'handed_in', chargesAccepted: input.chargesAccepted });
  const next = await updateTicket(ctx, agent, ticket, { terminationRef: termination.reference }, { entityType: 'shop_ticket', entityId: ticket.id, action: 'ticket_termination', data: { reference: termination.reference } });
  return { ticket: consoleTicketOf(next), termination };
}

/** The certificate of the ticket's completed termination (the same PDF the holder downloads). */
export async function ticketCertificate(ctx: AppContext, staff: Staff, ticketId: string): Promise<Buffer> {
  const agent = requireShopAgent(staff);
  const ticket = await ticketOfShop(ctx, agent, ticketId);
  if (!ticket.terminationRef) throw new AppError('TERMINATION_NOT_FOUND', { input: ticket.number });
  return certificatePdfFor(ctx, agent, ticket.terminationRef);
}
