import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { DEVICE_COOKIE } from './auth.routes.ts';
import { cancelWithoutSignIn, confirmPublicCancellation, withdrawPublicCancellation } from '../../../app/public-cancellation.ts';
import { AppError } from '../../../domain/errors.ts';
import { normalizeMsisdn } from '../../../domain/msisdn.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { normalizeReference } from '../../../domain/reference.ts';
import type { Termination } from '../../../domain/termination.ts';
import { OtpCode, ReceiptSchema, ReferenceParams, SiteInfoSchema, errorResponses, terminationView } from '../schemas.ts';

const strict = { additionalProperties: false } as const;

/**
 * What the holder sees once they proved who they are (name and one fact): the same money, eSIM steps and
 * withdrawal deadline as the signed-in status page, about this one request, and nothing else of the account.
 */
const Receipt = ReceiptSchema;

type Confirmation = 'sms_code' | 'identity_check' | 'blocked' | 'done' | 'withdrawn';

function receiptOf(t: Termination, confirmation: Confirmation) {
  const view = terminationView(t);
  return {
    reference: t.reference,
    state: t.state,
    requestedAt: t.requestedAt,
    effectiveAt: t.effectiveAt,
    confirmBy: t.confirmBy,
    confirmation,
    blockers: [...t.blockers],
    simType: t.simType,
    quote: view.quote,
    charges: view.charges,
    warnings: view.warnings,
    withdrawableUntil: view.withdrawableUntil,
  };
}

const Proof = {
  holderName: T.String({ minLength: 2, maxLength: 200 }),
  documentLast4: T.Optional(T.String({ pattern: '^[0-9A-Za-z]{4}$' })),
  birthDate: T.Optional(T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
};

/** Routes anyone may call: cancelling a contract without signing in. */
export function publicRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/public/site',
      {
        schema: {
          tags: ['cancel without signing in'],
          summary: 'What the site needs to know about the operator: name, official address, time zone, currency, languages',
          response: { 200: SiteInfoSchema },
        },
      },
      async () => ({
        operatorName: ctx.policy.operator.name,
        siteUrl: ctx.policy.operator.siteUrl,
        timezone: ctx.policy.operator.timezone,
        currency: ctx.policy.currency,
        languages: [...ctx.policy.languages],
        defaultLanguage: ctx.policy.defaultLanguage,
        shortNumber: ctx.policy.operator.shortNumber,
        quarantineDays: ctx.policy.quarantine.days,
        // Demo mode shows its demo tools (the clock control); nothing else about the installation.
        demo: ctx.demo,
      }),
    );

    app.post(
      '/public/cancellations',
      {
        schema: {
          tags: ['cancel without signing in'],
          summary: 'Cancel a contract without signing in: the number, the holder\'s name, one identifying fact, the end date',
          body: T.Object(
            {
              msisdn: T.String({ minLength: 3, maxLength: 64 }),
              holderName: T.String({ minLength: 2, maxLength: 200 }),
              documentLast4: T.Optional(T.String({ pattern: '^[0-9A-Za-z]{4}$' })),
              birthDate: T.Optional(T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
              effective: T.Optional(T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$' })),
              email: T.Optional(T.String({ format: 'email', maxLength: 200 })),
              simLost: T.Optional(T.Boolean()),
            },
            strict,
          ),
          response: { 201: Receipt, ...errorResponses },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!body.documentLast4 && !body.birthDate) throw new AppError('VALIDATION_FAILED', { reason: 'documentLast4 or birthDate is required' });
        const { termination: t, confirmation } = await cancelWithoutSignIn(ctx, {
          msisdn: normalizeMsisdn(body.msisdn, ctx.policy.operator.country),
          holderName: body.holderName,
          documentLast4: body.documentLast4,
          birthDate: body.birthDate,
          effective: parseEffective(body.effective ?? 'now'),
          email: body.email,
          simLost: Boolean(body.simLost),
          address: request.ip,
        });
        return reply.code(201).send(receiptOf(t, t.state === 'awaiting_confirmation' ? confirmation : t.state === 'blocked' ? 'blocked' : 'done'));
      },
    );

    app.post(
      '/public/cancellations/:reference/confirm',
      {
        schema: {
          tags: ['cancel without signing in'],
          summary: 'Confirm a cancellation made without signing in, with the code sent to the line',
          params: ReferenceParams,
          body: T.Object({ code: OtpCode }, strict),
          response: { 200: Receipt, ...errorResponses },
        },
      },
      async (request) => {
        const reference = normalizeReference(request.params.reference);
        if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: request.params.reference });
        const t = await confirmPublicCancellation(ctx, reference, request.body.code, request.ip, request.cookies[DEVICE_COOKIE]);
        return receiptOf(t, 'done');
      },
    );

    app.post(
      '/public/cancellations/:reference/withdraw',
      {
        schema: {
          tags: ['cancel without signing in'],
          summary: "Withdraw a cancellation made without signing in: the holder's name and the same identifying fact again (the reference alone is not enough)",
          params: ReferenceParams,
          body: T.Object(Proof, strict),
          response: { 200: Receipt, ...errorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        if (!body.documentLast4 && !body.birthDate) throw new AppError('VALIDATION_FAILED', { reason: 'documentLast4 or birthDate is required' });
        const t = await withdrawPublicCancellation(ctx, normalizeReference(request.params.reference) ?? null, { holderName: body.holderName, documentLast4: body.documentLast4, birthDate: body.birthDate, address: request.ip });
        return receiptOf(t, 'withdrawn');
      },
    );
  };
}
