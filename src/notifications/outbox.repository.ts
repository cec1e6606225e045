/**
 * The notification outbox: what each message says and what became of it. A
 * row goes `queued → sent` (then its receipts), or `queued → failed` for
 * good. When and by whom it is sent is not here: each message has a
 * `message.deliver` job in the one queue (jobs.repository.ts), which holds
 * the lease, the attempts, the backoff and the dead list.
 */
import { sql } from 'kysely';
import type { Language } from '../domain/languages.ts';
import type { Medium, OutgoingMessage } from '../adapters/ports.ts';
import type { DeliveryReceipt } from '../adapters/delivery/deliverer.ts';
import { insertRows, updateRows } from '../store/bulk.ts';
import { type Db, type Tx } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { jobRows } from '../store/jobs.repository.ts';
import { rowsByKey } from '../store/raw-query.ts';
import type { NotificationsTable } from '../store/schema.ts';

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
  const ids = messages.map(() => newId('msg'));
  await insertRows(
    tx,
    'notifications',
    messages.map((m, i) => ({
      id: ids[i] as string,
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
  // Its delivery is a job of the one queue; the key de-duplicates it along with the message.
  await insertRows(tx, 'jobs', jobRows(messages.map((m, i) => ({ kind: 'message.deliver', key: `message:${m.key}`, subject: ids[i] as string, runAt: at })), MESSAGE_MAX_ATTEMPTS, at), { ignoreConflicts: true });
}

/**
 * Attempts a message's job carries. The worker that sends decides with its
 * policy (`policy.worker.maxAttempts`, or the deliverer's option); this is
 * what the row says for a reader of the table.
 */
export const MESSAGE_MAX_ATTEMPTS = 8;

/** Receipt statuses that end a message's story; a later intermediate receipt does not replace them. */
const FINAL = ['delivered', 'undeliverable', 'expired', 'rejected', 'deleted'] as const;
const UNDELIVERED = ['undeliverable', 'expired', 'rejected', 'deleted'] as const;

/** Messages by id, without their text: who and how, for a list. */
export async function notificationsById(db: Db, ids: readonly string[]): Promise<Map<string, Omit<ClaimedNotification, 'language' | 'payload'>>> {
  const found = new Map<string, Omit<ClaimedNotification, 'language' | 'payload'>>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('notifications').selectAll().where('id', 'in', ids.slice(i, i + 1000)).execute();
    for (const r of rows) found.set(r.id, toAddressed(r));
  }
  return found;
}

/**
 * The messages a batch of `message.deliver` jobs names, by job subject (the
 * message's id). A message the job outlived (already sent or given up on) is
 * left out: its job only needs closing.
 */
export async function messagesToSend(db: Db, jobs: readonly { subject: string; attempts: number }[]): Promise<Map<string, ClaimedNotification>> {
  const found = new Map<string, ClaimedNotification>();
  const attemptsOf = new Map(jobs.map((j) => [j.subject, j.attempts]));
  const ids = [...attemptsOf.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('notifications').selectAll().where('id', 'in', ids.slice(i, i + 1000)).where('state', '=', sql.lit('queued')).execute();
    for (const r of rows) found.set(r.id, { ...toClaimed(r), attempts: attemptsOf.get(r.id) ?? Number(r.attempts) });
  }
  return found;
}

/**
 * A payload without its one-time code: once a message is sent (or given up
 * on) the code is gone from the database; only its hash in `otp_codes` stays.
 */
export function scrubbedPayload(payload: Readonly<Record<string, unknown>>): string | undefined {
  if (!('code' in payload)) return undefined;
  return JSON.stringify({ ...payload, code: null });
}

/**
 * Records a send in the caller's transaction (the one that completes its
 * job). Call `applyEarlyReceipt` after the commit: a receipt may have come
 * before this record.
 */
export function markSent(tx: Tx, input: { id: string; attempts: number; providerId: string; now: string; scrubbed?: string | undefined }): Promise<void> {
  return markSentMany(tx, [input]);
}

/** `markSent` for many messages at once: one statement per chunk (and per kind: with a scrubbed payload, or without). */
export async function markSentMany(tx: Tx, sends: readonly { id: string; attempts: number; providerId: string; now: string; scrubbed?: string | undefined }[]): Promise<void> {
  const row = (s: (typeof sends)[number]) => ({ id: s.id, state: 'sent', sent_at: s.now, provider_id: s.providerId, last_error: null, attempts: s.attempts });
  await updateRows(tx, 'notifications', 'id', sends.filter((s) => s.scrubbed === undefined).map(row));
  await updateRows(tx, 'notifications', 'id', sends.filter((s) => s.scrubbed !== undefined).map((s) => ({ ...row(s), payload: s.scrubbed as string })));
}

/** `applyEarlyReceipt` for many sends: one look for receipts that came first, then each one found applied. */
export async function applyEarlyReceipts(db: Db, providerIds: readonly string[]): Promise<void> {
  for (const r of await rowsByKey(db, 'delivery_receipts', 'provider_id', providerIds)) {
    await applyReceipt(db, { providerId: r.provider_id, medium: r.medium as Medium, status: r.status, error: r.error, at: r.at });
  }
}

/** After the commit of `markSent`, in a statement of its own: see `recordReceipt` for why this cannot miss. */
export function applyEarlyReceipt(db: Db, providerId: string): Promise<void> {
  return applyEarlyReceipts(db, [providerId]);
}

function receiptColumns(status: string, at: string) {
  return {
    receipt_status: status,
    ...(status === 'delivered' ? { delivered_at: at } : {}),
    ...((UNDELIVERED as readonly string[]).includes(status) ? { failed_at: at } : {}),
  };
}

/** Keeps a failed attempt's error and the next attempt's time on the message (for a reader); its job is what waits. */
export async function markRetry(tx: Tx, input: { id: string; attempts: number; error: string; nextAttemptAt: string }): Promise<void> {
  await tx.updateTable('notifications').set({ last_error: input.error, attempts: input.attempts, next_attempt_at: input.nextAttemptAt }).where('id', '=', input.id).execute();
}

/** Gives up on a message: it stays `failed`, listed for the back office, and its job is dead until someone retries it. */
export async function markFailed(tx: Tx, input: { id: string; attempts: number; error: string; now: string; scrubbed?: string | undefined }): Promise<void> {
  const scrub = input.scrubbed === undefined ? {} : { payload: input.scrubbed };
  await tx
    .updateTable('notifications')
    .set({ state: 'failed', failed_at: input.now, last_error: input.error, attempts: input.attempts, ...scrub })
    .where('id', '=', input.id)
    .execute();
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

/**
 * Sends a failed message again from the start (a back-office action after
 * fixing the cause): the message is queued again, and its job, dead, is
 * requeued with its attempts reset. False when the message has not failed.
 */
export async function requeueNotification(tx: Tx, id: string, now: string): Promise<boolean> {
  const row = await tx
    .updateTable('notifications')
    .set({ state: 'queued', attempts: 0, failed_at: null, receipt_status: null })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .returning('key')
    .executeTakeFirst();
  if (!row) return false;
  await tx
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, last_error: null, leased_until: null, leased_by: null, updated_at: now })
    .where('key', '=', `message:${row.key}`)
    .execute();
  return true;
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
