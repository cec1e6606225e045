import type { Actor } from '../domain/channels.ts';
import type { BulkRowOutcome, BulkRowResult, BulkRun, BulkRunReport, BulkRunState } from '../domain/bulk-report.ts';
import { insertRows } from './bulk.ts';
import { type Db, type Tx, isPostgres } from './database.ts';
import { inChunks } from './raw-query.ts';
import type { BulkRunsTable } from './schema.ts';

export interface StoredBulkRow {
  readonly seq: number;
  readonly lineNo: number;
  readonly msisdn: string;
  /** now | end_of_period | YYYY-MM-DD */
  readonly effective: string;
  readonly reason: string | null;
}

const toRun = (r: BulkRunsTable): BulkRun => ({
  id: r.id,
  fileHash: r.file_hash,
  fileName: r.file_name,
  createdBy: r.created_by,
  reason: r.reason,
  state: r.state as BulkRunState,
  total: Number(r.total),
  done: Number(r.next_seq),
  report: {
    requested: Number(r.total),
    created: Number(r.created),
    scheduled: Number(r.scheduled),
    blocked: JSON.parse(r.blocked) as Record<string, number>,
    skipped: Number(r.skipped),
    skippedBy: JSON.parse(r.skipped_by) as BulkRunReport['skippedBy'],
    failed: Number(r.failed),
    byChannel: JSON.parse(r.by_channel) as Record<string, number>,
  },
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
});

const reportColumns = (report: BulkRunReport) => ({
  created: report.created,
  scheduled: report.scheduled,
  skipped: report.skipped,
  failed: report.failed,
  blocked: JSON.stringify(report.blocked),
  skipped_by: JSON.stringify(report.skippedBy),
  by_channel: JSON.stringify(report.byChannel),
});

/** Stores a new run and its file's rows (in the caller's transaction, with the run's first job). */
export async function insertBulkRun(
  tx: Tx,
  run: { id: string; fileHash: string; fileName: string | null; actor: Actor; createdBy: string; reason: string | null; report: BulkRunReport; now: string },
  rows: readonly StoredBulkRow[],
): Promise<void> {
  await tx
    .insertInto('bulk_runs')
    .values({
      id: run.id,
      file_hash: run.fileHash,
      file_name: run.fileName,
      actor: JSON.stringify(run.actor),
      created_by: run.createdBy,
      reason: run.reason,
      state: 'running',
      total: rows.length,
      next_seq: 0,
      ...reportColumns(run.report),
      created_at: run.now,
      updated_at: run.now,
      finished_at: null,
    })
    .execute();
  await insertRows(
    tx,
    'bulk_run_rows',
    rows.map((r) => ({ run_id: run.id, seq: r.seq, line_no: r.lineNo, msisdn: r.msisdn, effective: r.effective, reason: r.reason })),
  );
}

export async function bulkRunById(db: Db, id: string): Promise<BulkRun | undefined> {
  const row = await db.selectFrom('bulk_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRun(row);
}

/** The run with its actor, locked on Postgres so two workers holding the same run's job take turns. */
export async function lockBulkRun(tx: Tx, id: string): Promise<{ run: BulkRun; actor: Actor } | undefined> {
  let q = tx.selectFrom('bulk_runs').selectAll().where('id', '=', id);
  if (isPostgres(tx)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && { run: toRun(row), actor: JSON.parse(row.actor) as Actor };
}

/** A run of the same file still under way, if any. */
export async function runningRunOfFile(db: Db, fileHash: string): Promise<BulkRun | undefined> {
  const row = await db.selectFrom('bulk_runs').selectAll().where('file_hash', '=', fileHash).where('state', '=', 'running').orderBy('created_at', 'desc').executeTakeFirst();
  return row && toRun(row);
}

export async function recentBulkRuns(db: Db, limit: number): Promise<BulkRun[]> {
  return (await db.selectFrom('bulk_runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toRun);
}

export async function bulkRunRows(db: Db, runId: string, fromSeq: number, limit: number): Promise<StoredBulkRow[]> {
  const rows = await db.selectFrom('bulk_run_rows').selectAll().where('run_id', '=', runId).where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), lineNo: Number(r.line_no), msisdn: r.msisdn, effective: r.effective, reason: r.reason }));
}

/** Records a chunk's outcomes and moves the run's cursor past them, in the chunk's transaction. */
export async function saveBulkChunk(
  tx: Tx,
  runId: string,
  chunk: { results: readonly (BulkRowResult & { seq: number })[]; report: BulkRunReport; nextSeq: number; finished: boolean; now: string },
): Promise<void> {
  await insertRows(
    tx,
    'bulk_run_results',
    chunk.results.map((r) => ({ run_id: runId, seq: r.seq, msisdn: r.msisdn, outcome: r.outcome, reference: r.reference, detail: r.detail })),
  );
  await tx
    .updateTable('bulk_runs')
    .set({ ...reportColumns(chunk.report), next_seq: chunk.nextSeq, updated_at: chunk.now, ...(chunk.finished ? { state: 'finished', finished_at: chunk.now } : {}) })
    .where('id', '=', runId)
    .execute();
}

export interface StoredBulkResult {
  readonly seq: number;
  readonly msisdn: string;
  readonly outcome: BulkRowOutcome;
  readonly reference: string | null;
  readonly detail: string | null;
}

/** A page of a run's outcomes in file order, after `afterSeq` (for streaming the result file). */
export async function bulkRunResults(db: Db, runId: string, afterSeq: number, limit: number): Promise<StoredBulkResult[]> {
  const rows = await db.selectFrom('bulk_run_results').selectAll().where('run_id', '=', runId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), msisdn: r.msisdn, outcome: r.outcome as BulkRowOutcome, reference: r.reference, detail: r.detail }));
}

/** The channel each order came through, by reference. */
export async function channelsOfReferences(db: Db, references: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks(references, (chunk) => db.selectFrom('terminations').select(['reference', 'channel']).where('reference', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.reference, r.channel]));
}

