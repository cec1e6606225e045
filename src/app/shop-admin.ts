/**
 * Administrators set up the shops (issue 14): a shop's names and address per language, time zone, languages and
 * weekly hours, its counters (one can be taken out of service) and its service types, and which shop a shop agent
 * works in. Role `admin` only; each refusal has its own code and changes nothing; every change is audited with
 * what it set.
 */
import type { Actor } from '../domain/channels.ts';
import type { StateEvent } from '../domain/termination.ts';
import { AppError } from '../domain/errors.ts';
import { isLanguage, type Language } from '../domain/languages.ts';
import type { PerLanguage, Shop, ShopCounter, ShopService } from '../domain/shop.ts';
import { checkWeeklyHours, type WeeklyHours } from '../domain/shop-queue.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { counterById, countersOf, listShops, saveCounter, saveService, saveShop, serviceById, servicesOf, shopById } from '../store/shops.repository.ts';
import { listStaff, setStaffShop, type StaffMember, staffById } from '../store/staff.repository.ts';
import type { AppContext } from './context.ts';
import { scheduleClosingIn } from './shop-closing.ts';
import type { Principal } from './principal.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

function requireAdmin(agent: Staff): Actor {
  if (agent.role !== 'admin') throw new AppError('FORBIDDEN', {});
  return { kind: 'staff', id: agent.id, channel: 'api' };
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

function checkZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('SHOP_ZONE_INVALID', { input: timeZone });
  }
}

/** The languages as given, each one of ours (ru, en, zh). */
function checkLanguages(languages: readonly string[]): Language[] {
  const unknown = languages.find((l) => !isLanguage(l));
  if (unknown !== undefined) throw new AppError('LANGUAGE_NOT_SUPPORTED', { input: unknown });
  if (languages.length === 0) throw new AppError('VALIDATION_FAILED', { reason: 'at least one language' });
  return [...new Set(languages as Language[])];
}

/** Only our languages, blanks dropped. */
function perLanguage(words: Readonly<Record<string, string | undefined>> | undefined): PerLanguage {
  const entries = Object.entries(words ?? {});
  const unknown = entries.find(([l]) => !isLanguage(l));
  if (unknown) throw new AppError('LANGUAGE_NOT_SUPPORTED', { input: unknown[0] });
  return Object.fromEntries(entries.map(([l, w]) => [l, (w ?? '').trim()]).filter(([, w]) => w !== ''));
}

export async function requireShop(ctx: AppContext, shopId: string): Promise<Shop> {
  const shop = await shopById(ctx.store.db, shopId);
  if (!shop) throw new AppError('SHOP_NOT_FOUND', { input: shopId });
  return shop;
}

async function audited(ctx: AppContext, actor: Actor, entity: { type: StateEvent['entityType']; id: string }, action: string, data: Record<string, unknown>, work: (tx: Tx, now: string) => Promise<void>): Promise<void> {
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    await work(tx, now);
    await appendAudit(tx, [{ entityType: entity.type, entityId: entity.id, action, from: null, to: null, actor, at: now, reason: null, data }]);
  });
}

export interface ShopSetup {
  readonly shop: Shop;
  readonly counters: ShopCounter[];
  readonly services: ShopService[];
}

export async function shopSetup(ctx: AppContext, shopId: string): Promise<ShopSetup> {
  const shop = await requireShop(ctx, shopId);
  return { shop, counters: await countersOf(ctx.store.db, shopId), services: await servicesOf(ctx.store.db, shopId) };
}

export async function shopsForAdmin(ctx: AppContext, agent: Staff): Promise<Shop[]> {
  requireAdmin(agent);
  return listShops(ctx.store.db);
}

export interface ShopInput {
  readonly id: string;
  /** The one name of callers that know no languages: it stands for each language `names` leaves out. */
  readonly name?: string | undefined;
  readonly names?: Readonly<Record<string, string | undefined>> | undefined;
  readonly address?: Readonly<Record<string, string | undefined>> | undefined;
  readonly timeZone: string;
  readonly languages: readonly string[];
  readonly weeklyHours: WeeklyHours;
}

/**
 * Creates or replaces a shop. It needs a name in each language it speaks (from `names`, else `name`); its `name`
 * becomes the one in its first language. The hours must pass `checkWeeklyHours`.
 */
export async function putShop(ctx: AppContext, agent: Staff, input: ShopInput): Promise<Shop> {
  const actor = requireAdmin(agent);
  if (!ID.test(input.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a shop id is lower-case letters, digits and dashes' });
  const languages = checkLanguages(input.languages);
  checkZone(input.timeZone);
  checkWeeklyHours(input.weeklyHours);
  const names = perLanguage(input.names);
  const address = perLanguage(input.address);
  const fallback = (input.name ?? '').trim();
  if (languages.some((l) => !names[l] && !fallback)) throw new AppError('SHOP_NAME_MISSING', {});
  const shop: Shop = { id: input.id, name: names[languages[0]!] || fallback, names, address, timeZone: input.timeZone, languages, weeklyHours: input.weeklyHours };
  await audited(ctx, actor, { type: 'shop', id: shop.id }, 'shop_saved', { name: shop.name, names, address, timeZone: shop.timeZone, languages, weeklyHours: shop.weeklyHours }, async (tx, now) => {
    await saveShop(tx, shop, now);
    // The closing run follows the hours saved (a run queued for the old hours finds nothing, or a day's leftovers).
    await scheduleClosingIn(ctx, tx, shop, now);
  });
  return shop;
}

export interface CounterInput {
  readonly shopId: string;
  readonly id: string;
  readonly label: string;
  readonly services: readonly string[];
  readonly languages: readonly string[];
  /** Left out: as it was (a new counter is in service). */
  readonly outOfService?: boolean | undefined;
}

/** Creates or replaces a counter of a shop; its services must be the shop's and its label its own in the shop. */
export async function putCounter(ctx: AppContext, agent: Staff, input: CounterInput): Promise<ShopCounter> {
  const actor = requireAdmin(agent);
  await requireShop(ctx, input.shopId);
  const languages = checkLanguages(input.languages);
  const existing = await counterById(ctx.store.db, input.id);
  if (existing && existing.shopId !== input.shopId) throw new AppError('SHOP_FORBIDDEN', {});
  if (!existing && !ID.test(input.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a counter id is lower-case letters, digits and dashes' });
  const known = new Set((await servicesOf(ctx.store.db, input.shopId)).map((s) => s.id));
  const unknown = input.services.find((s) => !known.has(s));
  if (unknown) throw new AppError('SHOP_SERVICE_NOT_FOUND', { input: unknown });
  const label = input.label.trim();
  if ((await countersOf(ctx.store.db, input.shopId)).some((c) => c.id !== input.id && c.label === label)) throw new AppError('SHOP_LABEL_TAKEN', { label });
  const counter: ShopCounter = { id: input.id, shopId: input.shopId, label, services: [...new Set(input.services)], languages, agentId: existing?.agentId ?? null, outOfService: input.outOfService ?? existing?.outOfService ?? false };
  const data = { counterId: counter.id, label, services: counter.services, languages, outOfService: counter.outOfService };
  await audited(ctx, actor, { type: 'shop', id: input.shopId }, 'counter_saved', data, (tx, now) => saveCounter(tx, counter, now));
  return counter;
}

/** Creates or replaces a service type of a shop (one letter per service in a shop). */
export async function putService(ctx: AppContext, agent: Staff, input: { shopId: string; id: string; letter: string; names: Readonly<Record<Language, string>> }): Promise<ShopService> {
  const actor = requireAdmin(agent);
  await requireShop(ctx, input.shopId);
  const existing = await serviceById(ctx.store.db, input.id);
  if (existing && existing.shopId !== input.shopId) throw new AppError('SHOP_FORBIDDEN', {});
  // Ids set up before this rule (seeded ones such as shop-1-C) stay editable; new ones follow it.
  if (!existing && !ID.test(input.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a service id is lower-case letters, digits and dashes' });
  if (!/^[A-Z]$/.test(input.letter)) throw new AppError('VALIDATION_FAILED', { reason: 'a service letter is one of A–Z' });
  const others = (await servicesOf(ctx.store.db, input.shopId)).filter((s) => s.id !== input.id);
  if (others.some((s) => s.letter === input.letter)) throw new AppError('SHOP_LETTER_TAKEN', { letter: input.letter });
  const service: ShopService = { id: input.id, shopId: input.shopId, letter: input.letter, names: { ...input.names } };
  await audited(ctx, actor, { type: 'shop', id: input.shopId }, 'service_saved', { serviceId: service.id, letter: service.letter, names: service.names }, (tx, now) => saveService(tx, service, now));
  return service;
}

export async function staffForAdmin(ctx: AppContext, agent: Staff): Promise<StaffMember[]> {
  requireAdmin(agent);
  return listStaff(ctx.store.db);
}

/**
 * Binds a shop agent to a shop (null: to none). From their next request they see that shop's queue and counters
 * only; a ticket of their former shop is refused like any other shop's.
 */
export async function bindStaffToShop(ctx: AppContext, agent: Staff, staffId: string, shopId: string | null): Promise<StaffMember> {
  const actor = requireAdmin(agent);
  const member = await staffById(ctx.store.db, staffId);
  if (!member) throw new AppError('STAFF_NOT_FOUND', { input: staffId });
  if (member.role !== 'shop_agent') throw new AppError('STAFF_NOT_SHOP_AGENT', { name: member.name });
  if (shopId !== null) await requireShop(ctx, shopId);
  await audited(ctx, actor, { type: 'staff', id: staffId }, 'staff_shop_bound', { shopId, formerShopId: member.shopId }, (tx) => setStaffShop(tx, staffId, shopId));
  return { ...member, shopId };
}
