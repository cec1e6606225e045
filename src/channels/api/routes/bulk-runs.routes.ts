import { Readable } from 'node:stream';
import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { bulkRun, bulkRunResultPages, bulkRuns, dryRunBulk, followBulkRun, startBulkRun } from '../../../app/bulk-runs.ts';
import type { AppContext } from '../../../app/context.ts';
import type { BulkRun } from '../../../domain/bulk-report.ts';
import { AppError } from '../../../domain/errors.ts';
import { isLanguage } from '../../../domain/languages.ts';
import { requireStaff, resolvePrincipal } from '../auth-plugin.ts';
import { BulkDryRunSchema, BulkRunSchema, BulkRunsSchema, BulkStartedSchema } from '../bulk-schemas.ts';
import { csvField, outcomeInWords, resultHeader } from '../bulk-words.ts';
import { languageOf } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { BULK_BODY_LIMIT } from './staff.routes.ts';

const strict = { additionalProperties: false } as const;
const RunParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, strict);
/** A run as the API shows it: the file's hash is the store's key, not something to show. */
const view = ({ fileHash: _hash, ...run }: BulkRun) => run;
const sse = (event: string, id: number, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The back office's bulk runs (the staff page `bulk`): a dry run of a file, a stored run worked through by the
 * queue, its live progress as server-sent events and its result file. Every route is for back_office (and
 * admin), checked in onRequest before a byte of the (large) body is read.
 */
export function bulkRunRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('onRequest', async (request) => {
      await resolvePrincipal(ctx, request);
      requireStaff(request, 'back_office');
    });
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_req, body, done) => done(null, body));

    app.post(
      '/staff/bulk-runs',
      {
        schema: {
          tags: ['staff'],
          summary:
            'Back office: a CSV of numbers (text/csv; header `msisdn`, optionally `effective`, `reason`). dryRun=true answers what a run would do now, by blocker and by channel, and changes nothing; otherwise the run is stored and started (202) and the queue works through it in chunks. The whole file is checked first: a bad row is refused with CSV_INVALID naming its line and why, and nothing is stored. The same file twice creates no order twice',
          querystring: T.Object(
            {
              dryRun: T.Optional(T.Union([T.Literal('true'), T.Literal('false')])),
              reason: T.Optional(T.String({ maxLength: 200 })),
              fileName: T.Optional(T.String({ maxLength: 200 })),
            },
            strict,
          ),
          consumes: ['text/csv'],
          response: { 200: BulkDryRunSchema, 202: BulkStartedSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const agent = requireStaff(request, 'back_office');
        if (typeof request.body !== 'string') throw new AppError('UNSUPPORTED_MEDIA_TYPE', { input: String(request.headers['content-type']) });
        const reason = request.query.reason?.trim() || null;
        if (request.query.dryRun === 'true') return reply.code(200).send({ dryRun: true as const, report: await dryRunBulk(ctx, agent, { csv: request.body, reason }) });
        const { run, existing } = await startBulkRun(ctx, agent, { csv: request.body, fileName: request.query.fileName?.trim() || null, reason });
        return reply.code(202).send({ dryRun: false as const, existing, run: view(run) });
      },
    );

    app.get('/staff/bulk-runs', { schema: { tags: ['staff'], summary: 'Back office: the latest bulk runs, newest first (a page finds the run under way here after a reload)', response: { 200: BulkRunsSchema, ...errorResponses } } }, async () => (await bulkRuns(ctx)).map(view));

    app.get(
      '/staff/bulk-runs/:id',
      { schema: { tags: ['staff'], summary: 'Back office: a bulk run, its progress and its report so far', params: RunParams, response: { 200: BulkRunSchema, ...errorResponses } } },
      async (request) => view(await bulkRun(ctx, request.params.id)),
    );

    app.get(
      '/staff/bulk-runs/:id/events',
      {
        schema: {
          tags: ['staff'],
          summary:
            'Back office: with Accept: text/event-stream, server-sent events: a `progress` event with the run each time it moves (its id the rows done), then `finished` and the end of the stream. A page that reconnects with Last-Event-ID gets the run once it has moved past it. Otherwise the run as JSON',
          params: RunParams,
          response: { 200: BulkRunSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const run = await bulkRun(ctx, request.params.id);
        if (!(request.headers.accept ?? '').includes('text/event-stream')) return view(run);
        const lastEventId = request.headers['last-event-id'];
        const lastDone = typeof lastEventId === 'string' && /^\d{1,12}$/.test(lastEventId) ? Number(lastEventId) : null;
        const raw = reply.raw;
        reply.hijack();
        raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        raw.write('retry: 1000\n\n');
        const ping = setInterval(() => raw.write(': ping\n\n'), 15_000);
        ping.unref();
        const follower = followBulkRun(ctx, run, lastDone, (r: BulkRun) => {
          raw.write(sse(r.state === 'finished' ? 'finished' : 'progress', r.done, view(r)));
          if (r.state === 'finished') raw.end();
        });
        raw.on('close', () => {
          follower.stop();
          clearInterval(ping);
        });
        return reply;
      },
    );

    app.get(
      '/staff/bulk-runs/:id/result.csv',
      {
        schema: {
          tags: ['staff'],
          summary: "Back office: the run's result as CSV (number, reference, outcome in words), streamed in file order; the rows done so far while it runs. ?language= (ru, en, zh) or Accept-Language picks the words",
          params: RunParams,
          querystring: T.Object({ language: T.Optional(T.String({ maxLength: 5 })) }, strict),
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const run = await bulkRun(ctx, request.params.id);
        const language = isLanguage(request.query.language) ? request.query.language : languageOf(request);
        async function* lines() {
          // A byte-order mark, so a spreadsheet opens the Cyrillic and Chinese words as UTF-8.
          yield `\uFEFF${resultHeader(language)}`;
          for await (const page of bulkRunResultPages(ctx, run.id)) {
            yield page.map((r) => `${csvField(r.msisdn)},${csvField(r.reference ?? '')},${csvField(outcomeInWords(language, r.outcome, r.detail))}\r\n`).join('');
          }
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="bulk-${run.id}.csv"`)
          .send(Readable.from(lines()));
      },
    );
  };
}
