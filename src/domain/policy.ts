import { type Static, Type as T } from '@sinclair/typebox';
import { CHANNELS } from './channels.ts';
import { LANGUAGES } from './languages.ts';

const Lang = T.Union(LANGUAGES.map((l) => T.Literal(l)));
const Hours = T.Number({ minimum: 0, maximum: 24 * 60 });
const perChannel = <S extends ReturnType<typeof T.Number> | ReturnType<typeof T.Boolean>>(schema: S) =>
  T.Object(Object.fromEntries(CHANNELS.map((c) => [c, schema])) as Record<(typeof CHANNELS)[number], S>, {
    additionalProperties: false,
  });

/** One document a preset's figures rest on, and which keys it covers. */
export const PolicySource = T.Object(
  {
    /** The policy keys this document sets, e.g. `quarantine.days`. */
    covers: T.Array(T.String({ minLength: 1 }), { minItems: 1 }),
    /** The regulation or the regulator's document, named so it can be found (number, date, article). */
    document: T.String({ minLength: 3 }),
    url: T.Optional(T.String({ pattern: '^https?://' })),
    /** `checked`: the figure was read in the document; `unconfirmed`: taken from secondary material, check it first. */
    confidence: T.Union([T.Literal('checked'), T.Literal('unconfirmed')]),
    note: T.Optional(T.String()),
  },
  { additionalProperties: false },
);

/**
 * The operator's policy: one file, validated at start-up (see config/default.yaml
 * for every key explained). Amounts are integer minor units of `currency`.
 */
export const PolicySchema = T.Object(
  {
    operator: T.Object(
      {
        name: T.String({ minLength: 1 }),
        country: T.String({ pattern: '^[A-Z]{2}$' }),
        timezone: T.String({ minLength: 1 }),
        /**
         * The address subscribers open: every SMS, e-mail, QR code, TMF `href` and the anti-scam "our only site is …"
         * names it. Optional here: SIMEXIT_SITE_URL overrides it, demo mode defaults it to the address it serves, and
         * outside demo mode start-up is refused without one (see load-config.ts).
         */
        siteUrl: T.Optional(T.String({ pattern: '^https?://' })),
        shortNumber: T.String({ pattern: '^[0-9]{3,6}$' }),
      },
      { additionalProperties: false },
    ),
    currency: T.String({ pattern: '^[A-Z]{3}$' }),
    languages: T.Array(Lang, { minItems: 1, uniqueItems: true }),
    defaultLanguage: Lang,
    quarantine: T.Object(
      {
        days: T.Integer({ minimum: 0, maximum: 3650 }),
        reclaimAllowed: T.Boolean(),
        endingSoonNoticeDays: T.Integer({ minimum: 0, maximum: 365 }),
      },
      { additionalProperties: false },
    ),
    coolingOffHours: perChannel(Hours),
    confirmation: T.Object(
      {
        expiryMinutes: T.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
        /** A blocked request (debt unpaid, fee not accepted, …) lapses this many days after it was made; default 30. */
        blockedExpiryDays: T.Optional(T.Integer({ minimum: 1, maximum: 366 })),
      },
      { additionalProperties: false },
    ),
    otp: T.Object(
      {
        length: T.Integer({ minimum: 4, maximum: 10 }),
        ttlSeconds: T.Integer({ minimum: 30, maximum: 3600 }),
        maxAttempts: T.Integer({ minimum: 1, maximum: 10 }),
        lockoutMinutes: T.Integer({ minimum: 1, maximum: 24 * 60 }),
        slowDownAfter: T.Integer({ minimum: 1, maximum: 1000 }),
        maxSendsPerNumber: T.Integer({ minimum: 1, maximum: 1000 }),
        maxSendsPerAddress: T.Integer({ minimum: 1, maximum: 100_000 }),
        sendWindowMinutes: T.Integer({ minimum: 1, maximum: 24 * 60 }),
      },
      { additionalProperties: false },
    ),
    signIn: T.Object(
      {
        maxAttempts: T.Integer({ minimum: 1, maximum: 100 }),
        maxAttemptsPerAddress: T.Integer({ minimum: 1, maximum: 10_000 }),
        lockoutMinutes: T.Integer({ minimum: 1, maximum: 24 * 60 }),
        slowDownAfter: T.Integer({ minimum: 1, maximum: 10_000 }),
        sessionHours: T.Integer({ minimum: 1, maximum: 24 * 90 }),
        deviceDays: T.Integer({ minimum: 1, maximum: 3650 }),
      },
      { additionalProperties: false },
    ),
    effectiveDates: T.Object(
      {
        allowed: T.Array(T.Union([T.Literal('now'), T.Literal('end_of_period'), T.Literal('date')]), {
          minItems: 1,
          uniqueItems: true,
        }),
        maxDaysAhead: T.Integer({ minimum: 0, maximum: 366 }),
      },
      { additionalProperties: false },
    ),
    earlyTerminationFee: T.Union([
      T.Object({ rule: T.Literal('none') }, { additionalProperties: false }),
      T.Object(
        { rule: T.Literal('fixed'), amount: T.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      T.Object(
        {
          rule: T.Literal('remaining_months'),
          shareOfMonthlyFee: T.Number({ exclusiveMinimum: 0, maximum: 1 }),
          cap: T.Optional(T.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ]),
    refund: T.Object(
      {
        positiveBalance: T.Union([T.Literal('refund'), T.Literal('keep')]),
        method: T.Union([T.Literal('original_payment'), T.Literal('bank_transfer'), T.Literal('cash_at_store')]),
        minimumAmount: T.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /** Absent: the defaults below. */
    payments: T.Optional(
      T.Object(
        {
          /** A subscriber may pay more than the account owes (the rest stays as credit). Default false. */
          allowOverpayment: T.Boolean(),
          /** The largest single payment when overpaying is allowed, in minor units. */
          maxAmount: T.Integer({ minimum: 1, maximum: 100_000_000 }),
        },
        { additionalProperties: false },
      ),
    ),
    dormancy: T.Object(
      {
        enabled: T.Boolean(),
        inactiveDays: T.Integer({ minimum: 1, maximum: 3650 }),
        noticeDaysBefore: T.Array(T.Integer({ minimum: 1, maximum: 365 }), { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    identity: T.Object(
      {
        requiredOn: perChannel(T.Boolean()),
        foreignersAlways: T.Boolean(),
      },
      { additionalProperties: false },
    ),
    numberLimits: T.Object(
      { citizen: T.Integer({ minimum: 1 }), foreigner: T.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    /**
     * The scheduled sweep of numbers (issue 17), run by one worker at a time: quarantines that ended, reminders
     * before they end, dormancy. Absent: DEFAULT_SWEEP_POLICY.
     */
    sweep: T.Optional(
      T.Object(
        {
          /** Minutes from the end of one run to the next, on the app's clock (the demo clock when it moves). */
          intervalMinutes: T.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
          /** Numbers released per transaction: each batch is one UPDATE and its audit entries. */
          batchSize: T.Integer({ minimum: 1, maximum: 50_000 }),
          /** How long the running worker's hold lasts without renewal; another worker takes over after it. */
          leaseSeconds: T.Integer({ minimum: 5, maximum: 3600 }),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Where a market preset's figures come from (config/presets/): required there, so a preset never carries
     * a figure nobody can check. Optional in an operator's own file.
     */
    sources: T.Optional(T.Array(PolicySource, { minItems: 1 })),
    /** How long a former customer (every line ended) keeps their account, read-only: orders, certificates, data export. Default 1095 days. */
    retention: T.Optional(T.Object({ formerCustomerDays: T.Integer({ minimum: 0, maximum: 3650 }) }, { additionalProperties: false })),
    /** The shops (issue 14). Absent: the defaults below. */
    shops: T.Optional(
      T.Object(
        {
          /** The service a ticket taken by SMS (TICKET and a shop's number) is for, by its letter; default `C`. */
          smsTicketLetter: T.Optional(T.String({ pattern: '^[A-Z]$' })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Bulk files (issue 16). Absent: the defaults below. */
    bulk: T.Optional(
      T.Object(
        {
          /** Lines per transaction of a bulk run; default 2,000 (long enough that each page is written once, short enough to commit often). */
          batchSize: T.Optional(T.Integer({ minimum: 1, maximum: 10_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Termination certificates. Absent: the defaults below. */
    certificates: T.Optional(
      T.Object(
        {
          /**
           * How the "completed" e-mail of an operator's bulk order (channel `bulk`) carries the certificate: `link`
           * (the default: the order's page, where the signed-in holder downloads the PDF, and the public check page)
           * or `attach` (the PDF itself, made for every such e-mail). Other orders always attach it.
           */
          bulkOrders: T.Union([T.Literal('link'), T.Literal('attach')]),
        },
        { additionalProperties: false },
      ),
    ),
    worker: T.Object(
      {
        batchSize: T.Integer({ minimum: 1, maximum: 10_000 }),
        leaseSeconds: T.Integer({ minimum: 1, maximum: 3600 }),
        maxAttempts: T.Integer({ minimum: 1, maximum: 100 }),
        backoffBaseSeconds: T.Number({ minimum: 0, maximum: 3600 }),
        backoffMaxSeconds: T.Number({ minimum: 0, maximum: 86_400 }),
        pollMilliseconds: T.Integer({ minimum: 10, maximum: 60_000 }),
      },
      { additionalProperties: false },
    ),
    /**
     * Which adapter each outside system (SM-DP+, HLR, event sinks, identity provider) uses and how it is reached.
     * Not policy: validated by `config/integrations.ts`, each part by its adapter's own schema.
     */
    integrations: T.Optional(T.Unknown()),
  },
  { additionalProperties: false },
);

/** The policy file as written: `operator.siteUrl` may be missing. */
export type PolicyFile = Static<typeof PolicySchema>;
/** The policy in force: `operator.siteUrl` always set (from the file, SIMEXIT_SITE_URL, or in demo mode the address served). */
export type Policy = Omit<PolicyFile, 'operator'> & { readonly operator: PolicyFile['operator'] & { siteUrl: string } };
export const DEFAULT_SWEEP_POLICY: NonNullable<Policy['sweep']> = { intervalMinutes: 60, batchSize: 5000, leaseSeconds: 120 };
export const DEFAULT_CERTIFICATES_POLICY: NonNullable<Policy['certificates']> = { bulkOrders: 'link' };

/** Whether the "completed" e-mail of an order made through `channel` attaches the certificate or links to it. */
export const certificateInEmail = (policy: Pick<Policy, 'certificates'>, channel: string): 'attach' | 'link' =>
  channel === 'bulk' ? (policy.certificates ?? DEFAULT_CERTIFICATES_POLICY).bulkOrders : 'attach';
export const DEFAULT_PAYMENTS_POLICY: NonNullable<Policy['payments']> = { allowOverpayment: false, maxAmount: 10_000_000 };
/** The service an SMS ticket is for when the policy names none: the short number is for ending a contract (the demo's `C`). */
export const DEFAULT_SMS_TICKET_LETTER = 'C';
export type EffectiveMode = Policy['effectiveDates']['allowed'][number];
