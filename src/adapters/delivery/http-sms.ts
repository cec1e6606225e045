/**
 * SMS through an HTTP gateway: one POST of JSON per message to
 * `SIMEXIT_SMS_HTTP_URL`. Credentials in the URL (`https://user:key@host/…`)
 * are sent as Basic authorization, not in the address. The notification key
 * goes as `Idempotency-Key` and in the body, so a gateway that de-duplicates
 * sends a retried message once.
 *
 * Body: `{ "id": key, "to": "+7…", "from": sender, "text": "…", "language": "ru" }`.
 * A 2xx answer may name the gateway's id as `id`, `messageId` or `message_id`.
 */
import { type Deliverer, type DeliveryMessage, PermanentDeliveryError } from './deliverer.ts';

/** Answers a retry cannot change: the request itself is wrong. */
const PERMANENT = new Set([400, 404, 410, 413, 422]);

export function httpSmsDeliverer(url: string, options: { sender: string; timeoutMs?: number }): Deliverer {
  const target = new URL(url);
  const authorization = target.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`
    : undefined;
  target.username = '';
  target.password = '';
  return {
    async send(message: DeliveryMessage) {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': message.key,
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ id: message.key, to: message.to, from: options.sender, text: message.text, language: message.language }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      const body = await response.text();
      if (!response.ok) {
        const error = `SMS gateway answered ${response.status}: ${body.slice(0, 200)}`;
        throw PERMANENT.has(response.status) ? new PermanentDeliveryError(error) : new Error(error);
      }
      let id: unknown;
      try {
        const json = JSON.parse(body) as Record<string, unknown>;
        id = json.id ?? json.messageId ?? json.message_id;
      } catch {
        id = undefined;
      }
      return { providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : message.key };
    },
  };
}
