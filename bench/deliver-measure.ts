// The delivery part of `npm run bench:bulk -- --deliver`: after the engine run, every message the run queued is sent
// through the real delivery path (deliverDue: claim, render, certificate, compose, send, record) into the file outbox
// adapter in a scratch folder, and the pace is measured. Certificates follow the policy: a bulk order's e-mail links to
// its certificate by default; `--attach` makes one PDF per e-mail (certificates.bulkOrders: attach) to measure that.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../src/app/context.ts';
import { ephemeralKeys } from '../src/certificates/keys.ts';
import { certificateRenderTotals } from '../src/certificates/render-pool.ts';
import { deliverDue, deliverersFor } from '../src/notifications/deliver.ts';

export interface DeliveryMeasure {
  readonly messagesDelivered: number;
  readonly messagesFailed: number;
  readonly deliverSeconds: number;
  readonly messagesPerSecond: number;
  /** CPU time of this process's main thread and its rendering threads: on a shared machine, what the wall clock hides. */
  readonly deliverCpuSeconds: number;
  /** Of which in the kernel (file system calls, mostly). */
  readonly deliverSystemSeconds: number;
  /** Of which on the main thread (the event loop: claim, render, record), user and kernel. */
  readonly deliverMainThreadCpuSeconds: number;
  /** CPU per message delivered, all threads, and the main thread's share, in ms. */
  readonly cpuMsPerMessage: number;
  readonly mainThreadCpuMsPerMessage: number;
  readonly certificatesRendered: number;
  /** CPU time in the rendering threads per certificate, the first ones (font parsing) included; null when none was made. */
  readonly msPerCertificate: number | null;
  readonly outboxFiles: number;
  readonly certificateInEmail: 'link' | 'attach';
}

/**
 * Delivers every due message through the file outbox and measures it. The
 * context's key signs certificates; without one (the bench runs without
 * SIMEXIT_CERT_KEY) a key made for the run does.
 */
export async function measureDelivery(ctx: AppContext, options: { attach?: boolean; batch?: number; concurrency?: number; log?: (text: string) => void } = {}): Promise<DeliveryMeasure> {
  const folder = mkdtempSync(join(tmpdir(), 'simexit-bench-outbox-'));
  const mode = options.attach ? 'attach' : (ctx.policy.certificates?.bulkOrders ?? 'link');
  const run: AppContext = { ...ctx, keys: ctx.keys ?? ephemeralKeys(), outbox: folder, policy: { ...ctx.policy, certificates: { bulkOrders: mode } } };
  const deliverers = deliverersFor(run, { SIMEXIT_OUTBOX: folder });
  const rendered = certificateRenderTotals();
  const totals = { sent: 0, failed: 0 };
  // BENCH_DELIVER_PROFILE=file.cpuprofile: a CPU profile of the main thread during delivery alone (not the engine run).
  const profile = process.env.BENCH_DELIVER_PROFILE ? new Session() : undefined;
  if (profile) {
    profile.connect();
    await profile.post('Profiler.enable');
    await profile.post('Profiler.start');
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = process.threadCpuUsage();
  try {
    for (;;) {
      const done = await deliverDue(run, { limit: options.batch ?? run.policy.worker.batchSize, workerId: 'bench-deliver', deliverers, concurrency: options.concurrency ?? 16 });
      if (done.claimed === 0) break;
      totals.sent += done.sent;
      totals.failed += done.failed + done.retried;
      options.log?.(`delivered ${totals.sent} messages…`);
    }
  } finally {
    await deliverers.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const mainUsed = process.threadCpuUsage(mainCpu);
  if (profile) {
    const { profile: taken } = await profile.post('Profiler.stop');
    writeFileSync(process.env.BENCH_DELIVER_PROFILE as string, JSON.stringify(taken));
    profile.disconnect();
  }
  const after = certificateRenderTotals();
  const certificates = after.rendered - rendered.rendered;
  const outboxFiles = readdirSync(folder).length;
  rmSync(folder, { recursive: true, force: true });
  return {
    messagesDelivered: totals.sent,
    messagesFailed: totals.failed,
    deliverSeconds: +seconds.toFixed(3),
    messagesPerSecond: Math.round(totals.sent / seconds),
    deliverCpuSeconds: +((used.user + used.system) / 1e6).toFixed(3),
    deliverSystemSeconds: +(used.system / 1e6).toFixed(3),
    deliverMainThreadCpuSeconds: +((mainUsed.user + mainUsed.system) / 1e6).toFixed(3),
    cpuMsPerMessage: +((used.user + used.system) / 1e3 / Math.max(1, totals.sent)).toFixed(3),
    mainThreadCpuMsPerMessage: +((mainUsed.user + mainUsed.system) / 1e3 / Math.max(1, totals.sent)).toFixed(3),
    certificatesRendered: certificates,
    msPerCertificate: certificates > 0 ? +((after.milliseconds - rendered.milliseconds) / certificates).toFixed(2) : null,
    outboxFiles,
    certificateInEmail: mode,
  };
}
