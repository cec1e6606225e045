import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callCentreFigures } from '../../../app/agent-queue.ts';
import { callQueue, cancelLineForCaller, finishCall, heldCall, takeCall } from '../../../app/call-console.ts';
import type { AppContext } from '../../../app/context.ts';
import { addDays } from '../../../domain/time.ts';
import { type Language, LANGUAGES } from '../../../domain/languages.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { requireStaff } from '../auth-plugin.ts';
import { CancelledSchema, CancelLineBody, Effective, EntryParams, FiguresSchema, FinishBody, FinishedSchema, HeldCallSchema, HeldSummarySchema, QueueSchema } from '../call-schemas.ts';
import { errorResponses, previewView, StringEnum, terminationView } from '../schemas.ts';

const strict = { additionalProperties: false } as const;


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
          response: { 200: QueueSchema, ...errorResponses },
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
        return callCentreFigures(ctx, agent, { from: addDays(to, -days), to });
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
          body: CancelLineBody,
          response: { 201: CancelledSchema, ...errorResponses },
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
          body: FinishBody,
          response: { 200: FinishedSchema, ...errorResponses },
        },
      },
      async (request) => finishCall(ctx, requireStaff(request), request.params.id, request.body.outcome),
    );
  };
}
