/**
 * An HLR/HSS or provisioning gateway over HTTP, its request written by the operator (`integrations.network` in
 * the operator file, see config/integrations/network.ts and docs/integrations.md): a JSON body or a SOAP envelope
 * such as a CAI3G SetSubscription, with the step's key (`ORDER-ID:network.bar`) as the transaction id. The
 * gateway must act once per key and answer a repeat as the first time: a request is repeated with the same key
 * after a timeout, a lost answer or a crash.
 *
 * A transient failure (connection refused or reset, timeout, 5xx, 408, 429) is tried again here `attempts` times,
 * then left to the queue, which retries the order with backoff and hands it to a person after its last attempt.
 * A refusal (4xx, a SOAP Fault, a body the success rule rejects) is the gateway's decision: the order goes to a
 * person at once with the gateway's reason (`retryRefused` keeps retrying it like a transient failure instead).
 * Each order answers for itself: one refused order fails no other.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BarRequest, ItemResult, NetworkAdapter } from '../ports.ts';
import { judgeAnswer, type SuccessRule, type Verdict } from './gateway-answer.ts';
import { escapers, renderTemplate, type TemplateValues } from './template.ts';

export interface GatewayConfig {
  /** The address, a template: placeholders are URL-encoded (`https://pg.example/subscribers/{{msisdn}}/barring`). */
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'PATCH';
  /** Header values: a template, or a secret (read at start-up) sent as it is, never rendered. */
  readonly headers: Readonly<Record<string, GatewayHeader>>;
  readonly format: 'json' | 'soap';
  /** The body with placeholders, escaped per `format`. */
  readonly template: string;
  readonly success: SuccessRule;
  /** How long one request may take: keep it well inside the worker's lease. */
  readonly timeoutMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Tries per call for a transient failure (1 = no repeat here), `retryDelayMs` apart. */
  readonly attempts: number;
  readonly retryDelayMs: number;
  /** Keep retrying a refusal until the queue's last attempt instead of handing the order to a person at once. */
  readonly retryRefused: boolean;
  /** Client certificate, key and trusted CA, PEM (mutual TLS). */
  readonly tls?: { readonly cert?: string | undefined; readonly key?: string | undefined; readonly ca?: string | undefined } | undefined;
}

export type GatewayHeader = { readonly template: string } | { readonly literal: string };

const MAX_BODY = 1 << 20;

interface Answer {
  readonly status: number;
  readonly body: string;
}

type Outcome = Verdict | { readonly ok: false; readonly kind: 'unavailable'; readonly reason: string };

export function httpGateway(config: GatewayConfig): NetworkAdapter {
  const secure = config.url.startsWith('https:');
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: config.concurrency, cert: config.tls?.cert, key: config.tls?.key, ca: config.tls?.ca })
    : new HttpAgent({ keepAlive: true, maxSockets: config.concurrency });
  const contentType = config.format === 'json' ? 'application/json' : 'text/xml; charset=utf-8';

  function send(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(url, { method: config.method, agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${config.timeoutMs} ms`), { code: 'TIMEOUT' })), config.timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
      request.end(body);
    });
  }

  async function tryOnce(values: TemplateValues): Promise<Outcome> {
    const url = renderTemplate(config.url, values, escapers.url);
    const headers: Record<string, string> = { 'content-type': contentType };
    for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = 'literal' in value ? value.literal : renderTemplate(value.template, values, escapers.header);
    const body = renderTemplate(config.template, values, config.format === 'json' ? escapers.json : escapers.soap);
    let answer: Answer;
    try {
      answer = await send(url, headers, body);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'TIMEOUT' ? (e as Error).message : `could not be reached (${code ?? (e as Error).message})`;
      return { ok: false, kind: 'unavailable', reason };
    }
    return judgeAnswer(config.format, config.success, answer.status, answer.body);
  }

  async function barOne(request: BarRequest, at: string): Promise<ItemResult> {
    const values: TemplateValues = { msisdn: request.msisdn, iccid: request.iccid, key: request.key, at };
    let outcome: Outcome = await tryOnce(values);
    for (let tried = 1; !outcome.ok && outcome.kind === 'unavailable' && tried < config.attempts; tried++) {
      await sleep(config.retryDelayMs);
      outcome = await tryOnce(values);
    }
    if (outcome.ok) return { ok: true };
    if (outcome.kind === 'refused') return { ok: false, error: `the gateway refused the barring (${outcome.reason})`, permanent: !config.retryRefused };
    return { ok: false, error: `the gateway is unavailable (${outcome.reason})` };
  }

  return {
    pace: { lanes: config.concurrency, worstMs: config.attempts * config.timeoutMs + (config.attempts - 1) * config.retryDelayMs },
    async bar(requests, at) {
      const results: ItemResult[] = new Array(requests.length);
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < requests.length; i = next++) results[i] = await barOne(requests[i] as BarRequest, at);
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(config.concurrency, requests.length)) }, lane));
      return results;
    },
  };
}
