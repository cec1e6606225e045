/**
 * The Standard Webhooks signature scheme (standardwebhooks.com): the sender
 * signs `id.timestamp.body` with HMAC-SHA256 under a shared secret
 * (`whsec_` + base64) and sends `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (`v1,<base64>`, space-separated when
 * several). Written on node:crypto rather than the `standardwebhooks` package,
 * whose five-minute tolerance is fixed and read from the wall clock: here the
 * operator sets it, and tests pass the time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';

export function webhookKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  if (key.length < 16) throw new AppError('CONFIG_INVALID', { reason: 'the payment webhook secret must be whsec_ followed by at least 16 bytes in base64' });
  return key;
}

export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

const header = (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const refuse = (reason: string): never => {
  throw new AppError('PAYMENT_CALLBACK_INVALID', { reason });
};

/** Checks the headers and signature of one delivery; returns its id. Throws `PAYMENT_CALLBACK_INVALID` otherwise. */
export function verifyWebhook(
  key: Buffer,
  body: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  options: { toleranceSeconds: number; nowMs: number },
): { id: string; timestamp: number } {
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !stamp || !signatures) return refuse('webhook-id, webhook-timestamp and webhook-signature are required');
  if (id.length > 200) return refuse('webhook-id is too long');
  if (!/^\d{1,12}$/.test(stamp)) return refuse('webhook-timestamp is not a Unix time in seconds');
  const timestamp = Number(stamp);
  const now = Math.floor(options.nowMs / 1000);
  if (timestamp < now - options.toleranceSeconds) return refuse('the timestamp is too old');
  if (timestamp > now + options.toleranceSeconds) return refuse('the timestamp is in the future');
  const expected = Buffer.from(signWebhook(key, id, timestamp, body).slice(3), 'base64');
  const matches = signatures.split(' ').some((s) => {
    const [version, value] = s.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return refuse('the signature does not match');
  return { id, timestamp };
}
