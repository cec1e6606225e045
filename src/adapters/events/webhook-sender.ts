/**
 * Sends an event to a subscriber's webhook, signed as the Standard Webhooks spec says (the `standardwebhooks`
 * package): `webhook-id` is the event id, so a receiver that de-duplicates on it takes each event once however
 * often a retry or a replay sends it; `webhook-timestamp` and `webhook-signature` let it refuse forgeries and
 * replays of old messages. The body is the CloudEvent in structured mode.
 */
import { Webhook } from 'standardwebhooks';
import type { OutgoingEvent } from './cloud-events.ts';

export type WebhookAnswer = { ok: true; status: number } | { ok: false; error: string };

export interface WebhookSender {
  /** The longest one delivery may take: the worker claims no more than its lease can hold at this pace. */
  readonly timeoutMs: number;
  send(target: { readonly url: string; readonly secret: string }, event: OutgoingEvent, now: Date): Promise<WebhookAnswer>;
}

/** How long one delivery may take by default: well inside the worker's lease. */
export const WEBHOOK_TIMEOUT_MS = 5000;

export function httpWebhookSender(options: { readonly timeoutMs?: number } = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return {
    timeoutMs,
    async send(target, event, now) {
      const signature = new Webhook(target.secret).sign(event.id, now, event.body);
      let response: Response;
      try {
        response = await fetch(target.url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/cloudevents+json; charset=utf-8',
            'webhook-id': event.id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: event.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
        return { ok: false, error: timedOut ? `no answer within ${timeoutMs} ms` : `not reachable: ${cause}` };
      }
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      // Every refusal is retried with backoff until the last attempt, 4xx too: a receiver mid-deployment often
      // answers 404 or 401 for a while, and the dead letter after the last attempt is replayable.
      return { ok: false, error: `the receiver answered HTTP ${response.status}` };
    },
  };
}
