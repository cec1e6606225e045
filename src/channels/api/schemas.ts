import { type Static, Type as T } from '@sinclair/typebox';
import { CHANNELS } from '../../domain/channels.ts';
import { BLOCKER_CODES, WARNING_CODES } from '../../domain/preview.ts';
import { TERMINATION_STATES, type Termination } from '../../domain/termination.ts';

const strict = { additionalProperties: false } as const;
const Nullable = <S extends ReturnType<typeof T.String>>(s: S) => T.Union([s, T.Null()]);
const Instant = T.String({ format: 'date-time' });

export const ErrorSchema = T.Object(
  { code: T.String(), message: T.String(), details: T.Record(T.String(), T.Unknown()) },
  { $id: 'Error', description: 'Every error: a stable code, a message in the caller\'s language, the facts behind it.' },
);

export const ReferenceParams = T.Object({ reference: T.String({ minLength: 9, maxLength: 20 }) }, strict);
export const LineParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict);
/** A one-time code as the subscriber types it from the SMS. */
export const OtpCode = T.String({ minLength: 4, maxLength: 10, pattern: '^[0-9]+$' });

export const EffectiveQuery = T.Object(
  { effective: T.Optional(T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$', description: 'now, end_of_period or YYYY-MM-DD' })) },
  strict,
);

export const QuoteSchema = T.Object({
  currency: T.String(),
  balance: T.Integer(),
  owed: T.Integer(),
  finalUsage: T.Integer(),
  earlyTerminationFee: T.Integer(),
  instalmentsLeft: T.Integer(),
  finalInvoice: T.Integer(),
  refund: T.Integer(),
  owedAfter: T.Integer(),
});

export const BlockerSchema = T.Object({ code: T.Union(BLOCKER_CODES.map((c) => T.Literal(c))), amount: T.Optional(T.Integer()) });
export const WarningSchema = T.Object({
  code: T.Union(WARNING_CODES.map((c) => T.Literal(c))),
  amount: T.Optional(T.Integer()),
  dataLeftMb: T.Optional(T.Integer()),
  date: T.Optional(T.String()),
  method: T.Optional(T.String()),
});

export const LineSchema = T.Object({
  id: T.String(),
  msisdn: T.String(),
  simType: T.Union([T.Literal('sim'), T.Literal('esim')]),
  state: T.String(),
  plan: T.String(),
  monthlyFee: T.Integer(),
  balance: T.Integer(),
  currency: T.String(),
  dataLeftMb: T.Integer(),
  accountId: T.String(),
});

export const PreviewSchema = T.Object({
  lineId: T.String(),
  msisdn: T.String(),
  simType: T.String(),
  effectiveMode: T.String(),
  effectiveAt: Instant,
  coolingOffEndsAt: Instant,
  quarantineEndsAt: Instant,
  dataLeftMb: T.Integer(),
  quote: QuoteSchema,
  blockers: T.Array(BlockerSchema),
  warnings: T.Array(WarningSchema),
  effectiveOptions: T.Array(T.Object({ mode: T.String(), at: T.Union([Instant, T.Null()]) })),
  esimDeletionSteps: T.Array(T.String(), { description: 'Devices with instructions: ios, android, other (the site words them)' }),
});

export const TimelineEntrySchema = T.Object({
  at: Instant,
  from: Nullable(T.String()),
  to: Nullable(T.String()),
  action: T.String(),
  actor: T.String(),
  channel: T.String(),
  reason: Nullable(T.String()),
});

export const TerminationSchema = T.Object(
  {
    reference: T.String(),
    state: T.Union(TERMINATION_STATES.map((s) => T.Literal(s))),
    lineId: T.String(),
    msisdn: T.String(),
    simType: T.String(),
    channel: T.Union(CHANNELS.map((c) => T.Literal(c))),
    authority: T.String(),
    effectiveMode: T.String(),
    effectiveAt: Instant,
    requestedAt: Instant,
    confirmBy: T.Union([Instant, T.Null()]),
    confirmedAt: T.Union([Instant, T.Null()]),
    completedAt: T.Union([Instant, T.Null()]),
    withdrawableUntil: T.Union([Instant, T.Null()]),
    blockers: T.Array(BlockerSchema),
    warnings: T.Array(WarningSchema),
    quote: QuoteSchema,
    amountSettled: T.Union([T.Integer(), T.Null()]),
    amountRefunded: T.Union([T.Integer(), T.Null()]),
    quarantineUntil: T.Union([Instant, T.Null()]),
    lastError: Nullable(T.String()),
    timeline: T.Optional(T.Array(TimelineEntrySchema)),
  },
  { title: 'Termination' },
);
export type TerminationView = Static<typeof TerminationSchema>;

export function terminationView(t: Termination, timeline?: TerminationView['timeline']): TerminationView {
  const withdrawable = t.state === 'scheduled' || t.state === 'awaiting_confirmation' || t.state === 'blocked';
  return {
    reference: t.reference,
    state: t.state,
    lineId: t.lineId,
    msisdn: t.msisdn,
    simType: t.simType,
    channel: t.channel,
    authority: t.authority,
    effectiveMode: t.effectiveMode,
    effectiveAt: t.effectiveAt,
    requestedAt: t.requestedAt,
    confirmBy: t.confirmBy,
    confirmedAt: t.confirmedAt,
    completedAt: t.completedAt,
    withdrawableUntil: withdrawable ? t.effectiveAt : null,
    blockers: [...t.blockers],
    warnings: [...t.warnings],
    quote: t.quote,
    amountSettled: t.amountSettled,
    amountRefunded: t.amountRefunded,
    quarantineUntil: t.quarantineUntil,
    lastError: t.lastError,
    ...(timeline ? { timeline } : {}),
  };
}

export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  409: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
} as const;
