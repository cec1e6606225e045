// A stand-in SM-DP+ for ES2+ over mutual TLS: records every call (path, headers, body) and answers as the test
// says: an ES2+ status in an HTTP 200, another HTTP status, or nothing at all (to make the client time out).
//
// Unless told otherwise it behaves as an SM-DP+ does with its profiles (SGP.22 §5.3.1, §5.3.2): every ICCID it is
// asked about is a profile it holds, `Available` at first. DownloadOrder allocates an available profile and refuses
// any other with 8.2.1/3.3 (ICCID already in use); ConfirmOrder releases an allocated one under the matching id
// given (or one it picks), refuses a matching id some profile already carries with 8.2.6/3.3, and a profile not
// allocated with 8.2.1/3.5 (not in the state the function needs). `lose` does the work and then drops the connection
// before a byte of the answer is written, as a timeout or a reset on the way back would.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pem } from './pki.ts';

export interface Es2Call {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

type Es2Status = { status: 'Executed-Success' | 'Executed-WithWarning' | 'Failed' | 'Expired'; subjectCode?: string; reasonCode?: string };
export type Es2Reply = Es2Status | { http: number } | 'hang' | 'lose';

/** A profile as the stand-in keeps it: its state, the matching id it was released under, the ConfirmOrders it carried out. */
export interface SmdpProfile {
  state: 'available' | 'allocated' | 'released' | 'unavailable';
  matchingId?: string;
  confirmations: number;
}

/** The address the stand-in puts in its ConfirmOrder answers (the activation code's). */
export const SMDP_ADDRESS = 'smdp.test.simexit.invalid';

/** `onCall` sees each call as it arrives (the integrations demo prints it). */
export async function fakeSmdp(server: Pem, clientCa: string, options: { onCall?: (call: Es2Call) => void; port?: number } = {}) {
  const calls: Es2Call[] = [];
  const replies: Es2Reply[] = [];
  const profiles = new Map<string, SmdpProfile>();
  let fallback: Es2Reply = { status: 'Executed-Success' };
  const hanging = new Set<() => void>();
  const profileOf = (iccid: string): SmdpProfile => {
    let p = profiles.get(iccid);
    if (!p) profiles.set(iccid, (p = { state: 'available', confirmations: 0 }));
    return p;
  };
  const failed = (subjectCode: string, reasonCode: string): Es2Status => ({ status: 'Failed', subjectCode, reasonCode });

  /** What the SM-DP+ does with a call it carries out: the status, and the fields of a ConfirmOrder answer. */
  function carryOut(fn: string, body: Record<string, unknown>): { status: Es2Status; fields?: Record<string, unknown> } {
    const iccid = String(body.iccid);
    const profile = profileOf(iccid);
    switch (fn) {
      case 'downloadOrder':
        if (profile.state !== 'available') return { status: failed('8.2.1', '3.3') };
        profile.state = 'allocated';
        return { status: { status: 'Executed-Success' } };
      case 'confirmOrder': {
        const given = typeof body.matchingId === 'string' ? body.matchingId : undefined;
        if (given && [...profiles.values()].some((p) => p.matchingId === given)) return { status: failed('8.2.6', '3.3') };
        if (profile.state !== 'allocated') return { status: failed('8.2.1', '3.5') };
        const matchingId = given ?? `MID-${iccid.slice(-6)}`;
        Object.assign(profile, { state: 'released', matchingId, confirmations: profile.confirmations + 1 });
        // ConfirmOrder answers with the matching id and its address (SGP.22 §5.3.2), as a real SM-DP+ does.
        return { status: { status: 'Executed-Success' }, fields: { matchingId, smdpAddress: SMDP_ADDRESS } };
      }
      case 'cancelOrder':
        profile.state = 'unavailable';
        return { status: { status: 'Executed-Success' } };
      default:
        return { status: { status: 'Executed-Success' } };
    }
  }

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
      if (typeof reply === 'object' && 'http' in reply) {
        res.writeHead(reply.http).end('busy');
        return;
      }
      const fn = (req.url ?? '').split('/').pop() ?? '';
      // A scripted failure or expiry changes nothing; a success (the default) is carried out as the SM-DP+ would.
      const done = reply === 'lose' || reply.status.startsWith('Executed') ? carryOut(fn, body) : { status: reply };
      if (reply === 'lose') {
        req.socket.destroy();
        return;
      }
      const status = done.status.status === 'Executed-Success' && reply.status === 'Executed-WithWarning' ? { ...reply } : done.status;
      const header = (body.header ?? {}) as { functionCallIdentifier?: string };
      const statusCodeData = status.subjectCode ? { subjectCode: status.subjectCode, reasonCode: status.reasonCode, message: 'as the test said' } : undefined;
      res.writeHead(200, { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' }).end(
        JSON.stringify({
          header: { functionExecutionStatus: { status: status.status, ...(statusCodeData ? { statusCodeData } : {}) }, functionCallIdentifier: header.functionCallIdentifier },
          ...(done.fields ?? {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => https.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(https.address() as AddressInfo).port}`,
    calls,
    /** The profiles by ICCID, as the SM-DP+ keeps them (a test may put one in a state first). */
    profiles,
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
