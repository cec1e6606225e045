import { sql } from 'kysely';
import { insertRows, updateRows } from './bulk.ts';
import { type Db, type Tx, isPostgres } from './database.ts';
import { inChunks } from './raw-query.ts';
import { newId } from './ids.ts';
import type { JobsTable } from './schema.ts';

/**
 * The one queue engine's table: every kind of later work is a row here
 * (claim with a lease, complete, retry with capped backoff, dead after the
 * last attempt, listed for back office, retried by hand). A new kind of work
 * is a new kind, not a new engine.
 */
export const JOB_KINDS = ['termination.execute', 'termination.expire', 'message.deliver', 'sms.inbound', 'sms.parts', 'event.webhook', 'event.nats', 'shop.close', 'esim.prepare', 'bulk.run'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

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

const toJob = (r: JobsTable): Job => ({
  id: r.id,
  kind: r.kind as JobKind,
  key: r.key,
  subject: r.subject,
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  lastError: r.last_error,
});

/** The rows of new jobs, for a caller that inserts them with rows of its own. */
export function jobRows(jobs: readonly (NewJob & { id?: string })[], maxAttempts: number, now: string): JobsTable[] {
  return jobs.map((j) => ({
      id: j.id ?? newId('job'),
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
    }));
}

/** Adds jobs inside the caller's transaction, so they commit with the state change that causes them. */
export async function enqueueJobs(tx: Tx, jobs: readonly NewJob[], maxAttempts: number, now: string): Promise<void> {
  await insertRows(tx, 'jobs', jobRows(jobs, maxAttempts, now), { ignoreConflicts: true });
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

/**
 * Ends an attempt, but only for the worker still holding the lease: one
 * whose lease ran out (another worker took the job over) records nothing and
 * gets false. On Postgres the UPDATE holds the row until the caller commits,
 * so the takeover waits for the record.
 */
export async function settleLeasedJob(
  tx: Tx,
  input: { id: string; workerId: string; now: string } & ({ outcome: 'done' } | { outcome: 'retry'; runAt: string; error: string } | { outcome: 'dead'; error: string }),
): Promise<boolean> {
  const set =
    input.outcome === 'done'
      ? { state: 'done', last_error: null }
      : input.outcome === 'retry'
        ? { run_at: input.runAt, last_error: input.error }
        : { state: 'failed', last_error: input.error };
  const result = await tx
    .updateTable('jobs')
    .set({ ...set, leased_until: null, leased_by: null, updated_at: input.now })
    .where('id', '=', input.id)
    .where('state', '=', 'queued')
    .where('leased_by', '=', input.workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * `settleLeasedJob` with outcome `done` for many jobs in one statement: the
 * ids of those this worker still held (and now closed). A job whose lease
 * another worker took over is left as it is and left out.
 */
export async function completeLeasedJobs(tx: Tx, ids: readonly string[], workerId: string, now: string): Promise<Set<string>> {
  const rows = await inChunks(ids, (chunk) =>
    tx
      .updateTable('jobs')
      .set({ state: 'done', last_error: null, leased_until: null, leased_by: null, updated_at: now })
      .where('id', 'in', chunk)
      .where('state', '=', 'queued')
      .where('leased_by', '=', workerId)
      .returning('id')
      .execute(),
  );
  return new Set(rows.map((r) => r.id));
}

/** A job that ran out of attempts (or failed for good), as the back office lists it. */
export interface DeadJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly key: string;
  readonly subject: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly deadSince: string;
}

/** The one dead list: jobs of every kind that gave up, newest first. */
export async function listDeadJobs(db: Db, options: { limit?: number; kind?: JobKind; id?: string } = {}): Promise<DeadJob[]> {
  let query = db
    .selectFrom('jobs')
    .select(['id', 'kind', 'key', 'subject', 'attempts', 'last_error', 'updated_at'])
    .where('state', '=', sql.lit('failed'))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 200);
  if (options.kind) query = query.where('kind', '=', options.kind);
  if (options.id) query = query.where('id', '=', options.id);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as JobKind, key: r.key, subject: r.subject, attempts: Number(r.attempts), lastError: r.last_error, deadSince: r.updated_at }));
}

/** A dead job, locked for a retry by hand (null when it is not dead, or not there). */
export async function lockDeadJob(tx: Tx, id: string): Promise<DeadJob | null> {
  let query = tx.selectFrom('jobs').select(['id', 'kind', 'key', 'subject', 'attempts', 'last_error', 'updated_at', 'state']).where('id', '=', id);
  if (isPostgres(tx)) query = query.forUpdate();
  const r = await query.executeTakeFirst();
  if (!r || r.state !== 'failed') return null;
  return { id: r.id, kind: r.kind as JobKind, key: r.key, subject: r.subject, attempts: Number(r.attempts), lastError: r.last_error, deadSince: r.updated_at };
}

/** Puts a dead job back in the queue with its attempts reset (the caller locked it with `lockDeadJob`). */
export async function requeueDeadJob(tx: Tx, id: string, now: string): Promise<void> {
  await tx
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, leased_until: null, leased_by: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .execute();
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

/** Whether any job of these kinds is due now (cheap: one probe of the queued-jobs index per kind). */
export async function hasDueJobs(db: Db, now: string, kinds: readonly JobKind[] = JOB_KINDS): Promise<boolean> {
  for (const kind of kinds) {
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
