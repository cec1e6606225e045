/**
 * The lobby board's live feed (issue 14): a call made at a counter is published to every board of that shop
 * connected to this process, after the call commits. A board that connects (or reconnects) gets a fresh
 * snapshot of the latest calls first, so a missed event is never missing from the screen for long.
 */
import { EventEmitter } from 'node:events';
import type { ShopTicket } from '../domain/shop.ts';
import { countersOf, recentCalls } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';
import { requireShop } from './shop-admin.ts';

export interface BoardCall {
  /** Stable per announcement: a recall is a new one. */
  readonly eventId: string;
  readonly ticketId: string;
  readonly number: string;
  readonly counterLabel: string;
  readonly calledAt: string;
  readonly recalls: number;
}

export interface BoardSnapshot {
  readonly shopId: string;
  readonly name: string;
  readonly languages: readonly string[];
  readonly calls: BoardCall[];
}

/** One hub per store, so two test installations in one process never see each other's calls. */
const hubs = new WeakMap<object, EventEmitter>();
function hubOf(ctx: AppContext): EventEmitter {
  let hub = hubs.get(ctx.store);
  if (!hub) {
    hub = new EventEmitter();
    hub.setMaxListeners(0);
    hubs.set(ctx.store, hub);
  }
  return hub;
}

export const boardCallOf = (t: ShopTicket, counterLabel: string): BoardCall => ({
  eventId: `${t.calledAt ?? t.issuedAt}.${t.id}.${t.recalls}`,
  ticketId: t.id,
  number: t.number,
  counterLabel,
  calledAt: t.calledAt ?? t.issuedAt,
  recalls: t.recalls,
});

/** Tells the shop's boards of a call (after it committed). */
export function publishCall(ctx: AppContext, shopId: string, call: BoardCall): void {
  hubOf(ctx).emit(`called:${shopId}`, call);
}

/** Listens to a shop's calls; returns the function that stops listening. */
export function onShopCall(ctx: AppContext, shopId: string, listener: (call: BoardCall) => void): () => void {
  const hub = hubOf(ctx);
  hub.on(`called:${shopId}`, listener);
  return () => hub.off(`called:${shopId}`, listener);
}

/** What a board shows when it connects: the shop and its latest calls still at a counter, newest first. */
export async function boardSnapshot(ctx: AppContext, shopId: string): Promise<BoardSnapshot> {
  const shop = await requireShop(ctx, shopId);
  const labels = new Map((await countersOf(ctx.store.db, shopId)).map((c) => [c.id, c.label]));
  const calls = (await recentCalls(ctx.store.db, shopId, 12)).map((t) => boardCallOf(t, labels.get(t.counterId ?? '') ?? ''));
  return { shopId, name: shop.name, languages: shop.languages, calls };
}
