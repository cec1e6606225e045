/**
 * Inbound SMS from an HTTP provider: the provider signs the body as sent with HMAC-SHA256 under the shared
 * secret (SIMEXIT_SMS_INBOUND_SECRET) and names the message with its own id, so a webhook repeated after a
 * timeout stores nothing new. Nothing is stored before the signature is checked.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import type { AppContext } from './context.ts';
import type { PartHeader } from '../domain/sms-parts.ts';
import { receiveSms } from './sms-parts.ts';

/** `sha256=<hex>` (or the bare hex) of the raw body under `secret`. */
export const smsWebhookSignature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** Refuses a webhook whose signature is missing (401) or wrong, or when no secret is configured (403). */
export function checkSmsWebhookSignature(ctx: AppContext, body: string, signature: string | undefined): void {
  if (!signature) throw new AppError('SMS_SIGNATURE_MISSING', {});
  const secret = ctx.smsInbound?.secret;
  if (!secret) throw new AppError('SMS_SIGNATURE_INVALID', {});
  const given = Buffer.from(signature.trim().replace(/^sha256=/i, '').toLowerCase(), 'utf8');
  const expected = Buffer.from(smsWebhookSignature(secret, body).slice('sha256='.length), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('SMS_SIGNATURE_INVALID', {});
}

export interface WebhookSms {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** Which part of a long SMS this is, when the provider passes parts on instead of joining them. */
  readonly part?: PartHeader | undefined;
}

/**
 * Checks the signature over `body`, then stores the message (once per provider id) with its job; a part is
 * stored once and handled with the rest of its message (`receiveSms`). The provider has decoded the text, so a
 * part is never GSM here, and half a surrogate pair arrives as a lone JSON escape (\ud83d) that joins again.
 */
export async function receiveSignedSms(ctx: AppContext, body: string, signature: string | undefined, sms: () => WebhookSms): Promise<{ id: string; duplicate: boolean }> {
  checkSmsWebhookSignature(ctx, body, signature);
  const message = sms();
  const part = message.part ? { ...message.part, gsm: false } : undefined;
  const stored = await receiveSms(ctx, { smscId: `http:${message.id}`, from: message.from, to: message.to, text: message.text, via: 'http', part });
  return { id: stored.id, duplicate: !stored.created };
}
