/**
 * The fast path for operator orders that can be carried out at once: a bulk
 * file's orders, effective now, with every port local (`recordsInStore`).
 * Such an order would be inserted, claimed by the worker, loaded again,
 * executed and written back, each row written two or three times in three
 * transactions. Here it is executed in the transaction that creates it, by
 * the same step handlers, and each row is written once, in its final state:
 * the order as completed (or needs_attention), its execution job as done (or
 * queued for its retry, or dead), with every audit entry, message, ledger
 * entry, barring and certificate the queue path writes. An order that needs
 * an outside system never comes here: it takes the queue (no transaction
 * across a call).
 */
import { recordsInStore } from '../adapters/local.ts';
import type { Adapters } from '../adapters/adapters.ts';
import type { AppContext } from '../app/context.ts';
import { systemActor } from '../domain/channels.ts';
import type { Line } from '../domain/model.ts';
import { type StateEvent, type Termination, transition } from '../domain/termination.ts';
import type { Tx } from '../store/database.ts';
import { insertRows } from '../store/bulk.ts';
import { newId } from '../store/ids.ts';
import { type Job, jobRows } from '../store/jobs.repository.ts';
import { insertTerminations } from '../store/terminations.repository.ts';
import { executeOrders, loadStepWorld } from './execute-terminations.ts';

/** Whether every port an execution calls records in our own store, so an order can be executed inside a transaction. */
export const executesLocally = (adapters: Adapters): boolean => recordsInStore(adapters.network) && recordsInStore(adapters.esim) && recordsInStore(adapters.billing);

/** An order that may take the fast path: scheduled, due, and every port local. */
export const executableNow = (ctx: AppContext, t: Termination, now: string): boolean => t.state === 'scheduled' && t.effectiveAt <= now && executesLocally(ctx.adapters);

const LIVE = new Set(['active', 'suspended']);

/**
 * Executes just-decided orders (state `scheduled`, not yet written) in the
 * caller's transaction and inserts them and their jobs in their final state.
 * `lines` are the orders' lines as the request left them (in memory:
 * `termination_scheduled`, not yet written); `linesBefore` as the store still
 * has them, so the count of other live lines on each account is right.
 */
export async function executeNow(
  ctx: AppContext,
  tx: Tx,
  now: string,
  orders: readonly { termination: Termination; bulkKey: string | null }[],
  lines: { after: Map<string, Line>; before: readonly Line[] },
): Promise<{ terminations: Termination[]; events: StateEvent[] }> {
  if (orders.length === 0) return { terminations: [], events: [] };
  const { maxAttempts } = ctx.policy.worker;
  const started: StateEvent[] = [];
  const items = orders.map(({ termination }) => {
    const moved = transition(termination, 'executing', systemActor, now, 'effective date reached');
    started.push(moved.event);
    const job: Job = { id: newId('job'), kind: 'termination.execute', key: `execute:${termination.id}`, subject: termination.id, attempts: 1, maxAttempts, lastError: null };
    return { termination: moved.termination, job };
  });
  const world = await loadStepWorld(ctx, tx, now, items.map((i) => i.termination), { lines: lines.after });
  // The store still counts these lines as live: they are not, once their orders are scheduled.
  for (const line of lines.before) {
    const n = world.liveLines.get(line.accountId);
    if (LIVE.has(line.state) && n !== undefined) world.liveLines.set(line.accountId, n - 1);
  }
  const run = await executeOrders(ctx, world, items, new Map());
  if (run.waiting.length > 0) throw new Error('an order on the fast path waits for an outside call: only local ports may execute now');

  const bulkKeyOf = new Map(orders.map((o) => [o.termination.id, o.bulkKey]));
  await insertTerminations(tx, run.terminations.map((t) => ({ termination: t, bulkKey: bulkKeyOf.get(t.id) ?? null })));
  const later = new Map(run.later.map((l) => [l.id, l]));
  const dead = new Map(run.failures.map((f) => [f.id, f]));
  const jobs = jobRows(items.map((i) => ({ ...i.job, runAt: now })), maxAttempts, now).map((row) => {
    const retry = later.get(row.id);
    const failure = dead.get(row.id);
    if (retry) return { ...row, attempts: 1, run_at: retry.runAt, last_error: retry.error };
    if (failure) return { ...row, attempts: 1, state: 'failed', last_error: failure.error };
    return { ...row, attempts: 1, state: 'done' };
  });
  await insertRows(tx, 'jobs', jobs);
  await ctx.adapters.notifier.enqueue(tx, run.messages, now);
  return { terminations: run.terminations, events: [...started, ...run.events] };
}
