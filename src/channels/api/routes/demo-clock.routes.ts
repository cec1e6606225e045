import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { advanceClock, showClock } from '../../../app/demo-clock.ts';
import { actorOf } from '../../../app/subscriber-terminations.ts';
import { requirePrincipal } from '../auth-plugin.ts';
import { errorResponses } from '../schemas.ts';

const ClockView = T.Object({ now: T.String(), realNow: T.String(), offsetDays: T.Number() });

/**
 * Demo mode only: the demo pages' "move time forward" control, the same as
 * `simexit clock advance --days N` (persistent, audited with the caller as
 * actor). Registered only when `ctx.demo`, so elsewhere the routes do not exist (404).
 */
export function demoClockRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/demo/clock',
      { schema: { tags: ['demo'], summary: "Demo mode: the installation's clock (now, real time, days moved forward)", response: { 200: ClockView, ...errorResponses } } },
      async (request) => {
        requirePrincipal(request);
        return showClock(ctx);
      },
    );
    app.post(
      '/demo/clock/advance',
      {
        schema: {
          tags: ['demo'],
          summary: "Demo mode: move the whole installation's clock forward by whole days (audited)",
          body: T.Object({ days: T.Integer({ minimum: 1, maximum: 400 }) }, { additionalProperties: false }),
          response: { 200: ClockView, ...errorResponses },
        },
      },
      async (request) => {
        const who = requirePrincipal(request);
        return advanceClock(ctx, request.body.days, actorOf(who, 'web'));
      },
    );
  };
}
