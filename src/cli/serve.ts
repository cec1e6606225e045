import type { ComposedApp } from '../config/compose.ts';
import { buildServer } from '../channels/api/server.ts';
import { buildEs2plusListener } from '../channels/api/es2plus-listener.ts';
import { siteUrlFollowsServer } from '../config/load-config.ts';
import { runWorker } from '../jobs/worker.ts';
import { closeCertificateThreads } from '../certificates/render-pool.ts';
import { closeFileWriter } from '../adapters/delivery/file-writer.ts';
import { keepAnchoring } from '../app/audit-anchor.ts';
import { startWorkerThread } from './worker-thread.ts';

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
 * Runs the HTTP server and, unless told otherwise, the worker in this process: in a worker thread of its own with
 * its own store connection (worker-thread.ts), so that its batches never stall the API's event loop; on the event
 * loop itself only for an in-memory store (nothing else can open it) or with SIMEXIT_WORKER_THREAD=no.
 * SIGINT/SIGTERM: stop taking requests, let in-flight requests and the current job batch finish, then close the
 * store. A worker that fails brings the server down the same way, and `serve` then throws its error (exit code 1):
 * a server that answers while nothing carries its orders out would fail silently.
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
  const inThread = options.worker && ctx.env.workerThread && ctx.env.db !== 'sqlite::memory:';
  const thread = inThread ? startWorkerThread({ env: ctx.env, siteUrl: ctx.policy.operator.siteUrl }) : undefined;
  const worker = thread ? thread.done : options.worker ? runWorker(ctx, { signal: stop.signal }) : Promise.resolve(undefined);
  // The failure is kept and thrown after the shutdown below; until then the server is told to stop.
  let failed: { error: unknown } | undefined;
  const failedWorker = worker.then(
    () => undefined,
    (error: unknown) => {
      failed = { error };
      process.stderr.write(`simexit: the worker stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    },
  );
  // Jobs are claimed from the start (a thread composes its own application first), as on the event loop.
  await thread?.started.catch(() => undefined);
  options.onListening?.(url);
  // Demo mode: `simexit clock advance` in another process moves this one's clock within a second or two.
  const clock = ctx.clock as { refresh?: () => Promise<void> };
  const refresh = ctx.demo && clock.refresh ? setInterval(() => void clock.refresh?.().catch(() => undefined), 1000) : undefined;
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      resolve();
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    void failedWorker.then(() => failed && shutdown());
  });
  stop.abort();
  thread?.stop();
  clearInterval(refresh);
  stopAnchoring();
  // Keep-alive connections that go idle once their last answer is out are closed as they do;
  // anything still open after the grace period is cut.
  const closing = Promise.all([server.close(), es2?.close()]);
  const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await Promise.all([closing, failedWorker]);
  clearInterval(sweep);
  clearTimeout(deadline);
  await closeCertificateThreads();
  await closeFileWriter();
  await ctx.close();
  if (failed) throw failed.error;
}
