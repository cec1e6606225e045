/**
 * The closing run (issue 14): tickets still waiting, or called but never served, when a shop closes do not carry
 * over to the next day. Per shop, in one transaction, each such ticket lapses (`lapse` → cancelled), is audited,
 * and a remote holder with a phone is told by SMS in the ticket's language. A second run finds nothing to do: a
 * lapsed ticket is no longer open, and the SMS is keyed by ticket.
 */
import type { Shop } from '../domain/shop.ts';
import { ticketsToLapse, transitionTicket } from '../domain/shop-queue.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { listShops, openTicketsOf, saveTicket } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';

/** Lapses one shop's tickets due at the context's clock; the number lapsed. */
export async function closeShopTickets(ctx: AppContext, shop: Shop): Promise<number> {
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const due = ticketsToLapse(await openTicketsOf(tx, shop.id), shop, now);
    for (const t of due) {
      const { ticket, event } = transitionTicket(t, { action: 'lapse' }, now);
      await saveTicket(tx, { ...t, ...ticket });
      await appendAudit(tx, [{ entityType: 'shop_ticket', entityId: t.id, action: 'ticket_lapse', from: event.from, to: event.to, actor: { kind: 'system', id: 'shop-closing', channel: 'store' }, at: now, reason: null, data: { shopId: shop.id, number: t.number, localDay: t.localDay } }]);
      if (t.remote && t.phone) {
        await ctx.adapters.notifier.enqueue(
          tx,
          [{ key: `shop-lapsed:${t.id}`, customerId: t.customerId ?? `ticket:${t.id}`, subjectRef: null, template: 'shop.ticket_lapsed', medium: 'sms', address: t.phone, language: t.language, payload: { number: t.number, shopName: shop.name } }],
          now,
        );
      }
    }
    return due.length;
  });
}

/** The closing run over every shop; the number of tickets lapsed. */
export async function closeShops(ctx: AppContext): Promise<number> {
  let lapsed = 0;
  for (const shop of await listShops(ctx.store.db)) lapsed += await closeShopTickets(ctx, shop);
  return lapsed;
}
