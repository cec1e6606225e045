/**
 * An HLR/HSS provisioning gateway over HTTP: one `POST {url}/barrings` per
 * order, body `{msisdn, iccid, at}`, header `Idempotency-Key: ORDER-ID:network.bar`
 * (the step key; the gateway acts once per key and answers a repeat as the
 * first time) and, when given, `Authorization: Bearer {token}`.
 *
 * 2xx: barred. 4xx: the gateway refused this order (kept as the step's error,
 * retried with backoff and handed to a person after the last attempt). 5xx, a
 * timeout or a connection error: unavailable, retried the same way. Each
 * order answers for itself: one refused order fails no other.
 */
import type { BarRequest, ItemResult, NetworkAdapter } from '../ports.ts';

export interface HttpHlrConfig {
  /** The gateway's API base, e.g. `https://hlr.example/api`. */
  readonly url: string;
  readonly token?: string | undefined;
  /** How long one request may take (default 5 s): keep it well inside the worker's lease. */
  readonly timeoutMs?: number | undefined;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number | undefined;
}

/** Why a barring request did not succeed: `refused` (4xx), `unavailable` (5xx, connection) or `timeout`. */
export class HlrError extends Error {
  readonly kind: 'refused' | 'unavailable' | 'timeout';
  constructor(kind: 'refused' | 'unavailable' | 'timeout', message: string) {
    super(message);
    this.name = 'HlrError';
    this.kind = kind;
  }
}

export function httpHlr(config: HttpHlrConfig): NetworkAdapter {
  const base = config.url.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new Error('the HLR address must start with http:// or https://');
  const timeoutMs = config.timeoutMs ?? 5000;

  async function barOne(request: BarRequest, at: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${base}/barrings`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.key,
          ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
        },
        body: JSON.stringify({ msisdn: request.msisdn, iccid: request.iccid, at }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) throw new HlrError('timeout', `the HLR did not answer within ${timeoutMs} ms`);
      throw new HlrError('unavailable', `the HLR could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    const text = (await response.text().catch(() => '')).slice(0, 200);
    if (response.ok) return;
    if (response.status >= 400 && response.status < 500) throw new HlrError('refused', `the HLR refused the barring (${response.status}${text ? `: ${text}` : ''})`);
    throw new HlrError('unavailable', `the HLR answered ${response.status}`);
  }

  return {
    async bar(requests, at) {
      const results: ItemResult[] = new Array(requests.length);
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < requests.length; i = next++) {
          try {
            await barOne(requests[i] as BarRequest, at);
            results[i] = { ok: true };
          } catch (e) {
            results[i] = { ok: false, error: e instanceof Error ? e.message : String(e) };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(config.concurrency ?? 8, requests.length)) }, lane));
      return results;
    },
  };
}
