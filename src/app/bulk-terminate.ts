import { createHash } from 'node:crypto';
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { type EffectiveChoice, parseEffective } from '../domain/preview.ts';
import { reserveSequence } from '../store/counters.repository.ts';
import { inTransaction } from '../store/database.ts';
import { lineIdsByMsisdn } from '../store/lines.repository.ts';
import type { AppContext } from './context.ts';
import { type RequestOutcome, requestTerminations, requestInTransaction, TERMINATION_SEQUENCE, type TerminationRequest } from './request-terminations.ts';

export interface BulkRow {
  readonly row: number;
  readonly msisdn: string;
  readonly effective: EffectiveChoice;
  readonly reason: string | null;
}

/**
 * Reads a CSV of numbers: a header naming `msisdn` (and optionally `effective`,
 * `reason`), then one number per row. Every row is checked before anything is
 * done; the first bad one stops the run naming its line.
 */
export function parseBulkCsv(text: string, country: string, defaults: { effective: EffectiveChoice; reason: string | null }): BulkRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const hasHeader = header.includes('msisdn');
  const columns = hasHeader ? header : ['msisdn'];
  const at = (name: string) => columns.indexOf(name);
  const rows: BulkRow[] = [];
  const seen = new Set<string>();
  for (let i = hasHeader ? 1 : 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    const row = i + 1;
    if (cells.length > columns.length) throw new AppError('CSV_INVALID', { row, reason: `${cells.length} fields, expected at most ${columns.length}: "${raw}"` });
    let msisdn: string;
    try {
      msisdn = normalizeMsisdn(cells[at('msisdn')] ?? '', country);
    } catch {
      throw new AppError('CSV_INVALID', { row, reason: `not a phone number: "${cells[at('msisdn')] ?? ''}"` });
    }
    if (seen.has(msisdn)) throw new AppError('CSV_INVALID', { row, reason: `${msisdn} appears twice` });
    seen.add(msisdn);
    let effective = defaults.effective;
    const effectiveText = at('effective') >= 0 ? cells[at('effective')] : undefined;
    if (effectiveText) {
      try {
        effective = parseEffective(effectiveText);
      } catch {
        throw new AppError('CSV_INVALID', { row, reason: `effective must be now, end_of_period or YYYY-MM-DD: "${effectiveText}"` });
      }
    }
    const reason = (at('reason') >= 0 ? cells[at('reason')] : undefined) || defaults.reason;
    rows.push({ row, msisdn, effective, reason });
  }
  if (rows.length === 0) throw new AppError('CSV_INVALID', { row: 1, reason: 'no numbers in the file' });
  return rows;
}

export interface BulkReport {
  requested: number;
  created: number;
  /** Already done by an earlier run of this file, already terminated, or already being terminated. */
  skipped: number;
  /** Orders created (or that would be) waiting on a blocker, counted per blocker code. */
  blocked: Record<string, number>;
  scheduled: number;
  /** Carried out and completed in the run itself (due now, no outside system needed). */
  completed: number;
  dryRun: boolean;
}

// One transaction per this many lines unless the policy says (bulk.batchSize): long enough that each page is written once, short enough to commit often.
const BATCH = 2000;
class DryRunRollback extends Error {}
/** Batches in flight at once on Postgres: one being computed while the other is written. */
const POSTGRES_LANES = 2;

/** Runs a batch again when Postgres chose it as a deadlock's victim (rolled back whole, so nothing is repeated). */
async function withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= 3 || (e as { code?: unknown }).code !== '40P01') throw e;
    }
  }
}

/**
 * Operator-ordered terminations from a file (regulator, dormancy). Each row
 * carries a key made of the file's hash and the number, so running the same
 * file again creates nothing twice, and a run killed half-way finishes the
 * rest when started again. A dry run goes through the very same code in a
 * transaction that is rolled back.
 */
export async function bulkTerminate(
  ctx: AppContext,
  input: { csv: string; actor: Actor; dryRun: boolean; effective: EffectiveChoice; reason: string | null; onProgress?: (done: number, total: number) => void; /** Batches at once (tests); by default two on Postgres, one on SQLite. */ lanes?: number },
): Promise<BulkReport> {
  const fileKey = bulkFileKey(input.csv);
  const rows = parseBulkCsv(input.csv, ctx.policy.operator.country, { effective: input.effective, reason: input.reason });
  const known = await lineIdsByMsisdn(ctx.store.db, rows.map((r) => r.msisdn));
  const unknown = rows.find((r) => !known.has(r.msisdn));
  if (unknown) throw new AppError('CSV_INVALID', { row: unknown.row, reason: `${unknown.msisdn} is not one of our lines` });
  // A regulator's list comes in its own order; taken in the order the lines were stored, each batch reads and
  // writes neighbouring pages (a shuffled file otherwise runs at a third of the speed).
  const byStorage = (a: BulkRow, b: BulkRow) => {
    const [x, y] = [known.get(a.msisdn) as string, known.get(b.msisdn) as string];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  rows.sort(byStorage);

  const report: BulkReport = { requested: rows.length, created: 0, skipped: 0, blocked: {}, scheduled: 0, completed: 0, dryRun: input.dryRun };
  const tally = (outcomes: RequestOutcome[]) => {
    for (const o of outcomes) {
      if (o.kind === 'created') {
        report.created++;
        if (o.termination.state === 'scheduled') report.scheduled++;
        if (o.termination.state === 'completed') report.completed++;
        for (const b of o.termination.blockers) report.blocked[b.code] = (report.blocked[b.code] ?? 0) + 1;
      } else if (o.kind === 'existing' || o.error.code === 'LINE_ALREADY_TERMINATED' || o.error.code === 'TERMINATION_ALREADY_OPEN') {
        report.skipped++;
      } else throw o.error;
    }
  };
  const batch = ctx.policy.bulk?.batchSize ?? BATCH;
  const starts = Array.from({ length: Math.ceil(rows.length / batch) }, (_, k) => k * batch);
  if (input.dryRun) {
    for (const start of starts) {
      const requests = bulkRequests(fileKey, rows.slice(start, start + batch), input.actor);
      try {
        await inTransaction(ctx.store, async (tx) => {
          tally(await requestInTransaction(ctx, tx, requests, { executeNow: true }));
          throw new DryRunRollback();
        });
      } catch (e) {
        if (!(e instanceof DryRunRollback)) throw e;
      }
      input.onProgress?.(Math.min(rows.length, start + batch), rows.length);
    }
    return report;
  }
  // The file's order numbers are reserved at once, in a transaction of their own, so no batch holds the counter:
  // on Postgres two batches then run side by side, one computing while the database writes the other's rows
  // (they meet only at accounts they share and at the audit chain's head, each locked in the same order). A
  // number not used (a row skipped) is a gap, as a refused request's already is. SQLite has one writer: one batch.
  const first = rows.length === 0 ? 0 : await inTransaction(ctx.store, (tx) => reserveSequence(tx, TERMINATION_SEQUENCE, rows.length));
  let done = 0;
  const runBatch = async (start: number) => {
    const slice = rows.slice(start, start + batch);
    tally(await withDeadlockRetry(() => requestTerminations(ctx, bulkRequests(fileKey, slice, input.actor), { executeNow: true, sequenceFrom: first + start })));
    done += slice.length;
    input.onProgress?.(done, rows.length);
  };
  const lanes = input.lanes ?? (ctx.store.dialect === 'postgres' ? POSTGRES_LANES : 1);
  let next = 0;
  let failed = false;
  // A lane that fails stops the other from starting more batches; the run rejects once both have stopped.
  const lanesDone = await Promise.allSettled(
    Array.from({ length: Math.min(lanes, starts.length) }, async () => {
      try {
        while (!failed && next < starts.length) await runBatch(starts[next++] as number);
      } catch (e) {
        failed = true;
        throw e;
      }
    }),
  );
  const failure = lanesDone.find((l) => l.status === 'rejected');
  if (failure) throw failure.reason;
  return report;
}

/** The key of a file's rows: the same file (byte for byte) gives the same keys, whichever way it is sent. */
export const bulkFileKey = (csv: string): string => createHash('sha256').update(csv).digest('hex').slice(0, 16);

/**
 * One chunk of a stored bulk run (src/app/bulk-runs.ts), in the caller's transaction, so the run records the
 * outcomes and moves its cursor in the same commit as the orders: a run killed half-way repeats nothing. The
 * keys are bulkTerminate's (file hash + number), so a file sent through either way creates nothing twice. Like
 * the CLI's run, orders due now with only local ports are carried out in the chunk's own transaction.
 */
export async function bulkTerminateChunk(ctx: AppContext, tx: Parameters<typeof requestInTransaction>[1], input: { fileKey: string; rows: readonly BulkRow[]; actor: Actor }): Promise<RequestOutcome[]> {
  return requestInTransaction(ctx, tx, bulkRequests(input.fileKey, input.rows, input.actor), { executeNow: true });
}

/** The operator's confirmed requests for rows of a file, each keyed by the file's hash and its number. */
function bulkRequests(fileKey: string, rows: readonly BulkRow[], actor: Actor): TerminationRequest[] {
  return rows.map((r) => ({
    msisdn: r.msisdn,
    channel: 'bulk' as const,
    authority: 'operator' as const,
    actor,
    effective: r.effective,
    reason: r.reason,
    confirmNow: true,
    bulkKey: `bulk:${fileKey}:${r.msisdn}`,
  }));
}
