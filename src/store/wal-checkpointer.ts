/**
 * Checkpoints an SQLite store's write-ahead log from a thread of its own.
 *
 * Why: with SQLite's automatic checkpoint, the COMMIT that crosses the WAL's
 * threshold copies every page back into the database file and syncs it on the
 * writer's thread, the event loop. A bulk run commits a large batch every few
 * hundred milliseconds, and those checkpoints were about half of its COMMIT
 * time. A second connection in a worker thread runs PASSIVE checkpoints
 * instead: they never block the writer or a reader (SQLite serialises them
 * with its own locks), and the copying and syncing happen on another core.
 * The writer keeps an automatic checkpoint far above this thread's pace as a
 * backstop, so the log stays bounded if the thread ever stops.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The log's size at which the writer hands checkpoints to the thread: a store that never grows a log this large (a test, a quiet server) never starts one. */
export const START_AT_BYTES = 32 * 1024 * 1024;
/** The writer's own automatic checkpoint once the thread runs, in pages (4 KiB): a backstop, about 400 MB. */
export const BACKSTOP_PAGES = 100_000;
const EVERY_MS = 250;

// The thread's whole program: small enough to run from source, so it needs no loader for TypeScript.
const PROGRAM = `
const { workerData, parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path, { timeout: 5000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let timer;
parentPort.on('message', () => { clearTimeout(timer); db.close(); parentPort.close(); });
const turn = () => {
  try { checkpoint.get(); } catch {}
  timer = setTimeout(turn, workerData.everyMs);
};
turn();
`;

export interface WalCheckpointer {
  /** After a commit: starts the thread once the log has grown past START_AT_BYTES; true when it runs. */
  afterCommit(): boolean;
  stop(): Promise<void>;
}

export function walCheckpointer(path: string, onStart: () => void): WalCheckpointer {
  const wal = `${path}-wal`;
  let worker: Worker | undefined;
  return {
    afterCommit() {
      if (worker) return true;
      // A stat costs a few microseconds, a commit that wrote something far more.
      let size: number;
      try {
        size = statSync(wal).size;
      } catch {
        return false;
      }
      if (size < START_AT_BYTES) return false;
      worker = new Worker(PROGRAM, { eval: true, workerData: { path, everyMs: EVERY_MS }, name: 'simexit-wal-checkpoint' });
      // The thread must never keep a finished command alive, nor take the process down with it.
      worker.unref();
      worker.on('error', () => {});
      onStart();
      return true;
    },
    async stop() {
      const w = worker;
      worker = undefined;
      if (!w) return;
      // Held while it closes its connection, so a closing store waits for it.
      w.ref();
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await w.terminate();
    },
  };
}
