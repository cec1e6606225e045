/**
 * `integrations.events`: where events go besides the webhook subscriptions an administrator makes (those live in
 * the database). Absent: webhooks only, sent with the default timeout.
 *
 * ```yaml
 * integrations:
 *   events:
 *     webhooks: { timeoutMs: 5000 }
 *     nats:
 *       servers: [nats://127.0.0.1:4222]
 *       stream: SIMEXIT_EVENTS
 *       subjectPrefix: simexit
 *       token: { env: SIMEXIT_NATS_TOKEN }
 * ```
 */
import { type Static, Type as T } from '@sinclair/typebox';
import type { EventSinks } from '../../app/events-outbox.ts';
import { natsEventStream } from '../../adapters/events/nats-stream.ts';
import { httpWebhookSender } from '../../adapters/events/webhook-sender.ts';
import { integrationPart, type IntegrationsSection, SecretRef, secretValue } from '../integrations.ts';

const strict = { additionalProperties: false } as const;

export const EventsSettings = T.Object(
  {
    webhooks: T.Optional(T.Object({ timeoutMs: T.Integer({ minimum: 100, maximum: 60_000 }) }, strict)),
    nats: T.Optional(
      T.Object(
        {
          servers: T.Array(T.String({ pattern: '^(nats|tls)://[^\\s/]+$' }), { minItems: 1, maxItems: 16 }),
          stream: T.Optional(T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
          subjectPrefix: T.Optional(T.String({ pattern: '^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$', maxLength: 64 })),
          duplicateWindowSeconds: T.Optional(T.Integer({ minimum: 60, maximum: 7 * 86_400 })),
          timeoutMs: T.Optional(T.Integer({ minimum: 100, maximum: 60_000 })),
          token: T.Optional(SecretRef),
          user: T.Optional(T.String({ minLength: 1 })),
          password: T.Optional(SecretRef),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type EventsSettings = Static<typeof EventsSettings>;

/** The event sinks the operator file names; undefined when it names none. Secrets are read now, so a missing one stops start-up. */
export function eventSinksOf(section: IntegrationsSection, env: NodeJS.ProcessEnv = process.env): EventSinks | undefined {
  const settings = integrationPart(section, 'events', EventsSettings);
  if (!settings) return undefined;
  const nats = settings.nats;
  return {
    webhooks: httpWebhookSender({ timeoutMs: settings.webhooks?.timeoutMs }),
    ...(nats
      ? {
          stream: natsEventStream({
            servers: nats.servers.map((s) => s.replace(/^nats:\/\//, '')),
            stream: nats.stream ?? 'SIMEXIT_EVENTS',
            subjectPrefix: nats.subjectPrefix ?? 'simexit',
            // Longer than a lease plus the longest backoff: a repeat after a crash always falls inside it.
            duplicateWindowSeconds: nats.duplicateWindowSeconds ?? 86_400,
            timeoutMs: nats.timeoutMs ?? 5000,
            token: nats.token ? secretValue(nats.token, 'integrations.events.nats.token', env) : undefined,
            user: nats.user,
            password: nats.password ? secretValue(nats.password, 'integrations.events.nats.password', env) : undefined,
          }),
        }
      : {}),
  };
}
