/**
 * The thread that writes the file outbox's files (see file-writer.ts for the
 * other side): each e-mail composed into its RFC 5322 bytes, each file written
 * under a temporary name and renamed. Synchronous calls: this thread does
 * nothing else, and they cost less CPU than the promise API's round trips.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { DeliveryMessage } from './deliverer.ts';
import { emailBytes } from './email-bytes.ts';
import type { FileWriteReply, FileWriteRequest } from './file-writer.ts';

// Temporary names unique in this thread (a counter) and among threads and processes writing the same folder (a random tag).
const tag = randomBytes(4).toString('hex');
let written = 0;

/** Under a temporary name, then renamed: a reader never sees half a message. */
export function writeAtomically(dir: string, name: string, content: Buffer | string): void {
  const temporary = join(dir, `.${name}.${tag}${(written++).toString(36)}.tmp`);
  // The folder is made when a write finds it missing, not before every write.
  try {
    writeFileSync(temporary, content);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, content);
  }
  renameSync(temporary, join(dir, name));
}

/** A Buffer crosses to a thread as a plain Uint8Array (its `toString` would list the bytes in decimal): made a Buffer again, without a copy. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The message as it was sent, its attachments' bytes Buffers again. */
function revived(message: DeliveryMessage): DeliveryMessage {
  if (!message.attachments?.length) return message;
  return { ...message, attachments: message.attachments.map((a) => ({ ...a, content: asBuffer(a.content) })) };
}

parentPort?.on('message', (requests: readonly FileWriteRequest[]) => {
  const replies: FileWriteReply[] = requests.map((r) => {
    try {
      writeAtomically(r.dir, r.name, r.kind === 'email' ? emailBytes(revived(r.message), r.identity) : r.content);
      return { id: r.id };
    } catch (e) {
      return { id: r.id, error: e instanceof Error ? e.message : String(e) };
    }
  });
  parentPort?.postMessage(replies);
});
