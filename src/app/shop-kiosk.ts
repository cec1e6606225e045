/**
 * The shop's kiosk and remote tickets (issue 14). Anyone may list a shop's services and take a ticket (no
 * sign-in): a kiosk ticket is in the shop at once; a remote one (the site, later SMS) carries a phone number and
 * waits for its holder to check in, who is told by SMS when three people are ahead. Numbers come from
 * `nextTicketNumber` per shop, service and local day; the estimate from the shop's recent service times.
 * Taking tickets is limited per address (the route makes each kiosk request key count once).
 */
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { EMPTY_SHOP_CHECKLIST, type Shop, type ShopService, type ShopTicket, shopNameIn } from '../domain/shop.ts';
import { aheadNoticeDue, estimateWaitMinutes, isOpen, nextOpening, nextTicketNumber, peopleAhead, peopleAheadOfEach, type TicketPriority, transitionTicket } from '../domain/shop-queue.ts';
import { localClock, localDate } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { countOneLess } from '../store/auth-failures.repository.ts';
import { customerIdsByMsisdn } from '../store/cases.repository.ts';
import { reserveSequence } from '../store/counters.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { countersOf, insertTicket, lockTicket, openTicketsOf, recentServiceSeconds, saveTicket, servicesOf, shopById, ticketById } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';
import { takeSend } from './lockout.ts';
import { requireShop } from './shop-admin.ts';

/** Tickets one address may take in a quarter of an hour (a kiosk serves a queue of people, so it is generous). */
export const TICKETS_PER_ADDRESS = 60;
/** Remote tickets per phone number in a quarter of an hour. */
export const REMOTE_TICKETS_PER_PHONE = 3;
/** How many recent services the wait estimate looks at. */
const RECENT_SERVICES = 20;

export interface KioskService {
  readonly id: string;
  readonly letter: string;
  readonly names: Readonly<Record<Language, string>>;
  readonly waiting: number;
  readonly estimatedWaitMinutes: number | null;
}

export interface IssuedTicket {
  readonly id: string;
  readonly shopId: string;
  readonly shopName: string;
  readonly number: string;
  readonly serviceId: string;
  readonly serviceNames: Readonly<Record<Language, string>>;
  readonly language: Language;
  readonly priority: TicketPriority;
  readonly remote: boolean;
  readonly issuedAt: string;
  readonly ahead: number;
  readonly estimatedWaitMinutes: number | null;
}

/** The wait in minutes for a ticket of a service with `ahead` people before it (null: no counter offers it). */
export async function estimate(ctx: AppContext, shopId: string, serviceId: string, ahead: number): Promise<number | null> {
  // A counter out of service calls nobody: the estimate counts only the counters that can serve.
  const open = (await countersOf(ctx.store.db, shopId)).filter((c) => c.services.includes(serviceId) && !c.outOfService).length;
  return estimateWaitMinutes(await recentServiceSeconds(ctx.store.db, shopId, serviceId, RECENT_SERVICES), ahead, open);
}

/**
 * The services of a shop, with how many wait for each and the wait a new ticket would have, and whether the shop
 * is open now (else when it opens next: a remote ticket taken while closed waits for the opening).
 */
export async function kioskServices(ctx: AppContext, shopId: string): Promise<{ shop: Shop; open: boolean; nextOpening: string | null; services: KioskService[] }> {
  const shop = await requireShop(ctx, shopId);
  const now = ctx.clock();
  const open = await openTicketsOf(ctx.store.db, shopId);
  const services: KioskService[] = [];
  for (const s of await servicesOf(ctx.store.db, shopId)) {
    const waiting = open.filter((t) => t.service === s.id && t.state === 'waiting' && t.arrivedAt !== null && t.counterId === null).length;
    services.push({ id: s.id, letter: s.letter, names: s.names, waiting, estimatedWaitMinutes: await estimate(ctx, shopId, s.id, waiting) });
  }
  return { shop, open: isOpen(shop.weeklyHours, now, shop.timeZone), nextOpening: nextOpening(shop.weeklyHours, now, shop.timeZone), services };
}

export interface TicketRequest {
  readonly serviceId: string;
  readonly language: Language;
  readonly priority?: TicketPriority | undefined;
  /** A remote ticket: the number to tell when the turn is near. */
  readonly phone?: string | undefined;
  /** The signed-in customer who took it (the site); else found by the phone when exactly one customer has it. */
  readonly customerId?: string | undefined;
}

/** The sequence count of the day → the last number issued before it (wrapping after 999), for nextTicketNumber. */
const lastBefore = (count: number): number | null => (count <= 1 ? null : ((count - 2) % 999) + 1);

/** Takes a ticket at the kiosk, or remotely with a phone number; limited per address (and per phone). */
export async function takeTicket(ctx: AppContext, shopId: string, request: TicketRequest, address: string): Promise<IssuedTicket> {
  const { shop, service, ticket } = await inTransaction(ctx.store, (tx) => takeTicketIn(ctx, tx, shopId, request, address));
  return issuedView(ctx, shop, service, ticket);
}

/**
 * `takeTicket` in the caller's transaction, the limits counted in it too: a caller that records something with the
 * ticket (an SMS marked handled) commits both or neither, so a rerun after a crash takes no second ticket.
 */
export async function takeTicketIn(ctx: AppContext, tx: Tx, shopId: string, request: TicketRequest, address: string): Promise<{ shop: Shop; service: ShopService; ticket: ShopTicket; reused: boolean }> {
  const shop = await shopById(tx, shopId);
  if (!shop) throw new AppError('SHOP_NOT_FOUND', { input: shopId });
  const service = (await servicesOf(tx, shopId)).find((s) => s.id === request.serviceId);
  if (!service) throw new AppError('SHOP_SERVICE_NOT_FOUND', { input: request.serviceId });
  if (!shop.languages.includes(request.language)) throw new AppError('VALIDATION_FAILED', { reason: `the shop does not serve in ${request.language}` });
  const now = ctx.clock();
  const phone = request.phone ? normalizeMsisdn(request.phone, ctx.policy.operator.country) : null;
  const localDay = localDate(now, shop.timeZone);
  if (phone) {
    // The number already holds a remote ticket for this service today, still waiting: that one is theirs again,
    // no new number and nothing counted. A stranger forging the sender of a TICKET SMS thus makes at most one
    // ticket per shop and service, which the owner gets back when they ask, rather than using up their limit.
    const held = (await openTicketsOf(tx, shopId)).find((t) => t.remote && t.phone === phone && t.service === service.id && t.localDay === localDay && t.state === 'waiting');
    if (held) {
      // In the language asked for now: whoever asks from the number reads its texts (a forged ask may have set another).
      if (held.language === request.language) return { shop, service, ticket: held, reused: true };
      const relanguaged: ShopTicket = { ...held, language: request.language };
      await saveTicket(tx, relanguaged);
      return { shop, service, ticket: relanguaged, reused: true };
    }
  }
  const limits: [string, number][] = [[`kiosk-addr:${address}`, TICKETS_PER_ADDRESS]];
  // Per phone and shop: what a number asks for at one shop never keeps it from a ticket at another.
  if (phone) limits.push([`remote-ticket:${phone}:${shopId}`, REMOTE_TICKETS_PER_PHONE]);
  await takeSend(tx, limits, now, 15, 'TOO_MANY_TICKETS');
  const customerIds = request.customerId ? [request.customerId] : phone ? await customerIdsByMsisdn(tx, phone) : [];
  const count = await reserveSequence(tx, `ticket:${shopId}:${service.id}:${localDay}`, 1);
  const { number } = nextTicketNumber(service.letter, lastBefore(count));
  const t: ShopTicket = {
    id: newId('tkt'),
    shopId,
    number,
    service: service.id,
    localDay,
    language: request.language,
    // Priority is claimed in person at the kiosk, where the shop sees who claims it; a remote ticket is anyone's
    // request over the internet, so it never jumps the queue.
    priority: phone ? 'normal' : (request.priority ?? 'normal'),
    source: phone ? 'site' : 'kiosk',
    remote: phone !== null,
    state: 'waiting',
    counterId: null,
    agentId: null,
    issuedAt: now,
    arrivedAt: phone ? null : now,
    transferredAt: null,
    calledAt: null,
    recalls: 0,
    servingAt: null,
    closedAt: null,
    aheadNoticeAt: null,
    customerId: customerIds.length === 1 ? (customerIds[0] ?? null) : null,
    phone,
    documentCheckedAt: null,
    lineId: null,
    simOutcome: null,
    checklist: EMPTY_SHOP_CHECKLIST,
    terminationRef: null,
  };
  await insertTicket(tx, t);
  await appendAudit(tx, [{ entityType: 'shop_ticket', entityId: t.id, action: 'ticket_issued', from: null, to: 'waiting', actor: { kind: 'system', id: 'kiosk', channel: 'store' }, at: now, reason: null, data: { shopId, number, serviceId: service.id, remote: t.remote } }]);
  if (t.remote) await tellRemoteHolders(ctx, tx, shop);
  return { shop, service, ticket: t, reused: false };
}

async function issuedView(ctx: AppContext, shop: Shop, service: ShopService, t: ShopTicket): Promise<IssuedTicket> {
  const ahead = peopleAhead(t, await openTicketsOf(ctx.store.db, shop.id));
  return {
    id: t.id,
    shopId: shop.id,
    // The ticket is printed in its holder's language: the shop's name in it too.
    shopName: shopNameIn(shop, t.language),
    number: t.number,
    serviceId: service.id,
    serviceNames: service.names,
    language: t.language,
    priority: t.priority,
    remote: t.remote,
    issuedAt: t.issuedAt,
    ahead,
    estimatedWaitMinutes: await estimate(ctx, shop.id, service.id, ahead),
  };
}

/** A remote holder arrives and checks in at the kiosk: from now on the ticket can be called, in its old place. */
export async function checkIn(ctx: AppContext, shopId: string, ticketId: string): Promise<IssuedTicket> {
  const shop = await requireShop(ctx, shopId);
  const found = await ticketById(ctx.store.db, ticketId);
  if (!found || found.shopId !== shopId) throw new AppError('TICKET_NOT_FOUND', { input: ticketId });
  const service = (await servicesOf(ctx.store.db, shopId)).find((s) => s.id === found.service);
  if (!service) throw new AppError('SHOP_SERVICE_NOT_FOUND', { input: found.service });
  const now = ctx.clock();
  const ticket = await inTransaction(ctx.store, async (tx) => {
    const t = await lockTicket(tx, ticketId, ctx.store.dialect);
    if (!t) throw new AppError('TICKET_NOT_FOUND', { input: ticketId });
    const moved = transitionTicket(t, { action: 'check_in' }, now);
    const next = { ...t, ...moved.ticket } as ShopTicket;
    await saveTicket(tx, next);
    return next;
  });
  return issuedView(ctx, shop, service, ticket);
}

/**
 * Sends the "three people ahead" SMS to every remote holder of the shop for whom it is now due (once per
 * ticket, in the ticket's language), in the caller's transaction: the message and the mark commit together.
 */
export async function tellRemoteHolders(ctx: AppContext, tx: Tx, shop: Shop): Promise<number> {
  const now = ctx.clock();
  const open = await openTicketsOf(tx, shop.id);
  // Only remote tickets not told yet can be due; their places are counted in one pass (peopleAheadOfEach).
  const candidates = open.filter((t) => t.remote && t.phone && aheadNoticeDue(t, 0));
  if (candidates.length === 0) return 0;
  const aheadOf = peopleAheadOfEach(candidates, open);
  const due = candidates.filter((t) => aheadNoticeDue(t, aheadOf.get(t.id) ?? 0));
  if (due.length === 0) return 0;
  await ctx.adapters.notifier.enqueue(
    tx,
    due.map((t) => ({ key: `shop-ahead:${t.id}`, customerId: t.customerId ?? `ticket:${t.id}`, subjectRef: null, template: 'shop.turn_near' as const, medium: 'sms' as const, address: t.phone ?? '', language: t.language, payload: { number: t.number, shopName: shopNameIn(shop, t.language), ahead: aheadOf.get(t.id) ?? 0 } })),
    now,
  );
  for (const t of due) await saveTicket(tx, { ...t, aheadNoticeAt: now });
  return due.length;
}

/** The local hour of an instant in the shop's zone (for service-time records). */
export const localHourOf = (instant: string, timeZone: string): number => Math.floor(localClock(instant, timeZone).minuteOfDay / 60);

/**
 * Failed check-ins one address may make in a quarter of an hour. A check-in is a guess at four digits of someone's
 * phone, so wrong ones are bounded; only per address (the kiosk's), never per ticket: a limit per ticket would let a
 * stranger who read a number on someone's screen lock its holder out by typing wrong digits on purpose.
 */
export const CHECK_IN_FAILURES_PER_ADDRESS = 20;
const CHECK_IN_WINDOW_MINUTES = 15;

export interface CheckInRequest {
  /** The ticket number as the SMS and the site gave it: `C-042`. */
  readonly number: string;
  /** The last four digits of the phone number the ticket was taken for. */
  readonly phoneLast4: string;
}

/**
 * A remote holder checks in at the kiosk with what they know: the ticket's number and the last four digits of the
 * phone it was taken for. Only today's (the shop's local day) open remote tickets of this shop are looked at, so
 * yesterday's C-042 is never matched. An unknown number and wrong digits get the same refusal
 * (TICKET_CHECK_IN_REFUSED), so the answer never tells which numbers exist.
 *
 * Every attempt is counted against the address before the digits are compared (parallel guesses cannot slip
 * past the limit) and a success gives its count back, so only failures use up CHECK_IN_FAILURES_PER_ADDRESS
 * (TOO_MANY_CHECK_INS over it). A ticket already checked in is answered as a success again, without a second
 * audit entry: a holder who taps twice, or whose kiosk lost the first answer, sees their place rather than an
 * error, and whoever knows the number and the digits learns nothing new. A ticket already called is told so
 * (TICKET_ALREADY_CALLED): the holder should look at the board, not wait.
 */
export async function checkInByNumber(ctx: AppContext, shopId: string, request: CheckInRequest, address: string): Promise<IssuedTicket> {
  const shop = await requireShop(ctx, shopId);
  const now = ctx.clock();
  const limitKey = `check-in-addr:${address}`;
  await takeSend(ctx.store.db, [[limitKey, CHECK_IN_FAILURES_PER_ADDRESS]], now, CHECK_IN_WINDOW_MINUTES, 'TOO_MANY_CHECK_INS');
  const today = localDate(now, shop.timeZone);
  const matches = (t: ShopTicket) => t.remote && t.localDay === today && t.number === request.number && t.phone !== null && t.phone.slice(-4) === request.phoneLast4;
  const found = (await openTicketsOf(ctx.store.db, shopId)).find(matches);
  if (!found) throw new AppError('TICKET_CHECK_IN_REFUSED', {});
  await countOneLess(ctx.store.db, limitKey);
  if (found.state !== 'waiting') throw new AppError('TICKET_ALREADY_CALLED', { number: found.number });
  const service = (await servicesOf(ctx.store.db, shopId)).find((s) => s.id === found.service);
  if (!service) throw new AppError('SHOP_SERVICE_NOT_FOUND', { input: found.service });
  const ticket = await inTransaction(ctx.store, async (tx) => {
    const t = await lockTicket(tx, found.id, ctx.store.dialect);
    // Moved between the read and the lock (called, cancelled by its holder, lapsed at closing).
    if (!t || t.state !== 'waiting') throw new AppError(t && (t.state === 'called' || t.state === 'serving') ? 'TICKET_ALREADY_CALLED' : 'TICKET_CHECK_IN_REFUSED', { number: found.number });
    if (t.arrivedAt !== null) return t;
    const moved = transitionTicket(t, { action: 'check_in' }, now);
    const next = { ...t, ...moved.ticket } as ShopTicket;
    await saveTicket(tx, next);
    await appendAudit(tx, [{ entityType: 'shop_ticket', entityId: t.id, action: 'ticket_check_in', from: moved.event.from, to: moved.event.to, actor: { kind: 'system', id: 'kiosk', channel: 'store' }, at: now, reason: null, data: { shopId, number: t.number } }]);
    return next;
  });
  return issuedView(ctx, shop, service, ticket);
}
