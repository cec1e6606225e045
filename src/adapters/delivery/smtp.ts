/**
 * E-mail through an SMTP relay (nodemailer), configured by one URL:
 * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`.
 * Query parameters go to nodemailer as options (`?pool=true&maxConnections=5`).
 */
import { createTransport } from 'nodemailer';
import { type Deliverer, type DeliveryMessage, messageIdFor, PermanentDeliveryError } from './deliverer.ts';
import { composeEmail, type EmailIdentity } from './email-message.ts';

export interface SmtpOptions extends EmailIdentity {
  /** Connection, greeting and socket timeouts; keep them below the outbox lease. */
  readonly timeoutMs?: number;
}

/** The server's own id for the message, where its reply names one (`250 Ok: queued as 4Xyz`). */
export function queueIdFrom(response: string): string | undefined {
  return /queued as ([^\s;,]+)/i.exec(response)?.[1] ?? /\bid=([^\s;,]+)/i.exec(response)?.[1];
}

interface SmtpError extends Error {
  responseCode?: number;
  command?: string;
}

/**
 * Only a refused recipient is permanent: a 5xx for the connection, sign-in
 * or the whole message usually means the relay is misconfigured, and failing
 * every message for that would lose them.
 */
function isPermanent(e: SmtpError): boolean {
  return e.command === 'RCPT TO' && e.responseCode !== undefined && [550, 551, 553].includes(e.responseCode);
}

export function smtpDeliverer(url: string, options: SmtpOptions): Deliverer {
  const timeout = options.timeoutMs ?? 30_000;
  // What the URL says wins; these apply where it is silent.
  const transport = createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    async send(message: DeliveryMessage) {
      const mail = composeEmail(message, options);
      try {
        const info = await transport.sendMail(mail);
        const response = typeof info.response === 'string' ? info.response : '';
        return { providerId: queueIdFrom(response) ?? info.messageId ?? messageIdFor(message.key, options.domain) };
      } catch (e) {
        const error = e as SmtpError;
        if (isPermanent(error)) throw new PermanentDeliveryError(error.message);
        throw error;
      }
    },
    async close() {
      transport.close();
    },
  };
}
