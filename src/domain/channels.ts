/** The ways a termination can be asked for (DESIGN §2). */
export const CHANNELS = ['web', 'app', 'phone_ivr', 'phone_agent', 'store', 'sms', 'bulk', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const isChannel = (value: string): value is Channel => (CHANNELS as readonly string[]).includes(value);

/**
 * Who stands behind an order. A subscriber's own request (through any channel,
 * also when an agent types it in) must clear every blocker; an operator's order
 * (back office, regulator, dormancy) clears only the hard ones — port-out and
 * legal hold — and leaves debts on the account for the final invoice.
 */
export type Authority = 'subscriber' | 'operator';

export type ActorKind = 'customer' | 'staff' | 'system';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
  readonly channel: Channel | 'system';
}

export const systemActor: Actor = { kind: 'system', id: 'worker', channel: 'system' };
