/**
 * The step runner: how an execution job talks to outside systems without
 * holding a transaction across the call.
 *
 *   claim (committed by the worker)
 *   → record what can be recorded now, in a short transaction
 *     (local steps, whose adapters record in our store, run here, batched)
 *   → call the ports the orders wait for, outside any transaction
 *   → record each order's answer and next state in a short transaction
 *   → … until no order waits for a call.
 *
 * A crash between a call and its record leaves the order at that step (its
 * progress, `termination.steps`, is what commits): when the lease runs out
 * the job is claimed again and the call repeated with the same key, which
 * the adapter acts on once. Message delivery (notifications/deliver.ts)
 * works the same way: claim, send outside, record. Both are kinds of the one
 * queue (store/jobs.repository.ts) and retry by the one rule (domain/backoff.ts).
 *
 * A recording transaction that throws is split until the order at fault is
 * alone; the answers already received are kept and reused, so isolating one
 * order never calls an outside system again for another.
 */
import type { AppContext } from '../app/context.ts';
import { systemActor } from '../domain/channels.ts';
import { EXECUTION_STEPS, transition } from '../domain/termination.ts';
import { addSeconds } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { afterFailure } from '../domain/backoff.ts';
import { failJobs, type Job, retryJobsLater } from '../store/jobs.repository.ts';
import { lockTerminationsById, saveTerminations } from '../store/terminations.repository.ts';
import { advanceTerminations, type BatchResult, callPort } from './execute-terminations.ts';
import type { PortAnswer, PortCall, PortName } from './steps.ts';

const add = (into: BatchResult, from: BatchResult) => {
  into.completed += from.completed;
  into.retried += from.retried;
  into.needsAttention += from.needsAttention;
  into.skipped += from.skipped;
};

/** Carries out a claimed batch of `termination.execute` jobs. Never throws for one order's fault. */
export async function runTerminationJobs(ctx: AppContext, jobs: readonly Job[]): Promise<BatchResult> {
  const totals: BatchResult = { completed: 0, retried: 0, needsAttention: 0, skipped: 0 };
  const answers = new Map<string, PortAnswer>();
  const jobOf = new Map(jobs.map((j) => [j.subject, j]));
  let pending: readonly Job[] = jobs;
  // Each round records at least one step per waiting order, so the steps bound the rounds.
  for (let round = 0; pending.length > 0 && round <= EXECUTION_STEPS.length; round++) {
    const waiting: PortCall[] = [];
    await recordIsolating(ctx, pending, answers, totals, waiting);
    if (waiting.length === 0) break;
    const byPort = new Map<PortName, PortCall[]>();
    for (const c of waiting) byPort.set(c.port, [...(byPort.get(c.port) ?? []), c]);
    const now = ctx.clock();
    await Promise.all(
      [...byPort].map(async ([port, calls]) => {
        const got = await callPort(ctx.adapters, port, calls.map((c) => c.request), now);
        calls.forEach((c, i) => answers.set(c.request.key, got[i] as PortAnswer));
      }),
    );
    pending = [...new Set(waiting.map((c) => c.orderId))].map((id) => jobOf.get(id) as Job);
  }
  return totals;
}

async function recordIsolating(ctx: AppContext, jobs: readonly Job[], answers: ReadonlyMap<string, PortAnswer>, totals: BatchResult, waiting: PortCall[]): Promise<void> {
  try {
    const advanced = await inTransaction(ctx.store, (tx) => advanceTerminations(ctx, tx, jobs, answers));
    add(totals, advanced.result);
    waiting.push(...advanced.waiting);
  } catch (e) {
    if (jobs.length > 1) {
      const half = Math.ceil(jobs.length / 2);
      await recordIsolating(ctx, jobs.slice(0, half), answers, totals, waiting);
      await recordIsolating(ctx, jobs.slice(half), answers, totals, waiting);
      return;
    }
    const outcome = await recordCrash(ctx, jobs[0] as Job, e instanceof Error ? e.message : String(e));
    if (outcome === 'retried') totals.retried++;
    else if (outcome === 'needs_attention') totals.needsAttention++;
  }
}

/**
 * A job whose run threw (alone): retried later with its error kept, or after
 * its last attempt dead, and its order handed to a person.
 */
export async function recordCrash(ctx: AppContext, job: Job, error: string): Promise<'retried' | 'dead' | 'needs_attention'> {
  const now = ctx.clock();
  return inTransaction(ctx.store, async (tx) => {
    const next = afterFailure(job.attempts, job.maxAttempts, false, ctx.policy.worker);
    if (next.kind === 'retry') {
      await retryJobsLater(tx, [{ id: job.id, runAt: addSeconds(now, next.inSeconds), error }], now);
      return 'retried';
    }
    await failJobs(tx, [{ id: job.id, error }], now);
    if (job.kind !== 'termination.execute') return 'dead';
    const t = (await lockTerminationsById(tx, [job.subject])).get(job.subject);
    if (!t || (t.state !== 'executing' && t.state !== 'scheduled')) return 'dead';
    const executing = t.state === 'scheduled' ? transition(t, 'executing', systemActor, now) : undefined;
    const base = executing?.termination ?? t;
    const moved = transition({ ...base, lastError: error }, 'needs_attention', systemActor, now, error);
    await saveTerminations(tx, [moved.termination]);
    await appendAudit(tx, [...(executing ? [executing.event] : []), moved.event]);
    return 'needs_attention';
  });
}
