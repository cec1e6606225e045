import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callCentreFigures } from '../../../app/agent-queue.ts';
import { callQueue, cancelLineForCaller, finishCall, heldCall, type LinePreview, takeCall } from '../../../app/call-console.ts';
import type { AppContext } from '../../../app/context.ts';
import { CHECKLIST_ITEMS, QUEUE_KINDS, QUEUE_OUTCOMES } from '../../../domain/agent-queue.ts';
import { type Language, LANGUAGES } from '../../../domain/languages.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { requireStaff } from '../auth-plugin.ts';
import { errorResponses, OrNull, PreviewSchema, StaffCustomerSchema, StringEnum, TerminationSchema, terminationView } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });
const EntryParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict);
const Effective = T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$', description: 'now, end_of_period or YYYY-MM-DD' });

const VerifiedSchema = T.Object(
  { caller: T.Boolean(), secret: T.Unsafe<'pin' | 'document' | null>({ type: ['string', 'null'], enum: ['pin', 'document', null] }), smsCode: T.Boolean() },
  { description: 'What the voice menu checked: the calling number is a line of the customer, the secret typed (PIN or the last 4 document digits), the SMS code sent to the line. Never a password.' },
);
const WaitingSchema = T.Object({ id: T.String(), kind: StringEnum(QUEUE_KINDS), language: StringEnum(LANGUAGES), position: T.Integer(), enqueuedAt: Instant, waitingSeconds: T.Integer(), verified: VerifiedSchema, reason: T.String() });
const HeldSummarySchema = T.Object({ id: T.String(), kind: StringEnum(QUEUE_KINDS), language: StringEnum(LANGUAGES), takenAt: Instant, callEnded: T.Boolean() });
const HeldCallSchema = T.Object({
  id: T.String(),
  kind: StringEnum(QUEUE_KINDS),
  language: StringEnum(LANGUAGES),
  callerNumber: T.String(),
  reason: T.String(),
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
const ChecklistSchema = T.Object(Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, T.Boolean()])) as Record<(typeof CHECKLIST_ITEMS)[number], ReturnType<typeof T.Boolean>>, {
  ...strict,
  description: 'Every item must be true: identity confirmed by questions (never the password), the caller consents, told the debt/fee/refund, told about the data left, told until when the number can be reclaimed',
});
const FiguresSchema = T.Object({
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

const previewView = (p: LinePreview): Static<typeof PreviewSchema> => ({
  ...p,
  charges: [...p.charges],
  blockers: [...p.blockers],
  warnings: [...p.warnings],
  effectiveOptions: [...p.effectiveOptions],
  esimDeletionSteps: p.simType === 'esim' ? ['ios', 'android', 'other'] : [],
});

/** The call-centre console (role call_agent; the app refuses any other) and the back office's figures of the queue. */
export function callRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff/calls/queue',
      {
        schema: {
          tags: ['calls'],
          summary: 'Call agent: the waiting calls and callbacks, oldest first, with how long each has waited (no names or numbers), and the calls you hold',
          querystring: T.Object({ language: T.Optional(StringEnum(LANGUAGES)) }, strict),
          response: { 200: T.Object({ waiting: T.Array(WaitingSchema), held: T.Array(HeldSummarySchema) }), ...errorResponses },
        },
      },
      async (request) => callQueue(ctx, requireStaff(request), { language: request.query.language as Language | undefined }),
    );

    app.get(
      '/staff/calls/figures',
      {
        schema: {
          tags: ['calls'],
          summary: 'Back office: the agent queue over the last days: calls by outcome, time to answer per language, handle time, share finished in the voice menu',
          querystring: T.Object({ days: T.Optional(T.String({ pattern: '^[0-9]{1,3}$', description: 'how many days back from now (1 to 366, default 7)' })) }, strict),
          response: { 200: FiguresSchema, ...errorResponses },
        },
      },
      async (request) => {
        const agent = requireStaff(request, 'back_office');
        const days = Math.min(366, Math.max(1, Number(request.query.days ?? 7)));
        const to = ctx.clock();
        return callCentreFigures(ctx, agent, { from: new Date(Date.parse(to) - days * 86_400_000).toISOString(), to });
      },
    );

    app.post(
      '/staff/calls/:id/take',
      {
        schema: {
          tags: ['calls'],
          summary: 'Call agent: take a waiting call or callback; of two agents taking it at once, one gets it and the other CALL_NOT_WAITING',
          params: EntryParams,
          response: { 200: HeldSummarySchema, ...errorResponses },
        },
      },
      async (request) => takeCall(ctx, requireStaff(request), request.params.id),
    );

    app.get(
      '/staff/calls/:id',
      {
        schema: {
          tags: ['calls'],
          summary: 'Call agent: a call you hold: the customer, what the voice menu verified, the preview for a line (lineId, else the line the menu named); audited',
          params: EntryParams,
          querystring: T.Object({ lineId: T.Optional(T.String({ minLength: 1, maxLength: 64 })), effective: T.Optional(Effective) }, strict),
          response: { 200: HeldCallSchema, ...errorResponses },
        },
      },
      async (request) => {
        const held = await heldCall(ctx, requireStaff(request), request.params.id, { lineId: request.query.lineId, effective: parseEffective(request.query.effective ?? 'now') });
        return { ...held, preview: held.preview ? previewView(held.preview) : null, termination: held.termination ? terminationView(held.termination) : null };
      },
    );

    app.post(
      '/staff/calls/:id/cancel-line',
      {
        schema: {
          tags: ['calls'],
          summary: "Call agent: end a line of the caller you hold, on their behalf, once every checklist item is ticked (recorded as phone_agent, with you); confirmed at once only when the voice menu checked a secret and the SMS code",
          params: EntryParams,
          body: T.Object({ lineId: T.String({ minLength: 1, maxLength: 64 }), effective: T.Optional(Effective), checklist: ChecklistSchema }, strict),
          response: { 201: T.Object({ termination: TerminationSchema, confirmed: T.Boolean(), codeSentUntil: OrNull(Instant) }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { lineId, checklist } = request.body;
        const done = await cancelLineForCaller(ctx, requireStaff(request), request.params.id, { lineId, checklist, effective: parseEffective(request.body.effective ?? 'now') });
        return reply.code(201).send({ termination: terminationView(done.termination), confirmed: done.confirmed, codeSentUntil: done.codeSentUntil });
      },
    );

    app.post(
      '/staff/calls/:id/finish',
      {
        schema: {
          tags: ['calls'],
          summary: 'Call agent: finish a call you hold with its outcome (line_cancelled only after a cancellation); you no longer act for the caller',
          params: EntryParams,
          body: T.Object({ outcome: StringEnum(QUEUE_OUTCOMES) }, strict),
          response: { 200: T.Object({ id: T.String(), outcome: StringEnum(QUEUE_OUTCOMES), handleSeconds: T.Integer(), finishedAt: Instant }), ...errorResponses },
        },
      },
      async (request) => finishCall(ctx, requireStaff(request), request.params.id, request.body.outcome),
    );
  };
}
