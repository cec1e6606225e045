/**
 * The back office's orders report as CSV (issue 17): any size, written page by page as the reader takes it —
 * each page one keyset read of PAGE_SIZE orders, so memory holds one page whatever the period.
 */
import { csvHeader, csvLine, reportPeriod } from '../domain/order-report.ts';
import { type OrderCursor, orderReportPage } from '../store/reports.repository.ts';
import type { AppContext } from './context.ts';

export const PAGE_SIZE = 2000;

export interface OrderReportRequest {
  /** First and last day of the period (YYYY-MM-DD, the operator's days). */
  readonly from: string;
  readonly to: string;
  readonly channel?: string | undefined;
  readonly reason?: string | undefined;
  readonly outcome?: string | undefined;
}

/**
 * Checks the request at once (a bad period is refused before the answer starts), then returns the file as chunks:
 * the header, then one chunk per page. Each page is read only when the previous chunk has been taken.
 */
export function orderReportCsv(ctx: AppContext, request: OrderReportRequest, pageSize: number = PAGE_SIZE): AsyncGenerator<string> {
  const period = reportPeriod(request.from, request.to, ctx.policy.operator.timezone);
  const filter = { ...period, channel: request.channel, reason: request.reason, state: request.outcome };
  return (async function* pages() {
    yield csvHeader();
    let cursor: OrderCursor | null = null;
    for (;;) {
      const page = await orderReportPage(ctx.store.db, filter, cursor, pageSize);
      if (page.length > 0) yield page.map(csvLine).join('');
      const last = page.at(-1);
      if (!last || page.length < pageSize) return;
      cursor = { requestedAt: last.requestedAt, id: last.id };
    }
  })();
}
