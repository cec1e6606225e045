import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { exportCustomerData } from '../../../app/data-export.ts';
import { once } from '../../../app/idempotency.ts';
import { activationCodeFor, linesOf, previewLine, statusOf, terminationsOf } from '../../../app/self-service.ts';
import { activationQrSvg } from '../../../notifications/esim-qr.ts';
import { DEVICE_COOKIE } from './auth.routes.ts';
import { acceptChargesAs, confirmWithCode, formerNumbers, reclaimAs, reportNotMe, requestAsSubscriber, resendConfirmationCode, verifyIdentityByDocument, withdrawAs } from '../../../app/subscriber-terminations.ts';
import { payForAccount, paymentOf, receivePaymentCallback } from '../../../app/payments.ts';
import { AppError } from '../../../domain/errors.ts';
import { normalizeMsisdn } from '../../../domain/msisdn.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { normalizeReference } from '../../../domain/reference.ts';
import { requireCustomer, requirePrincipal } from '../auth-plugin.ts';
import { EffectiveQuery, LineParams, LineSchema, OrNull, OtpCode, ReferenceParams, PreviewSchema, previewView, TerminationSchema, terminationView, errorResponses } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const PaymentSchema = T.Object({
  id: T.String(),
  accountId: T.String(),
  amount: T.Integer(),
  currency: T.String(),
  state: T.Union([T.Literal('starting'), T.Literal('pending'), T.Literal('succeeded'), T.Literal('failed')]),
  redirectUrl: OrNull(T.String()),
  providerReference: OrNull(T.String()),
  balance: T.Integer(),
});
const SelfChannel = T.Union([T.Literal('web'), T.Literal('app')], { default: 'web' });

const referenceOf = (text: string): string => {
  const reference = normalizeReference(text);
  if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: text });
  return reference;
};

export function subscriberRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/lines', { schema: { tags: ['lines'], summary: 'My lines', response: { 200: T.Array(LineSchema), ...errorResponses } } }, async (request) => {
      const me = requireCustomer(request);
      return linesOf(ctx, me.id);
    });

    app.get(
      '/lines/:id/termination-preview',
      {
        schema: {
          tags: ['lines'],
          summary: 'What ending this line means: amounts owed and refunded, fee, data lost, dates, blockers, warnings',
          params: LineParams,
          querystring: T.Intersect([EffectiveQuery, T.Object({ channel: T.Optional(SelfChannel) })]),
          response: { 200: PreviewSchema, ...errorResponses },
        },
      },
      async (request) => {
        const who = requirePrincipal(request);
        const facts = await previewLine(ctx, who, request.params.id, request.query.channel ?? 'web', parseEffective(request.query.effective ?? 'now'));
        return previewView(facts);
      },
    );

    app.post(
      '/terminations',
      {
        schema: {
          tags: ['terminations'],
          summary: 'Ask to end a line. Requires an Idempotency-Key header: repeating the key returns the first answer.',
          headers: T.Object({ 'idempotency-key': T.Optional(T.String({ minLength: 1, maxLength: 128 })) }),
          body: T.Object({ lineId: T.String({ minLength: 1, maxLength: 64 }), effective: T.Optional(T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$' })), channel: T.Optional(SelfChannel) }, strict),
          response: { 201: T.Intersect([TerminationSchema, T.Object({ codeSentUntil: OrNull(T.String()) })]), ...errorResponses },
        },
      },
      async (request, reply) => {
        const me = requireCustomer(request);
        const key = request.headers['idempotency-key'];
        if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', {});
        const result = await once(ctx, `customer:${me.id}`, key, request.body, async () => {
          const { termination, codeSentUntil } = await requestAsSubscriber(ctx, me, {
            lineId: request.body.lineId,
            effective: parseEffective(request.body.effective ?? 'now'),
            channel: request.body.channel ?? 'web',
          });
          return { status: 201, body: { ...terminationView(termination), codeSentUntil } };
        });
        return reply.code(result.status as 201).send(result.body as never);
      },
    );

    app.get('/terminations', { schema: { tags: ['terminations'], summary: 'My terminations, newest first', response: { 200: T.Array(TerminationSchema), ...errorResponses } } }, async (request) => {
      const me = requireCustomer(request);
      return (await terminationsOf(ctx, me.id)).map((t) => terminationView(t));
    });

    app.get('/terminations/:reference', { schema: { tags: ['terminations'], summary: 'Status and timeline', params: ReferenceParams, response: { 200: TerminationSchema, ...errorResponses } } }, async (request) => {
      const who = requirePrincipal(request);
      const { termination, timeline } = await statusOf(ctx, who, referenceOf(request.params.reference));
      return terminationView(termination, timeline.map(({ actorId: _, ...entry }) => entry));
    });

    app.post(
      '/terminations/:reference/confirm',
      {
        schema: {
          tags: ['terminations'],
          summary: 'Confirm with the code sent by SMS',
          params: ReferenceParams,
          body: T.Object({ code: OtpCode }, strict),
          response: { 200: TerminationSchema, ...errorResponses },
        },
      },
      async (request) => terminationView(await confirmWithCode(ctx, requireCustomer(request), referenceOf(request.params.reference), request.body.code, request.ip, request.cookies[DEVICE_COOKIE])),
    );

    app.post('/terminations/:reference/code', { schema: { tags: ['terminations'], summary: 'Send the confirmation code again', params: ReferenceParams, response: { 202: T.Object({ expiresAt: T.String() }), ...errorResponses } } }, async (request, reply) => {
      return reply.code(202).send(await resendConfirmationCode(ctx, requireCustomer(request), referenceOf(request.params.reference)));
    });

    app.post(
      '/terminations/:reference/withdraw',
      { schema: { tags: ['terminations'], summary: 'Withdraw a request that has not taken effect: blocked, awaiting its code, or scheduled before it takes effect', params: ReferenceParams, response: { 200: TerminationSchema, ...errorResponses } } },
      async (request) => {
        return terminationView(await withdrawAs(ctx, requirePrincipal(request), referenceOf(request.params.reference)));
      },
    );

    app.post(
      '/terminations/:reference/not-me',
      {
        schema: {
          tags: ['terminations'],
          summary: '"Not me": the holder never asked for this request. Withdraws it (in the same states as withdraw), records it as not theirs and alerts the back office',
          params: ReferenceParams,
          response: { 200: TerminationSchema, ...errorResponses },
        },
      },
      async (request) => {
        return terminationView(await reportNotMe(ctx, requireCustomer(request), referenceOf(request.params.reference)));
      },
    );

    app.post('/terminations/:reference/accept-charges', { schema: { tags: ['terminations'], summary: 'Accept the early-termination fee and device instalments on the final invoice', params: ReferenceParams, response: { 200: TerminationSchema, ...errorResponses } } }, async (request) => {
      return terminationView(await acceptChargesAs(ctx, requirePrincipal(request), referenceOf(request.params.reference)));
    });

    app.post(
      '/accounts/:id/payments',
      {
        schema: {
          tags: ['account'],
          summary:
            'Pay what the account owes through the payment provider (more only when the policy allows overpayment). Requires an Idempotency-Key header: repeating the key returns the first answer. With a real provider the answer is pending with the provider page to send the subscriber to; the account is credited when the provider confirms.',
          params: LineParams,
          headers: T.Object({ 'idempotency-key': T.Optional(T.String({ minLength: 1, maxLength: 128 })) }),
          body: T.Object({ amount: T.Optional(T.Integer({ minimum: 1, maximum: 100_000_000 })) }, strict),
          response: { 201: PaymentSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const me = requireCustomer(request);
        const key = request.headers['idempotency-key'];
        if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', {});
        const payment = await payForAccount(ctx, me.id, { accountId: request.params.id, amount: request.body?.amount, idempotencyKey: key });
        return reply.code(201).send(payment);
      },
    );

    app.get('/payments/:id', { schema: { tags: ['account'], summary: 'One of my payments: its state and the account balance', params: LineParams, response: { 200: PaymentSchema, ...errorResponses } } }, async (request) => {
      const me = requireCustomer(request);
      return paymentOf(ctx, me.id, request.params.id);
    });

    // The provider's signed callback: read as text, since the signature covers the bytes as sent.
    await app.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
      scope.post(
        '/payments/callback',
        {
          schema: {
            tags: ['account'],
            summary: "The payment provider's callback (Standard Webhooks signature: webhook-id, webhook-timestamp, webhook-signature). Credits the account once when a verified callback says the payment succeeded.",
            security: [],
            response: { 200: T.Object({ paymentId: T.String(), state: T.String(), credited: T.Boolean(), duplicate: T.Boolean() }), ...errorResponses },
          },
        },
        async (request) => receivePaymentCallback(ctx, { body: typeof request.body === 'string' ? request.body : '', headers: request.headers }),
      );
    });

    app.post(
      '/identity/verify',
      {
        schema: {
          tags: ['account'],
          summary: 'Verify identity with the number of the document on file',
          body: T.Object({ documentNumber: T.String({ minLength: 4, maxLength: 40 }) }, strict),
          response: { 200: T.Object({ verified: T.Boolean() }), ...errorResponses },
        },
      },
      async (request) => {
        await verifyIdentityByDocument(ctx, requireCustomer(request), request.body.documentNumber);
        return { verified: true };
      },
    );

    app.get(
      '/me/former-numbers',
      {
        schema: {
          tags: ['lines'],
          summary: 'My former numbers still kept for me: when each ended and until when it can be taken back',
          response: { 200: T.Array(T.Object({ msisdn: T.String(), endedAt: OrNull(T.String()), reclaimableUntil: OrNull(T.String()) })), ...errorResponses },
        },
      },
      async (request) => {
        return formerNumbers(ctx, requireCustomer(request).id);
      },
    );

    app.post(
      '/reclaims',
      {
        schema: {
          tags: ['lines'],
          summary: 'Take back a quarantined number on a new SIM or eSIM',
          body: T.Object({ msisdn: T.String({ maxLength: 64 }), simType: T.Union([T.Literal('sim'), T.Literal('esim')]) }, strict),
          response: { 201: LineSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const msisdn = normalizeMsisdn(request.body.msisdn, ctx.policy.operator.country);
        return reply.code(201).send(await reclaimAs(ctx, requireCustomer(request), { msisdn, simType: request.body.simType }));
      },
    );

    app.get(
      '/me/lines/:id/esim-qr.svg',
      { schema: { tags: ['lines'], summary: "My line's eSIM activation code as a QR code to scan (SVG), once the eSIM can be installed", params: LineParams, produces: ['image/svg+xml'] } },
      async (request, reply) => {
        const code = await activationCodeFor(ctx, requireCustomer(request).id, request.params.id);
        // A secret to the holder: not kept by caches on the way.
        return reply.type('image/svg+xml').header('cache-control', 'private, no-store').send(await activationQrSvg(code));
      },
    );

    app.get('/me/export', { schema: { tags: ['account'], summary: 'Download my data (zip: invoices, payments, usage as CSV; profile as JSON)', produces: ['application/zip'] } }, async (request, reply) => {
      const me = requireCustomer(request);
      const zip = await exportCustomerData(ctx, me.id);
      return reply.type('application/zip').header('content-disposition', `attachment; filename="simexit-data-${me.id}.zip"`).send(zip);
    });
  };
}
