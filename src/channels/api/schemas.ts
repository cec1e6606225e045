import { Kind, type Static, type TSchema, Type as T } from '@sinclair/typebox';
import { CHANNELS } from '../../domain/channels.ts';
import { LINE_STATES } from '../../domain/inventory.ts';
import { BLOCKER_CODES, CHARGE_CODES, chargesOf, type Preview, WARNING_CODES } from '../../domain/preview.ts';
import { PROGRESS_STEPS, progressOf, TERMINATION_STATES, type Termination } from '../../domain/termination.ts';

const strict = { additionalProperties: false } as const;
// Unions are written as `enum` and type lists, not `anyOf`: to serialize an `anyOf` the response
// serializer runs a validator per branch (date-time formats, every constant in turn) on every value.
/** One of a fixed list of strings. */
export const StringEnum = <V extends string>(values: readonly V[], options: { default?: V; description?: string } = {}) =>
  T.Unsafe<V>({ type: 'string', enum: [...values], ...options });
/** The schema's value, or null. */
export const OrNull = <S extends TSchema & { type: string }>(s: S) => T.Unsafe<Static<S> | null>({ ...s, [Kind]: 'Unsafe', type: [s.type, 'null'] });
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

export const ChargeSchema = T.Object(
  { code: StringEnum(CHARGE_CODES), amount: T.Integer(), until: T.Optional(Instant) },
  { description: 'One row of the final invoice: SERVICES_TO_END_DATE, EARLY_TERMINATION_FEE (with until: the end of the minimum term), DEVICE_INSTALMENTS. The rows add up to quote.finalInvoice.' },
);

export const BlockerSchema = T.Object({ code: StringEnum(BLOCKER_CODES), amount: T.Optional(T.Integer()) });
export const WarningSchema = T.Object({
  code: StringEnum(WARNING_CODES),
  amount: T.Optional(T.Integer()),
  dataLeftMb: T.Optional(T.Integer()),
  date: T.Optional(T.String()),
  method: T.Optional(T.String()),
});

export const LineSchema = T.Object({
  id: T.String(),
  msisdn: T.String(),
  simType: StringEnum(['sim', 'esim']),
  state: StringEnum(LINE_STATES),
  plan: T.String(),
  monthlyFee: T.Integer(),
  balance: T.Integer(),
  currency: T.String(),
  dataLeftMb: T.Integer(),
  accountId: T.String(),
  /** The holder's own list only: `LPA:1$…` once the eSIM of the line can be installed. */
  esimActivationCode: T.Optional(OrNull(T.String())),
});

/** A customer as staff see them (a front-line agent never sees the document on file: documentLast4 is null). */
export const StaffCustomerSchema = T.Object({ id: T.String(), name: T.String(), language: T.String(), identityVerified: T.Boolean(), documentLast4: OrNull(T.String()), lines: T.Array(LineSchema) });

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
  charges: T.Array(ChargeSchema),
  blockers: T.Array(BlockerSchema),
  warnings: T.Array(WarningSchema),
  effectiveOptions: T.Array(T.Object({ mode: T.String(), at: OrNull(Instant) })),
  esimDeletionSteps: T.Array(T.String(), { description: 'Devices with instructions: ios, android, other (the site words them)' }),
});

/** A line's preview as the API answers it (subscriber, call-centre and shop routes alike): the eSIM lines' deletion steps added. */
export const previewView = (p: Preview & { lineId: string; msisdn: string; simType: string }): Static<typeof PreviewSchema> => ({
  ...p,
  charges: [...p.charges],
  blockers: [...p.blockers],
  warnings: [...p.warnings],
  effectiveOptions: [...p.effectiveOptions],
  esimDeletionSteps: p.simType === 'esim' ? ['ios', 'android', 'other'] : [],
});

export const TimelineEntrySchema = T.Object({
  at: Instant,
  from: OrNull(T.String()),
  to: OrNull(T.String()),
  action: T.String(),
  actor: T.String(),
  channel: T.String(),
  reason: OrNull(T.String()),
});

export const TerminationSchema = T.Object(
  {
    reference: T.String(),
    state: StringEnum(TERMINATION_STATES),
    lineId: T.String(),
    msisdn: T.String(),
    simType: T.String(),
    channel: StringEnum(CHANNELS),
    authority: T.String(),
    effectiveMode: T.String(),
    effectiveAt: Instant,
    requestedAt: Instant,
    confirmBy: OrNull(T.String({ format: 'date-time', description: 'When the order lapses unless confirmed: awaiting its code, or still blocked (policy confirmation.blockedExpiryDays)' })),
    confirmedAt: OrNull(Instant),
    completedAt: OrNull(Instant),
    withdrawableUntil: OrNull(T.String({ format: 'date-time', description: 'Until when the holder can withdraw it (or say "not me"): a scheduled order until it takes effect, a blocked or waiting one until it lapses (confirmBy); null otherwise' })),
    disownedAt: OrNull(T.String({ format: 'date-time', description: 'When the holder said the request was not theirs ("not me"); the order is then withdrawn' })),
    blockers: T.Array(BlockerSchema),
    warnings: T.Array(WarningSchema),
    quote: QuoteSchema,
    charges: T.Array(ChargeSchema, { description: 'The final invoice row by row (as in the preview)' }),
    amountSettled: OrNull(T.Integer()),
    amountRefunded: OrNull(T.Integer()),
    quarantineUntil: OrNull(Instant),
    lastError: OrNull(T.String()),
    progress: T.Array(
      T.Object({
        step: StringEnum(PROGRESS_STEPS),
        state: StringEnum(['done', 'failed', 'pending']),
        at: OrNull(T.String({ format: 'date-time' })),
        until: T.Optional(OrNull(T.String({ format: 'date-time' }))),
      }),
      { description: 'Once confirmed: the execution steps as they happen (barred, sim_released/esim_released, settled, number_kept with until = the quarantine end, notified); empty before' },
    ),
    timeline: T.Optional(T.Array(TimelineEntrySchema)),
  },
  { title: 'Termination' },
);
export type TerminationView = Static<typeof TerminationSchema>;

export function terminationView(t: Termination, timeline?: TerminationView['timeline']): TerminationView {
  // A scheduled order can be withdrawn until it takes effect; a blocked one or one awaiting its code until it lapses (confirmBy).
  const withdrawableUntil = t.state === 'scheduled' ? t.effectiveAt : t.state === 'blocked' || t.state === 'awaiting_confirmation' ? t.confirmBy : null;
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
    withdrawableUntil,
    disownedAt: t.disownedAt,
    blockers: [...t.blockers],
    warnings: [...t.warnings],
    quote: t.quote,
    charges: chargesOf(t.quote, null),
    amountSettled: t.amountSettled,
    amountRefunded: t.amountRefunded,
    quarantineUntil: t.quarantineUntil,
    lastError: t.lastError,
    progress: progressOf(t),
    ...(timeline ? { timeline } : {}),
  };
}

/** Who is signed in (`/auth/session`, `/me`, the sign-in's answer). */
export const PrincipalSchema = T.Object({ kind: T.String(), id: T.String(), name: T.String(), role: T.Optional(T.String()), shopId: T.Optional(OrNull(T.String())), language: T.Optional(T.String()) });

/** A new session: the bearer token (also set as the cookie), the CSRF token to echo on changes, who it is. */
export const SignedInSchema = T.Object({ token: T.String(), csrfToken: T.String(), expiresAt: T.String(), principal: PrincipalSchema });

/** The session behind the cookie. */
export const SessionSchema = T.Object({ csrfToken: T.String(), principal: PrincipalSchema });

/** What the site shows about the operator before anyone signs in (`/public/site`). */
export const SiteInfoSchema = T.Object({ operatorName: T.String(), siteUrl: T.String(), timezone: T.String(), currency: T.String(), languages: T.Array(T.String()), defaultLanguage: T.String(), shortNumber: T.String(), quarantineDays: T.Integer(), demo: T.Boolean() });

/** A cancellation made without signing in, as its requester sees it. */
export const ReceiptSchema = T.Object({
  reference: T.String(),
  state: T.String(),
  requestedAt: T.String(),
  effectiveAt: T.String(),
  confirmBy: OrNull(T.String()),
  confirmation: StringEnum(['sms_code', 'identity_check', 'blocked', 'done', 'withdrawn']),
  blockers: T.Array(BlockerSchema),
  simType: StringEnum(['sim', 'esim']),
  quote: QuoteSchema,
  charges: T.Array(ChargeSchema),
  warnings: T.Array(WarningSchema),
  withdrawableUntil: OrNull(T.String({ format: 'date-time', description: 'Until when the holder can withdraw it (with the same proof): null once it cannot be' })),
});

/** Something a person in the back office must look at (`/staff/alerts`). */
export const StaffAlertSchema = T.Object({ id: T.String(), kind: T.String(), reference: T.String(), customerId: OrNull(T.String()), data: T.Record(T.String(), T.Unknown()), createdAt: T.String(), handledAt: OrNull(T.String()), handledBy: OrNull(T.String()) });

export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  409: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
} as const;
