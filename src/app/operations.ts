/** What an operator's monitoring reads at scrape time: order counts and the health of the job queue. */
import { pingDatabase } from '../store/health.repository.ts';
import { oldestDueJobAt, queueStats } from '../store/jobs.repository.ts';
import { countTerminationsByStateAndChannel } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';

/** Whether the database answers (readiness). */
export async function storeAnswers(ctx: AppContext): Promise<boolean> {
  try {
    await pingDatabase(ctx.store.db);
    return true;
  } catch {
    return false;
  }
}

export const terminationCounts = (ctx: AppContext): Promise<{ state: string; channel: string; count: number }[]> => countTerminationsByStateAndChannel(ctx.store.db);

/** Jobs due now and jobs failed for good. */
export async function queueHealth(ctx: AppContext): Promise<{ due: number; failed: number }> {
  const stats = await queueStats(ctx.store.db, ctx.clock());
  return { due: stats.due, failed: stats.failed };
}

/** How long, in seconds, the oldest due job has waited (0 when none waits). */
export async function oldestDueJobAgeSeconds(ctx: AppContext): Promise<number> {
  const now = ctx.clock();
  const oldest = await oldestDueJobAt(ctx.store.db, now);
  return oldest ? Math.max(0, (Date.parse(now) - Date.parse(oldest)) / 1000) : 0;
}
