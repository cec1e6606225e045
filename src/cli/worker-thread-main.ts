// The worker thread's entry (see worker-thread.ts): its own application on the same environment, the job loop until
// the parent says stop, then its store closed. An error thrown here reaches the parent as the thread's 'error'.
import { closeCertificateThreads } from '../certificates/render-pool.ts';
import { closeFileWriter } from '../adapters/delivery/file-writer.ts';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { composeApp } from '../config/compose.ts';
import { siteUrlFollowsServer } from '../config/load-config.ts';
import { runWorker } from '../jobs/worker.ts';
import type { FromWorkerThread, ToWorkerThread, WorkerThreadData } from './worker-thread.ts';

/**
 * How much lower the worker thread's CPU priority is than the API's (a nice value, 0…19). When both want the same
 * core, the kernel gives the API's thread about nine tenths of it; with a core to spare the worker runs at full speed.
 * Without it, a worker busy with a bulk run takes a whole core from the API on a small machine (measured: p99 of
 * 48 s against 12 s with the worker on the event loop, docs/performance.md "API under load").
 */
const WORKER_NICENESS = 10;

/** Linux keeps a priority per thread: this one's id is the last part of /proc/thread-self. Elsewhere it stays as is. */
function yieldToTheApi(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, WORKER_NICENESS);
  } catch {
    // Not Linux (no /proc/thread-self), or not allowed: the worker keeps the process's priority.
  }
}

const port = parentPort;
if (!port) throw new Error('worker-thread-main.ts runs only as a worker thread');
const data = workerData as WorkerThreadData;
yieldToTheApi();
const stop = new AbortController();
port.on('message', (m: ToWorkerThread) => {
  if (m.kind === 'stop') stop.abort();
});
// The parent checked or applied the migrations and the configuration; this only checks the schema again.
const app = await composeApp(data.env, { schema: 'check', delivers: true });
if (siteUrlFollowsServer(app.policy)) (app.policy.operator as { siteUrl: string }).siteUrl = data.siteUrl;
// Demo mode: a clock moved by another process (or by the API in the parent) is seen here within a second.
const clock = app.clock as { refresh?: () => Promise<void> };
const refresh = app.demo && clock.refresh ? setInterval(() => void clock.refresh?.().catch(() => undefined), 1000) : undefined;
try {
  port.postMessage({ kind: 'started' } satisfies FromWorkerThread);
  const totals = await runWorker(app, { signal: stop.signal });
  port.postMessage({ kind: 'stopped', totals } satisfies FromWorkerThread);
} finally {
  clearInterval(refresh);
  await closeCertificateThreads();
  await closeFileWriter();
  await app.close();
  // The port kept open by the listener above would keep the thread alive.
  port.close();
}
