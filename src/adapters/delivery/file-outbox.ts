/**
 * The embedded default: nothing leaves the machine. Each e-mail becomes an
 * RFC 5322 `.eml` file (open it in any mail client) and each SMS a `.txt`
 * file, named after the notification key, in `./data/outbox/` or
 * `SIMEXIT_OUTBOX`. Writing the same key again replaces the file, so a resend
 * after a crash leaves one copy.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { type Deliverer, type DeliveryMessage, fileNameFor } from './deliverer.ts';
import { composeEmail, type EmailIdentity } from './email-message.ts';

/** Under a temporary name, then renamed: a reader never sees half a message. */
async function writeAtomically(dir: string, name: string, content: Buffer | string): Promise<string> {
  const temporary = join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  // The folder is made when a write finds it missing, not before every write (a bulk run writes hundreds of thousands).
  await writeFile(temporary, content).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true });
    await writeFile(temporary, content);
  });
  await rename(temporary, join(dir, name));
  return name;
}

export function fileEmailDeliverer(dir: string, identity: EmailIdentity): Deliverer {
  // CRLF line ends, as RFC 5322 requires of a message on the wire.
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message: DeliveryMessage) {
      const info = await composer.sendMail(composeEmail(message, identity));
      return { providerId: await writeAtomically(dir, `${fileNameFor(message.key)}.eml`, info.message as Buffer) };
    },
  };
}

export function fileSmsDeliverer(dir: string, sender: string): Deliverer {
  return {
    async send(message: DeliveryMessage) {
      const text = [`To: ${message.to}`, `From: ${sender}`, `Language: ${message.language}`, `Key: ${message.key}`, '', message.text, ''].join('\n');
      return { providerId: await writeAtomically(dir, `${fileNameFor(message.key)}.txt`, text) };
    },
  };
}
