/**
 * A redirect/callback payment provider over HTTP, the shape most acquirers
 * and payment gateways share:
 *
 * - start: `POST {url}/payments` with `{amount, currency, reference,
 *   description, returnUrl, callbackUrl}` (amount in minor units),
 *   `Authorization: Bearer {apiKey}` and `Idempotency-Key: {reference}`; the
 *   answer is `{id, status, redirectUrl}` and the subscriber is sent to
 *   `redirectUrl`;
 * - callback: the provider posts `{type, data: {id, reference, status, amount,
 *   currency}}` to `callbackUrl`, signed by the Standard Webhooks scheme;
 * - status: `GET {url}/payments/{id}` answers `{id, status, amount, currency}`.
 *
 * `status` is one of `pending`, `succeeded`, `failed`.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../../domain/errors.ts';
import type { PaymentProvider, PaymentState } from '../ports.ts';
import { verifyWebhook, webhookKey } from './standard-webhooks.ts';

export interface HttpPaymentProviderConfig {
  /** The provider's API base, e.g. `https://pay.example/api/v1`. */
  readonly url: string;
  readonly apiKey: string;
  /** The Standard Webhooks secret the provider signs callbacks with (`whsec_…`). */
  readonly webhookSecret: string;
  /** How far a callback's timestamp may be from now (default 300 s). */
  readonly toleranceSeconds?: number;
  /** How long a call to the provider may take (default 10 s). */
  readonly timeoutMs?: number;
  /** The wall clock signatures are checked against (tests pass their own). */
  readonly nowMs?: () => number;
}

const State = T.Union([T.Literal('pending'), T.Literal('succeeded'), T.Literal('failed')]);
const Id = T.String({ minLength: 1, maxLength: 200 });
const Amount = T.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Currency = T.String({ pattern: '^[A-Z]{3}$' });
const Created = T.Object({ id: Id, status: State, redirectUrl: T.Optional(T.String({ pattern: '^https?://', maxLength: 2000 })) });
const StatusAnswer = T.Object({ id: Id, status: State, amount: T.Optional(Amount), currency: T.Optional(Currency) });
const CallbackBody = T.Object({
  type: T.String({ maxLength: 100 }),
  data: T.Object({ id: Id, reference: T.Optional(T.String({ maxLength: 200 })), status: State, amount: Amount, currency: Currency }),
});

const failed = (reason: string): never => {
  throw new AppError('PAYMENT_PROVIDER_FAILED', { reason });
};

export function httpPaymentProvider(config: HttpPaymentProviderConfig): PaymentProvider {
  const base = config.url.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new AppError('CONFIG_INVALID', { reason: 'SIMEXIT_PAYMENT_PROVIDER_URL must start with http:// or https://' });
  if (!config.apiKey) throw new AppError('CONFIG_INVALID', { reason: 'SIMEXIT_PAYMENT_PROVIDER_KEY is required with SIMEXIT_PAYMENT_PROVIDER_URL' });
  const key = webhookKey(config.webhookSecret);
  const toleranceSeconds = config.toleranceSeconds ?? 300;
  const nowMs = config.nowMs ?? Date.now;
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function call<S extends typeof Created | typeof StatusAnswer>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown, idempotencyKey?: string): Promise<Static<S>> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      return failed(`the provider could not be reached (${(e as Error).name})`);
    }
    if (!response.ok) return failed(`the provider answered ${response.status}`);
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      return failed('the provider answered something that is not JSON');
    }
    if (!Value.Check(schema, answer)) return failed('the provider answered in an unexpected shape');
    return answer as Static<S>;
  }

  return {
    name: 'http',
    async start(request) {
      const created = await call(
        'POST',
        '/payments',
        Created,
        {
          amount: request.amount,
          currency: request.currency,
          reference: request.paymentId,
          description: request.description,
          returnUrl: request.returnUrl,
          callbackUrl: request.callbackUrl,
        },
        request.paymentId,
      );
      if (created.status === 'pending' && !created.redirectUrl) failed('the provider gave no page to send the subscriber to');
      return { providerPaymentId: created.id, redirectUrl: created.redirectUrl ?? null, state: created.status as PaymentState };
    },
    verifyCallback(callback) {
      const { id } = verifyWebhook(key, callback.body, callback.headers, { toleranceSeconds, nowMs: nowMs() });
      let parsed: unknown;
      try {
        parsed = JSON.parse(callback.body);
      } catch {
        throw new AppError('PAYMENT_CALLBACK_INVALID', { reason: 'the body is not JSON' });
      }
      if (!Value.Check(CallbackBody, parsed)) throw new AppError('PAYMENT_CALLBACK_INVALID', { reason: 'the body is not a payment event' });
      const { data } = parsed;
      return { eventId: id, providerPaymentId: data.id, paymentId: data.reference ?? null, state: data.status, amount: data.amount, currency: data.currency };
    },
    async status(providerPaymentId) {
      const answer = await call('GET', `/payments/${encodeURIComponent(providerPaymentId)}`, StatusAnswer);
      return { state: answer.status, ...(answer.amount === undefined ? {} : { amount: answer.amount }), ...(answer.currency === undefined ? {} : { currency: answer.currency }) };
    },
  };
}
