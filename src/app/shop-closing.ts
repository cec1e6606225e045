/**
 * The closing run (issue 14): tickets still waiting, or called but never served, when a shop closes do not carry
 * over to the next day. Per shop, in one transaction, each such ticket lapses (`lapse` → cancelled), is audited,
 * and a remote holder with a phone is told by SMS in the ticket's language.
 *
 * It runs as a `shop.close` job of the one queue, one per shop and closing (`nextClosing` in the shop's zone, key
 * `shop-close:<shop>@<closing>`), CLOSING_GRACE_MINUTES after it. Each run queues the shop's next closing in its
 * own transaction, saving a shop queues its next one with its hours, and a worker starting queues any missing
 * (shops seeded or set up before the run was scheduled, a chain whose job died): the keys make all three the same
 * job. Running twice lapses nothing twice: each ticket is locked and decided again, and the SMS is keyed by ticket.
 */
import { type Shop, shopNameIn } from '../domain/shop.ts';
import { CLOSING_GRACE_MINUTES, nextClosing, ticketLapses, ticketsToLapse, transitionTicket } from '../domain/shop-queue.ts';
import { addMinutes, type Instant } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { completeJobs, enqueueJobs, type Job } from '../store/jobs.repository.ts';
import { listShops, lockTicket, openTicketsOf, saveTicket, shopById } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';

/**
 * Lapses, in `tx`, the tickets of one shop due at the context's clock; the number lapsed. With `closedAt`, only
 * tickets issued before that closing (a later one is for the next opening). Each is locked and decided again, so
 * two runs at once (a lease that ran out) lapse it once.
 */
export async function closeShopTicketsIn(ctx: AppContext, tx: Tx, shop: Shop, closedAt?: Instant): Promise<number> {
  const now = ctx.clock();
  let lapsed = 0;
  for (const candidate of ticketsToLapse(await openTicketsOf(tx, shop.id), shop, now, closedAt)) {
    const t = await lockTicket(tx, candidate.id, ctx.store.dialect);
    if (!t || !ticketLapses(t, shop, now, closedAt)) continue;
    const { ticket, event } = transitionTicket(t, { action: 'lapse' }, now);
    await saveTicket(tx, { ...t, ...ticket });
    await appendAudit(tx, [{ entityType: 'shop_ticket', entityId: t.id, action: 'ticket_lapse', from: event.from, to: event.to, actor: { kind: 'system', id: 'shop-closing', channel: 'store' }, at: now, reason: null, data: { shopId: shop.id, number: t.number, localDay: t.localDay } }]);
    if (t.remote && t.phone) {
      await ctx.adapters.notifier.enqueue(
        tx,
        [{ key: `shop-lapsed:${t.id}`, customerId: t.customerId ?? `ticket:${t.id}`, subjectRef: null, template: 'shop.ticket_lapsed', medium: 'sms', address: t.phone, language: t.language, payload: { number: t.number, shopName: shopNameIn(shop, t.language) } }],
        now,
      );
    }
    lapsed++;
  }
  return lapsed;
}

/** A `shop.close` job's subject: the shop and the closing it is for (shop ids have no `@`). */
const subjectOf = (shopId: string, closedAt: Instant): string => `${shopId}@${closedAt}`;
const closingOf = (subject: string): { shopId: string; closedAt: Instant } => {
  const at = subject.lastIndexOf('@');
  return { shopId: subject.slice(0, at), closedAt: subject.slice(at + 1) };
};

/** Queues, in `tx`, the run of the shop's first closing after `from` (nothing for a shop that never closes). */
export async function scheduleClosingIn(ctx: AppContext, tx: Tx, shop: Shop, from: Instant): Promise<void> {
  const closedAt = nextClosing(shop.weeklyHours, from, shop.timeZone);
  if (closedAt === null) return;
  const subject = subjectOf(shop.id, closedAt);
  await enqueueJobs(tx, [{ kind: 'shop.close', key: `shop-close:${subject}`, subject, runAt: addMinutes(closedAt, CLOSING_GRACE_MINUTES) }], ctx.policy.worker.maxAttempts, ctx.clock());
}

/**
 * Queues every shop's next closing that is not queued yet (a worker does this as it starts). A closing less than
 * the grace ago still counts: its run is due now.
 */
export async function scheduleShopClosings(ctx: AppContext): Promise<void> {
  const shops = await listShops(ctx.store.db);
  if (shops.length === 0) return;
  const from = addMinutes(ctx.clock(), -CLOSING_GRACE_MINUTES);
  await inTransaction(ctx.store, async (tx) => {
    for (const shop of shops) await scheduleClosingIn(ctx, tx, shop, from);
  });
}

/**
 * The `shop.close` jobs' work, in the worker's transaction: lapse what the closing left, queue the shop's next
 * closing after this one (a worker that was down catches up a closing at a time) and complete the job.
 */
export async function runClosingJobs(ctx: AppContext, tx: Tx, jobs: readonly Job[]): Promise<number> {
  let lapsed = 0;
  for (const job of jobs) {
    const { shopId, closedAt } = closingOf(job.subject);
    const shop = await shopById(tx, shopId);
    if (!shop) continue; // removed since: nothing to close, nothing to queue
    lapsed += await closeShopTicketsIn(ctx, tx, shop, closedAt);
    await scheduleClosingIn(ctx, tx, shop, closedAt);
  }
  await completeJobs(tx, jobs.map((j) => j.id), ctx.clock());
  return lapsed;
}
