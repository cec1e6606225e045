import type { AppContext } from '../app/context.ts';
import { tellHolder } from '../app/termination-actions.ts';
import { systemActor } from '../domain/channels.ts';
import { blockedExpiresAt, type StateEvent, transition } from '../domain/termination.ts';
import { appendAudit } from '../store/audit.repository.ts';
import type { Tx } from '../store/database.ts';
import { completeJobs, type Job } from '../store/jobs.repository.ts';
import { lockTerminationsById, saveTerminations } from '../store/terminations.repository.ts';

/**
 * Requests nobody confirmed in time expire, and so do requests still blocked
 * after the policy's days (confirmation.blockedExpiryDays); one that moved on
 * meanwhile makes the job a no-op. The holder is told, in their language.
 */
export async function expireTerminationJobs(ctx: AppContext, tx: Tx, jobs: readonly Job[]): Promise<number> {
  const now = ctx.clock();
  const terminations = await lockTerminationsById(tx, jobs.map((j) => j.subject));
  const events: StateEvent[] = [];
  const changed = [];
  for (const t of terminations.values()) {
    const lapsed = t.state === 'awaiting_confirmation' && t.confirmBy !== null && t.confirmBy <= now;
    const stuck = t.state === 'blocked' && (t.confirmBy ?? blockedExpiresAt(t, ctx.policy)) <= now;
    if (!lapsed && !stuck) continue;
    const moved = transition(t, 'expired', systemActor, now, lapsed ? 'not confirmed in time' : 'still blocked after the policy\'s days', stuck ? { blockers: t.blockers.map((b) => b.code) } : null);
    changed.push(moved.termination);
    events.push(moved.event);
  }
  await saveTerminations(tx, changed);
  for (const t of changed) {
    const before = terminations.get(t.id);
    await tellHolder(ctx, tx, t, 'termination.expired', { reference: t.reference, msisdn: t.msisdn, expiredAt: now, stateBefore: before?.state ?? 'awaiting_confirmation' });
  }
  await completeJobs(tx, jobs.map((j) => j.id), now);
  await appendAudit(tx, events);
  return changed.length;
}
