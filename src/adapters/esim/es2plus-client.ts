/**
 * The operator's SM-DP+ over ES2+ (GSMA SGP.22 §5.3, JSON binding §6.5): HTTPS with mutual TLS, one POST per
 * function to `{url}/gsma/rsp2/es2plus/{function}`, the ES2+ header in the body (`functionRequesterIdentifier`,
 * `functionCallIdentifier` = the step's key, so a repeat after a crash is the same call) and
 * `X-Admin-Protocol: gsma/rsp/v2.x.y`.
 *
 * A profile not yet on a device is cancelled (`CancelOrder`, `finalProfileStatusIndicator: Unavailable`: ICCIDs
 * are never reused); one already downloaded cannot be removed from the SM-DP+ side, so the answer is to wait for
 * the device's delete notification (`handleDownloadProgressInfo`, routes/es2plus.routes.ts). The status in the
 * body decides (es2plus-status.ts); each order answers for itself.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { AppError } from '../../domain/errors.ts';
import { isEsimOnDevice } from '../../domain/inventory.ts';
import type { EsimAdapter, EsimPrepareAnswer, EsimPrepareRequest, EsimReleaseAnswer, EsimReleaseRequest, ItemResult } from '../ports.ts';
import { es2Verdict, type Es2Verdict, statusCodeOf } from './es2plus-status.ts';

export interface Es2plusConfig {
  /** The SM-DP+'s ES2+ base, e.g. `https://smdp.example:8443` (the function paths are added). */
  readonly url: string;
  /** Who we are to the SM-DP+ (agreed with it; usually the operator's OID). */
  readonly functionRequesterIdentifier: string;
  /** Our client certificate and key (PEM), and the CA that signed the SM-DP+'s server certificate. */
  readonly clientCert: string;
  readonly clientKey: string;
  readonly ca?: string | undefined;
  /** How long one call may take (default 10 s): keep it well inside the worker's lease. */
  readonly timeoutMs?: number | undefined;
  /** `X-Admin-Protocol` (default `gsma/rsp/v2.2.0`). */
  readonly adminProtocol?: string | undefined;
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number | undefined;
  /** DownloadOrder's `profileType` (agreed with the SM-DP+) when the ICCID alone does not say which profile. */
  readonly profileType?: string | undefined;
  /**
   * The SM-DP+ address devices reach (ES9+), as it goes in activation codes, when ConfirmOrder's answer leaves it
   * out or was lost; by default the host of `url`. Often another host than the ES2+ one.
   */
  readonly smdpAddress?: string | undefined;
}

export interface Es2Answer {
  readonly httpStatus: number;
  readonly body: unknown;
}

/** A client for ES2+ functions: the JSON body without the header in, the HTTP status and the parsed body out. */
export function es2plusClient(config: Es2plusConfig) {
  const base = config.url.replace(/\/+$/, '');
  if (!/^https:\/\//.test(base)) throw new Error('the SM-DP+ address must start with https:// (ES2+ is mutual TLS)');
  const timeoutMs = config.timeoutMs ?? 10_000;
  const agent = new Agent({ cert: config.clientCert, key: config.clientKey, ...(config.ca ? { ca: config.ca } : {}), keepAlive: true, maxSockets: config.concurrency ?? 4 });

  function call(fn: 'cancelOrder' | 'releaseProfile' | 'downloadOrder' | 'confirmOrder', functionCallIdentifier: string, fields: Record<string, unknown>): Promise<Es2Answer> {
    const body = JSON.stringify({ header: { functionRequesterIdentifier: config.functionRequesterIdentifier, functionCallIdentifier }, ...fields });
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${base}/gsma/rsp2/es2plus/${fn}`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json', 'x-admin-protocol': config.adminProtocol ?? 'gsma/rsp/v2.2.0', 'content-length': Buffer.byteLength(body) },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= 64 * 1024) chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ httpStatus: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (e) => reject(e.name === 'AbortError' || e.name === 'TimeoutError' ? new Error(`the SM-DP+ did not answer within ${timeoutMs} ms`) : e));
      req.end(body);
    });
  }

  return {
    /** ES2+ CancelOrder: the order of a profile not yet downloaded is ended and the profile made `Unavailable`. */
    cancelOrder: (key: string, r: { iccid: string; eid: string | null; matchingId: string }) =>
      call('cancelOrder', key, { iccid: r.iccid, ...(r.eid ? { eid: r.eid } : {}), ...(r.matchingId ? { matchingId: r.matchingId } : {}), finalProfileStatusIndicator: 'Unavailable' }),
    /** ES2+ ReleaseProfile: a confirmed order held back (`releaseFlag: false`) may now be downloaded. No flow calls it yet: the reclaim confirms with `releaseFlag: true`. */
    releaseProfile: (key: string, iccid: string) => call('releaseProfile', key, { iccid }),
    /** ES2+ DownloadOrder: the profile `iccid` reserved for this order (bound to `eid` when given). */
    downloadOrder: (key: string, r: { iccid: string; eid: string | null }) =>
      call('downloadOrder', key, { iccid: r.iccid, ...(r.eid ? { eid: r.eid } : {}), ...(config.profileType ? { profileType: config.profileType } : {}) }),
    /** ES2+ ConfirmOrder with `releaseFlag: true`: downloadable at once, under the matching id we give (SGP.22 lets the operator choose it). */
    confirmOrder: (key: string, r: { iccid: string; eid: string | null; matchingId: string }) =>
      call('confirmOrder', key, { iccid: r.iccid, ...(r.eid ? { eid: r.eid } : {}), matchingId: r.matchingId, releaseFlag: true }),
    close: () => agent.destroy(),
  };
}

const failure = <T extends object>(v: Extract<Es2Verdict, { ok: false }>): ItemResult<T> => ({ ok: false, error: v.error, ...(v.retryable ? {} : { permanent: true }) });

/** The eSIM port over ES2+. `onWarning` hears of an `Executed-WithWarning` (accepted, but worth a look). */
export function es2plusEsim(config: Es2plusConfig, onWarning: (iccid: string, warning: string) => void = () => {}): EsimAdapter & { close(): void } {
  const client = es2plusClient(config);
  // ConfirmOrder may leave out smdpAddress (SGP.22: then it is the SM-DP+'s own), which is the host we call.
  const defaultSmdpAddress = config.smdpAddress ?? new URL(config.url).hostname;
  const lanes = Math.max(1, config.concurrency ?? 4);
  async function inLanes<R, A>(requests: readonly R[], one: (r: R) => Promise<A>): Promise<A[]> {
    const results: A[] = new Array(requests.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < requests.length; i = next++) results[i] = await one(requests[i] as R);
    };
    await Promise.all(Array.from({ length: Math.min(lanes, Math.max(1, requests.length)) }, lane));
    return results;
  }

  async function releaseOne(r: EsimReleaseRequest): Promise<ItemResult<EsimReleaseAnswer>> {
    if (isEsimOnDevice(r.state)) return { ok: true, finalState: null, awaitDeviceDeletion: true };
    if (r.state === 'unavailable' || r.state === 'deleted') return { ok: true, finalState: null, awaitDeviceDeletion: false };
    let answer: Es2Answer;
    try {
      answer = await client.cancelOrder(r.key, r);
    } catch (e) {
      return { ok: false, error: `ESIM_SMDP_UNAVAILABLE: ${new AppError('ESIM_SMDP_UNAVAILABLE', { reason: e instanceof Error ? e.message : String(e) }).message}` };
    }
    const verdict = es2Verdict(r.iccid, answer.httpStatus, answer.body);
    if (!verdict.ok) return failure(verdict);
    if (verdict.warning) onWarning(r.iccid, `${verdict.warning.subjectCode}/${verdict.warning.reasonCode}${verdict.warning.message ? ` ${verdict.warning.message}` : ''}`);
    return { ok: true, finalState: 'unavailable', awaitDeviceDeletion: false };
  }

  const unreachable = (e: unknown) => ({ ok: false as const, error: `ESIM_SMDP_UNAVAILABLE: ${new AppError('ESIM_SMDP_UNAVAILABLE', { reason: e instanceof Error ? e.message : String(e) }).message}` });
  const warn = (iccid: string, verdict: Extract<Es2Verdict, { ok: true }>) => {
    if (verdict.warning) onWarning(iccid, `${verdict.warning.subjectCode}/${verdict.warning.reasonCode}${verdict.warning.message ? ` ${verdict.warning.message}` : ''}`);
  };

  /**
   * DownloadOrder then ConfirmOrder, each with its own functionCallIdentifier (`<key>:download`, `<key>:confirm`),
   * ConfirmOrder with the matching id the caller chose (a secret only this order's job can make, the same on every
   * try). So a try that follows one whose answer was lost meets only refusals that name its own earlier success:
   * - DownloadOrder "Profile ICCID / already in use" (8.2.1/3.3): an order for the ICCID exists, our earlier try's
   *   or another's; the retry goes on to ConfirmOrder, which tells them apart;
   * - ConfirmOrder "Matching ID / already in use" (8.2.6/3.3): a profile already carries our matching id, and no one
   *   but this job ever sent it, for this ICCID: our earlier ConfirmOrder was carried out, and the code is ours.
   * Anything else (8.2.1/3.5: the profile released under another matching id, 1.2 not allowed, …) is handled as
   * before: a refusal is final, a moment's trouble retried.
   */
  async function prepareOne(r: EsimPrepareRequest): Promise<ItemResult<EsimPrepareAnswer>> {
    let answer: Es2Answer;
    try {
      answer = await client.downloadOrder(`${r.key}:download`, r);
    } catch (e) {
      return unreachable(e);
    }
    const ordered = es2Verdict(r.iccid, answer.httpStatus, answer.body);
    if (!ordered.ok && !failedWith(answer.body, '8.2.1', '3.3')) return failure(ordered);
    if (ordered.ok) warn(r.iccid, ordered);
    try {
      answer = await client.confirmOrder(`${r.key}:confirm`, r);
    } catch (e) {
      return unreachable(e);
    }
    const confirmed = es2Verdict(r.iccid, answer.httpStatus, answer.body);
    if (!confirmed.ok) {
      // Our own earlier ConfirmOrder, whose answer was lost: the profile is released under our matching id.
      if (failedWith(answer.body, '8.2.6', '3.3')) return { ok: true, matchingId: r.matchingId, smdpAddress: defaultSmdpAddress };
      return failure(confirmed);
    }
    warn(r.iccid, confirmed);
    const body = (answer.body ?? {}) as { matchingId?: unknown; smdpAddress?: unknown };
    const answered = typeof body.matchingId === 'string' && MATCHING_ID.test(body.matchingId) ? body.matchingId : undefined;
    const smdpAddress = typeof body.smdpAddress === 'string' && /^[0-9A-Za-z.-]{1,255}$/.test(body.smdpAddress) ? body.smdpAddress : defaultSmdpAddress;
    // The SM-DP+ echoes the matching id we gave (SGP.22 §5.3.2); if it says another, that is the one devices must present.
    return { ok: true, matchingId: answered ?? r.matchingId, smdpAddress };
  }

  return {
    pace: { lanes, worstMs: config.timeoutMs ?? 10_000 },
    release: (requests) => inLanes(requests, releaseOne),
    prepareDownload: (requests) => inLanes(requests, prepareOne),
    close: () => client.close(),
  };
}

/** SGP.22 §4.1: a matching id is upper-case letters, digits and `-` (lower case tolerated from an SM-DP+'s answer). */
const MATCHING_ID = /^[0-9A-Za-z-]{1,255}$/;

/** Whether an answer is `Failed` with this subject and reason code. */
function failedWith(body: unknown, subjectCode: string, reasonCode: string): boolean {
  const status = (body as { header?: { functionExecutionStatus?: { status?: unknown; statusCodeData?: unknown } } } | undefined)?.header?.functionExecutionStatus;
  const code = status?.status === 'Failed' ? statusCodeOf(status.statusCodeData) : null;
  return code?.subjectCode === subjectCode && code.reasonCode === reasonCode;
}
