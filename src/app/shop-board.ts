/**
 * The lobby board's live feed (issue 14). Every call or recall is recorded with the ticket's move, numbered per
 * shop (src/store/board.repository.ts), so a board connected to any process sees a call made in another one: one
 * feed per shop and store in each process polls the calls after the oldest cursor among its boards and hands
 * each board the ones after its own. A board that reconnects names the last call it got (`Last-Event-ID`) and
 * gets exactly the calls after it; one that missed too many, or names none, gets a snapshot instead. A call made
 * in this process also wakes the feed at once, which only saves the wait for the next poll.
 */
import type { Shop } from '../domain/shop.ts';
import { callsAfter, callsAtCounters, lastCallSeq, type RecordedCall } from '../store/board.repository.ts';
import type { AppContext } from './context.ts';
import { requireShop } from './shop-admin.ts';

export interface BoardCall {
  /** Per shop, increasing: the stream's event id, which a reconnecting board sends back. */
  readonly seq: number;
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
  /** The name per language, where the shop has one: the board shows it in each language it speaks. */
  readonly names: Shop['names'];
  readonly languages: readonly string[];
  /** The shop's IANA zone: the board shows its times in it, not in the screen's own. */
  readonly timeZone: string;
  /** The last call the snapshot includes: the stream goes on after it. */
  readonly cursor: number;
  readonly calls: BoardCall[];
}

/** How often a feed asks the store for new calls while a board watches. */
export const BOARD_POLL_MS = 300;
/** The most calls a reconnecting board is sent one by one; past that it gets a snapshot. */
export const BOARD_REPLAY_LIMIT = 100;
const SHOWN = 12;
const BATCH = 200;

export const boardCallOf = (c: RecordedCall): BoardCall => ({
  seq: c.seq,
  eventId: `${c.calledAt}.${c.ticketId}.${c.recalls}`,
  ticketId: c.ticketId,
  number: c.number,
  counterLabel: c.counterLabel,
  calledAt: c.calledAt,
  recalls: c.recalls,
});

async function snapshotOf(ctx: AppContext, shop: Shop, cursor: number): Promise<BoardSnapshot> {
  const calls = (await callsAtCounters(ctx.store.db, shop.id, cursor, SHOWN)).map(boardCallOf);
  return { shopId: shop.id, name: shop.name, names: shop.names, languages: shop.languages, timeZone: shop.timeZone, cursor, calls };
}

/** What a board shows now: the shop and its latest calls still at a counter, newest first. */
export async function boardSnapshot(ctx: AppContext, shopId: string): Promise<BoardSnapshot> {
  const shop = await requireShop(ctx, shopId);
  return snapshotOf(ctx, shop, await lastCallSeq(ctx.store.db, shop.id));
}

interface Watcher {
  cursor: number;
  readonly send: (calls: BoardCall[]) => void;
}

/** One shop's feed in this process: a single poll serves all its boards. */
class ShopFeed {
  readonly watchers = new Set<Watcher>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  private again = false;

  private readonly ctx: AppContext;
  private readonly shopId: string;

  constructor(ctx: AppContext, shopId: string) {
    this.ctx = ctx;
    this.shopId = shopId;
  }

  add(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    // A board connecting does not put the next poll off: boards that keep connecting would starve the others.
    if (!this.timer && !this.polling) this.schedule(BOARD_POLL_MS);
    return () => {
      this.watchers.delete(watcher);
      if (this.watchers.size > 0) return;
      clearTimeout(this.timer);
      this.timer = undefined;
    };
  }

  /** Polls at once (a call was made in this process), or right after the poll under way. */
  wake(): void {
    if (this.watchers.size === 0) return;
    if (this.polling) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.watchers.size === 0) return;
    this.polling = true;
    let full = false;
    try {
      // Only the boards there when the poll starts: one added meanwhile may be behind `from`, and waits for the next.
      const watching = [...this.watchers];
      const from = Math.min(...watching.map((w) => w.cursor));
      const rows = await callsAfter(this.ctx.store.db, this.shopId, from, BATCH);
      full = rows.length === BATCH;
      const calls = rows.map(boardCallOf);
      for (const w of watching) {
        if (!this.watchers.has(w)) continue;
        const fresh = calls.filter((c) => c.seq > w.cursor);
        const last = fresh.at(-1);
        if (!last) continue;
        w.cursor = last.seq;
        w.send(fresh);
      }
    } catch {
      // The store is busy or restarting: the boards keep their cursors and the next poll asks again.
    } finally {
      this.polling = false;
    }
    if (this.watchers.size === 0) return;
    const now = full || this.again;
    this.again = false;
    this.schedule(now ? 0 : BOARD_POLL_MS);
  }
}

/** One map of feeds per store, so two installations in one process (tests) never share one. */
const feeds = new WeakMap<object, Map<string, ShopFeed>>();
function feedOf(ctx: AppContext, shopId: string): ShopFeed {
  let byShop = feeds.get(ctx.store);
  if (!byShop) {
    byShop = new Map();
    feeds.set(ctx.store, byShop);
  }
  let feed = byShop.get(shopId);
  if (!feed) {
    feed = new ShopFeed(ctx, shopId);
    byShop.set(shopId, feed);
  }
  return feed;
}

/** Tells this process's boards of a shop that a call committed, so they need not wait for the next poll. */
export function wakeBoards(ctx: AppContext, shopId: string): void {
  feeds.get(ctx.store)?.get(shopId)?.wake();
}

export type BoardStart = { readonly kind: 'snapshot'; readonly snapshot: BoardSnapshot } | { readonly kind: 'calls'; readonly calls: BoardCall[]; readonly cursor: number };

/** A board's `Last-Event-ID`: the number of the last call it got, when it is one. */
export function parseBoardCursor(lastEventId: string | undefined): number | undefined {
  if (lastEventId === undefined || !/^\d{1,15}$/.test(lastEventId.trim())) return undefined;
  return Number(lastEventId.trim());
}

/**
 * Starts a board's stream: the calls after `lastSeen` when the board names the last call it got and missed no
 * more than {@link BOARD_REPLAY_LIMIT}, else a snapshot. `send` then gets every later call, in order, once.
 * Returns how the stream starts and the function that stops it.
 */
export async function watchBoard(ctx: AppContext, shopId: string, lastSeen: number | undefined, send: (calls: BoardCall[]) => void): Promise<{ start: BoardStart; stop: () => void }> {
  const shop = await requireShop(ctx, shopId);
  const head = await lastCallSeq(ctx.store.db, shop.id);
  let start: BoardStart;
  if (lastSeen !== undefined && lastSeen <= head && head - lastSeen <= BOARD_REPLAY_LIMIT) {
    const calls = (await callsAfter(ctx.store.db, shop.id, lastSeen, BOARD_REPLAY_LIMIT)).map(boardCallOf);
    start = { kind: 'calls', calls, cursor: calls.at(-1)?.seq ?? lastSeen };
  } else {
    start = { kind: 'snapshot', snapshot: await snapshotOf(ctx, shop, head) };
  }
  const stop = feedOf(ctx, shop.id).add({ cursor: start.kind === 'calls' ? start.cursor : start.snapshot.cursor, send });
  return { start, stop };
}
