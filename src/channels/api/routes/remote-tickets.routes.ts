import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { once } from '../../../app/idempotency.ts';
import { myTicketsToday, shopsForSubscriber, takeRemoteTicket } from '../../../app/remote-tickets.ts';
import { AppError } from '../../../domain/errors.ts';
import { requireCustomer } from '../auth-plugin.ts';
import { MyTicketSchema, RemoteTicketBody, SubscriberShopSchema } from '../remote-ticket-schemas.ts';
import { errorResponses } from '../schemas.ts';

/** A signed-in subscriber's remote tickets (issue 14): choose a shop, take a ticket for an own line, see it. */
export function remoteTicketRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me/shops',
      { schema: { tags: ['shop'], summary: 'The shops: languages, whether open now (else when they open), and per service the ticket letter, how many wait and the estimated wait', response: { 200: T.Array(SubscriberShopSchema), ...errorResponses } } },
      async (request) => {
        requireCustomer(request);
        return shopsForSubscriber(ctx);
      },
    );

    app.post(
      '/me/shop-tickets',
      {
        schema: {
          tags: ['shop'],
          summary:
            "Take a remote ticket for one of my active lines: the SMS when three people are ahead goes to that line's number. Check in at the shop's kiosk on arrival. Requires an Idempotency-Key header: repeating the key returns the first ticket. Limited per number and per address",
          headers: T.Object({ 'idempotency-key': T.Optional(T.String({ minLength: 1, maxLength: 128 })) }),
          body: RemoteTicketBody,
          response: { 201: MyTicketSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const me = requireCustomer(request);
        const key = request.headers['idempotency-key'];
        if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', {});
        const result = await once(ctx, `shop-ticket:${me.id}`, key, request.body, async () => ({ status: 201, body: await takeRemoteTicket(ctx, me.id, request.body, request.ip) }));
        return reply.code(result.status as 201).send(result.body as never);
      },
    );

    app.get(
      '/me/shop-tickets',
      { schema: { tags: ['shop'], summary: "My tickets still open today (each shop's local day), oldest first, with how many are ahead and the estimated wait", response: { 200: T.Array(MyTicketSchema), ...errorResponses } } },
      async (request) => myTicketsToday(ctx, requireCustomer(request).id),
    );
  };
}
