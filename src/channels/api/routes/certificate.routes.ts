import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { escapeHtml } from '../html.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { certificatePdfFor, checkCertificate, holderNumberMatches } from '../../../app/certificates.ts';
import type { AppContext } from '../../../app/context.ts';
import { AppError } from '../../../domain/errors.ts';
import type { Language } from '../../../domain/languages.ts';
import { normalizeReference } from '../../../domain/reference.ts';
import { certificateRows } from '../../../certificates/certificate-pdf.ts';
import { CERTIFICATE_TEXTS } from '../../../certificates/texts.ts';
import { requirePrincipal } from '../auth-plugin.ts';
import { languageOf } from '../errors.ts';
import { ReferenceParams } from '../schemas.ts';

const VERDICT: Record<Language, { valid: string; invalid: string; unknown: string; prompt: string; check: string; match: string; noMatch: string; tooMany: string }> = {
  en: {
    valid: 'The signature is valid: this certificate was issued by us and has not been changed.',
    invalid: 'The signature does NOT match: do not trust this certificate.',
    unknown: 'We have no certificate with this reference.',
    prompt: 'The number is hidden. If you hold the certificate, type the full number to see it confirmed:',
    check: 'Check the number',
    match: 'Confirmed: this certificate is for the number you typed.',
    noMatch: 'This certificate is not for the number you typed.',
    tooMany: 'Too many checks from your address. Try again later.',
  },
  ru: {
    valid: 'Подпись верна: справка выдана нами и не изменялась.',
    invalid: 'Подпись НЕ совпадает: не доверяйте этой справке.',
    unknown: 'Справки с таким номером у нас нет.',
    prompt: 'Номер скрыт. Если справка у вас, введите номер полностью, чтобы увидеть подтверждение:',
    check: 'Проверить номер',
    match: 'Подтверждено: справка выдана на введённый вами номер.',
    noMatch: 'Справка выдана не на введённый вами номер.',
    tooMany: 'Слишком много проверок с вашего адреса. Повторите позже.',
  },
  zh: {
    valid: '签名有效：此证明由我们签发且未被修改。',
    invalid: '签名不匹配：请勿信任此证明。',
    unknown: '没有此编号的证明。',
    prompt: '号码已隐藏。如果您持有此证明，请输入完整号码以查看确认：',
    check: '核对号码',
    match: '已确认：此证明对应您输入的号码。',
    noMatch: '此证明不对应您输入的号码。',
    tooMany: '来自您地址的核对次数过多。请稍后再试。',
  },
};

export function certificateRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/terminations/:reference/certificate.pdf',
      { schema: { tags: ['terminations'], summary: 'The signed termination certificate (PDF), once the termination is completed', params: ReferenceParams, produces: ['application/pdf'] } },
      async (request, reply) => {
        const reference = normalizeReference(request.params.reference);
        if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: request.params.reference });
        const pdf = await certificatePdfFor(ctx, requirePrincipal(request), reference);
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="${reference}.pdf"`).send(pdf);
      },
    );

    app.get('/.well-known/simexit-certificate-key.pem', { schema: { hide: true } }, async (_request, reply) => {
      if (!ctx.keys) throw new AppError('NOT_FOUND', { input: 'certificate key' });
      return reply.type('application/x-pem-file').send(ctx.keys.publicPem());
    });

    // The page shows what proves the certificate without personal data (the number masked); the holder may type
    // the full number (a form posted back) to see it confirmed, one answer shape whether it matches or not.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
    const verifyPage = async (request: FastifyRequest, reply: FastifyReply, typedReference: string, typed: string | undefined) => {
      // The facts of someone's termination: no cache keeps them (pages otherwise get helmet's headers only).
      reply.header('cache-control', 'no-store');
      const language = languageOf(request);
      const t = CERTIFICATE_TEXTS[language];
      const v = VERDICT[language];
      const reference = normalizeReference(typedReference);
      let body: string;
      let status = 200;
      try {
        if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: typedReference });
        const c = await checkCertificate(ctx, reference);
        const rows = certificateRows(c.facts, language, ctx.policy.operator.timezone);
        let answer = '';
        if (typed !== undefined) {
          try {
            const matches = await holderNumberMatches(ctx, reference, typed, request.ip);
            answer = `<p class="${matches ? 'ok' : 'bad'}" role="status" id="number-check">${escapeHtml(matches ? v.match : v.noMatch)}</p>`;
          } catch (e) {
            if (!(e instanceof AppError) || e.code !== 'AUTH_LOCKED') throw e;
            status = 429;
            answer = `<p class="bad" role="status" id="number-check">${escapeHtml(v.tooMany)}</p>`;
          }
        }
        body = `<p class="${c.valid ? 'ok' : 'bad'}" role="status">${escapeHtml(c.valid ? v.valid : v.invalid)}</p>
<dl>${rows.map(([k, val]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd></div>`).join('')}</dl>
<p class="key">${escapeHtml(t.signed)} ${escapeHtml(c.keyId)}</p>
${answer}<form method="post"><label>${escapeHtml(v.prompt)} <input name="msisdn" type="tel" autocomplete="tel" maxlength="32" required></label> <button type="submit">${escapeHtml(v.check)}</button></form>`;
        if (!c.valid && status === 200) status = 409;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        status = 404;
        body = `<p class="bad" role="status">${escapeHtml(v.unknown)}</p>`;
      }
      const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.verify)} — ${escapeHtml(ctx.policy.operator.name)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.4rem}dl div{display:flex;justify-content:space-between;gap:1rem;border-bottom:1px solid #d5dbe3;padding:.35rem 0}dt{color:#4a5360}dd{margin:0;font-weight:600;text-align:right}.ok{background:#e3f4e8;color:#1d6b36;padding:.75rem;border-radius:6px;font-weight:600}.bad{background:#fde8e7;color:#b3261e;padding:.75rem;border-radius:6px;font-weight:600}.key{color:#4a5360;font-size:.85rem}form{margin-top:1.5rem}</style></head>
<body><header><p>${escapeHtml(ctx.policy.operator.name)}</p></header><main><h1>${escapeHtml(t.title)}</h1>${body}</main></body></html>`;
      return reply.code(status).type('text/html; charset=utf-8').send(html);
    };
    const params = T.Object({ reference: T.String({ maxLength: 40 }) });
    app.get('/verify/:reference', { schema: { hide: true, params }, config: { anonymous: true } }, (request, reply) => verifyPage(request, reply, request.params.reference, undefined));
    app.post(
      '/verify/:reference',
      { schema: { hide: true, params, body: T.Object({ msisdn: T.String({ maxLength: 32 }) }) }, config: { anonymous: true } },
      (request, reply) => verifyPage(request, reply, request.params.reference, request.body.msisdn),
    );
  };
}
