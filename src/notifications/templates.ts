/**
 * Every message simexit sends, in every language it speaks. A template is
 * data (blocks of plain text, facts, links, a code); `render` checks the
 * payload, fills the copy and turns the blocks into a subject, plain text,
 * accessible inline-styled HTML and a short SMS text. Pure: no clock, no I/O.
 */
import { isLanguage, type Language } from '../domain/languages.ts';
import type { Policy } from '../domain/policy.ts';
import { formatterFor, type Formatter } from './format.ts';
import { en } from './templates.en.ts';
import { ru } from './templates.ru.ts';
import { zh } from './templates.zh.ts';

type Field = 'string' | 'number' | 'instant' | 'instant?' | 'string?';

/** What each template reads from its payload; `render` refuses a payload without it. */
const FIELDS = {
  /** `withdrawUntil` only for a scheduled order (the one state the lifecycle withdraws from); `confirmBy` while it awaits its code. */
  'termination.requested': { reference: 'string', msisdn: 'string', state: 'string', effectiveAt: 'instant', withdrawUntil: 'instant?', confirmBy: 'instant?' },
  'termination.scheduled': { reference: 'string', msisdn: 'string', effectiveAt: 'instant', withdrawUntil: 'instant' },
  'termination.completed': {
    reference: 'string',
    msisdn: 'string',
    simType: 'string',
    channel: 'string',
    requestedAt: 'instant',
    effectiveAt: 'instant',
    completedAt: 'instant',
    amountSettled: 'number',
    amountRefunded: 'number',
    currency: 'string',
    quarantineUntil: 'instant?',
    /**
     * Set by the sender, not stored: `attached` when the signed PDF goes with the message, `link` when it is on the
     * order's page instead (an operator's bulk order, by policy); absent when no certificate goes with it.
     */
    certificate: 'string?',
  },
  /** The order stopped in a step and needs the subscriber (or a person at the operator) to finish it. */
  'termination.failed': { reference: 'string', msisdn: 'string', failedAt: 'instant' },
  /** The request was withdrawn (by the holder, or "not me": `notMe` is "yes"), refused by the operator, or lapsed. */
  'termination.withdrawn': { reference: 'string', msisdn: 'string', withdrawnAt: 'instant', notMe: 'string' },
  'termination.rejected': { reference: 'string', msisdn: 'string', rejectedAt: 'instant' },
  'termination.expired': { reference: 'string', msisdn: 'string', expiredAt: 'instant', stateBefore: 'string' },
  'otp.confirm_termination': { code: 'string', msisdn: 'string', subject: 'string', expiresAt: 'instant' },
  'otp.password_reset': { code: 'string', msisdn: 'string', subject: 'string', expiresAt: 'instant' },
  'otp.cancel_without_signin': { code: 'string', msisdn: 'string', subject: 'string', expiresAt: 'instant' },
  /** The hotline's sign-in code: asked for by our own voice menu, so the text never says "we never ask for it by phone". */
  'otp.hotline_sign_in': { code: 'string', msisdn: 'string', subject: 'string', expiresAt: 'instant' },
  /** Text-to-cancel: the preview of the order asked for by SMS and the code to text back (src/notifications/sms-replies.ts). */
  'otp.sms_cancel': { code: 'string', msisdn: 'string', subject: 'string', expiresAt: 'instant', effectiveAt: 'instant', currency: 'string', owed: 'number', refund: 'number', dataLeftMb: 'number' },
  /** Text-to-cancel's other replies (confirmed, wrong code, help, stopped, rate limited), worded by the domain's smsReplyText. */
  'sms.reply': { kind: 'string', reference: 'string?', effectiveAt: 'instant?', attemptsLeft: 'number', retryAfterSeconds: 'number' },
  /** A link to pay what blocks a request, sent when a caller asks for it on the hotline. */
  'termination.payment_link': { reference: 'string', msisdn: 'string', amount: 'number', currency: 'string' },
  'quarantine.ending_soon': { msisdn: 'string', quarantineUntil: 'instant' },
  'reclaim.completed': { msisdn: 'string', simType: 'string', reclaimedAt: 'instant' },
  /** The SM-DP+ reports the ended line's eSIM profile deleted (or disabled) on the device: the slot is free for another. */
  'esim.slot_free': { msisdn: 'string', removedAt: 'instant' },
  /** The new eSIM of a reclaimed number is ready: its activation code (`LPA:1$…`), also attached as a QR code. */
  'esim.activation': { msisdn: 'string', activationCode: 'string' },
  'dormancy.notice': { msisdn: 'string', lastActivityAt: 'instant', terminationAt: 'instant' },
  /** A remote shop ticket's holder: this many people are ahead, time to set out. */
  'shop.turn_near': { number: 'string', shopName: 'string', ahead: 'number' },
  /** A ticket taken by SMS (TICKET 2): its number, the shop and how many are ahead now. */
  'shop.ticket_taken': { number: 'string', shopName: 'string', ahead: 'number' },
  /** TICKET alone: the shops to choose from, one per line as "1 name" (at most MAX_TICKET_SHOPS). */
  'shop.ticket_shops': { shops: 'string' },
  /** A remote shop ticket's holder: the shop closed before the ticket was served, so it lapsed. */
  'shop.ticket_lapsed': { number: 'string', shopName: 'string' },
} as const satisfies Record<string, Record<string, Field>>;

export type TemplateName = keyof typeof FIELDS;
export const TEMPLATE_NAMES = Object.keys(FIELDS) as TemplateName[];

type FieldType<F> = F extends 'number' ? number : F extends 'instant?' | 'string?' ? string | null : string;
export type Payloads = { [T in TemplateName]: { readonly [K in keyof (typeof FIELDS)[T]]: FieldType<(typeof FIELDS)[T][K]> } };

export type Block =
  | { readonly kind: 'p'; readonly text: string }
  /** Stands out: what to do, or what never to do. */
  | { readonly kind: 'important'; readonly text: string }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [label: string, value: string])[] }
  | { readonly kind: 'link'; readonly label: string; readonly href: string }
  | { readonly kind: 'code'; readonly label: string; readonly code: string };

export interface Copy {
  readonly subject: string;
  readonly blocks: readonly Block[];
  /** The SMS: one or two segments where possible. */
  readonly sms: string;
}

export interface LanguagePack {
  readonly templates: { readonly [T in TemplateName]: (p: Payloads[T], f: Formatter, policy: Policy) => Copy };
  /** Closes every e-mail: who sent it and why it cannot be answered. */
  readonly footer: (f: Formatter) => string;
}

const PACKS: Readonly<Record<Language, LanguagePack>> = { ru, en, zh };

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly sms: string;
}

/** A payload that does not fit its template: sending cannot fix it, so it is not retried. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export const isTemplateName = (name: string): name is TemplateName => Object.hasOwn(FIELDS, name);

/**
 * Renders a message in `language` (unknown languages fall back to the
 * policy's default). Throws TemplateError for an unknown template or a payload
 * missing a field or holding one of the wrong type.
 */
export function render(template: string, language: string, payload: Readonly<Record<string, unknown>>, policy: Policy): RenderedMessage {
  if (!isTemplateName(template)) throw new TemplateError(`unknown template ${template}`);
  const lang: Language = isLanguage(language) ? language : policy.defaultLanguage;
  const checked = checkPayload(template, payload);
  const f = formatterFor(lang, policy);
  const pack = PACKS[lang];
  const write = pack.templates[template] as (p: Payloads[TemplateName], f: Formatter, policy: Policy) => Copy;
  const copy = write(checked, f, policy);
  const footer = pack.footer(f);
  return {
    subject: copy.subject,
    text: `${copy.blocks.map((b) => blockText(b, lang === 'zh' ? '：' : ': ')).join('\n\n')}\n\n-- \n${footer}\n`,
    html: toHtml(lang, copy.subject, copy.blocks, footer),
    sms: copy.sms,
  };
}

function checkPayload<T extends TemplateName>(template: T, payload: Readonly<Record<string, unknown>>): Payloads[T] {
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(FIELDS[template]) as [string, Field][]) {
    const value = payload[key];
    const optional = type.endsWith('?');
    if (value === undefined || value === null) {
      if (optional) {
        out[key] = null;
        continue;
      }
      throw new TemplateError(`${template}: payload.${key} is missing`);
    }
    if (type === 'number' ? !Number.isSafeInteger(value) : typeof value !== 'string' || value.length === 0) {
      throw new TemplateError(`${template}: payload.${key} is not a ${type.replace('?', '')}`);
    }
    if (type.startsWith('instant') && Number.isNaN(Date.parse(value as string))) throw new TemplateError(`${template}: payload.${key} is not a time`);
    out[key] = value;
  }
  return out as Payloads[T];
}

function blockText(block: Block, colon: string): string {
  switch (block.kind) {
    case 'p':
    case 'important':
      return block.text;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}${colon}${value}`).join('\n');
    case 'link':
      return `${block.label}${colon.trimEnd()}\n${block.href}`;
    case 'code':
      return `${block.label}${colon}${block.code}`;
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

// Colours keep a contrast ratio above 4.5:1 on white (WCAG AA); sizes are relative so a reader's zoom works.
const STYLE = {
  body: 'margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  main: 'max-width:600px;margin:0 auto;padding:24px 16px',
  h1: 'font-size:1.4em;line-height:1.3;margin:0 0 16px 0;color:#1a1a1a',
  p: 'margin:0 0 16px 0',
  important: 'margin:0 0 16px 0;padding:12px 16px;border-left:4px solid #b3261e;background:#fdf2f1;color:#1a1a1a;font-weight:bold',
  table: 'border-collapse:collapse;margin:0 0 16px 0;width:100%',
  th: 'text-align:left;vertical-align:top;padding:6px 12px 6px 0;color:#4a4a4a;font-weight:normal;white-space:nowrap',
  td: 'text-align:left;vertical-align:top;padding:6px 0;font-weight:bold',
  link: 'display:inline-block;padding:12px 20px;background:#0b57d0;color:#ffffff;text-decoration:underline;border-radius:4px;font-weight:bold',
  linkText: 'margin:8px 0 16px 0;font-size:0.9em;color:#4a4a4a;word-break:break-all',
  code: 'font-family:Consolas,Menlo,monospace;font-size:1.8em;letter-spacing:0.2em;font-weight:bold',
  footer: 'margin:24px 0 0 0;padding-top:16px;border-top:1px solid #d0d0d0;font-size:0.85em;color:#4a4a4a',
} as const;

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'p':
      return `<p style="${STYLE.p}">${escapeHtml(block.text)}</p>`;
    case 'important':
      return `<p role="note" style="${STYLE.important}">${escapeHtml(block.text)}</p>`;
    case 'facts':
      return `<table style="${STYLE.table}">${block.rows
        .map(([label, value]) => `<tr><th scope="row" style="${STYLE.th}">${escapeHtml(label)}</th><td style="${STYLE.td}">${escapeHtml(value)}</td></tr>`)
        .join('')}</table>`;
    case 'link': {
      const href = escapeHtml(block.href);
      return `<p style="${STYLE.p}"><a href="${href}" style="${STYLE.link}">${escapeHtml(block.label)}</a></p><p style="${STYLE.linkText}">${href}</p>`;
    }
    case 'code':
      // Read digit by digit by screen readers, not as one large number.
      return `<p style="${STYLE.p}">${escapeHtml(block.label)}: <strong aria-label="${escapeHtml([...block.code].join(' '))}" style="${STYLE.code}">${escapeHtml(block.code)}</strong></p>`;
  }
}

function toHtml(language: Language, subject: string, blocks: readonly Block[], footer: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}" dir="ltr">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<main style="${STYLE.main}">`,
    `<h1 style="${STYLE.h1}">${escapeHtml(subject)}</h1>`,
    ...blocks.map(blockHtml),
    `<footer style="${STYLE.footer}">${escapeHtml(footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
