import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../app/context.ts';
import { pumpEvents, runNatsJobs, runWebhookJobs } from '../app/events-outbox.ts';
import { claimLimitOf } from './claim-limits.ts';
import { settleInboundParts } from '../app/sms-parts.ts';
import { runClosingJobs, scheduleShopClosings } from '../app/shop-closing.ts';
import { handleInboundSms } from '../app/text-to-cancel.ts';
import { runEsimPrepareJobs } from '../app/esim-prepare.ts';
import { runSweepIfDue } from '../app/scheduled-sweep.ts';
import { runBulkRunJobs } from '../app/bulk-runs.ts';
import { addSeconds } from '../domain/time.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { claimJobs, completeJobs, hasDueJobs, type Job, type JobKind } from '../store/jobs.repository.ts';
import { recordCrash, runTerminationJobs } from './step-runner.ts';
import { expireTerminationJobs } from './expire-terminations.ts';
import type { Deliverers } from '../adapters/delivery/deliverer.ts';
import { deliverDue, deliverersFor } from '../notifications/deliver.ts';
import { newId } from '../store/ids.ts';

export interface WorkerOptions {
  /** Return once no job is due (scripts and tests); otherwise run until `signal` aborts. */
  readonly untilIdle?: boolean;
  readonly signal?: AbortSignal;
  readonly workerId?: string;
  readonly onProgress?: (totals: WorkerTotals) => void;
  /**
   * Where messages go; default the context's (the composition root chooses and closes them). Without
   * either, messages stay in the outbox for a worker that has them.
   */
  readonly deliverers?: Deliverers;
  /** False leaves messages in the outbox even when `deliverers` are given. */
  readonly deliver?: boolean;
  /**
   * Run the scheduled sweep of numbers when it is due and this worker wins its lease (app/scheduled-sweep.ts).
   * Default: a long-running worker does, a run `untilIdle` (scripts, tests) does not unless asked.
   */
  readonly sweep?: boolean;
}

export interface WorkerTotals {
  completed: number;
  expired: number;
  /** Shop tickets the closing runs lapsed. */
  ticketsLapsed: number;
  retried: number;
  needsAttention: number;
  batches: number;
  notificationsSent: number;
  notificationsFailed: number;
  eventsSent: number;
  /** Numbers the scheduled sweeps of this worker released from quarantine. */
  numbersReleased: number;
}

type Runner = (ctx: AppContext, jobs: readonly Job[]) => Promise<Partial<WorkerTotals>>;

/** Runs a local kind (no outside call) in one transaction; a batch that throws is split until the job at fault is alone. */
const isolating =
  (run: (ctx: AppContext, tx: Tx, jobs: readonly Job[]) => Promise<Partial<WorkerTotals>>): Runner =>
  async (ctx, jobs) => {
    try {
      return await inTransaction(ctx.store, (tx) => run(ctx, tx, jobs));
    } catch (e) {
      if (jobs.length > 1) {
        const half = Math.ceil(jobs.length / 2);
        const [a, b] = [await isolating(run)(ctx, jobs.slice(0, half)), await isolating(run)(ctx, jobs.slice(half))];
        return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k as keyof WorkerTotals] ?? 0) + (b[k as keyof WorkerTotals] ?? 0)]));
      }
      const outcome = await recordCrash(ctx, jobs[0] as Job, e instanceof Error ? e.message : String(e));
      return outcome === 'retried' ? { retried: 1 } : {};
    }
  };

/** Runs each job alone, as a use case with its own transactions; a job that throws is retried by itself. */
const oneByOne =
  (run: (ctx: AppContext, subject: string) => Promise<void>): Runner =>
  async (ctx, jobs) => {
    let completed = 0;
    let retried = 0;
    for (const job of jobs) {
      try {
        await run(ctx, job.subject);
        await inTransaction(ctx.store, (tx) => completeJobs(tx, [job.id], ctx.clock()));
        completed++;
      } catch (e) {
        if ((await recordCrash(ctx, job, e instanceof Error ? e.message : String(e))) === 'retried') retried++;
      }
    }
    return { completed, retried };
  };

/** What runs each kind of job. A new kind is one entry here and one handler. */
const runners: Record<(typeof KINDS)[number], Runner> = {
  // Outside calls are made between short recording transactions (step-runner.ts).
  'termination.execute': async (ctx, jobs) => {
    const r = await runTerminationJobs(ctx, jobs);
    return { completed: r.completed, retried: r.retried, needsAttention: r.needsAttention };
  },
  'termination.expire': isolating(async (ctx, tx, jobs) => ({ expired: await expireTerminationJobs(ctx, tx, jobs) })),
  // One message at a time: each is its own use case with its own transactions; a repeat finds it handled.
  'sms.inbound': oneByOne(async (ctx, subject) => {
    await handleInboundSms(ctx, subject);
  }),
  // The parts of long SMS: each job joins its message once whole, or gives it up after the timeout.
  'sms.parts': oneByOne(async (ctx, subject) => {
    const outcome = await settleInboundParts(ctx, subject);
    if (outcome.kind === 'given_up') console.warn(`sms.parts: a long SMS given up, part(s) ${outcome.missing.join(', ')} missing; kept: ${outcome.partIds.join(', ')}`);
  }),
  // Calls to subscribers and the stream, outside transactions; the event id is the key a consumer de-duplicates on.
  'event.webhook': async (ctx, jobs) => {
    const r = await runWebhookJobs(ctx, jobs);
    return { eventsSent: r.completed, retried: r.retried };
  },
  'event.nats': async (ctx, jobs) => {
    const r = await runNatsJobs(ctx, jobs);
    return { eventsSent: r.completed, retried: r.retried };
  },
  // The SM-DP+ call outside transactions; the activation code and its e-mail recorded after it (app/esim-prepare.ts).
  'esim.prepare': async (ctx, jobs) => runEsimPrepareJobs(ctx, jobs),
  // Back-office bulk runs, a few chunks per turn: each chunk's orders, outcomes and cursor commit together.
  'bulk.run': async (ctx, jobs) => runBulkRunJobs(ctx, jobs),
  'shop.close': isolating(async (ctx, tx, jobs) => ({ completed: jobs.length, ticketsLapsed: await runClosingJobs(ctx, tx, jobs) })),
};

/** The kinds this loop claims itself; `message.deliver` is claimed by `deliverDue`, with the deliverers. */
const KINDS: readonly Exclude<JobKind, 'message.deliver'>[] = ['termination.execute', 'termination.expire', 'sms.parts', 'sms.inbound', 'event.webhook', 'event.nats', 'shop.close', 'esim.prepare', 'bulk.run'];

/** The job loop: claim a batch per kind, run it, repeat; sleep when nothing is due. */
export async function runWorker(ctx: AppContext, options: WorkerOptions = {}): Promise<WorkerTotals> {
  const workerId = options.workerId ?? newId('wrk');
  const totals: WorkerTotals = { completed: 0, expired: 0, ticketsLapsed: 0, retried: 0, needsAttention: 0, batches: 0, notificationsSent: 0, notificationsFailed: 0, eventsSent: 0, numbersReleased: 0 };
  const { batchSize, leaseSeconds, pollMilliseconds } = ctx.policy.worker;
  // The composition root chooses the deliverers (ctx.deliverers) and closes them; only ones made here are closed here.
  const own = options.deliver !== false && !options.deliverers && !ctx.deliverers;
  const deliverers = options.deliver === false ? undefined : (options.deliverers ?? ctx.deliverers ?? deliverersFor(ctx, undefined, (e) => console.error(`delivery: ${e.message}`)));
  // Each closing run queues the next; this queues the first for shops that have none (keyed, so workers agree).
  await scheduleShopClosings(ctx);
  const sweepOn = options.sweep ?? !options.untilIdle;
  // A long-running worker sweeps beside its jobs (a million numbers must not hold the queue up); a run until idle
  // sweeps in line, so it returns with the sweep done.
  let sweeping: Promise<void> | undefined;
  const sweep = (): Promise<void> =>
    runSweepIfDue(ctx, workerId, { signal: options.signal }).then(
      (run) => {
        if (run) totals.numbersReleased += run.released;
        if (run?.lost) console.warn('sweep: another worker took the sweep over; this one stopped');
      },
      (e: unknown) => console.error(`sweep: ${e instanceof Error ? e.message : String(e)}`),
    );
  try {
    while (!options.signal?.aborted) {
      if (sweepOn && options.untilIdle) await sweep();
      else if (sweepOn && !sweeping) sweeping = sweep().finally(() => (sweeping = undefined));
      // A deliverer that also receives (SMPP) stays bound even when nothing is to be sent; a bind under way is not waited for.
      deliverers?.sms.listen?.().catch((e: unknown) => console.error(`sms receiving: ${e instanceof Error ? e.message : String(e)}`));
      // State changes since the last turn become event jobs (a local transaction; the calls are the jobs').
      let claimed = await pumpEvents(ctx);
      for (const kind of KINDS) {
        const now = ctx.clock();
        const limit = claimLimitOf(ctx, kind);
        const jobs = await claimJobs(ctx.store.db, kind, { limit, now, leaseUntil: addSeconds(now, leaseSeconds), workerId });
        if (jobs.length === 0) continue;
        claimed += jobs.length;
        totals.batches++;
        const r = await runners[kind](ctx, jobs);
        for (const [k, v] of Object.entries(r)) totals[k as keyof WorkerTotals] += v ?? 0;
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
      if (options.untilIdle && !(await hasDueJobs(ctx.store.db, ctx.clock(), deliverers ? [...KINDS, 'message.deliver'] : KINDS))) break;
      try {
        await sleep(pollMilliseconds, undefined, { signal: options.signal });
      } catch {
        break;
      }
    }
  } finally {
    await sweeping;
    if (own) await deliverers?.close();
  }
  return totals;
}
