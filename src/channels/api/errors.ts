import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type Language } from '../../domain/errors.ts';

export const ErrorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;

/** The caller's language from Accept-Language (ru, en, zh); English when none of them is asked for. */
export function languageOf(request: FastifyRequest): Language {
  const header = String(request.headers['accept-language'] ?? '');
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: (tag ?? '').slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.lang === 'ru' || x.lang === 'en' || x.lang === 'zh')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Language | undefined) ?? 'en';
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

/** The one place errors become HTTP: a stable code, a message in the caller's language, no internals on 5xx. */
export function toHttpError(error: unknown, request: FastifyRequest): { status: number; body: { code: string; message: string; details: Record<string, unknown> } } {
  const language = languageOf(request);
  let app: AppError;
  if (error instanceof AppError) app = error;
  else {
    const fe = error as FastifyError & { validation?: { instancePath?: string; message?: string }[]; validationContext?: string };
    // Postgres refuses text it cannot store (a NUL, a bad byte sequence): the input's fault, not ours.
    const postgresInput = fe.code === '22021' || fe.code === '22P05';
    if (fe.code === 'FST_ERR_BAD_URL') fe.message = 'the URL is not valid percent-encoding';
    const mapped = (fe.code && fastifyCodes[fe.code]) ?? (fe.validation || postgresInput || fe.code === 'FST_ERR_BAD_URL' ? 'VALIDATION_FAILED' : undefined);
    if (mapped === 'VALIDATION_FAILED') {
      const first = fe.validation?.[0];
      const where = fe.validation ? `${fe.validationContext ?? 'body'}${first?.instancePath ?? ''}` : '';
      app = new AppError('VALIDATION_FAILED', { reason: `${where} ${first?.message ?? fe.message}`.trim() });
    } else if (mapped === 'UNSUPPORTED_MEDIA_TYPE') app = new AppError(mapped, { input: String(request.headers['content-type'] ?? '') });
    else if (mapped) app = new AppError(mapped, {});
    else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      app = new AppError('VALIDATION_FAILED', { reason: fe.message });
    } else {
      request.log.error({ err: error }, 'unhandled error');
      app = new AppError('INTERNAL', { requestId: request.id });
    }
  }
  return { status: app.status, body: { code: app.code, message: app.messageIn(language), details: { ...app.details } } };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: unknown) {
  const { status, body } = toHttpError(error, request);
  // A slow-down or lock-out says when to come back, in seconds (RFC 9110 §10.2.3).
  const wait = body.details.retryAfterSeconds;
  if (typeof wait === 'number' && wait > 0) reply.header('retry-after', String(Math.ceil(wait)));
  return reply.code(status).type('application/json').send(body);
}
