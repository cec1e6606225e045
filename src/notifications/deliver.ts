/**
 * Sends what the notification outbox holds.
 *
 * Delivery is at least once, never silently lost, and as close to exactly
 * once as the protocols allow:
 *
 * 1. A worker claims due `message.deliver` jobs from the one queue, with a
 *    lease, and commits the claim before anything is sent.
 * 2. It renders and sends each one outside any transaction, with a timeout
 *    shorter than the lease.
 * 3. It records the outcome (the message's state and its job's: done, retry
 *    after the engine's backoff, or dead) in a short transaction with the
 *    outcomes of up to a hundred other sends, each only while it still holds the
 *    lease.
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
import { activationQrPng } from './esim-qr.ts';
import type { Deliverers, DeliveryMessage, ReceiptSink } from '../adapters/delivery/deliverer.ts';
import { PermanentDeliveryError, withTimeout } from '../adapters/delivery/deliverer.ts';
import { type DeliveryEnvironment, deliverersFromEnv } from '../adapters/delivery/factory.ts';
import { certificatePdf } from '../app/certificates.ts';
import type { AppContext } from '../app/context.ts';
import { receiveSms } from '../app/sms-parts.ts';
import { AppError } from '../domain/errors.ts';
import { certificateInEmail } from '../domain/policy.ts';
import { afterFailure } from '../domain/backoff.ts';
import { addSeconds } from '../domain/time.ts';
import { inTransaction, type Store, type Tx } from '../store/database.ts';
import { claimJobs, completeLeasedJobs, type Job, settleLeasedJob } from '../store/jobs.repository.ts';
import { applyEarlyReceipts, type ClaimedNotification, markFailed, markRetry, markSentMany, messagesToSend, recordReceipt, scrubbedPayload } from './outbox.repository.ts';
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

/**
 * Outcomes recorded in one transaction. A worker that dies between sending and
 * recording leaves at most this many more sent-but-unrecorded messages per
 * lane set, sent again (same identity, see above) once their lease runs out.
 */
const RECORD_BATCH = 100;

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
    // SMS sent to us over the same SMPP session: stored once with their job, then acknowledged.
    onInbound: async (sms) => {
      await receiveSms(ctx, { ...sms, via: 'smpp' });
    },
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
  if (n.medium !== 'email') {
    const rendered = render(n.template, n.language, n.payload, ctx.policy);
    return { key: n.key, medium: 'sms', to: n.address, language: n.language, subject: rendered.subject, text: rendered.sms };
  }
  // The "completed" e-mail carries the signed certificate in the customer's language, or (a bulk order, by policy)
  // says where to download it: a PDF is made only when an e-mail attaches it or someone asks for it.
  const reference = typeof n.payload.reference === 'string' ? n.payload.reference : undefined;
  const completed = n.template === 'termination.completed' && reference !== undefined && ctx.keys !== undefined;
  const mode = completed ? certificateInEmail(ctx.policy, String(n.payload.channel)) : undefined;
  const certificate = completed && mode === 'attach' ? await certificateIfIssued(ctx, reference, n.language) : undefined;
  const says = certificate ? 'attached' : mode === 'link' ? 'link' : undefined;
  const rendered = render(n.template, n.language, says ? { ...n.payload, certificate: says } : n.payload, ctx.policy);
  // The eSIM's activation code as the QR code an LPA scans, beside the code as text in the body.
  const activation = n.template === 'esim.activation' && typeof n.payload.activationCode === 'string' ? n.payload.activationCode : undefined;
  const attachments = certificate
    ? [{ filename: `${reference}.pdf`, content: certificate, contentType: 'application/pdf' }]
    : activation
      ? [{ filename: 'esim-qr.png', content: await activationQrPng(activation), contentType: 'image/png' }]
      : undefined;
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
  const { workerId, deliverers } = options;
  const jobs = await claimJobs(ctx.store.db, 'message.deliver', { limit: options.limit, now, leaseUntil: addSeconds(now, leaseSeconds), workerId });
  const totals: DeliveryTotals = { claimed: jobs.length, sent: 0, retried: 0, failed: 0, lostLeases: 0 };
  if (jobs.length === 0) return totals;
  const messages = await messagesToSend(ctx.store.db, jobs);
  const sendTimeoutMs = leaseSeconds * 1000 * SEND_SHARE_OF_LEASE;

  // Outcomes wait to be recorded together: one commit per RECORD_BATCH sends, not one per send. Each still settles
  // only while its job's lease is held; `counted` learns whether it was (false: the lease was lost, nothing recorded).
  // A send (and a job with nothing left to send) is recorded set-based: one statement closes the batch's jobs this
  // worker still holds, one marks their messages sent, one looks for receipts that came first. A retry or a failure,
  // rare, is recorded one by one.
  type Settle = Parameters<typeof settleLeasedJob>[1];
  type Outcome =
    | { readonly kind: 'done'; readonly jobId: string; readonly sent?: Parameters<typeof markSentMany>[1][number]; readonly counted: (recorded: boolean) => void }
    | { readonly kind: 'other'; readonly write: (tx: Tx) => Promise<void>; readonly settle: Settle; readonly counted: (recorded: boolean) => void };
  let waiting: Outcome[] = [];
  let recording: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return recording;
    recording = recording.then(async () => {
      const recorded = await inTransaction(ctx.store, async (tx) => {
        const done = batch.flatMap((o) => (o.kind === 'done' ? [o.jobId] : []));
        const closed = done.length > 0 ? await completeLeasedJobs(tx, done, workerId, ctx.clock()) : new Set<string>();
        const sends = batch.flatMap((o) => (o.kind === 'done' && o.sent && closed.has(o.jobId) ? [o.sent] : []));
        if (sends.length > 0) {
          await markSentMany(tx, sends);
          await applyEarlyReceipts(tx, sends.map((x) => x.providerId));
        }
        const held: boolean[] = [];
        for (const o of batch) {
          if (o.kind === 'done') {
            held.push(closed.has(o.jobId));
            continue;
          }
          const ok = await settleLeasedJob(tx, o.settle);
          if (ok) await o.write(tx);
          held.push(ok);
        }
        return held;
      });
      batch.forEach((o, i) => o.counted(recorded[i] === true));
    });
    return recording;
  };
  /** The outcome and the job's, in the next recording transaction; the lane that fills a batch waits for its commit. */
  const record = async (outcome: Outcome) => {
    waiting.push(outcome);
    if (waiting.length >= RECORD_BATCH) await flush();
  };

  const deliverOne = async (job: Job): Promise<void> => {
    const n = messages.get(job.subject);
    // Sent or given up on already (a retry by hand raced a late record): the job only closes.
    if (!n) {
      await record({ kind: 'done', jobId: job.id, counted: () => {} });
      return;
    }
    let outcome: { providerId: string } | { error: string; permanent: boolean };
    try {
      if (n.attempts > maxAttempts) throw new PermanentDeliveryError(`gave up after ${maxAttempts} attempts (the last did not finish: was the worker stopped mid-send?)`);
      const message = await toDelivery(n, ctx);
      outcome = await withTimeout(deliverers[n.medium].send(message), sendTimeoutMs, `sending took longer than ${sendTimeoutMs / 1000} s`);
    } catch (e) {
      outcome = { error: messageOf(e), permanent: e instanceof PermanentDeliveryError || e instanceof TemplateError };
    }
    // Recording is outside the try: a database error after a send must not count as a failed send.
    const at = ctx.clock();
    if ('providerId' in outcome) {
      // Delivered: the code leaves the database (the subscriber has it now).
      const { providerId } = outcome;
      const sent = { id: n.id, attempts: n.attempts, providerId, now: at, scrubbed: scrubbedPayload(n.payload) };
      await record({ kind: 'done', jobId: job.id, sent, counted: (recorded) => void (recorded ? totals.sent++ : totals.lostLeases++) });
      return;
    }
    const { error } = outcome;
    const next = afterFailure(n.attempts, maxAttempts, outcome.permanent, worker);
    const runAt = next.kind === 'retry' ? addSeconds(at, next.inSeconds) : at;
    const counted = (recorded: boolean) => void (!recorded ? totals.lostLeases++ : next.kind === 'dead' ? totals.failed++ : totals.retried++);
    if (next.kind === 'dead') await record({ kind: 'other', write: (tx) => markFailed(tx, { id: n.id, attempts: n.attempts, error, now: at, scrubbed: scrubbedPayload(n.payload) }), settle: { id: job.id, workerId, now: at, outcome: 'dead', error }, counted });
    else await record({ kind: 'other', write: (tx) => markRetry(tx, { id: n.id, attempts: n.attempts, error, nextAttemptAt: runAt }), settle: { id: job.id, workerId, now: at, outcome: 'retry', runAt, error }, counted });
  };

  const queue = [...jobs];
  const lanes = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, queue.length)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await deliverOne(job);
  });
  // A lane stops at a database error; the others finish, and what it held is claimed again once its lease runs out.
  const failure = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  await flush();
  return totals;
}
