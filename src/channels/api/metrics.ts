import client from 'prom-client';
import type { AppContext } from '../../app/context.ts';
import { queueStats } from '../../store/jobs.repository.ts';

/** Prometheus metrics: HTTP traffic from hooks, business gauges read from the store at scrape time. */
export function createMetrics(ctx: AppContext) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({ name: 'simexit_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new client.Histogram({ name: 'simexit_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  new client.Gauge({
    name: 'simexit_terminations',
    help: 'Termination orders by state and channel',
    labelNames: ['state', 'channel'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await ctx.store.db.selectFrom('terminations').select(['state', 'channel', (eb) => eb.fn.countAll().as('n')]).groupBy(['state', 'channel']).execute();
      for (const r of rows) this.set({ state: r.state, channel: r.channel }, Number(r.n));
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_due',
    help: 'Jobs due now and not yet done',
    registers: [registry],
    async collect() {
      this.set((await queueStats(ctx.store.db, ctx.clock())).due);
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_oldest_due_age_seconds',
    help: 'How long the oldest due job has waited',
    registers: [registry],
    async collect() {
      const row = await ctx.store.db.selectFrom('jobs').select((eb) => eb.fn.min('run_at').as('oldest')).where('state', '=', 'queued').where('run_at', '<=', ctx.clock()).executeTakeFirst();
      const oldest = row?.oldest as string | null | undefined;
      this.set(oldest ? Math.max(0, (Date.parse(ctx.clock()) - Date.parse(oldest)) / 1000) : 0);
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_failed',
    help: 'Jobs that failed for good (their orders need attention)',
    registers: [registry],
    async collect() {
      this.set((await queueStats(ctx.store.db, ctx.clock())).failed);
    },
  });
  return { registry, requests, latency };
}
