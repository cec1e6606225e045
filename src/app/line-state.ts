import type { Actor } from '../domain/channels.ts';
import { assertTransition } from '../domain/state-machine.ts';
import { type LineState, lineTransitions } from '../domain/inventory.ts';
import type { Line } from '../domain/model.ts';
import type { StateEvent } from '../domain/termination.ts';
import type { Tx } from '../store/database.ts';
import { writeLineStates } from '../store/lines.repository.ts';

/** Moves lines through their table and returns the events to record. */
export async function setLineStates(
  tx: Tx,
  changes: readonly { line: Line; to: LineState; actor: Actor; reason: string | null }[],
  at: string,
): Promise<StateEvent[]> {
  if (changes.length === 0) return [];
  for (const c of changes) assertTransition('line', lineTransitions, c.line.state, c.to);
  await writeLineStates(tx, changes.map((c) => ({ id: c.line.id, state: c.to, terminatedAt: c.to === 'terminated' ? at : c.line.terminatedAt })));
  return changes.map((c) => ({
    entityType: 'line' as const,
    entityId: c.line.id,
    action: 'transition',
    from: c.line.state,
    to: c.to,
    actor: c.actor,
    at,
    reason: c.reason,
    data: null,
  }));
}
