import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../app/context.ts';
import { systemActor } from '../domain/channels.ts';
import { transition } from '../domain/termination.ts';
import { addSeconds } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { claimJobs, failJobs, hasDueJobs, type Job, type JobKind, retryJobsLater } from '../store/jobs.repository.ts';
import { lockTerminationsById, saveTerminations } from '../store/terminations.repository.ts';
import { backoffSeconds, executeTerminationJobs } from './execute-terminations.ts';
import { expireTerminationJobs } from './expire-terminations.ts';
import type { Deliverers } from '../adapters/delivery/deliverer.ts';
import { deliverDue, deliverersFor } from '../notifications/deliver.ts';
import { hasDueNotifications } from '../notifications/outbox.repository.ts';
import { newId } from '../store/ids.ts';

export interface WorkerOptions {
  /** Return once no job is due (scripts and tests); otherwise run until `signal` aborts. */
  readonly untilIdle?: boolean;
  readonly signal?: AbortSignal;
  readonly workerId?: string;
  readonly onProgress?: (totals: WorkerTotals) => void;
  /** Where messages go; by default chosen from the environment (SMTP, SMPP, HTTP, or files in ./data/outbox). */
  readonly deliverers?: Deliverers;
  /** False leaves messages in the outbox for another worker (the benchmark measures terminations alone). */
  readonly deliver?: boolean;
}

export interface WorkerTotals {
  completed: number;
  expired: number;
  retried: number;
  needsAttention: number;
  batches: number;
  notificationsSent: number;
  notificationsFailed: number;
}

type Runner = (ctx: AppContext, jobs: readonly Job[]) => Promise<Partial<WorkerTotals>>;

const runners: Record<JobKind, Runner> = {
  'termination.execute': async (ctx, jobs) => {
    const r = await inTransaction(ctx.store, (tx) => executeTerminationJobs(ctx, tx, jobs));
    return { completed: r.completed, retried: r.retried, needsAttention: r.needsAttention };
  },
  'termination.expire': async (ctx, jobs) => ({
    expired: await inTransaction(ctx.store, (tx) => expireTerminationJobs(ctx, tx, jobs)),
  }),
};

/**
 * A batch that throws is split until the job at fault is alone; that job is
 * retried later with its error kept, or handed to a person after its last attempt.
 */
async function runIsolating(ctx: AppContext, kind: JobKind, jobs: readonly Job[], totals: WorkerTotals): Promise<void> {
  try {
    const r = await runners[kind](ctx, jobs);
    for (const [k, v] of Object.entries(r)) totals[k as keyof WorkerTotals] += v ?? 0;
  } catch (e) {
    if (jobs.length > 1) {
      const half = Math.ceil(jobs.length / 2);
      await runIsolating(ctx, kind, jobs.slice(0, half), totals);
      await runIsolating(ctx, kind, jobs.slice(half), totals);
      return;
    }
    const job = jobs[0] as Job;
    await recordCrash(ctx, job, e instanceof Error ? e.message : String(e), totals);
  }
}

async function recordCrash(ctx: AppContext, job: Job, error: string, totals: WorkerTotals): Promise<void> {
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    if (job.attempts < job.maxAttempts) {
      const { backoffBaseSeconds, backoffMaxSeconds } = ctx.policy.worker;
      await retryJobsLater(tx, [{ id: job.id, runAt: addSeconds(now, backoffSeconds(job.attempts, backoffBaseSeconds, backoffMaxSeconds)), error }], now);
      totals.retried++;
      return;
    }
    await failJobs(tx, [{ id: job.id, error }], now);
    if (job.kind !== 'termination.execute') return;
    const t = (await lockTerminationsById(tx, [job.subject])).get(job.subject);
    if (!t || (t.state !== 'executing' && t.state !== 'scheduled')) return;
    const executing = t.state === 'scheduled' ? transition(t, 'executing', systemActor, now) : undefined;
    const base = executing?.termination ?? t;
    const moved = transition({ ...base, lastError: error }, 'needs_attention', systemActor, now, error);
    await saveTerminations(tx, [moved.termination]);
    await appendAudit(tx, [...(executing ? [executing.event] : []), moved.event]);
    totals.needsAttention++;
  });
}

const KINDS: readonly JobKind[] = ['termination.execute', 'termination.expire'];

/** The job loop: claim a batch per kind, run it, repeat; sleep when nothing is due. */
export async function runWorker(ctx: AppContext, options: WorkerOptions = {}): Promise<WorkerTotals> {
  const workerId = options.workerId ?? newId('wrk');
  const totals: WorkerTotals = { completed: 0, expired: 0, retried: 0, needsAttention: 0, batches: 0, notificationsSent: 0, notificationsFailed: 0 };
  const { batchSize, leaseSeconds, pollMilliseconds } = ctx.policy.worker;
  const deliver = options.deliver !== false;
  // The composition root chooses the deliverers (ctx.deliverers) and closes them; only ones made here are closed here.
  const own = !options.deliverers && !ctx.deliverers;
  const deliverers = options.deliverers ?? (deliver ? (ctx.deliverers ?? deliverersFor(ctx, undefined, (e) => console.error(`delivery: ${e.message}`))) : undefined);
  try {
    while (!options.signal?.aborted) {
      let claimed = 0;
      for (const kind of KINDS) {
        const now = ctx.clock();
        const jobs = await claimJobs(ctx.store.db, kind, { limit: batchSize, now, leaseUntil: addSeconds(now, leaseSeconds), workerId });
        if (jobs.length === 0) continue;
        claimed += jobs.length;
        totals.batches++;
        await runIsolating(ctx, kind, jobs, totals);
        options.onProgress?.(totals);
      }
      if (deliverers) {
        const delivered = await deliverDue(ctx, { limit: batchSize, workerId, deliverers });
        claimed += delivered.claimed;
        totals.notificationsSent += delivered.sent;
        totals.notificationsFailed += delivered.failed;
        totals.retried += delivered.retried;
      }
      if (claimed > 0) continue;
      if (options.untilIdle && !(await hasDueJobs(ctx.store.db, ctx.clock())) && !(deliverers && (await hasDueNotifications(ctx.store.db, ctx.clock())))) break;
      try {
        await sleep(pollMilliseconds, undefined, { signal: options.signal });
      } catch {
        break;
      }
    }
  } finally {
    if (own) await deliverers?.close();
  }
  return totals;
}
