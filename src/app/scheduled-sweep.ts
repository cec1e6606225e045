/**
 * The sweep of numbers on a schedule (issue 17), inside the worker: quarantines that ended become available,
 * former holders are reminded before theirs ends, and the dormancy rule runs (when `dormancy.enabled`). With
 * several workers only one sweeps at a time: it holds the `numbers.sweep` lease (store/leases.repository.ts),
 * renews it while working and stops between batches if it lost it; the lease row also keeps when the next run
 * is due, so the workers share one schedule. Every time is the app's clock (`ctx.clock`, the demo clock when it
 * moves), never the machine's.
 */
import { DEFAULT_SWEEP_POLICY } from '../domain/policy.ts';
import { addMinutes, addSeconds } from '../domain/time.ts';
import { finishLease, leaseState, renewLease, takeLease } from '../store/leases.repository.ts';
import type { AppContext } from './context.ts';
import { applyDormancy, type DormancyReport } from './dormancy.ts';
import { noticeQuarantineEndingSoon, sweepQuarantine } from './inventory-actions.ts';

export const SWEEP_LEASE = 'numbers.sweep';

/** What one scheduled run did; `lost` when another worker took the lease over midway (this one stopped). */
export interface SweepRun {
  readonly released: number;
  readonly endingSoonNoticed: number;
  readonly dormancy: Omit<DormancyReport, 'entries'> | null;
  readonly lost: boolean;
}

/**
 * Runs the sweep if it is due and this worker wins the lease; null when it is not due or another worker holds
 * it. `onHeld` is called once the lease is taken (tests use it to see two workers never overlap); `signal`
 * stops the run between batches (the worker shutting down), leaving the rest due at once for the next worker.
 */
export async function runSweepIfDue(ctx: AppContext, workerId: string, options: { onHeld?: () => void | Promise<void>; signal?: AbortSignal | undefined } = {}): Promise<SweepRun | null> {
  const settings = ctx.policy.sweep ?? DEFAULT_SWEEP_POLICY;
  const now = ctx.clock();
  // A read first: most turns of the worker loop find the sweep not due, and a read costs no write lock.
  const state = await leaseState(ctx.store.db, SWEEP_LEASE, now);
  if (state && (state.dueAt > now || (state.held && state.holder !== workerId))) return null;
  if (!(await takeLease(ctx.store.db, SWEEP_LEASE, workerId, now, addSeconds(now, settings.leaseSeconds)))) return null;
  await options.onHeld?.();

  let lost = false;
  // The lease's next due time, once set here (a stopped run): the `finally` then leaves it alone.
  let settled = false;
  const renew = async (): Promise<boolean> => {
    if (lost) return false;
    const at = ctx.clock();
    lost = !(await renewLease(ctx.store.db, SWEEP_LEASE, workerId, at, addSeconds(at, settings.leaseSeconds)));
    return !lost;
  };
  // Renewed between batches and, for the parts without batches of their own, on a timer a third of the lease.
  const timer = setInterval(() => void renew().catch(() => undefined), (settings.leaseSeconds * 1000) / 3);
  timer.unref();
  try {
    const released = await sweepQuarantine(ctx, { batchSize: settings.batchSize, shouldStop: async () => Boolean(options.signal?.aborted) || !(await renew()) });
    if (options.signal?.aborted) {
      // Stopped midway: the rest is due at once, for whichever worker runs next.
      await finishLease(ctx.store.db, SWEEP_LEASE, workerId, ctx.clock(), ctx.clock());
      settled = true;
      return { released, endingSoonNoticed: 0, dormancy: null, lost: false };
    }
    if (lost) return { released, endingSoonNoticed: 0, dormancy: null, lost };
    const endingSoonNoticed = await noticeQuarantineEndingSoon(ctx);
    if (!(await renew())) return { released, endingSoonNoticed, dormancy: null, lost };
    const { entries: _entries, ...dormancy } = await applyDormancy(ctx);
    return { released, endingSoonNoticed, dormancy, lost };
  } finally {
    clearInterval(timer);
    if (!lost && !settled) {
      const end = ctx.clock();
      await finishLease(ctx.store.db, SWEEP_LEASE, workerId, end, addMinutes(end, settings.intervalMinutes));
    }
  }
}
