import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../app/context.ts';
import { orderByReference, ordersPage } from '../../app/orders.ts';
import { requestTermination } from '../../app/request-termination.ts';
import { actorOf } from '../../app/subscriber-terminations.ts';
import { withdrawTermination } from '../../app/termination-actions.ts';
import { AppError } from '../../domain/errors.ts';
import { localDate } from '../../domain/time.ts';
import { cancelProductOrder, productOrder, TMF_STATE } from './tmf622-mapping.ts';
import { CancelProductOrderSchema, type ProductOrder, ProductOrderFieldsSchema, ProductOrderSchema } from './tmf622-schemas.ts';
import { TERMINATION_STATES } from '../../domain/termination.ts';
import { requireIntegrator } from '../api/auth-plugin.ts';
import { errorResponses } from '../api/schemas.ts';


/** The fields an integrator asked for (`fields=state,orderDate`), always with id, href and @type. */
function pick(order: ProductOrder, fields: string | undefined): Partial<ProductOrder> {
  if (!fields) return order;
  const wanted = new Set(['id', 'href', '@type', ...fields.split(',').map((f) => f.trim())]);
  return Object.fromEntries(Object.entries(order).filter(([k]) => wanted.has(k)));
}

export function tmf622Routes(ctx: AppContext): FastifyPluginAsyncTypebox {
  // Read on every answer: in demo mode the site address becomes the one served only once the server listens.
  const base = () => ctx.policy.operator.siteUrl.replace(/\/$/, '');
  return async (app) => {
    app.post(
      '/productOrder',
      {
        schema: {
          tags: ['TMF622'],
          summary: 'Create a ProductOrder; one item with action "delete" and product.id = line id ends that line',
          body: T.Object(
            {
              productOrderItem: T.Array(
                T.Object({ id: T.String({ maxLength: 64 }), action: T.String({ maxLength: 16 }), product: T.Optional(T.Object({ id: T.String({ maxLength: 64 }) }, { additionalProperties: true })) }, { additionalProperties: true }),
                { minItems: 1, maxItems: 1 },
              ),
              requestedCompletionDate: T.Optional(T.String({ format: 'date-time' })),
              externalId: T.Optional(T.String({ maxLength: 128 })),
            },
            { additionalProperties: true },
          ),
          response: { 201: ProductOrderSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const who = requireIntegrator(request);
        const item = request.body.productOrderItem[0];
        if (!item || item.action !== 'delete') throw new AppError('VALIDATION_FAILED', { reason: 'productOrderItem[0].action must be "delete": this facade only ends lines' });
        if (!item.product?.id) throw new AppError('VALIDATION_FAILED', { reason: 'productOrderItem[0].product.id (the line id) is required' });
        const when = request.body.requestedCompletionDate;
        if (when !== undefined && Number.isNaN(Date.parse(when))) throw new AppError('INVALID_EFFECTIVE_DATE', { input: when, reason: 'not a date this service can read' });
        const effective = when && Date.parse(when) > Date.parse(ctx.clock()) ? { mode: 'date' as const, date: localDate(when, ctx.policy.operator.timezone) } : { mode: 'now' as const };
        const outcome = await requestTermination(ctx, { lineId: item.product.id, channel: 'api', authority: 'operator', actor: actorOf(who, 'api'), effective, reason: request.body.externalId ? `TMF622 ${request.body.externalId}` : 'TMF622', confirmNow: true });
        return reply.code(201).send(productOrder(outcome.termination, base(), item.id));
      },
    );

    app.get(
      '/productOrder',
      {
        schema: {
          tags: ['TMF622'],
          summary: 'List ProductOrders (fields, offset, limit; X-Total-Count and X-Result-Count headers)',
          querystring: T.Object({ fields: T.Optional(T.String({ maxLength: 200 })), offset: T.Optional(T.String({ pattern: '^[0-9]{1,9}$' })), limit: T.Optional(T.String({ pattern: '^[0-9]{1,4}$' })), state: T.Optional(T.String({ maxLength: 32, description: 'A ProductOrder state: acknowledged, held, pending, inProgress, completed, cancelled, rejected' })) }, { additionalProperties: false }),
          response: { 200: T.Array(ProductOrderFieldsSchema), ...errorResponses },
        },
      },
      async (request, reply) => {
        requireIntegrator(request);
        const offset = Number(request.query.offset ?? 0);
        const limit = Number(request.query.limit ?? 100);
        // `state` is a ProductOrder state (held, pending, cancelled, …): the orders whose state maps to it.
        const wanted = request.query.state;
        const states = wanted === undefined ? undefined : TERMINATION_STATES.filter((s) => TMF_STATE[s] === wanted);
        const { total, terminations } = await ordersPage(ctx, { states, offset, limit });
        const orders = terminations.map((t) => pick(productOrder(t, base()), request.query.fields));
        reply.header('x-total-count', String(total)).header('x-result-count', String(orders.length));
        return orders;
      },
    );

    app.get('/productOrder/:id', { schema: { tags: ['TMF622'], summary: 'One ProductOrder', params: T.Object({ id: T.String({ maxLength: 32 }) }), querystring: T.Object({ fields: T.Optional(T.String({ maxLength: 200 })) }, { additionalProperties: false }), response: { 200: ProductOrderFieldsSchema, ...errorResponses } } }, async (request) => {
      requireIntegrator(request);
      return pick(productOrder(await orderByReference(ctx, request.params.id), base()), request.query.fields);
    });

    app.post(
      '/cancelProductOrder',
      {
        schema: {
          tags: ['TMF622'],
          summary: 'Cancel a ProductOrder: withdraws the termination while it has not taken effect',
          body: T.Object({ productOrder: T.Object({ id: T.String({ maxLength: 32 }) }, { additionalProperties: true }), cancellationReason: T.Optional(T.String({ maxLength: 500 })) }, { additionalProperties: true }),
          response: { 201: CancelProductOrderSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const who = requireIntegrator(request);
        const t = await orderByReference(ctx, request.body.productOrder.id);
        const withdrawn = await withdrawTermination(ctx, t.reference, actorOf(who, 'api'), request.body.cancellationReason ?? 'cancelled through TMF622');
        return reply.code(201).send(cancelProductOrder(withdrawn, base(), request.body.cancellationReason ?? 'cancelled through TMF622'));
      },
    );
  };
}
