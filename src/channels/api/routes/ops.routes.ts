import { sql } from 'kysely';
import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import type { createMetrics } from '../metrics.ts';

export function opsRoutes(ctx: AppContext, metrics: ReturnType<typeof createMetrics>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: T.Object({ status: T.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
    app.get('/readyz', { schema: { tags: ['operations'], summary: 'The database answers', response: { 200: T.Object({ status: T.Literal('ready') }), 503: T.Object({ status: T.Literal('unavailable') }) } } }, async (_request, reply) => {
      try {
        await sql`select 1`.execute(ctx.store.db);
        return { status: 'ready' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    });
    app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  };
}
