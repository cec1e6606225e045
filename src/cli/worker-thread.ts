import { Worker } from 'node:worker_threads';
import type { Environment } from '../config/env.ts';
import type { WorkerTotals } from '../jobs/worker.ts';

/** What `serve` hands its worker thread: the environment read at start-up and the address the server answers on. */
export interface WorkerThreadData {
  readonly env: Environment;
  /** The site address the server settled on (demo mode follows the port served), for the links in messages. */
  readonly siteUrl: string;
}

/** Parent to thread. */
export type ToWorkerThread = { readonly kind: 'stop' };
/** Thread to parent. */
export type FromWorkerThread = { readonly kind: 'started' } | { readonly kind: 'stopped'; readonly totals: WorkerTotals };

export interface WorkerThread {
  /** Resolves once the thread has composed its own application and claims jobs. */
  readonly started: Promise<void>;
  /** Settles when the thread has ended: with its totals after `stop()`, rejected if it failed or ended by itself. */
  readonly done: Promise<WorkerTotals>;
  /** Asks the loop to stop after the batch under way; `done` settles once it has closed its store. */
  stop(): void;
}

/**
 * Runs the job loop (src/jobs/worker.ts) in a thread of its own, with its own store connection, so that the
 * worker's transactions and its synchronous work (SQLite statements, rendering certificates) never hold up the
 * API's event loop. Both connections use the same SQLite file in WAL mode: the API's reads never wait for the
 * worker, and writes take turns on the write lock (BEGIN IMMEDIATE with the busy timeout, node-sqlite-dialect.ts).
 * On Postgres the thread simply has its own pool.
 */
export function startWorkerThread(data: WorkerThreadData): WorkerThread {
  const thread = new Worker(new URL('./worker-thread-main.ts', import.meta.url), { workerData: data, name: 'simexit-worker' });
  let stopping = false;
  let totals: WorkerTotals | undefined;
  let failure: unknown;
  let markStarted!: () => void;
  let failStart!: (e: unknown) => void;
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  thread.on('message', (m: FromWorkerThread) => {
    if (m.kind === 'started') markStarted();
    if (m.kind === 'stopped') totals = m.totals;
  });
  thread.on('error', (e) => {
    failure = e;
    failStart(e);
  });
  const done = new Promise<WorkerTotals>((resolve, reject) => {
    thread.once('exit', (code) => {
      if (totals && stopping) return resolve(totals);
      const why = failure ?? new Error(`the worker thread ended by itself (exit code ${code})`);
      failStart(why);
      reject(why);
    });
  });
  // The caller may only look at `started`; the failure is also `done`'s.
  started.catch(() => undefined);
  return {
    started,
    done,
    stop() {
      stopping = true;
      thread.postMessage({ kind: 'stop' } satisfies ToWorkerThread);
    },
  };
}
