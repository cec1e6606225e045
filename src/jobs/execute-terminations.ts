import type { OutgoingMessage } from '../adapters/ports.ts';
import type { AppContext } from '../app/context.ts';
import { toAllContacts } from '../app/messages.ts';
import { systemActor } from '../domain/channels.ts';
import { EXECUTION_STEPS, nextStep, type StateEvent, type Termination, transition } from '../domain/termination.ts';
import { ms, toInstant } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import type { Tx } from '../store/database.ts';
import { completeJobs, failJobs, type Job, retryJobsLater } from '../store/jobs.repository.ts';
import { esimsByIccid, liveLineCounts, lockLinesById, numbersByMsisdn, simsByIccid } from '../store/lines.repository.ts';
import { customersById, lockAccountsById } from '../store/parties.repository.ts';
import { lockTerminationsById, saveTerminations } from '../store/terminations.repository.ts';
import { stepHandlers, type StepWorld } from './steps.ts';

export interface BatchResult {
  completed: number;
  retried: number;
  needsAttention: number;
  skipped: number;
}

/** Capped exponential backoff with a little jitter, so failed jobs do not come back in lock-step. */
export function backoffSeconds(attempt: number, base: number, max: number): number {
  const raw = base * 2 ** Math.max(0, attempt - 1);
  return Math.min(max, raw) * (0.9 + Math.random() * 0.2);
}

/**
 * Runs every remaining step of a batch of orders in one transaction. The
 * built-in adapters write to this same database, so a step's effect and the
 * record that it was done commit together: after a crash an order resumes
 * at the first step not recorded, and nothing is done twice. An order whose
 * step fails stops there, keeps the steps it finished and is retried with
 * backoff; after the last attempt it moves to `needs_attention`.
 */
export async function executeTerminationJobs(ctx: AppContext, tx: Tx, jobs: readonly Job[]): Promise<BatchResult> {
  const now = ctx.clock();
  const result: BatchResult = { completed: 0, retried: 0, needsAttention: 0, skipped: 0 };
  const terminations = await lockTerminationsById(tx, jobs.map((j) => j.subject));
  const events: StateEvent[] = [];
  const jobOf = new Map<string, Job>();
  const doneJobs: string[] = [];
  const later: { id: string; runAt: string; error: string }[] = [];
  const working = new Map<string, Termination>();

  for (const job of jobs) {
    const t = terminations.get(job.subject);
    if (!t || (t.state !== 'scheduled' && t.state !== 'executing')) {
      doneJobs.push(job.id);
      result.skipped++;
      continue;
    }
    if (t.effectiveAt > now) {
      // Confirmed later than first planned: wait for the effective instant without spending an attempt.
      later.push({ id: job.id, runAt: t.effectiveAt, error: job.lastError ?? '' });
      continue;
    }
    jobOf.set(t.id, job);
    if (t.state === 'scheduled') {
      const moved = transition(t, 'executing', systemActor, now, 'effective date reached');
      events.push(moved.event);
      working.set(t.id, moved.termination);
    } else working.set(t.id, t);
  }

  const all = [...working.values()];
  const lines = await lockLinesById(tx, all.map((t) => t.lineId));
  const lineList = [...lines.values()];
  const [accounts, customers, numbers, sims, esims, liveLines] = await Promise.all([
    lockAccountsById(tx, all.map((t) => t.accountId)),
    customersById(tx, all.map((t) => t.customerId)),
    numbersByMsisdn(tx, all.map((t) => t.msisdn)),
    simsByIccid(tx, lineList.filter((l) => l.simType === 'sim').map((l) => l.iccid)),
    esimsByIccid(tx, lineList.filter((l) => l.simType === 'esim').map((l) => l.iccid)),
    liveLineCounts(tx, all.map((t) => t.accountId)),
  ]);
  const world: StepWorld = { tx, ctx, now, lines, accounts, customers, numbers, sims, esims, liveLines };
  const failed = new Map<string, string>();

  for (const step of EXECUTION_STEPS) {
    const batch = [...working.values()].filter((t) => !failed.has(t.id) && nextStep(t) === step);
    if (batch.length === 0) continue;
    const run = await stepHandlers[step](world, batch);
    events.push(...run.events);
    batch.forEach((t, i) => {
      const outcome = run.outcomes[i];
      if (!outcome) throw new Error(`step ${step} gave no outcome for ${t.reference}`);
      if (!outcome.ok) {
        failed.set(t.id, `${step}: ${outcome.error}`);
        return;
      }
      working.set(t.id, { ...t, ...outcome.patch, steps: [...t.steps, { step, at: now, outcome: outcome.outcome }], lastError: null });
    });
  }

  const failures: { id: string; error: string }[] = [];
  const messages: OutgoingMessage[] = [];
  for (const [id, t] of working) {
    const job = jobOf.get(id) as Job;
    const error = failed.get(id);
    if (!error) {
      const moved = transition({ ...t, completedAt: now }, 'completed', systemActor, now, null);
      working.set(id, moved.termination);
      events.push(moved.event);
      doneJobs.push(job.id);
      result.completed++;
    } else if (job.attempts >= job.maxAttempts) {
      const moved = transition({ ...t, lastError: error }, 'needs_attention', systemActor, now, error);
      working.set(id, moved.termination);
      events.push(moved.event);
      failures.push({ id: job.id, error });
      const customer = customers.get(t.customerId);
      const line = lines.get(t.lineId);
      if (customer && line) messages.push(...toAllContacts(customer, line, 'termination.failed', t.reference, { reference: t.reference, msisdn: t.msisdn, failedAt: now }, `${t.id}:${job.id}`));
      result.needsAttention++;
    } else {
      working.set(id, { ...t, lastError: error, updatedAt: now });
      const { backoffBaseSeconds, backoffMaxSeconds } = ctx.policy.worker;
      later.push({ id: job.id, runAt: toInstant(ms(now) + 1000 * backoffSeconds(job.attempts, backoffBaseSeconds, backoffMaxSeconds)), error });
      result.retried++;
    }
  }

  await saveTerminations(tx, [...working.values()]);
  await completeJobs(tx, doneJobs, now);
  await retryJobsLater(tx, later, now);
  await failJobs(tx, failures, now);
  await ctx.adapters.notifier.enqueue(tx, messages, now);
  await appendAudit(tx, events);
  return result;
}
