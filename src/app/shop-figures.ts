/**
 * The back office's figures of the shops (issue 14): per shop, service and local hour, the tickets finished,
 * the average and longest wait and the average service time; and how many wait now per shop and service.
 */
import { AppError } from '../domain/errors.ts';
import { listShops, openTicketsOf, type ServiceTimeFigure, serviceTimeFigures } from '../store/shops.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

export interface ShopFigures {
  readonly from: string;
  readonly to: string;
  readonly hours: ServiceTimeFigure[];
  readonly waitingNow: { shopId: string; serviceId: string; waiting: number }[];
}

export async function shopFigures(ctx: AppContext, agent: Staff, range: { from: string; to: string; shopId?: string | undefined }): Promise<ShopFigures> {
  if (agent.role !== 'back_office' && agent.role !== 'admin') throw new AppError('FORBIDDEN', {});
  const waitingNow: ShopFigures['waitingNow'] = [];
  for (const shop of await listShops(ctx.store.db)) {
    if (range.shopId && shop.id !== range.shopId) continue;
    const counts = new Map<string, number>();
    for (const t of await openTicketsOf(ctx.store.db, shop.id)) if (t.state === 'waiting') counts.set(t.service, (counts.get(t.service) ?? 0) + 1);
    for (const [serviceId, waiting] of counts) waitingNow.push({ shopId: shop.id, serviceId, waiting });
  }
  return { from: range.from, to: range.to, hours: await serviceTimeFigures(ctx.store.db, range), waitingNow };
}
