import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { simpleParser } from 'mailparser';
import { readableInstant } from '../../../domain/languages.ts';
import { escapeHtml } from '../html.ts';
import type { AppContext } from '../../../app/context.ts';
import { maskMsisdn } from '../../../domain/msisdn.ts';


/** What the file delivery adapter wrote: SMS as `.txt`, e-mail as `.eml`, newest first. */
async function deliveredFiles(folder: string, limit: number): Promise<{ name: string; at: Date; text: string }[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => !n.startsWith('.') && (n.endsWith('.txt') || n.endsWith('.eml')));
  } catch {
    return [];
  }
  const files = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(folder, name))).mtime })));
  files.sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name));
  return Promise.all(files.slice(0, limit).map(async (f) => ({ ...f, text: await readFile(join(folder, f.name), 'utf8') })));
}

/**
 * Demo mode only: what the system delivered, newest first, read from the
 * file outbox (the folder the file delivery adapter writes to), so a newcomer
 * sees the e-mails and SMS (codes included) without a mail server. The
 * database never holds a delivered code, so it is not read here. Registered
 * only in demo mode (`ctx.demo`), whatever providers are configured.
 */
const article = (language: string, kind: string, to: string, at: string, subject: string, body: string) =>
  `<article lang="${escapeHtml(language)}"><header><strong>${kind}</strong> → ${escapeHtml(to)} · ${escapeHtml(at)}</header>
<h2>${escapeHtml(subject)}</h2><pre>${escapeHtml(body)}</pre></article>`;

export function mailboxRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/demo/mailbox', { schema: { hide: true } }, async (_request, reply) => {
      const folder = ctx.outbox ?? './data/outbox';
      const files = await deliveredFiles(folder, 100);
      const items = await Promise.all(
        files.map(async (f) => {
          const at = readableInstant(f.at.toISOString(), 'en', ctx.policy.operator.timezone);
          if (f.name.endsWith('.txt')) {
            const [head = '', ...rest] = f.text.split('\n\n');
            const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
            return article(header('Language') || 'en', 'SMS', maskMsisdn(header('To')), at, 'SMS', rest.join('\n\n'));
          }
          // An e-mail as its reader sees it: the decoded plain-text part, not the MIME source.
          const mail = await simpleParser(f.text);
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          return article(String(mail.headers.get('content-language') ?? 'en'), 'E-mail', to, at, mail.subject ?? '', mail.text ?? '');
        }),
      );
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo mailbox — ${escapeHtml(ctx.policy.operator.name)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#1b1f24}article{border:1px solid #d5dbe3;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}header{color:#4a5360;font-size:.85rem}h2{font-size:1rem;margin:.4rem 0}pre{white-space:pre-wrap;font-family:inherit;margin:0}</style></head>
<body><main><h1>Demo mailbox</h1><p>No e-mail or SMS provider is configured, so delivered messages are written to files (<code>${escapeHtml(folder)}</code>) and listed here. Newest first.</p>${items.join('\n') || '<p>Nothing delivered yet.</p>'}</main></body></html>`;
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
}
