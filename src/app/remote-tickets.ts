/**
 * Remote tickets from the site (issue 14): a signed-in subscriber picks a shop and a service and takes a ticket
 * for one of their own active lines. The SMS goes to that line's number, which the subscriber never types: a
 * ticket can only ever text the person who took it. Issuing, limits and the "three ahead" SMS are the kiosk's
 * (`takeTicket`); this module decides whose line it is and shows the tickets back.
 */
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import { type Shop, type ShopTicket, shopNameIn } from '../domain/shop.ts';
import { type OpeningInterval, peopleAhead, type TicketState, WEEKDAYS } from '../domain/shop-queue.ts';
import { localClock, localDate } from '../domain/time.ts';
import { linesById } from '../store/lines.repository.ts';
import { countersOf, listShops, openTicketsOf, openTicketsOfCustomer, servicesOf, shopById } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';
import { estimate, type KioskService, kioskServices, takeTicket } from './shop-kiosk.ts';

export interface ShopForSubscriber {
  readonly id: string;
  readonly name: string;
  /** The name per language where the shop has one; the page shows the reader's. */
  readonly names: Shop['names'];
  /** IANA zone: the page shows the hours and times in it, not in the reader's. */
  readonly timeZone: string;
  readonly languages: readonly Language[];
  readonly open: boolean;
  /** While closed, when it opens next (null: no hours at all). */
  readonly nextOpening: string | null;
  /** Today's local opening hours (`HH:MM`), empty on a closed day. */
  readonly todayHours: readonly OpeningInterval[];
  readonly services: readonly KioskService[];
}

/** Every shop with its services, queues and whether it is open, for choosing where to go. */
export async function shopsForSubscriber(ctx: AppContext): Promise<ShopForSubscriber[]> {
  const now = ctx.clock();
  const out: ShopForSubscriber[] = [];
  for (const { id } of await listShops(ctx.store.db)) {
    const { shop, open, nextOpening, services } = await kioskServices(ctx, id);
    const weekday = WEEKDAYS[localClock(now, shop.timeZone).weekday];
    out.push({ id: shop.id, name: shop.name, names: shop.names, timeZone: shop.timeZone, languages: shop.languages, open, nextOpening: open ? null : nextOpening, todayHours: (weekday && shop.weeklyHours[weekday]) || [], services });
  }
  return out;
}

export interface MyTicket {
  readonly id: string;
  readonly number: string;
  readonly shopId: string;
  readonly shopName: string;
  readonly shopTimeZone: string;
  readonly serviceId: string;
  readonly serviceNames: Readonly<Record<Language, string>>;
  readonly state: TicketState;
  /** Whether the holder has checked in at the kiosk (before that the ticket keeps its place but is not called). */
  readonly checkedIn: boolean;
  /** The counter that called or serves it. */
  readonly counterLabel: string | null;
  readonly ahead: number;
  readonly estimatedWaitMinutes: number | null;
  /** The number the SMS goes to. */
  readonly phone: string | null;
  readonly aheadNoticeSent: boolean;
  readonly issuedAt: string;
}

export interface RemoteTicketRequest {
  readonly shopId: string;
  readonly serviceId: string;
  readonly lineId: string;
  readonly language: Language;
}

/**
 * Takes a remote ticket for the customer's own active line: another's line is refused as not found (whether it
 * exists is not theirs to learn), a line that is not active as TICKET_LINE_NOT_ACTIVE, both before anything is
 * written. Limited like every remote ticket: per phone and per address.
 */
export async function takeRemoteTicket(ctx: AppContext, customerId: string, request: RemoteTicketRequest, address: string): Promise<MyTicket> {
  const line = (await linesById(ctx.store.db, [request.lineId])).get(request.lineId);
  if (!line || line.customerId !== customerId) throw new AppError('LINE_NOT_FOUND', { input: request.lineId });
  if (line.state !== 'active') throw new AppError('TICKET_LINE_NOT_ACTIVE', { input: line.msisdn });
  const issued = await takeTicket(ctx, request.shopId, { serviceId: request.serviceId, language: request.language, phone: line.msisdn, customerId }, address);
  const shop = await shopById(ctx.store.db, issued.shopId);
  const ticket = (await openTicketsOf(ctx.store.db, issued.shopId)).find((t) => t.id === issued.id);
  if (!shop || !ticket) throw new AppError('TICKET_NOT_FOUND', { input: issued.id });
  return (await viewsOf(ctx, shop, [ticket]))[0]!;
}

/** The customer's tickets still open today (each shop's own local day), oldest first. */
export async function myTicketsToday(ctx: AppContext, customerId: string): Promise<MyTicket[]> {
  const now = ctx.clock();
  const mine = await openTicketsOfCustomer(ctx.store.db, customerId);
  const out: MyTicket[] = [];
  for (const shopId of [...new Set(mine.map((t) => t.shopId))]) {
    const shop = await shopById(ctx.store.db, shopId);
    if (!shop) continue;
    const today = localDate(now, shop.timeZone);
    out.push(...(await viewsOf(ctx, shop, mine.filter((t) => t.shopId === shopId && t.localDay === today))));
  }
  return out.sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : 0));
}

async function viewsOf(ctx: AppContext, shop: Shop, tickets: readonly ShopTicket[]): Promise<MyTicket[]> {
  if (tickets.length === 0) return [];
  const [queue, services, counters] = await Promise.all([openTicketsOf(ctx.store.db, shop.id), servicesOf(ctx.store.db, shop.id), countersOf(ctx.store.db, shop.id)]);
  const out: MyTicket[] = [];
  for (const t of tickets) {
    const ahead = t.state === 'waiting' ? peopleAhead(t, queue) : 0;
    const names = services.find((s) => s.id === t.service)?.names ?? { ru: t.service, en: t.service, zh: t.service };
    out.push({
      id: t.id,
      number: t.number,
      shopId: shop.id,
      shopName: shopNameIn(shop, t.language),
      shopTimeZone: shop.timeZone,
      serviceId: t.service,
      serviceNames: names,
      state: t.state,
      checkedIn: t.arrivedAt !== null,
      counterLabel: t.state === 'waiting' ? null : (counters.find((c) => c.id === t.counterId)?.label ?? null),
      ahead,
      estimatedWaitMinutes: t.state === 'waiting' ? await estimate(ctx, shop.id, t.service, ahead) : null,
      phone: t.phone,
      aheadNoticeSent: t.aheadNoticeAt !== null,
      issuedAt: t.issuedAt,
    });
  }
  return out;
}
