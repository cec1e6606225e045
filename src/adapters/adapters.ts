import type { Tx } from '../store/database.ts';
import type { OutgoingMessage, Ports } from './ports.ts';

/**
 * Records messages in the outbox inside the caller's transaction, so a
 * message commits with the state change that causes it; delivery is a
 * `message.deliver` job run later. Store-side by design: not a port.
 */
export interface Notifier {
  enqueue(tx: Tx, messages: readonly OutgoingMessage[], at: string): Promise<void>;
}

/** What the application is given: the ports to outside systems, and the outbox. */
export interface Adapters extends Ports {
  readonly notifier: Notifier;
}
