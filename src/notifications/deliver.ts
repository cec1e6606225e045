/**
 * Sends what the notification outbox holds.
 *
 * Delivery is at least once, never silently lost, and as close to exactly
 * once as the protocols allow:
 *
 * 1. A worker claims due messages with a lease and commits the claim
 *    (`state = 'sending'`) before anything is sent.
 * 2. It renders and sends each one, with a timeout shorter than the lease.
 * 3. It records the outcome, but only while it still holds the lease.
 *
 * The window that remains: the provider accepted the message, then the worker
 * died (or lost the database) before step 3 committed. When the lease runs out
 * another worker sends it again. That second copy carries the same identity:
 * the same SMTP Message-ID (RFC 5322 — mail stores and clients that
 * de-duplicate drop it), the same HTTP Idempotency-Key, the same SMPP
 * user_message_reference (and the key TLV where configured), the same outbox
 * file name (the file is replaced). An SMSC without de-duplication delivers a
 * second SMS; that is the price of never losing a withdraw link or a code.
 * A send slower than the lease could overlap a second worker's; the timeout
 * below keeps each send well inside the lease to prevent that.
 */
import type { Deliverers, DeliveryMessage, ReceiptSink } from '../adapters/delivery/deliverer.ts';
import { PermanentDeliveryError, withTimeout } from '../adapters/delivery/deliverer.ts';
import { type DeliveryEnvironment, deliverersFromEnv } from '../adapters/delivery/factory.ts';
import { certificatePdf } from '../app/certificates.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../domain/errors.ts';
import { addSeconds } from '../domain/time.ts';
import type { Store } from '../store/database.ts';
import { backoffSeconds } from '../store/jobs.repository.ts';
import { type ClaimedNotification, claimDueNotifications, markFailed, markRetry, markSent, recordReceipt, scrubbedPayload } from './outbox.repository.ts';
import { render, TemplateError } from './templates.ts';

export interface DeliverOptions {
  readonly limit: number;
  readonly workerId: string;
  readonly deliverers: Deliverers;
  /** Attempts before a message is `failed`; default `policy.worker.maxAttempts`. */
  readonly maxAttempts?: number;
  /** How long a claim holds; default `policy.worker.leaseSeconds`. */
  readonly leaseSeconds?: number;
  /** Sends in flight at once. */
  readonly concurrency?: number;
}

export interface DeliveryTotals {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Sends whose lease ran out before the outcome was recorded; another worker owns them now. */
  lostLeases: number;
}

/** Share of the lease a single send may take. */
const SEND_SHARE_OF_LEASE = 0.5;

/** Where SMPP receipts go: the store, applied to the message by provider id. */
export const receiptRecorder =
  (store: Store): ReceiptSink =>
  (receipt) =>
    recordReceipt(store.db, receipt);

/** The deliverers the environment names (see `deliverersFromEnv`; files in the context's outbox without one), with receipts recorded in this store. */
export function deliverersFor(ctx: AppContext, env: DeliveryEnvironment = { SIMEXIT_OUTBOX: ctx.outbox }, onError?: (e: Error) => void): Deliverers {
  return deliverersFromEnv(env, {
    policy: ctx.policy,
    onReceipt: receiptRecorder(ctx.store),
    timeoutMs: ctx.policy.worker.leaseSeconds * 1000 * SEND_SHARE_OF_LEASE,
    ...(onError ? { onError } : {}),
  });
}

/** The certificate to attach; a message about an order without one (an import, a test message) goes without. */
async function certificateIfIssued(ctx: AppContext, reference: string, language: ClaimedNotification['language']): Promise<Buffer | undefined> {
  try {
    return await certificatePdf(ctx, reference, language);
  } catch (e) {
    if (e instanceof AppError && e.code === 'TERMINATION_NOT_FOUND') return undefined;
    throw e;
  }
}

async function toDelivery(n: ClaimedNotification, ctx: AppContext): Promise<DeliveryMessage> {
  const rendered = render(n.template, n.language, n.payload, ctx.policy);
  if (n.medium !== 'email') return { key: n.key, medium: 'sms', to: n.address, language: n.language, subject: rendered.subject, text: rendered.sms };
  // The "completed" e-mail carries the signed certificate, in the customer's language.
  const reference = typeof n.payload.reference === 'string' ? n.payload.reference : undefined;
  const certificate = n.template === 'termination.completed' && reference && ctx.keys ? await certificateIfIssued(ctx, reference, n.language) : undefined;
  const attachments = certificate ? [{ filename: `${reference}.pdf`, content: certificate, contentType: 'application/pdf' }] : undefined;
  return { key: n.key, medium: 'email', to: n.address, language: n.language, subject: rendered.subject, text: rendered.text, html: rendered.html, ...(attachments ? { attachments } : {}) };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 1000);

/**
 * Claims up to `limit` due messages, sends each through the deliverer for its
 * medium and records the outcome: `sent` with the provider's id; a retry after
 * capped exponential backoff; or `failed` after the last attempt, or at once
 * when retrying cannot help (a payload the template cannot render, an address
 * the provider refuses for good). Returns what happened; `claimed === 0` means
 * nothing was due.
 */
export async function deliverDue(ctx: AppContext, options: DeliverOptions): Promise<DeliveryTotals> {
  const { worker } = ctx.policy;
  const leaseSeconds = options.leaseSeconds ?? worker.leaseSeconds;
  const maxAttempts = options.maxAttempts ?? worker.maxAttempts;
  const now = ctx.clock();
  const claimed = await claimDueNotifications(ctx.store.db, {
    limit: options.limit,
    now,
    leaseUntil: addSeconds(now, leaseSeconds),
    workerId: options.workerId,
  });
  const totals: DeliveryTotals = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, lostLeases: 0 };
  const { workerId, deliverers } = options;
  const sendTimeoutMs = leaseSeconds * 1000 * SEND_SHARE_OF_LEASE;
  const db = ctx.store.db;

  const deliverOne = async (n: ClaimedNotification): Promise<void> => {
    let outcome: { providerId: string } | { error: string; permanent: boolean };
    try {
      if (n.attempts > maxAttempts) throw new PermanentDeliveryError(`gave up after ${maxAttempts} attempts (the last did not finish: was the worker stopped mid-send?)`);
      const message = await toDelivery(n, ctx);
      outcome = await withTimeout(deliverers[n.medium].send(message), sendTimeoutMs, `sending took longer than ${sendTimeoutMs / 1000} s`);
    } catch (e) {
      outcome = { error: messageOf(e), permanent: e instanceof PermanentDeliveryError || e instanceof TemplateError };
    }
    // Recording is outside the try: a database error after a send must not count as a failed send.
    let recorded: boolean;
    if ('providerId' in outcome) {
      // Delivered: the code leaves the database (the subscriber has it now).
      recorded = await markSent(db, { id: n.id, workerId, providerId: outcome.providerId, now: ctx.clock(), scrubbed: scrubbedPayload(n.payload) });
      if (recorded) totals.sent++;
    } else if (outcome.permanent || n.attempts >= maxAttempts) {
      recorded = await markFailed(db, { id: n.id, workerId, error: outcome.error, now: ctx.clock(), scrubbed: scrubbedPayload(n.payload) });
      if (recorded) totals.failed++;
    } else {
      const delay = backoffSeconds(n.attempts, worker.backoffBaseSeconds, worker.backoffMaxSeconds);
      recorded = await markRetry(db, { id: n.id, workerId, nextAttemptAt: addSeconds(ctx.clock(), delay), error: outcome.error });
      if (recorded) totals.retried++;
    }
    if (!recorded) totals.lostLeases++;
  };

  const queue = [...claimed];
  const lanes = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, queue.length)) }, async () => {
    for (let n = queue.shift(); n; n = queue.shift()) await deliverOne(n);
  });
  // A lane stops at a database error; the others finish, and what it held is claimed again once its lease runs out.
  const failure = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  return totals;
}
