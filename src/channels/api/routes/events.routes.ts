import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { createSubscription, disableSubscription, listSubscriptions, MAX_REPLAY, replayEvents } from '../../../app/events-outbox.ts';
import { EVENT_TYPES } from '../../../domain/events.ts';
import { requireStaff } from '../auth-plugin.ts';
import { errorResponses } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const SubscriptionSchema = T.Object({
  id: T.String(),
  url: T.String(),
  eventTypes: T.Array(T.String()),
  active: T.Boolean(),
  createdAt: T.String(),
  disabledAt: T.Union([T.String(), T.Null()]),
});
const EventType = T.Union([T.Literal('*'), ...EVENT_TYPES.map((t) => T.Literal(t))]);
const Instant = T.String({ format: 'date-time', description: 'an instant with its offset, e.g. 2026-12-01T00:00:00Z' });

/**
 * Events for other systems (issue 15): administrators manage the webhook subscriptions and replay events; the dead
 * letters are the dead list's event jobs (/staff/jobs/dead), retried there.
 */
export function eventRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/admin/webhooks',
      { schema: { tags: ['events'], summary: 'Admin: the webhook subscriptions (their secrets are never shown again)', response: { 200: T.Array(SubscriptionSchema), ...errorResponses } } },
      async (request) => {
        requireStaff(request, 'admin');
        return listSubscriptions(ctx);
      },
    );

    app.post(
      '/admin/webhooks',
      {
        schema: {
          tags: ['events'],
          summary:
            'Admin: subscribe an address to event types (CloudEvents 1.0, signed per Standard Webhooks with the secret in this answer, shown once: keep it). https, or http to localhost only; audited',
          body: T.Object({ url: T.String({ minLength: 8, maxLength: 2000 }), eventTypes: T.Array(EventType, { minItems: 1, maxItems: EVENT_TYPES.length + 1 }) }, strict),
          response: { 201: T.Composite([SubscriptionSchema, T.Object({ secret: T.String({ description: 'whsec_…: the Standard Webhooks signing secret' }) })]), ...errorResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await createSubscription(ctx, requireStaff(request, 'admin'), request.body)),
    );

    app.post(
      '/admin/webhooks/:id/disable',
      { schema: { tags: ['events'], summary: 'Admin: switch a subscription off (queued deliveries to it are dropped); audited', params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict), response: { 200: SubscriptionSchema, ...errorResponses } } },
      async (request) => disableSubscription(ctx, requireStaff(request, 'admin'), request.params.id),
    );

    app.post(
      '/admin/events/replay',
      {
        schema: {
          tags: ['events'],
          summary: `Admin: send events again to one subscription (or \`nats\`), by id or by when they happened (at most ${MAX_REPLAY}); the ids are the same, so a consumer that de-duplicates takes only what it missed; audited`,
          body: T.Object(
            {
              target: T.String({ minLength: 1, maxLength: 64, description: 'a webhook subscription id, or nats' }),
              eventIds: T.Optional(T.Array(T.String({ pattern: '^evt-[1-9][0-9]{0,15}$' }), { minItems: 1, maxItems: 1000 })),
              from: T.Optional(Instant),
              to: T.Optional(Instant),
            },
            strict,
          ),
          response: { 202: T.Object({ queued: T.Integer() }), ...errorResponses },
        },
      },
      async (request, reply) => reply.code(202).send(await replayEvents(ctx, requireStaff(request, 'admin'), request.body)),
    );
  };
}
