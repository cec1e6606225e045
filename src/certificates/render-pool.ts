/**
 * A small pool of worker threads that make certificate PDFs, so a process
 * that also answers HTTP (`serve`) keeps answering while certificates are
 * made. A PDF costs a few milliseconds of CPU each, and the first one in a
 * thread much more (the CJK font is parsed once per thread); on the event
 * loop that would stall every request in flight.
 *
 * Threads start on first use and hold the process open only while they have
 * work (a CLI command exits when it is done). A thread that dies fails the
 * certificate it was making; the next one starts a new thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Language } from '../domain/languages.ts';
import { certificateFontFile } from './certificate-font.ts';
import type { CertificateFacts } from './facts.ts';
import type { CertificateKeys } from './keys.ts';
import type { RenderReply, RenderRequest } from './render-worker.ts';

/** Threads: one core is left to the event loop, at most four. */
export const RENDER_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

interface Pending {
  readonly request: RenderRequest;
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (e: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  job: Pending | undefined;
}

const threads: Thread[] = [];
const waiting: Pending[] = [];
let nextId = 1;
const totals = { rendered: 0, milliseconds: 0 };

/** Certificates made in this process's threads and the CPU time their making took there (not the wait for a thread), for benchmarks and tests. */
export function certificateRenderTotals(): { readonly rendered: number; readonly milliseconds: number } {
  return { ...totals };
}

function start(): Thread {
  const worker = new Worker(new URL('./render-worker.ts', import.meta.url));
  const thread: Thread = { worker, job: undefined };
  worker.on('message', (reply: RenderReply) => {
    const job = thread.job;
    thread.job = undefined;
    if (job && job.request.id === reply.id) {
      if ('pdf' in reply) {
        totals.rendered++;
        totals.milliseconds += reply.milliseconds;
        job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      } else job.reject(new Error(`certificate ${job.request.facts.reference}: ${reply.error}`));
    }
    dispatch();
  });
  const gone = (e: Error) => {
    const at = threads.indexOf(thread);
    if (at >= 0) threads.splice(at, 1);
    thread.job?.reject(e);
    thread.job = undefined;
    dispatch();
  };
  worker.on('error', gone);
  worker.on('exit', (code) => gone(new Error(`the certificate thread stopped (exit code ${code})`)));
  threads.push(thread);
  return thread;
}

function dispatch(): void {
  while (waiting.length > 0) {
    const thread = threads.find((t) => !t.job) ?? (threads.length < RENDER_THREADS ? start() : undefined);
    if (!thread) break;
    const job = waiting.shift() as Pending;
    thread.job = job;
    thread.worker.ref();
    thread.worker.postMessage(job.request);
  }
  for (const t of threads) if (!t.job) t.worker.unref();
}

/**
 * The signed certificate PDF (see `renderCertificate`), made in a worker
 * thread. The bytes are those `renderCertificate` makes on the event loop.
 */
export function renderCertificateOffThread(
  facts: CertificateFacts,
  options: { language: Language; operatorName: string; siteUrl: string; timeZone: string; keys: CertificateKeys },
): Promise<Buffer> {
  const { privateKey } = options.keys;
  if (!privateKey) return Promise.reject(new Error('this key can only verify'));
  return new Promise<Buffer>((resolve, reject) => {
    const request: RenderRequest = {
      id: nextId++,
      facts,
      language: options.language,
      operatorName: options.operatorName,
      siteUrl: options.siteUrl,
      timeZone: options.timeZone,
      privateKey,
      font: certificateFontFile(),
    };
    waiting.push({ request, resolve, reject });
    dispatch();
  });
}

/** Stops the threads (an orderly shutdown; they hold nothing that needs saving). */
export async function closeCertificateThreads(): Promise<void> {
  const all = threads.splice(0);
  await Promise.all(all.map((t) => t.worker.terminate()));
}
