import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { escapeHtml } from '../html.ts';
import { certificatePdfFor, checkCertificate } from '../../../app/certificates.ts';
import type { AppContext } from '../../../app/context.ts';
import { AppError, type Language } from '../../../domain/errors.ts';
import { normalizeReference } from '../../../domain/reference.ts';
import { certificateRows } from '../../../certificates/certificate-pdf.ts';
import { CERTIFICATE_TEXTS } from '../../../certificates/texts.ts';
import { requirePrincipal } from '../auth-plugin.ts';
import { languageOf } from '../errors.ts';
import { ReferenceParams } from '../schemas.ts';

const VERDICT: Record<Language, { valid: string; invalid: string; unknown: string }> = {
  en: { valid: 'The signature is valid: this certificate was issued by us and has not been changed.', invalid: 'The signature does NOT match: do not trust this certificate.', unknown: 'We have no certificate with this reference.' },
  ru: { valid: 'Подпись верна: справка выдана нами и не изменялась.', invalid: 'Подпись НЕ совпадает: не доверяйте этой справке.', unknown: 'Справки с таким номером у нас нет.' },
  zh: { valid: '签名有效：此证明由我们签发且未被修改。', invalid: '签名不匹配：请勿信任此证明。', unknown: '没有此编号的证明。' },
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

    app.get(
      '/verify/:reference',
      { schema: { hide: true, params: T.Object({ reference: T.String({ maxLength: 40 }) }) } },
      async (request, reply) => {
        // The facts of someone's termination: no cache keeps them (pages otherwise get helmet's headers only).
        reply.header('cache-control', 'no-store');
        const language = languageOf(request);
        const t = CERTIFICATE_TEXTS[language];
        const reference = normalizeReference(request.params.reference);
        let body: string;
        let status = 200;
        try {
          if (!reference) throw new AppError('TERMINATION_NOT_FOUND', { input: request.params.reference });
          const c = await checkCertificate(ctx, reference);
          const rows = certificateRows(c.facts, language, ctx.policy.operator.timezone);
          body = `<p class="${c.valid ? 'ok' : 'bad'}" role="status">${escapeHtml(c.valid ? VERDICT[language].valid : VERDICT[language].invalid)}</p>
<dl>${rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>
<p class="key">${escapeHtml(t.signed)} ${escapeHtml(c.keyId)}</p>`;
          if (!c.valid) status = 409;
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          status = 404;
          body = `<p class="bad" role="status">${escapeHtml(VERDICT[language].unknown)}</p>`;
        }
        const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t.verify)} — ${escapeHtml(ctx.policy.operator.name)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.4rem}dl div{display:flex;justify-content:space-between;gap:1rem;border-bottom:1px solid #d5dbe3;padding:.35rem 0}dt{color:#4a5360}dd{margin:0;font-weight:600;text-align:right}.ok{background:#e3f4e8;color:#1d6b36;padding:.75rem;border-radius:6px;font-weight:600}.bad{background:#fde8e7;color:#b3261e;padding:.75rem;border-radius:6px;font-weight:600}.key{color:#4a5360;font-size:.85rem}</style></head>
<body><header><p>${escapeHtml(ctx.policy.operator.name)}</p></header><main><h1>${escapeHtml(t.title)}</h1>${body}</main></body></html>`;
        return reply.code(status).type('text/html; charset=utf-8').send(html);
      },
    );
  };
}
