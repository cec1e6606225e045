/** Shops, their counters and services, the queue tickets and the service-time records (issue 14). */
import { type Language, LANGUAGES } from '../domain/languages.ts';
import { EMPTY_SHOP_CHECKLIST, type PerLanguage, type Shop, type ShopChecklist, type ShopCounter, type ShopService, type ShopTicket, type SimOutcome } from '../domain/shop.ts';
import type { TicketPriority, TicketSource, TicketState, WeeklyHours } from '../domain/shop-queue.ts';
import type { Db, Tx } from './database.ts';
import type { ShopCountersTable, ShopServicesTable, ShopsTable, ShopTicketsTable } from './schema.ts';

const list = <T>(text: string): T[] => {
  const v = JSON.parse(text) as unknown;
  return Array.isArray(v) ? (v as T[]) : [];
};

function perLanguage(text: string | null | undefined): PerLanguage {
  const v = JSON.parse(text || '{}') as Record<string, unknown>;
  return Object.fromEntries(LANGUAGES.filter((l) => typeof v[l] === 'string' && v[l] !== '').map((l) => [l, v[l] as string]));
}

const toShop = (r: ShopsTable): Shop => ({
  id: r.id,
  name: r.name,
  names: perLanguage(r.names),
  address: perLanguage(r.address),
  timeZone: r.time_zone,
  languages: list<Language>(r.languages),
  weeklyHours: JSON.parse(r.weekly_hours) as WeeklyHours,
});
const toCounter = (r: ShopCountersTable): ShopCounter => ({
  id: r.id,
  shopId: r.shop_id,
  label: r.label,
  services: list<string>(r.services),
  languages: list<Language>(r.languages),
  agentId: r.agent_id,
  outOfService: Number(r.out_of_service) === 1,
});
const toService = (r: ShopServicesTable): ShopService => ({ id: r.id, shopId: r.shop_id, letter: r.letter, names: { ru: r.name_ru, en: r.name_en, zh: r.name_zh } });

function checklistOf(text: string): ShopChecklist {
  const v = JSON.parse(text) as Partial<ShopChecklist>;
  return { pinRemoved: v.pinRemoved === true, dataExported: v.dataExported === true, loginsMoved: v.loginsMoved === true };
}

const toTicket = (r: ShopTicketsTable): ShopTicket => ({
  id: r.id,
  shopId: r.shop_id,
  number: r.number,
  service: r.service_id,
  localDay: r.local_day,
  language: r.language as Language,
  priority: r.priority as TicketPriority,
  source: r.source as TicketSource,
  remote: Number(r.remote) === 1,
  state: r.state as TicketState,
  counterId: r.counter_id,
  agentId: r.agent_id,
  issuedAt: r.issued_at,
  arrivedAt: r.arrived_at,
  transferredAt: r.transferred_at,
  calledAt: r.called_at,
  recalls: Number(r.recalls),
  servingAt: r.served_at,
  closedAt: r.finished_at,
  aheadNoticeAt: r.notice_sent_at,
  customerId: r.customer_id,
  phone: r.phone,
  documentCheckedAt: r.document_checked_at,
  lineId: r.line_id,
  simOutcome: r.sim_outcome as SimOutcome | null,
  checklist: checklistOf(r.checklist),
  terminationRef: r.termination_ref,
});

const ticketRow = (t: ShopTicket): ShopTicketsTable => ({
  id: t.id,
  shop_id: t.shopId,
  service_id: t.service,
  number: t.number,
  local_day: t.localDay,
  language: t.language,
  priority: t.priority,
  source: t.source,
  remote: t.remote ? 1 : 0,
  state: t.state,
  counter_id: t.counterId,
  agent_id: t.agentId,
  issued_at: t.issuedAt,
  arrived_at: t.arrivedAt,
  transferred_at: t.transferredAt,
  called_at: t.calledAt,
  recalls: t.recalls,
  served_at: t.servingAt,
  finished_at: t.closedAt,
  customer_id: t.customerId,
  phone: t.phone,
  notice_sent_at: t.aheadNoticeAt,
  document_checked_at: t.documentCheckedAt,
  line_id: t.lineId,
  sim_outcome: t.simOutcome,
  checklist: JSON.stringify(t.checklist ?? EMPTY_SHOP_CHECKLIST),
  termination_ref: t.terminationRef,
});

// ── Shops, counters, services ────────────────────────────────────────────────────────────────────────────────

export async function listShops(db: Db): Promise<Shop[]> {
  return (await db.selectFrom('shops').selectAll().orderBy('id').execute()).map(toShop);
}

export async function shopById(db: Db, id: string): Promise<Shop | undefined> {
  const row = await db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toShop(row) : undefined;
}

/** Inserts or replaces a shop (its id stays). */
export async function saveShop(tx: Tx, shop: Shop, now: string): Promise<void> {
  const values = { name: shop.name, names: JSON.stringify(shop.names), address: JSON.stringify(shop.address), time_zone: shop.timeZone, languages: JSON.stringify(shop.languages), weekly_hours: JSON.stringify(shop.weeklyHours), updated_at: now };
  const updated = await tx.updateTable('shops').set(values).where('id', '=', shop.id).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('shops').values({ id: shop.id, ...values, created_at: now }).execute();
}

export async function countersOf(db: Db, shopId: string): Promise<ShopCounter[]> {
  return (await db.selectFrom('shop_counters').selectAll().where('shop_id', '=', shopId).orderBy('label').execute()).map(toCounter);
}

export async function counterById(db: Db, id: string): Promise<ShopCounter | undefined> {
  const row = await db.selectFrom('shop_counters').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCounter(row) : undefined;
}

export async function saveCounter(tx: Tx, c: ShopCounter, now: string): Promise<void> {
  const values = { shop_id: c.shopId, label: c.label, services: JSON.stringify(c.services), languages: JSON.stringify(c.languages), agent_id: c.agentId, out_of_service: c.outOfService ? 1 : 0 };
  const updated = await tx.updateTable('shop_counters').set(values).where('id', '=', c.id).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('shop_counters').values({ id: c.id, ...values, created_at: now }).execute();
}

export async function servicesOf(db: Db, shopId: string): Promise<ShopService[]> {
  return (await db.selectFrom('shop_services').selectAll().where('shop_id', '=', shopId).orderBy('letter').execute()).map(toService);
}

export async function serviceById(db: Db, id: string): Promise<ShopService | undefined> {
  const row = await db.selectFrom('shop_services').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toService(row) : undefined;
}

export async function saveService(tx: Tx, s: ShopService, now: string): Promise<void> {
  const values = { shop_id: s.shopId, letter: s.letter, name_ru: s.names.ru, name_en: s.names.en, name_zh: s.names.zh };
  const updated = await tx.updateTable('shop_services').set(values).where('id', '=', s.id).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('shop_services').values({ id: s.id, ...values, created_at: now }).execute();
}

// ── Tickets ──────────────────────────────────────────────────────────────────────────────────────────────────

export async function insertTicket(tx: Tx, t: ShopTicket): Promise<void> {
  await tx.insertInto('shop_tickets').values(ticketRow(t)).execute();
}

/** Writes every field of a ticket the caller has locked (or just read in its transaction). */
export async function saveTicket(tx: Tx, t: ShopTicket): Promise<void> {
  const { id, ...rest } = ticketRow(t);
  await tx.updateTable('shop_tickets').set(rest).where('id', '=', id).execute();
}

export async function ticketById(db: Db, id: string): Promise<ShopTicket | undefined> {
  const row = await db.selectFrom('shop_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTicket(row) : undefined;
}

/** The ticket, locked until commit (Postgres; SQLite's one writer serialises anyway). */
export async function lockTicket(tx: Tx, id: string, dialect: 'sqlite' | 'postgres'): Promise<ShopTicket | undefined> {
  let q = tx.selectFrom('shop_tickets').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toTicket(row) : undefined;
}

/** A shop's tickets still in the queue or at a counter (waiting, called, serving), oldest first. */
export async function openTicketsOf(db: Db, shopId: string): Promise<ShopTicket[]> {
  const rows = await db.selectFrom('shop_tickets').selectAll().where('shop_id', '=', shopId).where('state', 'in', ['waiting', 'called', 'serving']).orderBy('issued_at').orderBy('id').execute();
  return rows.map(toTicket);
}

/** A customer's tickets still in a queue or at a counter, in every shop, oldest first (the site's "my tickets"). */
export async function openTicketsOfCustomer(db: Db, customerId: string): Promise<ShopTicket[]> {
  const rows = await db.selectFrom('shop_tickets').selectAll().where('customer_id', '=', customerId).where('state', 'in', ['waiting', 'called', 'serving']).orderBy('issued_at').orderBy('id').execute();
  return rows.map(toTicket);
}

// ── Service times ────────────────────────────────────────────────────────────────────────────────────────────

export interface ServiceTimeRecord {
  readonly ticketId: string;
  readonly shopId: string;
  readonly serviceId: string;
  readonly localDate: string;
  readonly localHour: number;
  readonly waitSeconds: number;
  readonly serviceSeconds: number;
  readonly finishedAt: string;
}

export async function recordServiceTime(tx: Tx, r: ServiceTimeRecord): Promise<void> {
  await tx
    .insertInto('shop_service_times')
    .values({ ticket_id: r.ticketId, shop_id: r.shopId, service_id: r.serviceId, local_date: r.localDate, local_hour: r.localHour, wait_seconds: r.waitSeconds, service_seconds: r.serviceSeconds, finished_at: r.finishedAt })
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .execute();
}

/** The service seconds of a shop's service, most recent first. */
export async function recentServiceSeconds(db: Db, shopId: string, serviceId: string, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('shop_service_times').select('service_seconds').where('shop_id', '=', shopId).where('service_id', '=', serviceId).orderBy('finished_at', 'desc').limit(limit).execute();
  return rows.map((r) => Number(r.service_seconds));
}

export interface ServiceTimeFigure {
  readonly shopId: string;
  readonly serviceId: string;
  readonly localHour: number;
  readonly served: number;
  readonly averageWaitSeconds: number;
  readonly averageServiceSeconds: number;
  readonly longestWaitSeconds: number;
}

/** Per shop, service and local hour, the tickets finished from `from` to `to` (both included) (one shop when given). */
export async function serviceTimeFigures(db: Db, options: { from: string; to: string; shopId?: string | undefined }): Promise<ServiceTimeFigure[]> {
  let q = db
    .selectFrom('shop_service_times')
    .select((eb) => ['shop_id', 'service_id', 'local_hour', eb.fn.countAll().as('served'), eb.fn.sum('wait_seconds').as('wait'), eb.fn.sum('service_seconds').as('service'), eb.fn.max('wait_seconds').as('longest')])
    .where('finished_at', '>=', options.from)
    .where('finished_at', '<=', options.to);
  if (options.shopId) q = q.where('shop_id', '=', options.shopId);
  const rows = await q.groupBy(['shop_id', 'service_id', 'local_hour']).orderBy('shop_id').orderBy('service_id').orderBy('local_hour').execute();
  return rows.map((r) => {
    const served = Number(r.served);
    return { shopId: r.shop_id, serviceId: r.service_id, localHour: Number(r.local_hour), served, averageWaitSeconds: Math.round(Number(r.wait) / served), averageServiceSeconds: Math.round(Number(r.service) / served), longestWaitSeconds: Number(r.longest) };
  });
}
