import type { Actor } from '../domain/channels.ts';
import { assertTransition } from '../domain/state-machine.ts';
import { type LineState, lineTransitions } from '../domain/inventory.ts';
import type { Line } from '../domain/model.ts';
import type { StateEvent } from '../domain/termination.ts';
import type { Tx } from '../store/database.ts';
import { writeLineStates } from '../store/lines.repository.ts';

type LineChangeOf = { line: Line; to: LineState; actor: Actor; reason: string | null };

/** The events of line changes, each checked against the line's state machine; writes nothing. */
export function lineStateEvents(changes: readonly LineChangeOf[], at: string): StateEvent[] {
  return changes.map((c) => {
    assertTransition('line', lineTransitions, c.line.state, c.to);
    return { entityType: 'line' as const, entityId: c.line.id, action: 'transition', from: c.line.state, to: c.to, actor: c.actor, at, reason: c.reason, data: null };
  });
}

/** Moves lines through their table and returns the events to record. */
export async function setLineStates(tx: Tx, changes: readonly LineChangeOf[], at: string): Promise<StateEvent[]> {
  if (changes.length === 0) return [];
  const events = lineStateEvents(changes, at);
  await writeLineStates(tx, changes.map((c) => ({ id: c.line.id, state: c.to, terminatedAt: c.to === 'terminated' ? at : c.line.terminatedAt })));
  return events;
}
