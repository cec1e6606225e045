import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, renderMessage } from '../../domain/errors.ts';
import { isLanguage, type Language } from '../../domain/languages.ts';

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
    .filter((x) => isLanguage(x.lang))
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

type Rule = 'required' | 'format' | 'tooLong' | 'tooShort' | 'unexpected' | 'invalid';
const RULE_OF: Record<string, Rule> = { required: 'required', pattern: 'format', format: 'format', maxLength: 'tooLong', maxItems: 'tooLong', minLength: 'tooShort', minItems: 'tooShort', additionalProperties: 'unexpected' };
const PROBLEM: Record<Language, Record<Rule, string>> = {
  en: { required: '“{field}” is missing', format: '“{field}” is not in the expected format', tooLong: '“{field}” is too long', tooShort: '“{field}” is too short', unexpected: '“{field}” is not expected here', invalid: '“{field}” has a value that is not allowed' },
  ru: { required: 'не заполнено поле «{field}»', format: 'поле «{field}» в неверном формате', tooLong: 'поле «{field}» слишком длинное', tooShort: 'поле «{field}» слишком короткое', unexpected: 'поле «{field}» здесь не ожидается', invalid: 'недопустимое значение поля «{field}»' },
  zh: { required: '缺少字段“{field}”', format: '字段“{field}”格式不正确', tooLong: '字段“{field}”过长', tooShort: '字段“{field}”过短', unexpected: '不应包含字段“{field}”', invalid: '字段“{field}”的值不允许' },
};
const WHOLE: Record<Language, string> = { en: 'the request', ru: 'запрос', zh: '请求' };

/**
 * A schema failure as a caller can act on it: which field (`documentLast4`, `effective.date`) and what is wrong
 * with it, in words, in their language; never the validator's path and pattern (`body/documentLast4 must match …`).
 */
function schemaFailure(first: { instancePath?: string; keyword?: string; params?: Record<string, unknown> } | undefined, language: Language): { details: Record<string, string>; reason: string } {
  const path = (first?.instancePath ?? '').split('/').filter(Boolean);
  const named = first?.params?.missingProperty ?? first?.params?.additionalProperty;
  if (typeof named === 'string') path.push(named);
  const field = path.join('.');
  const rule: Rule = RULE_OF[first?.keyword ?? ''] ?? 'invalid';
  return { details: { field, rule }, reason: PROBLEM[language][rule].replace('{field}', field || WHOLE[language]) };
}

/** The one place errors become HTTP: a stable code, a message in the caller's language, no internals on 5xx. */
export function toHttpError(error: unknown, request: FastifyRequest, timeZone?: string): { status: number; body: { code: string; message: string; details: Record<string, unknown> } } {
  const language = languageOf(request);
  let app: AppError;
  if (error instanceof AppError) app = error;
  else {
    const fe = error as FastifyError & { validation?: { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }[]; validationContext?: string };
    // Postgres refuses text it cannot store (a NUL, a bad byte sequence): the input's fault, not ours.
    const postgresInput = fe.code === '22021' || fe.code === '22P05';
    if (fe.code === 'FST_ERR_BAD_URL') fe.message = 'the URL is not valid percent-encoding';
    const mapped = (fe.code && fastifyCodes[fe.code]) ?? (fe.validation || postgresInput || fe.code === 'FST_ERR_BAD_URL' ? 'VALIDATION_FAILED' : undefined);
    if (mapped === 'VALIDATION_FAILED' && fe.validation) {
      const { details, reason } = schemaFailure(fe.validation[0], language);
      const failure = new AppError('VALIDATION_FAILED', { ...details, in: fe.validationContext ?? 'body', reason: schemaFailure(fe.validation[0], 'en').reason });
      return { status: failure.status, body: { code: failure.code, message: renderMessage('VALIDATION_FAILED', { reason }, language), details: { ...failure.details } } };
    }
    if (mapped === 'VALIDATION_FAILED') app = new AppError('VALIDATION_FAILED', { reason: fe.message });
    else if (mapped === 'UNSUPPORTED_MEDIA_TYPE') app = new AppError(mapped, { input: String(request.headers['content-type'] ?? '') });
    else if (mapped) app = new AppError(mapped, {});
    else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      app = new AppError('VALIDATION_FAILED', { reason: fe.message });
    } else {
      request.log.error({ err: error }, 'unhandled error');
      app = new AppError('INTERNAL', { requestId: request.id });
    }
  }
  return { status: app.status, body: { code: app.code, message: app.messageIn(language, timeZone), details: { ...app.details } } };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: unknown, timeZone?: string) {
  const { status, body } = toHttpError(error, request, timeZone);
  // A slow-down or lock-out says when to come back, in seconds (RFC 9110 §10.2.3).
  const wait = body.details.retryAfterSeconds;
  if (typeof wait === 'number' && wait > 0) reply.header('retry-after', String(Math.ceil(wait)));
  return reply.code(status).type('application/json').send(body);
}
