/**
 * Writes the file outbox's files in worker threads (file-writer-thread.ts),
 * so composing e-mails and the file system's calls (a create, a write and a
 * rename per message, in the kernel) run beside the event loop that claims,
 * renders and records, not on it: a bulk run writes hundreds of thousands.
 *
 * Writes asked for in the same turn of the event loop go to one thread in one
 * message, and come back in one; the next turn's go to the next thread. Threads
 * start on first use and hold the process open only while they have work; one
 * that dies fails the writes it had, and the next write starts a new one.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DeliveryMessage } from './deliverer.ts';
import type { EmailIdentity } from './email-message.ts';

export type FileWriteRequest = { readonly id: number; readonly dir: string; readonly name: string } & (
  | { readonly kind: 'email'; readonly message: DeliveryMessage; readonly identity: EmailIdentity }
  | { readonly kind: 'text'; readonly content: string }
);

export type FileWriteReply = { readonly id: number; readonly error?: string };

type Write = FileWriteRequest extends infer R ? (R extends FileWriteRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/** Two threads where there are two cores (SIMEXIT_OUTBOX_THREADS to choose): a create and a rename wait in the kernel as much as they compute. */
const THREADS = Math.max(1, Math.min(Number(process.env.SIMEXIT_OUTBOX_THREADS) || 2, availableParallelism()));
const threads: (Thread | undefined)[] = [];
/** The writes of this turn of the event loop, and the thread they go to. */
let waiting: { slot: number; writes: FileWriteRequest[] } | undefined;
let turn = 0;
let nextId = 1;

function start(slot: number): Thread {
  const worker = new Worker(new URL('./file-writer-thread.ts', import.meta.url));
  const thread: Thread = { worker, pending: new Map() };
  worker.on('message', (replies: readonly FileWriteReply[]) => {
    for (const r of replies) {
      const p = thread.pending.get(r.id);
      if (!p) continue;
      thread.pending.delete(r.id);
      if (r.error === undefined) p.resolve();
      else p.reject(new Error(r.error));
    }
    if (thread.pending.size === 0) worker.unref();
  });
  const gone = (e: Error) => {
    if (threads[slot] === thread) threads[slot] = undefined;
    for (const p of thread.pending.values()) p.reject(e);
    thread.pending.clear();
  };
  worker.on('error', gone);
  worker.on('exit', (code) => gone(new Error(`the outbox file thread stopped (exit code ${code})`)));
  threads[slot] = thread;
  return thread;
}

function send(): void {
  const batch = waiting;
  waiting = undefined;
  if (!batch) return;
  const thread = threads[batch.slot];
  // The thread died before the batch left: its writes have failed already.
  if (!thread) return;
  thread.worker.ref();
  thread.worker.postMessage(batch.writes);
}

/** Resolves once the file is in place under its name; rejects with the file system's error. */
export function writeOffThread(write: Write): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (!waiting) {
      turn = (turn + 1) % THREADS;
      waiting = { slot: turn, writes: [] };
      setImmediate(send);
    }
    const id = nextId++;
    waiting.writes.push({ ...write, id } as FileWriteRequest);
    // Registered now, before the batch leaves: a thread that dies fails it.
    (threads[waiting.slot] ?? start(waiting.slot)).pending.set(id, { resolve, reject });
  });
}

/** Stops the threads (an orderly shutdown; what they had was written or failed). */
export async function closeFileWriter(): Promise<void> {
  const stopping = threads.splice(0);
  await Promise.all(stopping.map((t) => t?.worker.terminate()));
}
