/**
 * Administrators set up the shops (issue 14): a shop's name, time zone, languages and weekly hours, its counters
 * and its service types. Role `admin` only; every change is audited with what it set.
 */
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import type { Shop, ShopCounter, ShopService } from '../domain/shop.ts';
import { checkWeeklyHours } from '../domain/shop-queue.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { counterById, countersOf, listShops, saveCounter, saveService, saveShop, servicesOf, shopById } from '../store/shops.repository.ts';
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
    throw new AppError('VALIDATION_FAILED', { reason: `not a time zone: ${timeZone}` });
  }
}

export async function requireShop(ctx: AppContext, shopId: string): Promise<Shop> {
  const shop = await shopById(ctx.store.db, shopId);
  if (!shop) throw new AppError('SHOP_NOT_FOUND', { input: shopId });
  return shop;
}

async function audited(ctx: AppContext, actor: Actor, shopId: string, action: string, data: Record<string, unknown>, work: (tx: Tx, now: string) => Promise<void>): Promise<void> {
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    await work(tx, now);
    await appendAudit(tx, [{ entityType: 'shop', entityId: shopId, action, from: null, to: null, actor, at: now, reason: null, data }]);
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

/** Creates or replaces a shop; the hours must pass `checkWeeklyHours`. */
export async function putShop(ctx: AppContext, agent: Staff, shop: Shop): Promise<Shop> {
  const actor = requireAdmin(agent);
  if (!ID.test(shop.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a shop id is lower-case letters, digits and dashes' });
  checkZone(shop.timeZone);
  checkWeeklyHours(shop.weeklyHours);
  if (shop.languages.length === 0) throw new AppError('VALIDATION_FAILED', { reason: 'a shop speaks at least one language' });
  await audited(ctx, actor, shop.id, 'shop_saved', { name: shop.name, timeZone: shop.timeZone, languages: shop.languages, weeklyHours: shop.weeklyHours }, async (tx, now) => {
    await saveShop(tx, shop, now);
    // The closing run follows the hours saved (a run queued for the old hours finds nothing, or a day's leftovers).
    await scheduleClosingIn(ctx, tx, shop, now);
  });
  return shop;
}

/** Creates or replaces a counter of a shop; its services must be the shop's. */
export async function putCounter(ctx: AppContext, agent: Staff, input: { shopId: string; id: string; label: string; services: readonly string[]; languages: readonly Language[] }): Promise<ShopCounter> {
  const actor = requireAdmin(agent);
  await requireShop(ctx, input.shopId);
  if (!ID.test(input.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a counter id is lower-case letters, digits and dashes' });
  const existing = await counterById(ctx.store.db, input.id);
  if (existing && existing.shopId !== input.shopId) throw new AppError('SHOP_FORBIDDEN', {});
  const known = new Set((await servicesOf(ctx.store.db, input.shopId)).map((s) => s.id));
  const unknown = input.services.find((s) => !known.has(s));
  if (unknown) throw new AppError('SHOP_SERVICE_NOT_FOUND', { input: unknown });
  const counter: ShopCounter = { id: input.id, shopId: input.shopId, label: input.label, services: [...input.services], languages: [...input.languages], agentId: existing?.agentId ?? null };
  await audited(ctx, actor, input.shopId, 'counter_saved', { counterId: counter.id, label: counter.label, services: counter.services, languages: counter.languages }, (tx, now) => saveCounter(tx, counter, now));
  return counter;
}

/** Creates or replaces a service type of a shop (one letter per service in a shop). */
export async function putService(ctx: AppContext, agent: Staff, input: { shopId: string; id: string; letter: string; names: Readonly<Record<Language, string>> }): Promise<ShopService> {
  const actor = requireAdmin(agent);
  await requireShop(ctx, input.shopId);
  if (!ID.test(input.id)) throw new AppError('VALIDATION_FAILED', { reason: 'a service id is lower-case letters, digits and dashes' });
  if (!/^[A-Z]$/.test(input.letter)) throw new AppError('VALIDATION_FAILED', { reason: 'a service letter is one of A–Z' });
  const others = (await servicesOf(ctx.store.db, input.shopId)).filter((s) => s.id !== input.id);
  if (others.some((s) => s.letter === input.letter)) throw new AppError('VALIDATION_FAILED', { reason: `letter ${input.letter} is another service's` });
  const service: ShopService = { id: input.id, shopId: input.shopId, letter: input.letter, names: { ...input.names } };
  await audited(ctx, actor, input.shopId, 'service_saved', { serviceId: service.id, letter: service.letter, names: service.names }, (tx, now) => saveService(tx, service, now));
  return service;
}
