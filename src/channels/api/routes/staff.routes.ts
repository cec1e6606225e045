import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { bulkTerminate } from '../../../app/bulk-terminate.ts';
import type { AppContext } from '../../../app/context.ts';
import { closeStaffCase } from '../../../app/staff-cases.ts';
import { deadJobs, retryDeadJob } from '../../../app/dead-jobs.ts';
import { alertsToHandle, confirmForCustomer, failedMessages, findCustomers, listOrders, markAlertHandled, openCustomerCase, rejectOrder, requestForCustomer, retryMessage, retryOrder } from '../../../app/staff-desk.ts';
import { actorOf } from '../../../app/subscriber-terminations.ts';
import { AppError } from '../../../domain/errors.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { normalizeReference } from '../../../domain/reference.ts';
import { TERMINATION_STATES, type TerminationState } from '../../../domain/termination.ts';
import { requireStaff, resolvePrincipal } from '../auth-plugin.ts';
import { OrNull, ReferenceParams, StaffAlertSchema, StaffCustomerSchema, TerminationSchema, terminationView, errorResponses } from '../schemas.ts';

const strict = { additionalProperties: false } as const;

/** The largest CSV a bulk termination takes (about 400,000 rows). */
export const BULK_BODY_LIMIT = 20 * 1024 * 1024;

export function staffRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const CustomerView = StaffCustomerSchema;

    app.get(
      '/staff/customers',
      {
        schema: {
          tags: ['staff'],
          summary: 'Find a customer by exact phone number or identity document number (front-line agents: only customers of their open cases); audited',
          querystring: T.Object({ msisdn: T.Optional(T.String({ maxLength: 64 })), document: T.Optional(T.String({ maxLength: 40 })) }, strict),
          response: { 200: T.Array(CustomerView), ...errorResponses },
        },
      },
      async (request) => {
        const agent = requireStaff(request);
        return findCustomers(ctx, agent, request.query);
      },
    );

    app.post(
      '/staff/cases',
      {
        schema: {
          tags: ['staff'],
          summary: "Open a case for the customer at the counter (shop agent, in the agent's shop) or on the call the agent holds (call agent, callId), found by exact number or document; audited",
          body: T.Object({ msisdn: T.Optional(T.String({ minLength: 1, maxLength: 64 })), document: T.Optional(T.String({ minLength: 1, maxLength: 40 })), callId: T.Optional(T.String({ minLength: 1, maxLength: 100 })) }, strict),
          response: {
            201: T.Object({ id: T.String(), identifiedBy: T.String(), shopId: OrNull(T.String()), callId: OrNull(T.String()), expiresAt: T.String(), customer: CustomerView }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const agent = requireStaff(request, 'shop_agent', 'call_agent', 'back_office');
        const { case: c, customer } = await openCustomerCase(ctx, agent, request.body);
        return reply.code(201).send({ id: c.id, identifiedBy: c.identifiedBy, shopId: c.shopId, callId: c.callId, expiresAt: c.expiresAt, customer });
      },
    );

    app.post(
      '/staff/cases/:id/close',
      { schema: { tags: ['staff'], summary: 'Close one of your cases: you no longer act for that customer', params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict), response: { 200: T.Object({ id: T.String(), closedAt: T.String() }), ...errorResponses } } },
      async (request) => {
        const agent = requireStaff(request, 'shop_agent', 'call_agent', 'back_office');
        const c = await closeStaffCase(ctx, agent, request.params.id);
        return { id: c.id, closedAt: c.closedAt as string };
      },
    );

    app.post(
      '/staff/terminations',
      {
        schema: {
          tags: ['staff'],
          summary: "End a line on the customer's behalf (shop counter or phone); with documentChecked it is confirmed at once",
          body: T.Object(
            {
              lineId: T.String({ minLength: 1, maxLength: 64 }),
              effective: T.Optional(T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$' })),
              documentChecked: T.Boolean(),
              simCollected: T.Optional(T.Boolean()),
              chargesAccepted: T.Optional(T.Boolean()),
            },
            strict,
          ),
          response: { 201: TerminationSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const agent = requireStaff(request, 'shop_agent', 'call_agent', 'back_office');
        const { lineId, documentChecked, simCollected, chargesAccepted } = request.body;
        const termination = await requestForCustomer(ctx, agent, { lineId, effective: parseEffective(request.body.effective ?? 'now'), documentChecked, simCollected, chargesAccepted });
        return reply.code(201).send(terminationView(termination));
      },
    );

    app.post(
      '/staff/terminations/:reference/confirm',
      {
        schema: {
          tags: ['staff'],
          summary: "Confirm a customer's pending request after checking their identity document (lost SIM, no code)",
          params: ReferenceParams,
          body: T.Object({ documentChecked: T.Literal(true) }, strict),
          response: { 200: TerminationSchema, ...errorResponses },
        },
      },
      async (request) => {
        const agent = requireStaff(request, 'shop_agent', 'call_agent', 'back_office');
        const reference = normalizeReference(request.params.reference) ?? request.params.reference;
        return terminationView(await confirmForCustomer(ctx, agent, reference));
      },
    );

    app.get(
      '/staff/terminations',
      {
        schema: {
          tags: ['staff'],
          summary: 'Back office: orders by state, newest first',
          querystring: T.Object({ state: T.Optional(T.Union(TERMINATION_STATES.map((s) => T.Literal(s)))), limit: T.Optional(T.String({ pattern: '^[0-9]{1,4}$' })) }, strict),
          response: { 200: T.Array(TerminationSchema), ...errorResponses },
        },
      },
      async (request) => {
        requireStaff(request, 'back_office');
        const list = await listOrders(ctx, { state: request.query.state as TerminationState | undefined, limit: Number(request.query.limit ?? 100) });
        return list.map((t) => terminationView(t));
      },
    );

    app.post('/staff/terminations/:reference/retry', { schema: { tags: ['staff'], summary: 'Back office: send an order that needs attention back to the worker', params: ReferenceParams, response: { 200: TerminationSchema, ...errorResponses } } }, async (request) => {
      const agent = requireStaff(request, 'back_office');
      const reference = normalizeReference(request.params.reference) ?? request.params.reference;
      return terminationView(await retryOrder(ctx, agent, reference));
    });

    app.post(
      '/staff/terminations/:reference/reject',
      { schema: { tags: ['staff'], summary: 'Back office: refuse a request (fraud, wrong person)', params: ReferenceParams, body: T.Object({ reason: T.String({ minLength: 3, maxLength: 500 }) }, strict), response: { 200: TerminationSchema, ...errorResponses } } },
      async (request) => {
        const agent = requireStaff(request, 'back_office');
        const reference = normalizeReference(request.params.reference) ?? request.params.reference;
        return terminationView(await rejectOrder(ctx, agent, reference, request.body.reason));
      },
    );

    app.get(
      '/staff/alerts',
      {
        schema: {
          tags: ['staff'],
          summary: 'Back office: what a person must look at, newest first (kind not_me: a holder said a request was not theirs)',
          querystring: T.Object({ all: T.Optional(T.Union([T.Literal('true'), T.Literal('false')])) }, strict),
          response: {
            200: T.Array(StaffAlertSchema),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        requireStaff(request, 'back_office');
        return alertsToHandle(ctx, { all: request.query.all === 'true' });
      },
    );

    app.post(
      '/staff/alerts/:id/handled',
      { schema: { tags: ['staff'], summary: 'Back office: mark an alert as looked at', params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict), response: { 200: T.Object({ handled: T.Boolean() }), ...errorResponses } } },
      async (request) => {
        const agent = requireStaff(request, 'back_office');
        await markAlertHandled(ctx, agent, request.params.id);
        return { handled: true };
      },
    );

    app.get(
      '/staff/notifications/failed',
      {
        schema: {
          tags: ['staff'],
          summary: 'Back office: messages that will not reach the customer (sending gave up, or the provider says undelivered)',
          response: {
            200: T.Array(
              T.Object({ id: T.String(), template: T.String(), medium: T.String(), address: T.String(), subjectRef: OrNull(T.String()), attempts: T.Integer(), receiptStatus: OrNull(T.String()), lastError: OrNull(T.String()), failedAt: T.String() }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        requireStaff(request, 'back_office');
        return failedMessages(ctx);
      },
    );

    app.post(
      '/staff/notifications/:id/retry',
      { schema: { tags: ['staff'], summary: 'Back office: send a failed message again', params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict), response: { 202: T.Object({ queued: T.Boolean() }), ...errorResponses } } },
      async (request, reply) => {
        requireStaff(request, 'back_office');
        await retryMessage(ctx, request.params.id);
        return reply.code(202).send({ queued: true });
      },
    );

    const DeadJobSchema = T.Object({
      id: T.String(),
      kind: T.String(),
      key: T.String(),
      attempts: T.Integer(),
      lastError: OrNull(T.String()),
      deadSince: T.String(),
      reference: OrNull(T.String()),
      message: OrNull(T.Object({ medium: T.String(), address: T.String(), template: T.String() })),
      event: OrNull(T.Object({ eventId: T.String(), target: T.String({ description: 'a webhook subscription id, or nats' }) })),
    });

    app.get(
      '/staff/jobs/dead',
      { schema: { tags: ['staff'], summary: 'Back office: the one dead list — jobs of every kind (order execution, expiry, message delivery, event delivery: the dead letters) that gave up', response: { 200: T.Array(DeadJobSchema), ...errorResponses } } },
      async (request) => {
        requireStaff(request, 'back_office');
        return (await deadJobs(ctx)).map(({ subject: _subject, ...j }) => j);
      },
    );

    app.post(
      '/staff/jobs/:id/retry',
      { schema: { tags: ['staff'], summary: 'Back office: run a dead job again with fresh attempts (after fixing the cause); audited', params: T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict), response: { 202: T.Object({ queued: T.Boolean(), kind: T.String() }), ...errorResponses } } },
      async (request, reply) => {
        const agent = requireStaff(request, 'back_office');
        const job = await retryDeadJob(ctx, agent, request.params.id);
        return reply.code(202).send({ queued: true, kind: job.kind });
      },
    );

    // The only route that takes a large body. Its CSV parser (20 MB) lives in this scope alone, and the caller is
    // authenticated and authorised in onRequest, before a byte of the body is read: an anonymous or unauthorised
    // upload is refused at once instead of filling the server's memory first. Everywhere else the body limit is small.
    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
      scope.addHook('onRequest', async (request) => {
        await resolvePrincipal(ctx, request);
        requireStaff(request, 'back_office');
      });
      scope.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_req, body, done) => done(null, body));
      scope.post(
        '/staff/bulk-terminations',
        {
          schema: {
            tags: ['staff'],
            summary: 'Back office: operator-ordered terminations from a CSV (text/csv body); dryRun=true only counts',
            querystring: T.Object({ dryRun: T.Optional(T.Union([T.Literal('true'), T.Literal('false')])), reason: T.Optional(T.String({ maxLength: 200 })) }, strict),
            consumes: ['text/csv'],
            response: { 200: T.Object({ requested: T.Integer(), created: T.Integer(), skipped: T.Integer(), scheduled: T.Integer(), blocked: T.Record(T.String(), T.Integer()), dryRun: T.Boolean() }), ...errorResponses },
          },
        },
        async (request) => {
          const agent = requireStaff(request, 'back_office');
          if (typeof request.body !== 'string') throw new AppError('UNSUPPORTED_MEDIA_TYPE', { input: String(request.headers['content-type']) });
          return bulkTerminate(ctx, { csv: request.body, actor: actorOf(agent, 'bulk'), dryRun: request.query.dryRun === 'true', effective: { mode: 'now' }, reason: request.query.reason ?? null });
        },
      );
    });
  };
}
