// A subscriber's webhook endpoint on 127.0.0.1: verifies each Standard Webhooks signature with the secret it is
// given (set once the subscription exists; a stale timestamp is refused too), answers 204 to a genuine event and
// 401 to anything else, and de-duplicates on webhook-id as a consumer should: a retry or a replay of an event it
// already has is answered 204 and reported as a repeat, not taken again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface WebhookEvent {
  readonly id: string;
  /** Already received under this id (a retry or a replay): a consumer drops it. */
  readonly repeat: boolean;
  readonly type: string;
  readonly subject: string;
  readonly body: Record<string, unknown>;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: WebhookEvent[];
  /** The subscription's `whsec_…` secret; until it is set every delivery is refused. */
  secret: string;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { onEvent?: (event: WebhookEvent) => void; onForged?: (reason: string) => void } = {}): Promise<WebhookReceiver> {
  const received: WebhookEvent[] = [];
  const ids = new Set<string>();
  const receiver = { url: '', received, secret: '', close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: Record<string, unknown>;
      try {
        if (!receiver.secret) throw new Error('no secret yet');
        parsed = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>) as Record<string, unknown>;
      } catch (e) {
        options.onForged?.((e as Error).message);
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      const event: WebhookEvent = { id, repeat: ids.has(id), type: String(parsed.type), subject: String(parsed.subject ?? ''), body: parsed };
      ids.add(id);
      received.push(event);
      options.onEvent?.(event);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
