/** Reads for the back office's reports: orders page by page in the order they were asked for (keyset, never OFFSET). */
import type { Db } from './database.ts';
import { selectRaw } from './raw-query.ts';

export interface OrderReportFilter {
  /** Requested at or after this instant. */
  readonly from: string;
  /** Requested before this instant. */
  readonly to: string;
  readonly channel?: string | undefined;
  readonly reason?: string | undefined;
  readonly state?: string | undefined;
}

export interface OrderReportRow {
  readonly id: string;
  readonly reference: string;
  readonly requestedAt: string;
  readonly channel: string;
  readonly authority: string;
  readonly reason: string | null;
  readonly state: string;
  readonly simType: string;
  readonly effectiveAt: string;
  readonly confirmedAt: string | null;
  readonly completedAt: string | null;
}

interface Row {
  id: string;
  reference: string;
  requested_at: string;
  channel: string;
  authority: string;
  reason: string | null;
  state: string;
  sim_type: string;
  effective_at: string;
  confirmed_at: string | null;
  completed_at: string | null;
}

/** Where the last page ended: the next one starts after this (requested_at, id). */
export interface OrderCursor {
  readonly requestedAt: string;
  readonly id: string;
}

/**
 * Up to `limit` orders matching `filter` after `cursor`, by (requested_at, id): each page is one range read on the
 * index terminations_requested_id, however deep into the period it is.
 */
export async function orderReportPage(db: Db, filter: OrderReportFilter, cursor: OrderCursor | null, limit: number): Promise<OrderReportRow[]> {
  const where = ['requested_at >= ?', 'requested_at < ?'];
  const params: (string | number)[] = [filter.from, filter.to];
  for (const [column, value] of [['channel', filter.channel], ['reason', filter.reason], ['state', filter.state]] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (cursor) {
    // A row value: both stores read it as one range of the (requested_at, id) index.
    where.push('(requested_at, id) > (?, ?)');
    params.push(cursor.requestedAt, cursor.id);
  }
  params.push(limit);
  const rows = await selectRaw<Row>(
    db,
    `select id, reference, requested_at, channel, authority, reason, state, sim_type, effective_at, confirmed_at, completed_at
      from terminations where ${where.join(' and ')} order by requested_at, id limit ?`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    requestedAt: r.requested_at,
    channel: r.channel,
    authority: r.authority,
    reason: r.reason,
    state: r.state,
    simType: r.sim_type,
    effectiveAt: r.effective_at,
    confirmedAt: r.confirmed_at,
    completedAt: r.completed_at,
  }));
}
