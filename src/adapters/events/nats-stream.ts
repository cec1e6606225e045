/**
 * Publishes events to NATS JetStream: one subject per event type (`<prefix>.order.state_changed`), the event id
 * as `Nats-Msg-Id`, so the stream drops a message it already holds within its duplicate window — a worker that
 * dies after publishing and before recording publishes again, and the stream keeps one copy. The window is set
 * when the stream is made here; an operator's own stream needs one at least as long as the worker's lease plus
 * its longest backoff (see docs/integrations.md).
 */
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { natsSubjectOf } from '../../domain/events.ts';
import type { OutgoingEvent } from './cloud-events.ts';

export interface NatsSettings {
  readonly servers: readonly string[];
  /** The stream the events go to; made (subjects `<prefix>.>`) when it does not exist. */
  readonly stream: string;
  readonly subjectPrefix: string;
  /** How long the stream remembers a message id to drop a repeat (made streams only). */
  readonly duplicateWindowSeconds: number;
  readonly token?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly timeoutMs: number;
}

export type PublishAnswer = { ok: true; duplicate: boolean } | { ok: false; error: string };

export interface EventStream {
  publish(events: readonly OutgoingEvent[]): Promise<PublishAnswer[]>;
  close(): Promise<void>;
}

/** A connection made on first use and kept; a failed connection is tried again on the next batch. */
export function natsEventStream(settings: NatsSettings): EventStream {
  let connecting: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  const open = (): Promise<{ nc: NatsConnection; js: JetStreamClient }> => {
    connecting ??= (async () => {
      const nc = await connect({
        servers: [...settings.servers],
        timeout: settings.timeoutMs,
        ...(settings.token ? { token: settings.token } : {}),
        ...(settings.user ? { user: settings.user, pass: settings.password } : {}),
      });
      const jsm = await jetstreamManager(nc, { timeout: settings.timeoutMs });
      const subjects = [`${settings.subjectPrefix}.>`];
      try {
        await jsm.streams.info(settings.stream);
      } catch {
        await jsm.streams.add({ name: settings.stream, subjects, duplicate_window: settings.duplicateWindowSeconds * 1_000_000_000 });
      }
      return { nc, js: jetstream(nc, { timeout: settings.timeoutMs }) };
    })().catch((e: unknown) => {
      connecting = undefined;
      throw e;
    });
    return connecting;
  };
  return {
    async publish(events) {
      let js: JetStreamClient;
      try {
        ({ js } = await open());
      } catch (e) {
        const error = `NATS not reachable: ${e instanceof Error ? e.message : String(e)}`;
        return events.map(() => ({ ok: false, error }));
      }
      return Promise.all(
        events.map(async (event): Promise<PublishAnswer> => {
          const h = headers();
          h.set('Content-Type', 'application/cloudevents+json');
          h.set('ce-type', event.type);
          try {
            const ack = await js.publish(natsSubjectOf(event.type, settings.subjectPrefix), event.body, { msgID: event.id, headers: h });
            return { ok: true, duplicate: ack.duplicate };
          } catch (e) {
            return { ok: false, error: `NATS: ${e instanceof Error ? e.message : String(e)}` };
          }
        }),
      );
    },
    async close() {
      const c = connecting;
      connecting = undefined;
      if (!c) return;
      try {
        await (await c).nc.drain();
      } catch {
        // never connected: nothing to close
      }
    },
  };
}
