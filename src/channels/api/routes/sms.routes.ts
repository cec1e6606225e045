import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { receiveSignedSms, type WebhookSms } from '../../../app/sms-webhook.ts';
import { AppError } from '../../../domain/errors.ts';
import { type PartHeader, partHeaderOfSar } from '../../../domain/sms-parts.ts';
import { errorResponses } from '../schemas.ts';

const BODY_LIMIT = 16 * 1024;
/** The longest concatenated SMS an SMSC reassembles (255 parts would be more; no one texts a keyword that long). */
const MAX_TEXT = 2000;

/** The fields of a JSON or form body ({id, from, to, text} and a part's fields); anything else is refused after the signature is checked. */
function smsOf(body: string, contentType: string | undefined): WebhookSms {
  let fields: Record<string, unknown>;
  try {
    fields = /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '') ? Object.fromEntries(new URLSearchParams(body)) : (JSON.parse(body) as Record<string, unknown>);
  } catch {
    throw new AppError('VALIDATION_FAILED', { reason: 'the body is neither JSON nor a form' });
  }
  const field = (name: string, max: number, required: boolean) => {
    const value = fields?.[name];
    if (typeof value !== 'string' || (required && value.trim() === '') || value.length > max) throw new AppError('VALIDATION_FAILED', { reason: `${name} must be text of at most ${max} characters` });
    return value;
  };
  return { id: field('id', 128, true), from: field('from', 32, true), to: field('to', 32, true), text: field('text', MAX_TEXT, false), part: partOf(fields) };
}

/**
 * A part of a long SMS, for providers that pass parts on rather than join them: part_ref (0-65535), part_total
 * (1-255) and part_seq (1 to part_total), numbers or digits, all three or none. A total of 1 is a whole message.
 */
function partOf(fields: Record<string, unknown>): PartHeader | undefined {
  const given = PART_FIELDS.filter((name) => fields?.[name] !== undefined && fields[name] !== '');
  if (given.length === 0) return undefined;
  const [ref, total, seq] = PART_FIELDS.map((name) => fields[name]);
  const all = given.length === PART_FIELDS.length;
  if (all && String(total) === '1' && String(seq) === '1') return undefined;
  const part = all ? partHeaderOfSar({ ref, total, seq }) : undefined;
  if (part) return part;
  throw new AppError('VALIDATION_FAILED', { reason: 'part_ref (0-65535), part_total (1-255) and part_seq (1 to part_total) come all three, or none' });
}

const PART_FIELDS = ['part_ref', 'part_total', 'part_seq'] as const;

/** The HTTP SMS provider's webhook for SMS sent to the short number (the SMPP session receives them on its own). */
export const smsRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Read as text: the signature covers the bytes as sent.
    app.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded']);
    app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
    app.post(
      '/sms/inbound',
      {
        schema: {
          tags: ['sms'],
          summary:
            "An SMS sent to the short number, from the HTTP SMS provider: JSON or form {id, from, to, text}, a part of a long SMS with part_ref, part_total and part_seq too (handled once every part is in), signed in X-Simexit-Signature (sha256=<hex>, HMAC-SHA256 of the raw body with SIMEXIT_SMS_INBOUND_SECRET). Stored once per provider id and answered 202; the reply goes out by SMS.",
          security: [],
          headers: T.Object({ 'x-simexit-signature': T.Optional(T.String({ maxLength: 200 })) }),
          response: { 202: T.Object({ id: T.String(), duplicate: T.Boolean() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : '';
        const stored = await receiveSignedSms(ctx, body, request.headers['x-simexit-signature'], () => smsOf(body, request.headers['content-type']));
        return reply.code(202).send(stored);
      },
    );
  };
