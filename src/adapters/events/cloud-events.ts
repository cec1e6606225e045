/**
 * An audit entry as the CloudEvents 1.0 event other systems receive (the `cloudevents` package builds and
 * validates it). An order's change carries TM Forum's ProductOrderStateChangeEvent (the TMF688 notification
 * envelope around a TMF622 ProductOrder, the shape our TMF622 API already serves); the other entities, for which
 * TM Forum has no notification we implement, carry the change itself.
 */
import { CloudEvent } from 'cloudevents';
import { productOrder, TMF_STATE } from '../../channels/tmf/tmf622-mapping.ts';
import type { AuditFacts } from '../../domain/audit-chain.ts';
import { eventIdOf, eventTypeOf, type EventType } from '../../domain/events.ts';
import type { Termination, TerminationState } from '../../domain/termination.ts';

export interface OutgoingEvent {
  readonly id: string;
  readonly type: EventType;
  readonly subject: string;
  readonly time: string;
  /** The structured-mode JSON (`application/cloudevents+json`): what a webhook body and a NATS message carry. */
  readonly body: string;
}

export interface EventContext {
  /** The CloudEvents `source`: this installation's site address. */
  readonly source: string;
  /** Orders by id, for the ProductOrder in an order's event (an order missing here is sent without one). */
  readonly orders: ReadonlyMap<string, Termination>;
}

const TMF622_DOMAIN = 'productOrderingManagement';

function orderData(entry: AuditFacts, t: Termination | undefined, source: string): object {
  const id = eventIdOf(entry.seq);
  const state = TMF_STATE[entry.toState as TerminationState];
  const order = t ? productOrder(t, source) : undefined;
  return {
    eventId: id,
    eventTime: entry.at,
    eventType: 'ProductOrderStateChangeEvent',
    correlationId: t?.reference ?? entry.entityId,
    domain: TMF622_DOMAIN,
    title: 'ProductOrderStateChangeEvent',
    description: `${entry.fromState ?? 'none'} → ${entry.toState ?? 'none'}`,
    timeOcurred: entry.at, // TMF622 v4's spelling
    timeOccurred: entry.at, // TMF688's
    // The order as it is now, but in the state this change made: a late delivery still says what changed.
    ...(order ? { event: { productOrder: { ...order, state, productOrderItem: order.productOrderItem.map((i) => ({ ...i, state })) } } } : {}),
  };
}

/** TMF688 notification names for the entities TM Forum has no notification of ours for. */
const EVENT_NAMES: Readonly<Record<string, string>> = {
  line: 'LineStateChangeEvent',
  number: 'NumberStateChangeEvent',
  sim: 'SimStateChangeEvent',
  esim: 'EsimProfileStateChangeEvent',
  reclaim: 'ReclaimCreateEvent',
};

function changeData(entry: AuditFacts): object {
  const data = entry.data ? (JSON.parse(entry.data) as Record<string, unknown>) : null;
  const name = EVENT_NAMES[entry.entityType] ?? 'StateChangeEvent';
  return {
    // The TMF688 Event envelope, so a TM Forum event hub takes these as it takes the orders' …
    eventId: eventIdOf(entry.seq),
    eventTime: entry.at,
    eventType: name,
    correlationId: entry.entityId,
    domain: 'simexit',
    title: name,
    description: `${entry.fromState ?? 'none'} → ${entry.toState ?? 'none'}`,
    timeOccurred: entry.at,
    // … and the change itself, flat.
    entityType: entry.entityType,
    entityId: entry.entityId,
    fromState: entry.fromState,
    toState: entry.toState,
    reason: entry.reason,
    channel: entry.channel,
    occurredAt: entry.at,
    ...(data ? { details: data } : {}),
  };
}

/** The event an audit entry makes, or null when the entry is not a state change others hear about. */
export function cloudEventOf(entry: AuditFacts, context: EventContext): OutgoingEvent | null {
  const type = eventTypeOf(entry);
  if (!type) return null;
  const order = type === 'simexit.order.state_changed' ? context.orders.get(entry.entityId) : undefined;
  const event = new CloudEvent({
    id: eventIdOf(entry.seq),
    source: context.source,
    type,
    subject: order?.reference ?? entry.entityId,
    time: entry.at,
    datacontenttype: 'application/json',
    data: type === 'simexit.order.state_changed' ? orderData(entry, order, context.source) : changeData(entry),
  });
  return { id: event.id, type, subject: event.subject ?? entry.entityId, time: entry.at, body: JSON.stringify(event) };
}
