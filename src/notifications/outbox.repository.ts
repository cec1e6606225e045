/**
 * The notification outbox as the sender sees it. A row goes
 * `queued → sending → sent`, or back to `queued` with a later
 * `next_attempt_at`, or to `failed` for good. `sending` carries a lease: a
 * worker that dies mid-send leaves it to expire, and the row is claimed again.
 */
import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import type { Language } from '../domain/languages.ts';
import type { Medium, OutgoingMessage } from '../adapters/ports.ts';
import type { DeliveryReceipt } from '../adapters/delivery/deliverer.ts';
import { insertRows } from '../store/bulk.ts';
import { type Db, isPostgres, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import type { Database, NotificationsTable } from '../store/schema.ts';

/** A message as it was enqueued, with its row id and how often sending was tried. */
export interface ClaimedNotification extends OutgoingMessage {
  readonly id: string;
  /** Counting this one. */
  readonly attempts: number;
}

export interface FailedNotification extends Omit<ClaimedNotification, 'language' | 'payload'> {
  /** `failed` (sending gave up) or `sent` (sent, but the receipt says it did not arrive). */
  readonly state: string;
  readonly receiptStatus: string | null;
  readonly lastError: string | null;
  readonly failedAt: string;
}

const parsePayload = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Who a row is for and how, without its text: what the list of failed messages shows. */
const toAddressed = (r: NotificationsTable): Omit<ClaimedNotification, 'language' | 'payload'> => ({
  id: r.id,
  key: r.key,
  customerId: r.customer_id,
  subjectRef: r.subject_ref,
  template: r.template,
  medium: r.medium as Medium,
  address: r.address,
  attempts: Number(r.attempts),
});

const toClaimed = (r: NotificationsTable): ClaimedNotification => ({ ...toAddressed(r), language: r.language as Language, payload: parsePayload(r.payload) });

/**
 * Records messages in the outbox inside the caller's transaction, so each
 * commits with the change that causes it. A key already present adds nothing.
 */
export async function enqueueMessages(tx: Tx, messages: readonly OutgoingMessage[], at: string): Promise<void> {
  await insertRows(
    tx,
    'notifications',
    messages.map((m) => ({
      id: newId('msg'),
      key: m.key,
      customer_id: m.customerId,
      subject_ref: m.subjectRef,
      template: m.template,
      medium: m.medium,
      address: m.address,
      language: m.language,
      payload: JSON.stringify(m.payload),
      state: 'queued',
      created_at: at,
      sent_at: null,
      last_error: null,
    })),
    { ignoreConflicts: true },
  );
}

/** Receipt statuses that end a message's story; a later intermediate receipt does not replace them. */
const FINAL = ['delivered', 'undeliverable', 'expired', 'rejected', 'deleted'] as const;
const UNDELIVERED = ['undeliverable', 'expired', 'rejected', 'deleted'] as const;

/** Queued and due, or left `sending` by a worker whose lease has run out. */
const dueAt = (eb: ExpressionBuilder<Database, 'notifications'>, now: string) =>
  eb.or([
    eb.and([eb('state', '=', sql.lit('queued')), eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)])]),
    eb.and([eb('state', '=', sql.lit('sending')), eb('leased_until', '<', now)]),
  ]);

/**
 * Leases up to `limit` messages that are due: queued ones whose next attempt
 * has come, and ones left `sending` by a worker whose lease ran out. The claim
 * commits before anything is sent and counts as an attempt. Postgres takes the
 * candidates with FOR UPDATE SKIP LOCKED, so concurrent workers never claim the
 * same row; SQLite runs one UPDATE … RETURNING, which its single writer serialises.
 */
export async function claimDueNotifications(
  db: Db,
  options: { limit: number; now: string; leaseUntil: string; workerId: string },
): Promise<ClaimedNotification[]> {
  const postgres = isPostgres(db);
  const { now } = options;
  return db.transaction().execute(async (tx) => {
    // Literal states: only then can SQLite use the partial index of pending messages.
    let candidates = tx
      .selectFrom('notifications')
      .select('id')
      .where('state', 'in', [sql.lit('queued'), sql.lit('sending')])
      .where((eb) => dueAt(eb, now))
      .orderBy('created_at')
      .limit(options.limit);
    if (postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await tx
      .updateTable('notifications')
      .set((eb) => ({ state: 'sending', leased_until: options.leaseUntil, leased_by: options.workerId, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    return rows.map(toClaimed);
  });
}

/**
 * Records a send. Only the lease holder can: if the lease ran out and another
 * worker took the message, this returns false and leaves its record alone.
 * A receipt that came before this record is applied now.
 */
/**
 * Ends a send attempt, but only for the worker still holding the lease: a
 * worker whose lease ran out (another took the message over) records nothing.
 */
async function finishAttempt(db: Db, id: string, workerId: string, set: Updateable<NotificationsTable>): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ ...set, leased_until: null, leased_by: null })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('leased_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A payload without its one-time code: once a message is sent (or given up
 * on) the code is gone from the database; only its hash in `otp_codes` stays.
 */
export function scrubbedPayload(payload: Readonly<Record<string, unknown>>): string | undefined {
  if (!('code' in payload)) return undefined;
  return JSON.stringify({ ...payload, code: null });
}

export async function markSent(db: Db, input: { id: string; workerId: string; providerId: string; now: string; scrubbed?: string | undefined }): Promise<boolean> {
  const scrub = input.scrubbed === undefined ? {} : { payload: input.scrubbed };
  if (!(await finishAttempt(db, input.id, input.workerId, { state: 'sent', sent_at: input.now, provider_id: input.providerId, last_error: null, ...scrub }))) return false;
  // After the commit above, in a statement of its own: see `recordReceipt` for why this cannot miss.
  const early = await db.selectFrom('delivery_receipts').selectAll().where('provider_id', '=', input.providerId).executeTakeFirst();
  if (early) await applyReceipt(db, { providerId: early.provider_id, medium: early.medium as Medium, status: early.status, error: early.error, at: early.at });
  return true;
}

function receiptColumns(status: string, at: string) {
  return {
    receipt_status: status,
    ...(status === 'delivered' ? { delivered_at: at } : {}),
    ...((UNDELIVERED as readonly string[]).includes(status) ? { failed_at: at } : {}),
  };
}

/** Puts a message back in the queue for `nextAttemptAt`, keeping the error visible. */
export async function markRetry(db: Db, input: { id: string; workerId: string; nextAttemptAt: string; error: string }): Promise<boolean> {
  return finishAttempt(db, input.id, input.workerId, { state: 'queued', next_attempt_at: input.nextAttemptAt, last_error: input.error });
}

/** Gives up on a message: it stays `failed`, listed for the back office, until someone requeues it. */
export async function markFailed(db: Db, input: { id: string; workerId: string; error: string; now: string; scrubbed?: string | undefined }): Promise<boolean> {
  const scrub = input.scrubbed === undefined ? {} : { payload: input.scrubbed };
  return finishAttempt(db, input.id, input.workerId, { state: 'failed', failed_at: input.now, last_error: input.error, ...scrub });
}

const isFinal = (status: string) => (FINAL as readonly string[]).includes(status);

/**
 * Stores a delivery receipt and applies it to the message the provider id
 * names. An intermediate status never replaces a final one.
 *
 * A receipt may overtake the record of its send (a fast SMSC). Both sides
 * write their own row first and only then, in a separate statement, look for
 * the other's: whichever looks second sees what the first committed, so the
 * receipt lands on the message whatever the interleaving (READ COMMITTED on
 * Postgres, one writer at a time on SQLite).
 */
export async function recordReceipt(db: Db, receipt: DeliveryReceipt): Promise<void> {
  await db
    .insertInto('delivery_receipts')
    .values({ provider_id: receipt.providerId, medium: receipt.medium, status: receipt.status, error: receipt.error, at: receipt.at })
    .onConflict((oc) => {
      const update = oc.column('provider_id').doUpdateSet({ status: receipt.status, error: receipt.error, at: receipt.at });
      return isFinal(receipt.status) ? update : update.where('delivery_receipts.status', 'not in', [...FINAL]);
    })
    .execute();
  await applyReceipt(db, receipt);
}

async function applyReceipt(db: Db, receipt: DeliveryReceipt): Promise<void> {
  let update = db
    .updateTable('notifications')
    .set({ ...receiptColumns(receipt.status, receipt.at), ...(receipt.error ? { last_error: receipt.error } : {}) })
    .where('provider_id', '=', receipt.providerId)
    .where('medium', '=', receipt.medium);
  if (!isFinal(receipt.status)) update = update.where((eb) => eb.or([eb('receipt_status', 'is', null), eb('receipt_status', 'not in', [...FINAL])]));
  await update.execute();
}

/**
 * Messages that will not reach the customer: sending gave up, or the
 * provider's receipt says it was not delivered. Newest first.
 */
export async function listFailedNotifications(db: Db, options: { limit?: number; customerId?: string } = {}): Promise<FailedNotification[]> {
  let query = db
    .selectFrom('notifications')
    .selectAll()
    .where('failed_at', 'is not', null)
    .orderBy('failed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100);
  if (options.customerId) query = query.where('customer_id', '=', options.customerId);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...toAddressed(r),
    state: r.state,
    receiptStatus: r.receipt_status,
    lastError: r.last_error,
    failedAt: r.failed_at as string,
  }));
}

/** Sends a failed message again from the start (a back-office action after fixing the cause). */
export async function requeueNotification(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ state: 'queued', attempts: 0, next_attempt_at: now, failed_at: null, leased_until: null, leased_by: null })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether any message is due now (the worker's idle check). */
export async function hasDueNotifications(db: Db, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('notifications')
    .select('id')
    .where('state', 'in', [sql.lit('queued'), sql.lit('sending')])
    .where((eb) => dueAt(eb, now))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Which of these message keys the outbox already holds: a caller counts what it adds itself. */
export async function knownNotificationKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < keys.length; i += 2000) {
    const rows = await db.selectFrom('notifications').select('key').where('key', 'in', keys.slice(i, i + 2000)).execute();
    for (const r of rows) known.add(r.key);
  }
  return known;
}
