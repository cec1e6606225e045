import type { AppContext } from '../app/context.ts';
import { systemActor } from '../domain/channels.ts';
import { type StateEvent, transition } from '../domain/termination.ts';
import { appendAudit } from '../store/audit.repository.ts';
import type { Tx } from '../store/database.ts';
import { completeJobs, type Job } from '../store/jobs.repository.ts';
import { saveTerminations, terminationsById } from '../store/terminations.repository.ts';

/** Requests nobody confirmed in time expire; one confirmed meanwhile makes the job a no-op. */
export async function expireTerminationJobs(ctx: AppContext, tx: Tx, jobs: readonly Job[]): Promise<number> {
  const now = ctx.clock();
  const terminations = await terminationsById(tx, jobs.map((j) => j.subject), { lock: true });
  const events: StateEvent[] = [];
  const changed = [];
  for (const t of terminations.values()) {
    if (t.state !== 'awaiting_confirmation' || !t.confirmBy || t.confirmBy > now) continue;
    const moved = transition(t, 'expired', systemActor, now, 'not confirmed in time');
    changed.push(moved.termination);
    events.push(moved.event);
  }
  await saveTerminations(tx, changed);
  await completeJobs(tx, jobs.map((j) => j.id), now);
  await appendAudit(tx, events);
  return changed.length;
}
