import { Readable } from 'node:stream';
import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { orderReportCsv } from '../../../app/order-reports.ts';
import { CHANNELS } from '../../../domain/channels.ts';
import { ORDER_REPORT_COLUMNS } from '../../../domain/order-report.ts';
import { TERMINATION_STATES } from '../../../domain/termination.ts';
import { requireStaff } from '../auth-plugin.ts';
import { errorResponses, StringEnum } from '../schemas.ts';

const Day = (description: string) => T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

/** The back office's reports (issue 17). */
export function reportRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff/reports/orders.csv',
      {
        schema: {
          tags: ['staff'],
          summary: 'Back office: the orders asked for in a period, as CSV (streamed, any size), by channel, reason and outcome',
          description:
            `Columns: ${ORDER_REPORT_COLUMNS.join(', ')} — names in English and codes as the API spells them, every instant in UTC (ISO 8601), ` +
            'whatever the reader\'s language: the file is for machines. The period is days in the operator\'s time zone, both included. No personal data (no numbers, no names).',
          querystring: T.Object(
            {
              from: Day('first day, YYYY-MM-DD'),
              to: Day('last day, YYYY-MM-DD (included)'),
              channel: T.Optional(StringEnum(CHANNELS)),
              reason: T.Optional(T.String({ minLength: 1, maxLength: 200, description: 'the reason exactly as recorded' })),
              outcome: T.Optional(StringEnum(TERMINATION_STATES, { description: 'the order\'s state now' })),
            },
            { additionalProperties: false },
          ),
          produces: ['text/csv'],
          response: { 200: T.String({ description: 'text/csv; charset=utf-8' }), ...errorResponses },
        },
      },
      async (request, reply) => {
        requireStaff(request, 'back_office');
        const q = request.query;
        const chunks = orderReportCsv(ctx, q);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="orders-${q.from}-${q.to}.csv"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(chunks, { objectMode: false }));
      },
    );
  };
}
