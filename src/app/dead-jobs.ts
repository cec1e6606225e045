/**
 * The one dead list: jobs of every kind that gave up (after their last
 * attempt, or at once when retrying could not help), and a retry by hand once
 * someone has fixed the cause. Each kind's retry puts back what its job works
 * on: an order goes back to `executing`, a message back to `queued`.
 */
import { AppError } from '../domain/errors.ts';
import { describeEventJob } from './events-outbox.ts';
import { maskMsisdn } from '../domain/msisdn.ts';
import { notificationsById, requeueNotification } from '../notifications/outbox.repository.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { inTransaction } from '../store/database.ts';
import { type DeadJob, listDeadJobs, lockDeadJob, requeueDeadJob } from '../store/jobs.repository.ts';
import { terminationsById } from '../store/terminations.repository.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { actorOf } from './subscriber-terminations.ts';
import { retryTermination } from './termination-actions.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

/** A dead job as back office sees it: what it was for, in words it can act on (numbers masked). */
export interface DeadJobView extends DeadJob {
  /** The order's reference, for an order's job or a message about one. */
  readonly reference: string | null;
  /** For a message: how and to whom (masked), and which template. */
  readonly message: { readonly medium: string; readonly address: string; readonly template: string } | null;
  /** For an event's delivery (a dead letter): the event and where it was going. */
  readonly event: { readonly eventId: string; readonly target: string } | null;
}

export async function deadJobs(ctx: AppContext): Promise<DeadJobView[]> {
  const jobs = await listDeadJobs(ctx.store.db, { limit: 200 });
  const orders = await terminationsById(ctx.store.db, jobs.filter((j) => j.kind === 'termination.execute' || j.kind === 'termination.expire').map((j) => j.subject));
  const messages = await notificationsById(ctx.store.db, jobs.filter((j) => j.kind === 'message.deliver').map((j) => j.subject));
  return jobs.map((j) => {
    const m = messages.get(j.subject);
    return {
      ...j,
      reference: orders.get(j.subject)?.reference ?? m?.subjectRef ?? null,
      message: m ? { medium: m.medium, address: m.medium === 'sms' ? maskMsisdn(m.address) : m.address, template: m.template } : null,
      event: describeEventJob(j),
    };
  });
}

/** Puts a dead job back in the queue with fresh attempts; audited with who asked. */
export async function retryDeadJob(ctx: AppContext, agent: Staff, jobId: string): Promise<DeadJob> {
  const actor = actorOf(agent, 'api');
  const dead = (await listDeadJobs(ctx.store.db, { limit: 1, id: jobId }))[0];
  if (!dead) throw new AppError('NOT_FOUND', { input: `dead job ${jobId}` });
  if (dead.kind === 'termination.execute') {
    // The order is in needs_attention; its own retry moves it back to executing and requeues this job.
    const order = (await terminationsById(ctx.store.db, [dead.subject])).get(dead.subject);
    if (!order) throw new AppError('NOT_FOUND', { input: `dead job ${jobId}` });
    await retryTermination(ctx, order.reference, actor);
    return dead;
  }
  return inTransaction(ctx.store, async (tx) => {
    const now = ctx.clock();
    const job = await lockDeadJob(tx, jobId);
    if (!job) throw new AppError('NOT_FOUND', { input: `dead job ${jobId}` });
    if (job.kind === 'message.deliver') await requeueNotification(tx, job.subject, now);
    await requeueDeadJob(tx, job.id, now);
    await appendAudit(tx, [{ entityType: 'job', entityId: job.id, action: 'retried_by_hand', from: 'failed', to: 'queued', actor, at: now, reason: job.lastError, data: { kind: job.kind, key: job.key } }]);
    return job;
  });
}
