import client from 'prom-client';
import type { AppContext } from '../../app/context.ts';
import { oldestDueJobAgeSeconds, queueHealth, terminationCounts } from '../../app/operations.ts';

/** Prometheus metrics: HTTP traffic from hooks, business gauges asked of the application at scrape time. */
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
      for (const r of await terminationCounts(ctx)) this.set({ state: r.state, channel: r.channel }, r.count);
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_due',
    help: 'Jobs due now and not yet done',
    registers: [registry],
    async collect() {
      this.set((await queueHealth(ctx)).due);
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_oldest_due_age_seconds',
    help: 'How long the oldest due job has waited',
    registers: [registry],
    async collect() {
      this.set(await oldestDueJobAgeSeconds(ctx));
    },
  });
  new client.Gauge({
    name: 'simexit_jobs_failed',
    help: 'Jobs that failed for good (their orders need attention)',
    registers: [registry],
    async collect() {
      this.set((await queueHealth(ctx)).failed);
    },
  });
  return { registry, requests, latency };
}
