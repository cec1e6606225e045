import { sql } from 'kysely';
import { insertRows, updateRows } from './bulk.ts';
import { type Db, type Tx, isPostgres } from './database.ts';
import { newId } from './ids.ts';
import type { JobsTable } from './schema.ts';

export type JobKind = 'termination.execute' | 'termination.expire';

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly key: string;
  readonly subject: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError: string | null;
}

export interface NewJob {
  readonly kind: JobKind;
  /** De-duplicates: a second job with the same key is not added. */
  readonly key: string;
  readonly subject: string;
  readonly runAt: string;
}

/** Capped exponential backoff with a little jitter, so failed jobs do not come back in lock-step. Seconds. */
export function backoffSeconds(attempt: number, base: number, max: number): number {
  const raw = base * 2 ** Math.max(0, attempt - 1);
  return Math.min(max, raw) * (0.9 + Math.random() * 0.2);
}

const toJob = (r: JobsTable): Job => ({
  id: r.id,
  kind: r.kind as JobKind,
  key: r.key,
  subject: r.subject,
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  lastError: r.last_error,
});

/** Adds jobs inside the caller's transaction, so they commit with the state change that causes them. */
export async function enqueueJobs(tx: Tx, jobs: readonly NewJob[], maxAttempts: number, now: string): Promise<void> {
  await insertRows(
    tx,
    'jobs',
    jobs.map((j) => ({
      id: newId('job'),
      kind: j.kind,
      key: j.key,
      subject: j.subject,
      state: 'queued',
      run_at: j.runAt,
      attempts: 0,
      max_attempts: maxAttempts,
      leased_until: null,
      leased_by: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })),
    { ignoreConflicts: true },
  );
}

/**
 * Leases up to `limit` due jobs of a kind to this worker. On Postgres the
 * candidates are taken with FOR UPDATE SKIP LOCKED, so concurrent workers
 * never claim the same job; a lease that runs out (the worker died) makes the
 * job claimable again. Each claim counts as an attempt.
 */
export async function claimJobs(
  db: Db,
  kind: JobKind,
  options: { limit: number; now: string; leaseUntil: string; workerId: string },
): Promise<Job[]> {
  const postgres = isPostgres(db);
  return db.transaction().execute(async (tx) => {
    // A literal, not a parameter: only then can SQLite use the partial index on queued jobs.
    let candidates = tx
      .selectFrom('jobs')
      .select('id')
      .where('state', '=', sql.lit('queued'))
      .where('kind', '=', kind)
      .where('run_at', '<=', options.now)
      .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', options.now)]))
      .orderBy('run_at')
      .limit(options.limit);
    if (postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await tx
      .updateTable('jobs')
      .set((eb) => ({
        leased_until: options.leaseUntil,
        leased_by: options.workerId,
        attempts: eb('attempts', '+', 1),
        updated_at: options.now,
      }))
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    return rows.map(toJob);
  });
}

export async function completeJobs(tx: Tx, ids: readonly string[], now: string): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('jobs')
    .set({ state: 'done', leased_until: null, leased_by: null, updated_at: now })
    .where('id', 'in', ids)
    .execute();
}

/** Puts jobs back in the queue for a later attempt, keeping the error visible. */
export async function retryJobsLater(
  tx: Tx,
  retries: readonly { id: string; runAt: string; error: string }[],
  now: string,
): Promise<void> {
  await updateRows(
    tx,
    'jobs',
    'id',
    retries.map((r) => ({ id: r.id, run_at: r.runAt, last_error: r.error, leased_until: null, leased_by: null, updated_at: now })),
  );
}

export async function failJobs(tx: Tx, failures: readonly { id: string; error: string }[], now: string): Promise<void> {
  await updateRows(
    tx,
    'jobs',
    'id',
    failures.map((f) => ({ id: f.id, state: 'failed', last_error: f.error, leased_until: null, leased_by: null, updated_at: now })),
  );
}

/** Re-queues a job by key (for a retry of an order that needs attention), resetting its attempts. */
export async function requeueJob(tx: Tx, key: string, now: string): Promise<boolean> {
  const result = await tx
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, leased_until: null, leased_by: null, updated_at: now })
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function cancelJobs(tx: Tx, keys: readonly string[], now: string): Promise<void> {
  if (keys.length === 0) return;
  await tx
    .updateTable('jobs')
    .set({ state: 'cancelled', leased_until: null, updated_at: now })
    .where('key', 'in', keys)
    .where('state', '=', 'queued')
    .execute();
}

/** Whether any job is due now (cheap: one probe of the queued-jobs index per kind). */
export async function hasDueJobs(db: Db, now: string): Promise<boolean> {
  for (const kind of ['termination.execute', 'termination.expire'] satisfies JobKind[]) {
    const row = await db.selectFrom('jobs').select('id').where('state', '=', sql.lit('queued')).where('kind', '=', kind).where('run_at', '<=', now).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

export interface QueueStats {
  readonly due: number;
  readonly scheduled: number;
  readonly failed: number;
  readonly nextRunAt: string | null;
}

export async function queueStats(db: Db, now: string): Promise<QueueStats> {
  const row = await db
    .selectFrom('jobs')
    .select([
      sql<number>`sum(case when state = 'queued' and run_at <= ${now} then 1 else 0 end)`.as('due'),
      sql<number>`sum(case when state = 'queued' and run_at > ${now} then 1 else 0 end)`.as('scheduled'),
      sql<number>`sum(case when state = 'failed' then 1 else 0 end)`.as('failed'),
    ])
    .executeTakeFirstOrThrow();
  const next = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('next'))
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return {
    due: Number(row.due ?? 0),
    scheduled: Number(row.scheduled ?? 0),
    failed: Number(row.failed ?? 0),
    nextRunAt: (next?.next as string | null | undefined) ?? null,
  };
}

/** When the oldest job due now was due (null when none waits). */
export async function oldestDueJobAt(db: Db, now: string): Promise<string | null> {
  const row = await db.selectFrom('jobs').select((eb) => eb.fn.min('run_at').as('oldest')).where('state', '=', 'queued').where('run_at', '<=', now).executeTakeFirst();
  return (row?.oldest as string | null | undefined) ?? null;
}
