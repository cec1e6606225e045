import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { QUERIES_PER_WINDOW, queryReassignedNumbers, WINDOW_MINUTES } from '../../../app/reassigned-numbers.ts';
import { E164, MAX_PAIRS, REASSIGNED_ANSWERS, REASSIGNED_NUMBERS_SCOPE } from '../../../domain/reassigned-numbers.ts';
import { errorResponses, StringEnum } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
/** 1,000 pairs of the longest numbers are about 50 KB of JSON: room for that and for whitespace. */
const QUERY_BODY_LIMIT = 192 * 1024;

const Pair = T.Object(
  {
    number: T.String({ pattern: E164, description: 'the number in E.164, e.g. +79991234567' }),
    date: T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'the day the caller last knew the number was its customer\'s (consent, last contact): YYYY-MM-DD, UTC, not after today' }),
  },
  strict,
);
const example = { pairs: [{ number: '+79990000001', date: '2026-01-15' }, { number: '+79990000002', date: '2026-11-30' }, { number: '+15550100000', date: '2026-06-01' }] };
const exampleAnswer = { answers: [{ number: '+79990000001', date: '2026-01-15', answer: 'yes' }, { number: '+79990000002', date: '2026-11-30', answer: 'no' }, { number: '+15550100000', date: '2026-06-01', answer: 'no_data' }] };

/** The reassigned-numbers query (issue 17): integrator keys with the `reassigned-numbers` scope only. */
export function reassignedNumbersRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/reassigned-numbers/query',
      {
        bodyLimit: QUERY_BODY_LIMIT,
        schema: {
          tags: ['reassigned-numbers'],
          summary: `Integrators (API key with scope \`${REASSIGNED_NUMBERS_SCOPE}\`): has each number been disconnected since the date given?`,
          description:
            `Up to ${MAX_PAIRS} pairs. Per pair: \`yes\` — the number's latest disconnection is on or after the date (whoever held it that day no longer does; ` +
            'a disconnection on the day itself counts); `no` — our history covers the date and the number has not been disconnected since; ' +
            '`no_data` — not a number we have history for, or the date is before that history starts. The answer never says who held a number, ' +
            `nor whether anyone holds it now. Dates are UTC days. Limited to ${QUERIES_PER_WINDOW} queries per key every ${WINDOW_MINUTES} minute (429 RND_RATE_LIMITED). ` +
            'Every query is audited with the key and the count, never the numbers. A bad request is refused whole, nothing counted: ' +
            'VALIDATION_FAILED (more pairs than allowed, a number not in E.164, a date not written YYYY-MM-DD), RND_INVALID_DATE (no such day), RND_FUTURE_DATE.',
          security: [{ bearer: [] }],
          body: T.Object({ pairs: T.Array(Pair, { minItems: 1, maxItems: MAX_PAIRS }) }, { ...strict, examples: [example] }),
          response: {
            200: T.Object(
              { answers: T.Array(T.Object({ number: T.String(), date: T.String(), answer: StringEnum(REASSIGNED_ANSWERS) }), { description: 'one per pair, in the order asked' }) },
              { examples: [exampleAnswer] },
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ answers: await queryReassignedNumbers(ctx, request.principal, request.body.pairs) }),
    );
  };
}
