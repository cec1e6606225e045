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

/** A CAI3G 1.2 Set of an HLR Subscription barring outgoing and incoming calls, as an operator file would write it. */
export const CAI3G_SET = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cai3="http://schemas.ericsson.com/cai3g1.2/" xmlns:hlr="http://schemas.ericsson.com/pg/hlr/13.5/">
  <soapenv:Header><cai3:TransactionId>{{key}}</cai3:TransactionId></soapenv:Header>
  <soapenv:Body>
    <cai3:Set>
      <cai3:MOType>Subscription@http://schemas.ericsson.com/pg/hlr/13.5/</cai3:MOType>
      <cai3:MOId><hlr:msisdn>{{msisdn}}</hlr:msisdn></cai3:MOId>
      <cai3:MOAttributes>
        <hlr:SetSubscription msisdn="{{msisdn}}"><hlr:obo>1</hlr:obo><hlr:obi>1</hlr:obi><hlr:remark>{{iccid}} at {{at}}</hlr:remark></hlr:SetSubscription>
      </cai3:MOAttributes>
    </cai3:Set>
  </soapenv:Body>
</soapenv:Envelope>`;

/** What a CAI3G gateway answers when the HLR refuses: a SOAP Fault (HTTP 500) with the HLR's error in its detail. */
export const CAI3G_FAULT = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>
  <faultcode>S:Server</faultcode><faultstring>Operation failed</faultstring>
  <detail><cai3:Cai3gFault xmlns:cai3="http://schemas.ericsson.com/cai3g1.2/"><cai3:faultcode>3006</cai3:faultcode>
    <cai3:details><hlr:HLRFault xmlns:hlr="http://schemas.ericsson.com/pg/hlr/13.5/"><hlr:errorcode>13</hlr:errorcode><hlr:errormessage>SUBSCRIBER NOT DEFINED</hlr:errormessage></hlr:HLRFault></cai3:details>
  </cai3:Cai3gFault></detail></S:Fault></S:Body></S:Envelope>`;
