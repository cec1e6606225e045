// A stand-in SM-DP+ for ES2+ over mutual TLS: records every call (path, headers, body) and answers as the test
// says: an ES2+ status in an HTTP 200, another HTTP status, or nothing at all (to make the client time out).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pem } from './pki.ts';

export interface Es2Call {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

export type Es2Reply = { status: 'Executed-Success' | 'Executed-WithWarning' | 'Failed' | 'Expired'; subjectCode?: string; reasonCode?: string } | { http: number } | 'hang';

/** The address the stand-in puts in its ConfirmOrder answers (the activation code's). */
export const SMDP_ADDRESS = 'smdp.test.simexit.invalid';

/** `onCall` sees each call as it arrives (the integrations demo prints it). */
export async function fakeSmdp(server: Pem, clientCa: string, options: { onCall?: (call: Es2Call) => void; port?: number } = {}) {
  const calls: Es2Call[] = [];
  const replies: Es2Reply[] = [];
  let fallback: Es2Reply = { status: 'Executed-Success' };
  const hanging = new Set<() => void>();
  const https: Server = createServer({ key: server.key, cert: server.cert, ca: clientCa, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      const call: Es2Call = { path: req.url ?? '', headers: req.headers, body };
      calls.push(call);
      options.onCall?.(call);
      const reply = replies.shift() ?? fallback;
      if (reply === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if ('http' in reply) {
        res.writeHead(reply.http).end('busy');
        return;
      }
      const header = (body.header ?? {}) as { functionCallIdentifier?: string };
      const statusCodeData = reply.subjectCode ? { subjectCode: reply.subjectCode, reasonCode: reply.reasonCode, message: 'as the test said' } : undefined;
      res.writeHead(200, { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' }).end(
        JSON.stringify({
          header: { functionExecutionStatus: { status: reply.status, ...(statusCodeData ? { statusCodeData } : {}) }, functionCallIdentifier: header.functionCallIdentifier },
          // ConfirmOrder answers with the matching id it chose and its address (SGP.22 §5.3.2), as a real SM-DP+ does.
          ...(req.url?.endsWith('/confirmOrder') && reply.status.startsWith('Executed') ? { matchingId: `MID-${String(body.iccid).slice(-6)}`, smdpAddress: SMDP_ADDRESS } : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => https.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(https.address() as AddressInfo).port}`,
    calls,
    /** The next answers, in order; after them, `fallback`. */
    next: (...r: Es2Reply[]) => replies.push(...r),
    answerByDefault: (r: Es2Reply) => (fallback = r),
    close: async () => {
      for (const h of hanging) h();
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    },
  };
}
