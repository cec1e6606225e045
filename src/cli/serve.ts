import type { ComposedApp } from '../config/compose.ts';
import { buildServer } from '../channels/api/server.ts';
import { buildEs2plusListener } from '../channels/api/es2plus-listener.ts';
import { siteUrlFollowsServer } from '../config/load-config.ts';
import { runWorker } from '../jobs/worker.ts';
import { keepAnchoring } from '../app/audit-anchor.ts';

const SHUTDOWN_GRACE_MS = 20_000;

const DEMO_BANNER = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!!  DEMO MODE: NOT FOR REAL SUBSCRIBERS                                   !!',
  '!!  /demo/mailbox shows every message sent, sign-in and reset codes       !!',
  '!!  included, to anyone; keys are generated and kept in the data folder.  !!',
  '!!  Run `simexit serve` without SIMEXIT_DEMO for a real installation.     !!',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
  '',
].join('\n');

/**
 * Runs the HTTP server and, unless told otherwise, the worker in this process.
 * SIGINT/SIGTERM: stop taking requests, let in-flight requests and the current
 * job batch finish, then close the store.
 */
export async function serve(ctx: ComposedApp, options: { port: number; host: string; worker: boolean; onListening?: (url: string) => void; auditAnchor?: string; log?: boolean }): Promise<void> {
  if (ctx.demo) process.stderr.write(DEMO_BANNER);
  const server = await buildServer(ctx, { logger: options.log ?? ctx.env.log ?? true, trustProxy: ctx.env.trustProxy, metrics: { token: ctx.env.metricsToken, allow: ctx.env.metricsAllow } });
  const stop = new AbortController();
  // The audit head is signed into the anchor file at start and every SIMEXIT_AUDIT_ANCHOR_MINUTES (see audit-anchor.ts).
  const stopAnchoring = options.auditAnchor ? keepAnchoring(ctx.store.db, ctx.keys, options.auditAnchor, ctx.clock, ctx.env.auditAnchorMinutes, (e) => server.log.error(e, 'signing the audit head failed')) : () => {};
  const address = await server.listen({ port: options.port, host: options.host });
  // The SM-DP+'s notifications arrive on a mutual-TLS listener of their own (see es2plus-listener.ts).
  const es2 = ctx.es2plusNotifications ? await buildEs2plusListener(ctx, ctx.es2plusNotifications, { logger: options.log ?? ctx.env.log ?? true }) : undefined;
  if (es2 && ctx.es2plusNotifications) await es2.listen({ port: ctx.es2plusNotifications.port, host: ctx.es2plusNotifications.host });
  const url = address.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  // Demo mode without operator.siteUrl: links (SMS, e-mail, QR codes, TMF href, the site's "our only site is …")
  // name the address actually served, whatever --port says. The worker starts after this, so every message does.
  if (siteUrlFollowsServer(ctx.policy)) (ctx.policy.operator as { siteUrl: string }).siteUrl = url;
  const worker = options.worker ? runWorker(ctx, { signal: stop.signal }) : Promise.resolve(undefined);
  options.onListening?.(url);
  // Demo mode: `simexit clock advance` in another process moves this one's clock within a second or two.
  const clock = ctx.clock as { refresh?: () => Promise<void> };
  const refresh = ctx.demo && clock.refresh ? setInterval(() => void clock.refresh?.().catch(() => undefined), 1000) : undefined;
  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  stop.abort();
  clearInterval(refresh);
  stopAnchoring();
  // Keep-alive connections that go idle once their last answer is out are closed as they do;
  // anything still open after the grace period is cut.
  const closing = Promise.all([server.close(), es2?.close()]);
  const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await Promise.all([closing, worker]);
  clearInterval(sweep);
  clearTimeout(deadline);
  await ctx.close();
}
