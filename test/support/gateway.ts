// A provisioning gateway the test starts on 127.0.0.1: it records every request and answers as the test's plan
// says (an answer, a hang past the caller's timeout); `down()` stops listening, so callers get "connection
// refused", and `up()` listens again on the same port.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Reply = { status: number; body?: string; type?: string } | 'hang';
export type Plan = (request: Received, index: number) => Reply;

export interface Gateway {
  readonly url: string;
  readonly received: Received[];
  plan: Plan;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export const ok: Plan = () => ({ status: 200, body: '{"ok":true}', type: 'application/json' });

export async function startGateway(plan: Plan = ok): Promise<Gateway> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let port = 0;
  let server: Server;
  const gateway: Gateway = {
    url: '',
    received,
    plan,
    down: () => stop(),
    up: () => listen(port),
    close: () => stop(),
  };
  const make = () =>
    createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => (body += c.toString()));
      request.on('end', () => {
        const r: Received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
        received.push(r);
        const reply = gateway.plan(r, received.length - 1);
        if (reply === 'hang') {
          hanging.add(response);
          return;
        }
        response.writeHead(reply.status, { 'content-type': reply.type ?? 'text/plain' }).end(reply.body ?? '');
      });
    }).on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server = make();
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      hanging.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  await listen(0);
  Object.assign(gateway, { url: `http://127.0.0.1:${port}` });
  return gateway;
}
