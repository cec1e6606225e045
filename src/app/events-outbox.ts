/**
 * Events for other systems (issue 15), on the one queue engine. The audit log is the outbox: a pump reads it past
 * each sink's cursor and, in the same short transaction, turns every state change into a job per destination —
 * `event.webhook` per matching subscription, `event.nats` for the stream — and moves the cursor. The jobs make the
 * calls outside any transaction (claim, call with the event id as the key, record), with the queue's retries,
 * backoff and dead list; the event id (the audit entry's number) is what a consumer de-duplicates on, so a retry,
 * a worker killed mid-publish or a replay never shows a consumer an event twice.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { cloudEventOf, type OutgoingEvent } from '../adapters/events/cloud-events.ts';
import type { EventStream } from '../adapters/events/nats-stream.ts';
import { httpWebhookSender, type WebhookSender } from '../adapters/events/webhook-sender.ts';
import type { AuditFacts } from '../domain/audit-chain.ts';
import { afterFailure } from '../domain/backoff.ts';
import { AppError } from '../domain/errors.ts';
import { EVENT_TYPES, eventIdOf, eventTypeOf, seqOfEventId, wants } from '../domain/events.ts';
import { addSeconds } from '../domain/time.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import {
  advanceCursor,
  auditEntriesAfter,
  auditEntriesBySeq,
  auditHead,
  auditSeqsBetween,
  disableSubscription as disableSubscriptionRow,
  type EventSink,
  insertSubscription,
  lockCursor,
  subscriptionById,
  subscriptions,
  type WebhookSubscription,
} from '../store/events.repository.ts';
import { newId } from '../store/ids.ts';
import { completeJobs, enqueueJobs, failJobs, type Job, type NewJob, retryJobsLater } from '../store/jobs.repository.ts';
import { terminationsById } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { actorOf } from './subscriber-terminations.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

const defaultSender = httpWebhookSender();

/** Where the configuration sends events besides webhooks (the composition root opens and closes them). */
export interface EventSinks {
  /** NATS JetStream, when `integrations.events.nats` is set. */
  readonly stream?: EventStream;
  /** How webhooks are sent (tests give a shorter timeout); default plain HTTPS. */
  readonly webhooks?: WebhookSender;
}

/** Audit entries one pump reads: a transaction short enough not to hold the writer, big enough for bulk runs. */
const PUMP_BATCH = 2000;
/** Webhook calls in flight at once. */
const WEBHOOK_CONCURRENCY = 8;
/** The most events one replay may put back. */
export const MAX_REPLAY = 100_000;

/** `event.webhook` jobs name the subscription and the entry; `event.nats` ones the entry. */
const webhookSubject = (subscriptionId: string, seq: number): string => `${subscriptionId}:${seq}`;
function parseWebhookSubject(subject: string): { subscriptionId: string; seq: number } | null {
  const i = subject.lastIndexOf(':');
  const seq = Number(subject.slice(i + 1));
  return i > 0 && Number.isSafeInteger(seq) ? { subscriptionId: subject.slice(0, i), seq } : null;
}

/**
 * Moves each configured sink's cursor over the audit entries written since, adding a job for each event that
 * goes somewhere. Returns how many entries it read. Runs on every worker; the locked cursor makes one pump at a
 * time, and a job key per (destination, event) makes a second pump of the same entries add nothing.
 */
export async function pumpEvents(ctx: AppContext, limit: number = PUMP_BATCH): Promise<number> {
  const sinks: EventSink[] = ['webhooks', ...(ctx.events?.stream ? (['nats'] as const) : [])];
  let read = 0;
  for (const sink of sinks) {
    read += await inTransaction(ctx.store, async (tx) => {
      const now = ctx.clock();
      const cursor = await lockCursor(tx, sink, now);
      const active = sink === 'webhooks' ? await subscriptions(tx, { activeOnly: true }) : [];
      if (sink === 'webhooks' && active.length === 0) {
        // Nobody subscribed: skip to the head without reading (a bulk run writes millions of entries).
        const head = await auditHead(tx);
        if (head > cursor) await advanceCursor(tx, sink, head, now);
        return 0;
      }
      const entries = await auditEntriesAfter(tx, cursor, limit);
      const last = entries.at(-1);
      if (!last) return 0;
      const jobs: NewJob[] = [];
      for (const entry of entries) {
        const type = eventTypeOf(entry);
        if (!type) continue;
        if (sink === 'nats') jobs.push({ kind: 'event.nats', key: `event.nats:${entry.seq}`, subject: String(entry.seq), runAt: now });
        for (const s of active) {
          if (wants(s.eventTypes, type)) jobs.push({ kind: 'event.webhook', key: `event.webhook:${s.id}:${entry.seq}`, subject: webhookSubject(s.id, entry.seq), runAt: now });
        }
      }
      await enqueueJobs(tx, jobs, ctx.policy.worker.maxAttempts, now);
      await advanceCursor(tx, sink, last.seq, now);
      return entries.length;
    });
  }
  return read;
}

/** The events of these audit entries, with the orders their ProductOrder needs. */
async function eventsOf(ctx: AppContext, seqs: readonly number[]): Promise<Map<number, OutgoingEvent>> {
  const entries = await auditEntriesBySeq(ctx.store.db, seqs);
  const orderIds = [...entries.values()].filter((e) => e.entityType === 'termination').map((e) => e.entityId);
  const orders = await terminationsById(ctx.store.db, orderIds);
  const out = new Map<number, OutgoingEvent>();
  for (const [seq, entry] of entries) {
    const event = cloudEventOf(entry, { source: ctx.policy.operator.siteUrl, orders });
    if (event) out.set(seq, event);
  }
  return out;
}

type Outcome = { job: Job; ok: true } | { job: Job; ok: false; error: string };

/** Records what the calls did: done, or retried with backoff, or dead after the last attempt (the dead list). */
async function record(ctx: AppContext, outcomes: readonly Outcome[]): Promise<{ completed: number; retried: number; dead: number }> {
  const now = ctx.clock();
  const done: string[] = [];
  const retries: { id: string; runAt: string; error: string }[] = [];
  const dead: { id: string; error: string }[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      done.push(o.job.id);
      continue;
    }
    const next = afterFailure(o.job.attempts, o.job.maxAttempts, false, ctx.policy.worker);
    if (next.kind === 'retry') retries.push({ id: o.job.id, runAt: addSeconds(now, next.inSeconds), error: o.error });
    else dead.push({ id: o.job.id, error: o.error });
  }
  await inTransaction(ctx.store, async (tx) => {
    await completeJobs(tx, done, now);
    if (retries.length) await retryJobsLater(tx, retries, now);
    if (dead.length) await failJobs(tx, dead, now);
  });
  return { completed: done.length, retried: retries.length, dead: dead.length };
}

/** The signing secret of a subscription: derived, never stored (the row keeps a salt; the key stays in the environment). */
export function subscriptionSecret(ctx: AppContext, s: Pick<WebhookSubscription, 'id' | 'salt'>): string {
  return `whsec_${createHmac('sha256', ctx.secrets.documentKey).update(`webhook-secret:${s.id}:${s.salt}`).digest('base64')}`;
}

async function withConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

/**
 * How many `event.webhook` jobs one claim takes: as many as `WEBHOOK_CONCURRENCY` lanes can send within half the
 * lease even when every receiver times out. A bigger claim (the worker's `batchSize`, 500) against a slow receiver
 * would outlast the lease: other workers would claim and send the same events again while this one still works.
 */
export function webhookClaimLimit(ctx: Pick<AppContext, 'policy' | 'events'>): number {
  const timeoutMs = (ctx.events?.webhooks ?? defaultSender).timeoutMs;
  const rounds = Math.max(1, Math.floor((ctx.policy.worker.leaseSeconds * 1000) / 2 / timeoutMs));
  return Math.max(1, Math.min(ctx.policy.worker.batchSize, WEBHOOK_CONCURRENCY * rounds));
}

/** Runs claimed `event.webhook` jobs: each event POSTed, signed, to its subscription; none inside a transaction. */
export async function runWebhookJobs(ctx: AppContext, jobs: readonly Job[]): Promise<{ completed: number; retried: number; dead: number }> {
  const parsed = jobs.map((job) => ({ job, target: parseWebhookSubject(job.subject) }));
  const seqs = parsed.flatMap((p) => (p.target ? [p.target.seq] : []));
  const events = await eventsOf(ctx, seqs);
  const subs = new Map((await subscriptions(ctx.store.db)).map((s) => [s.id, s]));
  const sender = ctx.events?.webhooks ?? defaultSender;
  const outcomes = await withConcurrency(parsed, WEBHOOK_CONCURRENCY, async ({ job, target }): Promise<Outcome> => {
    const sub = target ? subs.get(target.subscriptionId) : undefined;
    const event = target ? events.get(target.seq) : undefined;
    // A subscription switched off, or an entry that is no event: nothing to send, nothing to retry.
    if (!sub || !sub.active || !event) return { job, ok: true };
    // The receiver checks the signature's timestamp against its own clock: the real time at sending (not when the
    // batch began, which a slow receiver puts minutes back), never a demo's moved clock.
    const answer = await sender.send({ url: sub.url, secret: subscriptionSecret(ctx, sub) }, event, new Date());
    return answer.ok ? { job, ok: true } : { job, ok: false, error: answer.error };
  });
  return record(ctx, outcomes);
}

/** Runs claimed `event.nats` jobs: the batch published at once, each with its event id as Nats-Msg-Id. */
export async function runNatsJobs(ctx: AppContext, jobs: readonly Job[]): Promise<{ completed: number; retried: number; dead: number }> {
  const stream = ctx.events?.stream;
  const events = await eventsOf(ctx, jobs.map((j) => Number(j.subject)));
  const sendable = jobs.flatMap((job) => {
    const event = events.get(Number(job.subject));
    return event ? [{ job, event }] : [];
  });
  if (!stream) return record(ctx, jobs.map((job) => ({ job, ok: false, error: 'NATS is not configured in this process (integrations.events.nats)' })));
  const answers = await stream.publish(sendable.map((s) => s.event));
  const outcomes: Outcome[] = sendable.map(({ job }, i) => {
    const a = answers[i];
    return a?.ok ? { job, ok: true } : { job, ok: false, error: a && !a.ok ? a.error : 'no answer' };
  });
  const without = jobs.filter((j) => !events.has(Number(j.subject))).map((job): Outcome => ({ job, ok: true }));
  return record(ctx, [...outcomes, ...without]);
}

// ── Subscriptions and replay (admin) ──────────────────────────────────────────────────────────────────────────

export interface SubscriptionView {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly disabledAt: string | null;
}
const viewOf = (s: WebhookSubscription): SubscriptionView => ({ id: s.id, url: s.url, eventTypes: [...s.eventTypes], active: s.active, createdAt: s.createdAt, disabledAt: s.disabledAt });

/**
 * Where a webhook may point: https anywhere, plain http only to this machine (a local receiver, the demo's
 * peers). Credentials in the address would end up in logs and lists, so they are refused.
 */
function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('VALIDATION_FAILED', { reason: 'url: expected an absolute https address' });
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new AppError('VALIDATION_FAILED', { reason: 'url: expected https (plain http only to localhost)' });
  if (u.username || u.password) throw new AppError('VALIDATION_FAILED', { reason: 'url: no user name or password in the address (the signature authenticates us)' });
  return u.toString();
}

export async function listSubscriptions(ctx: AppContext): Promise<SubscriptionView[]> {
  return (await subscriptions(ctx.store.db)).map(viewOf);
}

/** A new subscription; the answer carries its signing secret, shown this once. Audited. */
export async function createSubscription(ctx: AppContext, agent: Staff, input: { url: string; eventTypes: readonly string[] }): Promise<SubscriptionView & { secret: string }> {
  const url = checkUrl(input.url);
  const types = [...new Set(input.eventTypes)];
  const unknown = types.filter((t) => t !== '*' && !(EVENT_TYPES as readonly string[]).includes(t));
  if (types.length === 0 || unknown.length > 0) throw new AppError('VALIDATION_FAILED', { reason: `eventTypes: expected some of ${['*', ...EVENT_TYPES].join(', ')}${unknown.length ? ` (not known: ${unknown.join(', ')})` : ''}` });
  const now = ctx.clock();
  const s: WebhookSubscription = { id: newId('whs'), url, eventTypes: types, salt: randomBytes(16).toString('base64url'), active: true, createdAt: now, createdBy: agent.id, disabledAt: null };
  await inTransaction(ctx.store, async (tx) => {
    await insertSubscription(tx, s);
    await appendAudit(tx, [{ entityType: 'webhook_subscription', entityId: s.id, action: 'subscription_created', from: null, to: 'active', actor: actorOf(agent, 'api'), at: now, reason: null, data: { url, eventTypes: types } }]);
  });
  return { ...viewOf(s), secret: subscriptionSecret(ctx, s) };
}

/** Switches a subscription off: nothing more is sent to it, queued deliveries included. Audited. */
export async function disableSubscription(ctx: AppContext, agent: Staff, id: string): Promise<SubscriptionView> {
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    if (!(await disableSubscriptionRow(tx, id, now))) throw new AppError('NOT_FOUND', { input: `active webhook subscription ${id}` });
    await appendAudit(tx, [{ entityType: 'webhook_subscription', entityId: id, action: 'subscription_disabled', from: 'active', to: 'disabled', actor: actorOf(agent, 'api'), at: now, reason: null, data: null }]);
  });
  const s = await subscriptionById(ctx.store.db, id);
  if (!s) throw new AppError('NOT_FOUND', { input: `webhook subscription ${id}` });
  return viewOf(s);
}

export interface ReplayRequest {
  /** A webhook subscription, or `nats` for the stream. */
  readonly target: string;
  readonly eventIds?: readonly string[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * Sends events again to one destination, by id or by the time they happened: new jobs with the same event ids,
 * so a consumer that de-duplicates takes what it missed and ignores what it has. Audited.
 */
export async function replayEvents(ctx: AppContext, agent: Staff, request: ReplayRequest): Promise<{ queued: number }> {
  const byIds = request.eventIds !== undefined;
  const byTime = request.from !== undefined || request.to !== undefined;
  if (byIds === byTime) throw new AppError('VALIDATION_FAILED', { reason: 'give either eventIds or from and to' });
  let entries: AuditFacts[];
  if (byIds) {
    const seqs = (request.eventIds ?? []).map((id) => {
      const seq = seqOfEventId(id);
      if (seq === null) throw new AppError('VALIDATION_FAILED', { reason: `eventIds: ${id} is not an event id (evt-<number>)` });
      return seq;
    });
    entries = [...(await auditEntriesBySeq(ctx.store.db, seqs)).values()];
  } else {
    const from = request.from && Date.parse(request.from);
    const to = request.to && Date.parse(request.to);
    if (!from || !to || !(from < to)) throw new AppError('VALIDATION_FAILED', { reason: 'from and to: expected two instants, from before to' });
    entries = await auditSeqsBetween(ctx.store.db, new Date(from).toISOString(), new Date(to).toISOString(), MAX_REPLAY + 1);
    if (entries.length > MAX_REPLAY) throw new AppError('VALIDATION_FAILED', { reason: `the range holds more than ${MAX_REPLAY} entries: replay a shorter one` });
  }
  const nats = request.target === 'nats';
  const sub = nats ? null : await subscriptionById(ctx.store.db, request.target);
  if (nats ? !ctx.events?.stream : !sub?.active) throw new AppError('NOT_FOUND', { input: nats ? 'NATS (not configured here)' : `active webhook subscription ${request.target}` });
  const now = ctx.clock();
  const replay = newId('rpl');
  const jobs: NewJob[] = [];
  for (const e of entries) {
    const type = eventTypeOf(e);
    if (!type || (sub && !wants(sub.eventTypes, type))) continue;
    const tail = `${e.seq}:${replay}`;
    jobs.push(nats ? { kind: 'event.nats', key: `event.nats:${tail}`, subject: String(e.seq), runAt: now } : { kind: 'event.webhook', key: `event.webhook:${request.target}:${tail}`, subject: webhookSubject(request.target, e.seq), runAt: now });
  }
  await inTransaction(ctx.store, async (tx) => {
    await enqueueJobs(tx, jobs, ctx.policy.worker.maxAttempts, now);
    await appendAudit(tx, [{ entityType: 'webhook_subscription', entityId: request.target, action: 'events_replayed', from: null, to: null, actor: actorOf(agent, 'api'), at: now, reason: null, data: { events: jobs.length, ...(byIds ? { eventIds: request.eventIds?.slice(0, 20) } : { from: request.from, to: request.to }) } }]);
  });
  return { queued: jobs.length };
}

/** For the dead list: what an event job was for. */
export function describeEventJob(job: Pick<Job, 'kind' | 'subject'>): { eventId: string; target: string } | null {
  if (job.kind === 'event.nats') return { eventId: eventIdOf(Number(job.subject)), target: 'nats' };
  if (job.kind !== 'event.webhook') return null;
  const t = parseWebhookSubject(job.subject);
  return t ? { eventId: eventIdOf(t.seq), target: t.subscriptionId } : null;
}
