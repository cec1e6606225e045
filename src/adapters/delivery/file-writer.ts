/**
 * Writes the file outbox's files in a worker thread (file-writer-thread.ts),
 * so composing e-mails and the file system's calls (a create, a write and a
 * rename per message, in the kernel) run beside the event loop that claims,
 * renders and records, not on it: a bulk run writes hundreds of thousands.
 *
 * Writes asked for in the same turn of the event loop go to the thread in one
 * message, and come back in one. The thread starts on first use and holds the
 * process open only while it has work; one that dies fails the writes it had,
 * and the next write starts a new one.
 */
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

let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let waiting: FileWriteRequest[] = [];
let scheduled = false;
let nextId = 1;

function start(): NonNullable<typeof thread> {
  const worker = new Worker(new URL('./file-writer-thread.ts', import.meta.url));
  const started = { worker, pending: new Map<number, Pending>() };
  worker.on('message', (replies: readonly FileWriteReply[]) => {
    for (const r of replies) {
      const p = started.pending.get(r.id);
      if (!p) continue;
      started.pending.delete(r.id);
      if (r.error === undefined) p.resolve();
      else p.reject(new Error(r.error));
    }
    if (started.pending.size === 0) worker.unref();
  });
  const gone = (e: Error) => {
    if (thread === started) thread = undefined;
    for (const p of started.pending.values()) p.reject(e);
    started.pending.clear();
  };
  worker.on('error', gone);
  worker.on('exit', (code) => gone(new Error(`the outbox file thread stopped (exit code ${code})`)));
  return started;
}

function send(): void {
  scheduled = false;
  const batch = waiting;
  waiting = [];
  if (batch.length === 0) return;
  thread ??= start();
  thread.worker.ref();
  thread.worker.postMessage(batch);
}

/** Resolves once the file is in place under its name; rejects with the file system's error. */
export function writeOffThread(write: Write): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const id = nextId++;
    waiting.push({ ...write, id } as FileWriteRequest);
    // Registered now, before the batch leaves: a thread that dies fails it.
    (thread ??= start()).pending.set(id, { resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(send);
    }
  });
}

/** Stops the thread (an orderly shutdown; what it had was written or failed). */
export async function closeFileWriter(): Promise<void> {
  const stopping = thread;
  thread = undefined;
  await stopping?.worker.terminate();
}
