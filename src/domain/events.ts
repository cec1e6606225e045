/**
 * Events for other systems (issue 15): which audit entries are state changes another system hears about, under
 * which CloudEvents type, and the NATS subject each type goes to. Pure: no I/O.
 *
 * The audit log is the outbox. Every state change is already an audit entry written in the transaction that made
 * the change, numbered without gaps in commit order (audit_head), so publishing reads the log past a cursor and
 * needs no second table written on every change — and cannot miss a change the log has.
 */
import type { AuditFacts } from './audit-chain.ts';

/** The event types a subscription can ask for. */
export const EVENT_TYPES = [
  'simexit.order.state_changed',
  'simexit.line.state_changed',
  'simexit.number.state_changed',
  'simexit.sim.state_changed',
  'simexit.esim.state_changed',
  'simexit.reclaim.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const BY_ENTITY: Readonly<Record<string, EventType>> = {
  termination: 'simexit.order.state_changed',
  line: 'simexit.line.state_changed',
  number: 'simexit.number.state_changed',
  sim: 'simexit.sim.state_changed',
  esim: 'simexit.esim.state_changed',
};

/**
 * The type of the event an audit entry makes, or null when it is not one: a change of state of an order, line,
 * number, SIM or eSIM profile (a step that left the state as it was is not a change), or a reclaim made.
 */
export function eventTypeOf(entry: Pick<AuditFacts, 'entityType' | 'action' | 'fromState' | 'toState'>): EventType | null {
  if (entry.entityType === 'reclaim') return entry.action === 'created' ? 'simexit.reclaim.created' : null;
  const type = BY_ENTITY[entry.entityType];
  if (!type || entry.toState === null || entry.toState === entry.fromState) return null;
  return type;
}

/** The event's id: the audit entry's sequence number, stable across retries, replays and workers. */
export const eventIdOf = (seq: number): string => `evt-${seq}`;

/** The sequence number back from an event id, or null for anything else. */
export function seqOfEventId(id: string): number | null {
  const m = /^evt-([1-9][0-9]{0,15})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** `simexit.order.state_changed` → `<prefix>.order.state_changed`: one subject per type, so consumers filter by subject. */
export const natsSubjectOf = (type: EventType, prefix: string): string => `${prefix}.${type.slice('simexit.'.length)}`;

/** Whether a subscription's list of types takes an event (`*` takes every type). */
export const wants = (types: readonly string[], type: EventType): boolean => types.includes('*') || types.includes(type);
