/** The call-centre console's schemas (the staff pages import their types from here). */
import { Type as T } from '@sinclair/typebox';
import { CHECKLIST_ITEMS, HANDOVER_REASONS, QUEUE_KINDS, QUEUE_OUTCOMES } from '../../domain/agent-queue.ts';
import { LANGUAGES } from '../../domain/languages.ts';
import { OrNull, PreviewSchema, StaffCustomerSchema, StringEnum, TerminationSchema } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });
export const EntryParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict);
export const Effective = T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$', description: 'now, end_of_period or YYYY-MM-DD' });

export const VerifiedSchema = T.Object(
  { caller: T.Boolean(), secret: T.Unsafe<'pin' | 'document' | null>({ type: ['string', 'null'], enum: ['pin', 'document', null] }), smsCode: T.Boolean() },
  { description: 'What the voice menu checked: the calling number is a line of the customer, the secret typed (PIN or the last 4 document digits), the SMS code sent to the line. Never a password.' },
);
export const WaitingSchema = T.Object({ id: T.String(), kind: StringEnum(QUEUE_KINDS), language: StringEnum(LANGUAGES), position: T.Integer(), enqueuedAt: Instant, waitingSeconds: T.Integer(), verified: VerifiedSchema, reason: T.String(), reasonKind: StringEnum(HANDOVER_REASONS) });
export const HeldSummarySchema = T.Object({ id: T.String(), kind: StringEnum(QUEUE_KINDS), language: StringEnum(LANGUAGES), takenAt: Instant, callEnded: T.Boolean() });
export const HeldCallSchema = T.Object({
  id: T.String(),
  kind: StringEnum(QUEUE_KINDS),
  language: StringEnum(LANGUAGES),
  callerNumber: T.String(),
  reason: T.String({ description: 'The voice menu\'s own words for the hand-over (for the record; screens show reasonKind)' }),
  reasonKind: StringEnum(HANDOVER_REASONS),
  verified: VerifiedSchema,
  confirmsAtOnce: T.Boolean({ description: 'A cancellation made now is confirmed at once (the menu checked a secret and the SMS code); otherwise the caller confirms the code sent to the line themselves' }),
  enqueuedAt: Instant,
  takenAt: Instant,
  waitSeconds: T.Integer(),
  callEndedAt: OrNull(Instant),
  customer: OrNull(StaffCustomerSchema),
  lineId: OrNull(T.String()),
  preview: OrNull(PreviewSchema),
  termination: OrNull(TerminationSchema),
});
export const ChecklistSchema = T.Object(Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, T.Boolean()])) as Record<(typeof CHECKLIST_ITEMS)[number], ReturnType<typeof T.Boolean>>, {
  ...strict,
  description: 'Every item must be true: identity confirmed by questions (never the password), the caller consents, told the debt/fee/refund, told about the data left, told until when the number can be reclaimed',
});
export const FiguresSchema = T.Object({
  from: Instant,
  to: Instant,
  entries: T.Integer(),
  calls: T.Integer(),
  callbacks: T.Integer(),
  byOutcome: T.Record(T.String(), T.Integer(), { description: 'Finished entries by outcome, plus abandoned (hung up while waiting), waiting and taken' }),
  answer: T.Array(T.Object({ language: StringEnum(LANGUAGES), answered: T.Integer(), averageSeconds: OrNull(T.Integer()), longestSeconds: OrNull(T.Integer()) })),
  handle: T.Object({ finished: T.Integer(), averageSeconds: OrNull(T.Integer()), longestSeconds: OrNull(T.Integer()) }),
  voiceMenu: T.Object(
    { calls: OrNull(T.Integer()), toAgent: T.Integer(), finishedInMenu: OrNull(T.Integer()), share: OrNull(T.Number()) },
    { description: 'Calls the voice menu answered, those handed to the queue, and the share finished in the menu without an agent (null while the menu does not count its calls)' },
  ),
});

export const QueueSchema = T.Object({ waiting: T.Array(WaitingSchema), held: T.Array(HeldSummarySchema) });
export const CancelLineBody = T.Object({ lineId: T.String({ minLength: 1, maxLength: 64 }), effective: T.Optional(Effective), checklist: ChecklistSchema }, strict);
export const CancelledSchema = T.Object({ termination: TerminationSchema, confirmed: T.Boolean(), codeSentUntil: OrNull(Instant) });
export const FinishBody = T.Object({ outcome: StringEnum(QUEUE_OUTCOMES) }, strict);
export const FinishedSchema = T.Object({ id: T.String(), outcome: StringEnum(QUEUE_OUTCOMES), handleSeconds: T.Integer(), finishedAt: Instant });
