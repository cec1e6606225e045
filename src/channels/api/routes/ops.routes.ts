import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../app/context.ts';
import { storeAnswers } from '../../../app/operations.ts';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../domain/errors.ts';
import { addressMatcher, isLoopback } from '../addresses.ts';
import type { createMetrics } from '../metrics.ts';

export interface MetricsAccess {
  /** `SIMEXIT_METRICS_TOKEN`: `Authorization: Bearer <token>` reads /metrics from anywhere. */
  readonly token?: string | undefined;
  /** `SIMEXIT_METRICS_ALLOW`: addresses and CIDR ranges that read /metrics without a token. */
  readonly allow?: readonly string[];
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * /metrics tells queue depths, order counts by state and the process's
 * internals: it answers the configured token or addresses only (loopback too
 * in demo mode), everyone else gets 403 before anything is collected.
 */
function metricsGuard(ctx: AppContext, access: MetricsAccess) {
  const allowed = addressMatcher('SIMEXIT_METRICS_ALLOW', access.allow ?? []);
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (access.token && header?.startsWith('Bearer ') && sameSecret(header.slice(7).trim(), access.token)) return;
    if (allowed(request.ip) || (ctx.demo && isLoopback(request.ip))) return;
    throw new AppError('FORBIDDEN', {});
  };
}

export function opsRoutes(ctx: AppContext, metrics: ReturnType<typeof createMetrics>, access: MetricsAccess = {}): FastifyPluginAsyncTypebox {
  const guard = metricsGuard(ctx, access);
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: T.Object({ status: T.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
    app.get('/readyz', { schema: { tags: ['operations'], summary: 'The database answers', response: { 200: T.Object({ status: T.Literal('ready') }), 503: T.Object({ status: T.Literal('unavailable') }) } } }, async (_request, reply) => {
      if (await storeAnswers(ctx)) return { status: 'ready' as const };
      return reply.code(503).send({ status: 'unavailable' as const });
    });
    app.get('/metrics', { onRequest: guard, schema: { tags: ['operations'], summary: 'Prometheus metrics (SIMEXIT_METRICS_TOKEN bearer, or from SIMEXIT_METRICS_ALLOW)', produces: ['text/plain'], security: [{ bearer: [] }] } }, async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  };
}
