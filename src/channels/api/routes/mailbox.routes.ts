import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readEnvironment } from '../../../config/env.ts';
import { escapeHtml } from '../html.ts';
import type { AppContext } from '../../../app/context.ts';
import { maskMsisdn } from '../../../domain/msisdn.ts';
import { render } from '../../../notifications/templates.ts';


/**
 * Demo mode only: what the system "sent", newest first, so a newcomer sees the
 * e-mails and SMS (codes included) without a mail server. Registered only in
 * demo mode (`ctx.demo`), whatever providers are configured.
 */
export function mailboxRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/demo/mailbox', { schema: { hide: true } }, async (_request, reply) => {
      const rows = await ctx.store.db.selectFrom('notifications').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
      const items = rows.map((r) => {
        let subject = r.template;
        let body: string;
        try {
          const m = render(r.template, r.language, JSON.parse(r.payload), ctx.policy);
          subject = m.subject;
          body = r.medium === 'sms' ? m.sms : m.text;
        } catch (e) {
          body = `(${(e as Error).message})`;
        }
        const to = r.medium === 'sms' ? maskMsisdn(r.address) : r.address;
        return `<article lang="${escapeHtml(r.language)}"><header><strong>${r.medium === 'sms' ? 'SMS' : 'E-mail'}</strong> → ${escapeHtml(to)} · ${escapeHtml(r.created_at)} · <span class="state">${escapeHtml(r.state)}</span></header>
<h2>${escapeHtml(subject)}</h2><pre>${escapeHtml(body)}</pre></article>`;
      });
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo mailbox — ${escapeHtml(ctx.policy.operator.name)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#1b1f24}article{border:1px solid #d5dbe3;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}header{color:#4a5360;font-size:.85rem}h2{font-size:1rem;margin:.4rem 0}pre{white-space:pre-wrap;font-family:inherit;margin:0}.state{font-weight:600}</style></head>
<body><main><h1>Demo mailbox</h1><p>No e-mail or SMS provider is configured, so messages are written to files (<code>${escapeHtml(readEnvironment().outbox)}</code>) and listed here. Newest first.</p>${items.join('\n') || '<p>Nothing sent yet.</p>'}</main></body></html>`;
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
}
