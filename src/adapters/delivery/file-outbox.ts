/**
 * The embedded default: nothing leaves the machine. Each e-mail becomes an
 * RFC 5322 `.eml` file (open it in any mail client) and each SMS a `.txt`
 * file, named after the notification key, in `./data/outbox/` or
 * `SIMEXIT_OUTBOX`. Writing the same key again replaces the file, so a resend
 * after a crash leaves one copy. Each file is written under a temporary name
 * and renamed, so a reader never sees half a message; composing and writing
 * happen in a thread of their own (file-writer.ts).
 */
import { type Deliverer, type DeliveryMessage, fileNameFor } from './deliverer.ts';
import type { EmailIdentity } from './email-message.ts';
import { writeOffThread } from './file-writer.ts';

export function fileEmailDeliverer(dir: string, identity: EmailIdentity): Deliverer {
  return {
    async send(message: DeliveryMessage) {
      const name = `${fileNameFor(message.key)}.eml`;
      await writeOffThread({ kind: 'email', dir, name, message, identity });
      return { providerId: name };
    },
  };
}

export function fileSmsDeliverer(dir: string, sender: string): Deliverer {
  return {
    async send(message: DeliveryMessage) {
      const name = `${fileNameFor(message.key)}.txt`;
      const content = [`To: ${message.to}`, `From: ${sender}`, `Language: ${message.language}`, `Key: ${message.key}`, '', message.text, ''].join('\n');
      await writeOffThread({ kind: 'text', dir, name, content });
      return { providerId: name };
    },
  };
}
