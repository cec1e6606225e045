/**
 * The back office's bulk runs: a file of numbers (a regulator's list) checked in a dry run, then started as a
 * stored run that the one queue works through in chunks (job kind `bulk.run`, one job per chunk). Each chunk
 * requests its orders, records every row's outcome, moves the run's cursor and queues the next chunk in one
 * transaction, so a server killed mid-run continues at the next chunk when it comes back, repeating nothing.
 * The orders carry bulkTerminate's keys (file hash + number): the same file twice creates nothing twice.
 */
import { AppError } from '../domain/errors.ts';
import { type BulkRowResult, type BulkRun, type BulkRunReport, emptyReport, tallyResults } from '../domain/bulk-report.ts';
import type { Actor } from '../domain/channels.ts';
import { type EffectiveChoice, parseEffective } from '../domain/preview.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { bulkRunById, bulkRunResults, bulkRunRows, channelsOfReferences, insertBulkRun, lockBulkRun, recentBulkRuns, runningRunOfFile, saveBulkChunk, type StoredBulkResult } from '../store/bulk-runs.repository.ts';
import { lineIdsByMsisdn } from '../store/lines.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { completeJobs, enqueueJobs, type Job } from '../store/jobs.repository.ts';
import { type BulkRow, bulkFileKey, bulkTerminateChunk, parseBulkCsv } from './bulk-terminate.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import type { RequestOutcome } from './request-terminations.ts';
import { recordCrash } from '../jobs/step-runner.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

/** Rows per chunk: one transaction each, and one step of the progress bar. */
export const BULK_CHUNK = 200;
const DRY_RUN_CHUNK = 1000;
const actorOf = (agent: Staff): Actor => ({ kind: 'staff', id: agent.id, channel: 'bulk' });

/** Reads and checks the whole file before anything is done: a bad row is refused with its line and why. */
async function readFile(ctx: AppContext, csv: string, reason: string | null): Promise<BulkRow[]> {
  const rows = parseBulkCsv(csv, ctx.policy.operator.country, { effective: { mode: 'now' }, reason });
  const known = await lineIdsByMsisdn(ctx.store.db, rows.map((r) => r.msisdn));
  const unknown = rows.find((r) => !known.has(r.msisdn));
  if (unknown) throw new AppError('CSV_INVALID', { row: unknown.row, reason: `${unknown.msisdn} is not one of our lines` });
  return rows;
}

const effectiveText = (e: EffectiveChoice): string => (e.mode === 'date' && e.date ? e.date : e.mode);

/** What a request's outcome means for its row. */
function resultOf(msisdn: string, o: RequestOutcome): BulkRowResult {
  if (o.kind === 'created') {
    const t = o.termination;
    if (t.blockers.length > 0) return { msisdn, outcome: 'blocked', reference: t.reference, detail: t.blockers.map((b) => b.code).join(','), channel: t.channel };
    const outcome = t.state === 'completed' ? 'completed' : t.state === 'scheduled' ? 'scheduled' : 'created';
    return { msisdn, outcome, reference: t.reference, detail: null, channel: t.channel };
  }
  if (o.kind === 'existing') return { msisdn, outcome: 'skipped_earlier_run', reference: o.termination.reference, detail: null, channel: o.termination.channel };
  if (o.error.code === 'LINE_ALREADY_TERMINATED') return { msisdn, outcome: 'skipped_terminated', reference: null, detail: null, channel: null };
  if (o.error.code === 'TERMINATION_ALREADY_OPEN') {
    const reference = typeof o.error.details.reference === 'string' ? o.error.details.reference : null;
    return { msisdn, outcome: 'skipped_open', reference, detail: null, channel: null };
  }
  return { msisdn, outcome: 'failed', reference: null, detail: o.error.code, channel: null };
}

/** A chunk's requests, in the caller's transaction, and each row's result (with the channel of an open order it met). */
async function requestChunk(ctx: AppContext, tx: Tx, fileKey: string, rows: readonly BulkRow[], actor: Actor): Promise<BulkRowResult[]> {
  const outcomes = await bulkTerminateChunk(ctx, tx, { fileKey, rows, actor });
  const results = outcomes.map((o, i) => resultOf((rows[i] as BulkRow).msisdn, o));
  const open = results.flatMap((r) => (r.outcome === 'skipped_open' && r.reference ? [r.reference] : []));
  if (open.length === 0) return results;
  const channels = await channelsOfReferences(tx, open);
  return results.map((r) => (r.outcome === 'skipped_open' && r.reference ? { ...r, channel: channels.get(r.reference) ?? null } : r));
}

class DryRunRollback extends Error {}

/** The report a run of this file would give now, through the very same code in transactions rolled back. */
export async function dryRunBulk(ctx: AppContext, agent: Staff, input: { csv: string; reason: string | null }): Promise<BulkRunReport> {
  const rows = await readFile(ctx, input.csv, input.reason);
  const fileKey = bulkFileKey(input.csv);
  const report = emptyReport(rows.length);
  for (let start = 0; start < rows.length; start += DRY_RUN_CHUNK) {
    try {
      await inTransaction(ctx.store, async (tx) => {
        tallyResults(report, await requestChunk(ctx, tx, fileKey, rows.slice(start, start + DRY_RUN_CHUNK), actorOf(agent)));
        throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
  }
  return report;
}

const chunkJob = (runId: string, fromSeq: number, now: string) => ({ kind: 'bulk.run' as const, key: `bulk.run:${runId}:${fromSeq}`, subject: runId, runAt: now });

/**
 * Starts a run of a file (checked first, nothing stored if a row is bad). While a run of the same file is under
 * way it is that run that is answered (`existing`), not a second one.
 */
export async function startBulkRun(ctx: AppContext, agent: Staff, input: { csv: string; fileName: string | null; reason: string | null }): Promise<{ run: BulkRun; existing: boolean }> {
  const rows = await readFile(ctx, input.csv, input.reason);
  const fileHash = bulkFileKey(input.csv);
  const running = await runningRunOfFile(ctx.store.db, fileHash);
  if (running) return { run: running, existing: true };
  const id = newId('blk');
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    await insertBulkRun(
      tx,
      { id, fileHash, fileName: input.fileName, actor: actorOf(agent), createdBy: agent.name, reason: input.reason, report: emptyReport(rows.length), now },
      rows.map((r, seq) => ({ seq, lineNo: r.row, msisdn: r.msisdn, effective: effectiveText(r.effective), reason: r.reason })),
    );
    await enqueueJobs(tx, [chunkJob(id, 0, now)], ctx.policy.worker.maxAttempts, now);
    await appendAudit(tx, [{ entityType: 'staff', entityId: agent.id, action: 'bulk_run_started', from: null, to: null, actor: actorOf(agent), at: now, reason: input.reason, data: { runId: id, fileHash, rows: rows.length, fileName: input.fileName } }]);
  });
  return { run: (await bulkRunById(ctx.store.db, id)) as BulkRun, existing: false };
}

/**
 * The next chunk of a run, in `tx`. The job stays leased while its worker goes on with the next chunk (`last`
 * false); with the last one it is completed and the following chunk's job queued. Which rows come next is the
 * run's cursor, read under the run's lock, never the job's: a job claimed again after a crash, or by a second
 * worker, takes the rows after the last chunk committed, so no row is done twice.
 */
async function runChunk(ctx: AppContext, tx: Tx, job: Job, last: boolean): Promise<'more' | 'finished'> {
  const now = ctx.clock();
  const locked = await lockBulkRun(tx, job.subject);
  let outcome: 'more' | 'finished' = 'finished';
  if (locked && locked.run.state === 'running') {
    const { run, actor } = locked;
    const stored = await bulkRunRows(tx, run.id, run.done, BULK_CHUNK);
    const rows: BulkRow[] = stored.map((r) => ({ row: r.lineNo, msisdn: r.msisdn, effective: parseEffective(r.effective), reason: r.reason }));
    const results = rows.length > 0 ? await requestChunk(ctx, tx, run.fileHash, rows, actor) : [];
    const report = tallyResults(structuredClone(run.report), results);
    const nextSeq = run.done + rows.length;
    const finished = rows.length === 0 || nextSeq >= run.total;
    await saveBulkChunk(tx, run.id, { results: results.map((r, i) => ({ ...r, seq: (stored[i] as { seq: number }).seq })), report, nextSeq, finished, now });
    if (!finished) outcome = 'more';
    if (!finished && last) await enqueueJobs(tx, [chunkJob(run.id, nextSeq, now)], ctx.policy.worker.maxAttempts, now);
  }
  if (outcome === 'finished' || last) await completeJobs(tx, [job.id], now);
  return outcome;
}

/** How long a worker goes on with one run before it lets the other kinds of work have a turn (within half a lease). */
const budgetMs = (ctx: AppContext) => Math.min(2000, ctx.policy.worker.leaseSeconds * 500);
const MAX_CHUNKS_PER_TURN = 20;

/**
 * The worker's runner for `bulk.run`: each job takes chunks of its run, each in its own transaction, for a
 * short turn (`maxChunks`: tests step a run one chunk at a time); a chunk that throws is retried by the job alone.
 */
export async function runBulkRunJobs(ctx: AppContext, jobs: readonly Job[], options: { maxChunks?: number } = {}): Promise<{ completed: number; retried: number }> {
  const maxChunks = options.maxChunks ?? MAX_CHUNKS_PER_TURN;
  let completed = 0;
  let retried = 0;
  for (const job of jobs) {
    const until = Date.now() + budgetMs(ctx);
    try {
      for (let turn = 1; ; turn++) {
        const last = turn >= maxChunks || Date.now() >= until;
        if ((await inTransaction(ctx.store, (tx) => runChunk(ctx, tx, job, last))) === 'finished' || last) break;
      }
      completed++;
    } catch (e) {
      if ((await recordCrash(ctx, job, e instanceof Error ? e.message : String(e))) === 'retried') retried++;
    }
  }
  return { completed, retried };
}

export async function bulkRun(ctx: AppContext, id: string): Promise<BulkRun> {
  const run = await bulkRunById(ctx.store.db, id);
  if (!run) throw new AppError('NOT_FOUND', { input: id });
  return run;
}

export const bulkRuns = (ctx: AppContext, limit = 20): Promise<BulkRun[]> => recentBulkRuns(ctx.store.db, limit);

/**
 * Follows a run for a live view: `send` gets the run now (unless it is the one last seen, `lastDone` rows done)
 * and again each time it moves, until it is finished or `stop()` is called. Reads the store, so a view served by
 * one process follows a run another process works on.
 */
export function followBulkRun(ctx: AppContext, run: BulkRun, lastDone: number | null, send: (run: BulkRun) => void, everyMs = 300): { stop(): void } {
  let last = lastDone;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tell = (r: BulkRun) => {
    if (r.done !== last || r.state === 'finished') send(r);
    last = r.done;
    if (r.state === 'finished') stopped = true;
  };
  const poll = async () => {
    if (stopped) return;
    try {
      const r = await bulkRunById(ctx.store.db, run.id);
      if (r && !stopped) tell(r);
    } catch (e) {
      console.error(`bulk run ${run.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!stopped) timer = setTimeout(() => void poll(), everyMs);
  };
  tell(run);
  if (!stopped) timer = setTimeout(() => void poll(), everyMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** A run's outcomes in file order, a page at a time (for a result file of any size). */
export async function* bulkRunResultPages(ctx: AppContext, id: string, pageSize = 2000): AsyncGenerator<StoredBulkResult[]> {
  let after = -1;
  for (;;) {
    const page = await bulkRunResults(ctx.store.db, id, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = (page[page.length - 1] as StoredBulkResult).seq;
  }
}
