import type { OutgoingMessage } from '../adapters/ports.ts';
import type { AppContext } from '../app/context.ts';
import { toAllContacts } from '../app/messages.ts';
import { systemActor } from '../domain/channels.ts';
import { EXECUTION_STEPS, nextStep, type StateEvent, type Termination, transition } from '../domain/termination.ts';
import { ms, toInstant } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import type { Tx } from '../store/database.ts';
import type { BarRequest, EsimReleaseRequest, Ports, SettleRequest } from '../adapters/ports.ts';
import { type RecordsInStore, recordsInStore } from '../adapters/local.ts';
import { afterFailure } from '../domain/backoff.ts';
import { completeJobs, failJobs, type Job, retryJobsLater } from '../store/jobs.repository.ts';
import type { Line } from '../domain/model.ts';
import { esimsByIccid, liveLineCounts, lockLinesById, numbersByMsisdn, simsByIccid } from '../store/lines.repository.ts';
import { customersById, lockAccountsById } from '../store/parties.repository.ts';
import { lockTerminationsById, saveTerminations } from '../store/terminations.repository.ts';
import { type PortAnswer, type PortCall, type PortName, type PortRequest, stepHandlers, type StepWorld } from './steps.ts';

export interface BatchResult {
  completed: number;
  retried: number;
  needsAttention: number;
  skipped: number;
}

export interface Advanced {
  readonly result: BatchResult;
  /** Calls to outside systems the orders wait for: the runner makes them outside any transaction. */
  readonly waiting: PortCall[];
}

const invoke = (ports: Ports, port: PortName, requests: readonly PortRequest[], at: string): Promise<PortAnswer[]> =>
  port === 'network'
    ? ports.network.bar(requests as BarRequest[], at)
    : port === 'esim'
      ? ports.esim.release(requests as EsimReleaseRequest[], at)
      : ports.billing.settle(requests as SettleRequest[], at);

/**
 * Calls one port for many orders, outside any transaction. A call that
 * throws (timeout, connection refused) is an answer too: each of its orders
 * failed this attempt, and is retried with the same key.
 */
export async function callPort(ports: Ports, port: PortName, requests: readonly PortRequest[], at: string): Promise<PortAnswer[]> {
  try {
    const answers = await invoke(ports, port, requests, at);
    if (answers.length !== requests.length) throw new Error(`the ${port} adapter answered ${answers.length} of ${requests.length} requests`);
    return answers;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return requests.map(() => ({ ok: false as const, error }));
  }
}

/** What executing a batch of orders decided, for the caller to write: the queue path updates, the fast path inserts. */
export interface Executed {
  readonly result: BatchResult;
  readonly waiting: PortCall[];
  /** Every order of the batch as it stands now (an order waiting for a call keeps the steps it recorded). */
  readonly terminations: Termination[];
  readonly events: StateEvent[];
  readonly doneJobs: string[];
  readonly later: { id: string; runAt: string; error: string }[];
  readonly failures: { id: string; error: string }[];
  readonly messages: OutgoingMessage[];
}

/** The rows the steps of a batch read, with one query per table. */
export async function loadStepWorld(ctx: AppContext, tx: Tx, now: string, orders: readonly Termination[], known: { lines?: Map<string, Line> } = {}): Promise<StepWorld> {
  const lines = known.lines ?? (await lockLinesById(tx, orders.map((t) => t.lineId)));
  const lineList = orders.flatMap((t) => lines.get(t.lineId) ?? []);
  const [accounts, customers, numbers, sims, esims, liveLines] = await Promise.all([
    lockAccountsById(tx, orders.map((t) => t.accountId)),
    customersById(tx, orders.map((t) => t.customerId)),
    numbersByMsisdn(tx, orders.map((t) => t.msisdn)),
    simsByIccid(tx, lineList.filter((l) => l.simType === 'sim').map((l) => l.iccid)),
    esimsByIccid(tx, lineList.filter((l) => l.simType === 'esim').map((l) => l.iccid)),
    liveLineCounts(tx, orders.map((t) => t.accountId)),
  ]);
  return { tx, ctx, now, lines, accounts, customers, numbers, sims, esims, liveLines };
}

/**
 * Takes the steps of orders in `executing`, in order, writing each step's
 * effects (through the handlers) in the world's transaction. A step whose
 * port is local (`recordsInStore`) is called here and its effect written in
 * this transaction; a step whose port answer is in `answers` (by step key)
 * is recorded; a step that needs an outside call not yet made stops its
 * order there, listed in `waiting`. An order whose step fails stops there,
 * keeps the steps it finished and is retried with backoff; after the last
 * attempt it moves to `needs_attention`. The orders and their jobs are the
 * caller's to write (`Executed`).
 */
export async function executeOrders(ctx: AppContext, world: StepWorld, orders: readonly { termination: Termination; job: Job }[], answers: ReadonlyMap<string, PortAnswer>): Promise<Executed> {
  const { now } = world;
  const result: BatchResult = { completed: 0, retried: 0, needsAttention: 0, skipped: 0 };
  const waiting: PortCall[] = [];
  const events: StateEvent[] = [];
  const doneJobs: string[] = [];
  const later: { id: string; runAt: string; error: string }[] = [];
  const working = new Map<string, Termination>(orders.map((o) => [o.termination.id, o.termination]));
  const jobOf = new Map(orders.map((o) => [o.termination.id, o.job]));
  const failed = new Map<string, string>();
  const permanent = new Set<string>();
  const stopped = new Set<string>();

  for (const step of EXECUTION_STEPS) {
    const atStep = [...working.values()].filter((t) => !failed.has(t.id) && !stopped.has(t.id) && nextStep(t) === step);
    if (atStep.length === 0) continue;
    const handler = stepHandlers[step];
    const calls = atStep.map((t) => handler.call?.(world, t) ?? null);
    // Dense, not `new Array(n)`: a hole (an order whose step calls no port) would be skipped by filter() below and shift every later answer onto the wrong order.
    const stepAnswers: (PortAnswer | undefined)[] = Array.from({ length: atStep.length }, () => undefined);
    const local = new Map<PortName, number[]>();
    calls.forEach((c, i) => {
      if (!c) return;
      const known = answers.get(c.request.key);
      if (known) stepAnswers[i] = known;
      else if (recordsInStore(ctx.adapters[c.port])) {
        const list = local.get(c.port);
        if (list) list.push(i);
        else local.set(c.port, [i]);
      }
      else {
        waiting.push(c);
        stopped.add(c.orderId);
      }
    });
    for (const [port, idx] of local) {
      const requests = idx.map((i) => (calls[i] as PortCall).request);
      const got = await callPort(ctx.adapters, port, requests, now);
      await (ctx.adapters[port] as unknown as RecordsInStore<PortRequest, object>).recordsInStore(world.tx, requests, got, now);
      idx.forEach((i, k) => (stepAnswers[i] = got[k]));
    }
    const batch = atStep.filter((t) => !stopped.has(t.id));
    const run = await handler.record(world, batch, stepAnswers.filter((_, i) => !stopped.has((atStep[i] as Termination).id)));
    events.push(...run.events);
    batch.forEach((t, i) => {
      const outcome = run.outcomes[i];
      if (!outcome) throw new Error(`step ${step} gave no outcome for ${t.reference}`);
      if (!outcome.ok) {
        failed.set(t.id, `${step}: ${outcome.error}`);
        if (outcome.permanent) permanent.add(t.id);
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
    if (stopped.has(id)) continue;
    const next = error ? afterFailure(job.attempts, job.maxAttempts, permanent.has(id), ctx.policy.worker) : undefined;
    if (!error) {
      const moved = transition({ ...t, completedAt: now }, 'completed', systemActor, now, null);
      working.set(id, moved.termination);
      events.push(moved.event);
      doneJobs.push(job.id);
      result.completed++;
    } else if (next?.kind === 'dead') {
      const moved = transition({ ...t, lastError: error }, 'needs_attention', systemActor, now, error);
      working.set(id, moved.termination);
      events.push(moved.event);
      failures.push({ id: job.id, error });
      const customer = world.customers.get(t.customerId);
      const line = world.lines.get(t.lineId);
      if (customer && line) messages.push(...toAllContacts(customer, line, 'termination.failed', t.reference, { reference: t.reference, msisdn: t.msisdn, failedAt: now }, `${t.id}:${job.id}`));
      result.needsAttention++;
    } else {
      working.set(id, { ...t, lastError: error, updatedAt: now });
      later.push({ id: job.id, runAt: toInstant(ms(now) + 1000 * (next?.kind === 'retry' ? next.inSeconds : 0)), error });
      result.retried++;
    }
  }
  return { result, waiting, terminations: [...working.values()], events, doneJobs, later, failures, messages };
}

/**
 * Records what it can of a batch of claimed `termination.execute` jobs in one
 * transaction (the caller's): moves each due order to `executing`, then takes
 * the steps (`executeOrders`) and writes the orders and their jobs back.
 * After a crash an order resumes at the first step not recorded, and a
 * repeated call carries the same key.
 */
export async function advanceTerminations(ctx: AppContext, tx: Tx, jobs: readonly Job[], answers: ReadonlyMap<string, PortAnswer>): Promise<Advanced> {
  const now = ctx.clock();
  const skipped: string[] = [];
  const waitLonger: { id: string; runAt: string; error: string }[] = [];
  const terminations = await lockTerminationsById(tx, jobs.map((j) => j.subject));
  const started: StateEvent[] = [];
  const due: { termination: Termination; job: Job }[] = [];

  for (const job of jobs) {
    const t = terminations.get(job.subject);
    if (!t || (t.state !== 'scheduled' && t.state !== 'executing')) {
      skipped.push(job.id);
      continue;
    }
    if (t.effectiveAt > now) {
      // Confirmed later than first planned: wait for the effective instant without spending an attempt.
      waitLonger.push({ id: job.id, runAt: t.effectiveAt, error: job.lastError ?? '' });
      continue;
    }
    if (t.state === 'scheduled') {
      const moved = transition(t, 'executing', systemActor, now, 'effective date reached');
      started.push(moved.event);
      due.push({ termination: moved.termination, job });
    } else due.push({ termination: t, job });
  }

  const world = await loadStepWorld(ctx, tx, now, due.map((d) => d.termination));
  const run = await executeOrders(ctx, world, due, answers);
  await saveTerminations(tx, run.terminations);
  await completeJobs(tx, [...skipped, ...run.doneJobs], now);
  await retryJobsLater(tx, [...waitLonger, ...run.later], now);
  await failJobs(tx, run.failures, now);
  await ctx.adapters.notifier.enqueue(tx, run.messages, now);
  await appendAudit(tx, [...started, ...run.events]);
  return { result: { ...run.result, skipped: skipped.length }, waiting: run.waiting };
}
