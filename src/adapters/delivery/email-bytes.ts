/**
 * An e-mail as the bytes of an RFC 5322 message, made in one synchronous
 * call: what the file outbox writes. The same headers and parts as
 * `composeEmail` through nodemailer's transport, with nodemailer's own header
 * encoders (RFC 2047 words, RFC 2231 parameters, address punycode, folding),
 * but without its streams: a stream pipeline per message (several transforms,
 * an AbortController and a timer hop per part) cost more than everything else
 * of a delivery together, and a bulk run writes hundreds of thousands.
 *
 * Bodies go 7bit when they are plain short-lined ASCII, else base64 (wrapped
 * at 76). CRLF line ends throughout, as on the wire.
 */
import { randomBytes } from 'node:crypto';
import { buildHeaderValue, foldLines, hasLongerLines, isPlainText } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { type DeliveryMessage, messageIdFor } from './deliverer.ts';
import type { EmailIdentity } from './email-message.ts';

// One node encodes every header value (it keeps no state between calls): a node per message draws random bytes for a
// boundary and a Message-ID this file does not use.
const encoder = new MimeNode(false);
// Unknown outside this process, so no text a message carries can end one of its parts early.
const boundaryBase = randomBytes(8).toString('hex');
let messages = 0;

/** `Key: value`, the value encoded as nodemailer encodes it (non-ASCII as RFC 2047 words, line breaks dropped) and folded at 76. */
const header = (key: string, value: string) => foldLines(`${key}: ${encoder.encodeHeaderValue(key, value)}`, 76);

// An address nodemailer would write unchanged: ASCII atoms, no display name, no quotes.
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+$/;

const CRLF = /\r\n|\r|\n/g;
const NON_ASCII = /[\u0080-\uffff]/;

/** Base64 in lines of 76 characters. */
function base64Lines(content: Buffer): string {
  const text = content.toString('base64');
  if (text.length <= 76) return text;
  const lines: string[] = new Array(Math.ceil(text.length / 76));
  for (let i = 0, at = 0; at < text.length; i++, at += 76) lines[i] = text.slice(at, at + 76);
  return lines.join('\r\n');
}

/** A text part: headers and body. */
function textPart(type: 'text/plain' | 'text/html', content: string): string {
  if (isPlainText(content) && !hasLongerLines(content, 76)) return `Content-Type: ${type}\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${content.replace(CRLF, '\r\n')}`;
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(content, 'utf8'))}`;
}

function attachmentPart(a: NonNullable<DeliveryMessage['attachments']>[number]): string {
  // Printable ASCII but the quote and the semicolon, which would end the value early.
  const type = a.contentType.replace(/[^!#-:<-~]/g, '') || 'application/octet-stream';
  return [
    foldLines(`Content-Type: ${buildHeaderValue({ value: type, params: { name: a.filename } })}`, 76),
    'Content-Transfer-Encoding: base64',
    foldLines(`Content-Disposition: ${buildHeaderValue({ value: 'attachment', params: { filename: a.filename } })}`, 76),
    '',
    base64Lines(a.content),
  ].join('\r\n');
}

const multipart = (type: string, boundary: string, parts: readonly string[]) =>
  `Content-Type: ${type};\r\n boundary="${boundary}"\r\n\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--`;

/** The From line, the same for every message of an identity. */
const fromLines = new Map<string, string>();
function fromLine(from: string): string {
  let line = fromLines.get(from);
  if (line === undefined) {
    line = header('From', from);
    if (fromLines.size > 100) fromLines.clear();
    fromLines.set(from, line);
  }
  return line;
}

/**
 * The whole message, headers first in the order `composeEmail` gives them.
 * The Message-ID comes from the notification key (see `messageIdFor`), so a
 * copy written again after a crash is the same message.
 */
export function emailBytes(message: DeliveryMessage, identity: EmailIdentity, date: Date = new Date()): Buffer {
  const id = `--_simexit-${boundaryBase}-${(messages++).toString(36)}`;
  const alternative = [textPart('text/plain', message.text), ...(message.html ? [textPart('text/html', message.html)] : [])];
  const body = message.attachments?.length
    ? multipart('multipart/mixed', `${id}-m`, [multipart('multipart/alternative', `${id}-a`, alternative), ...message.attachments.map(attachmentPart)])
    : alternative.length > 1
      ? multipart('multipart/alternative', `${id}-a`, alternative)
      : (alternative[0] as string);
  const from = fromLine(identity.from);
  const to = PLAIN_ADDRESS.test(message.to) ? `To: ${message.to}` : header('To', message.to);
  const head = [
    header('Content-Language', message.language),
    'Auto-Submitted: auto-generated',
    'X-Auto-Response-Suppress: All',
    header('X-Simexit-Key', message.key),
    from,
    to,
    header('Subject', message.subject),
    `Message-ID: ${messageIdFor(message.key, identity.domain)}`,
    `Date: ${date.toUTCString().replace(/GMT/, '+0000')}`,
    'MIME-Version: 1.0',
  ];
  // Everything is ASCII by now (encoded headers, base64 or 7bit bodies), latin1 copying it without UTF-8 encoding, but
  // for an address with non-ASCII letters, which nodemailer writes as UTF-8 (RFC 6532).
  const text = `${head.join('\r\n')}\r\n${body}\r\n`;
  return Buffer.from(text, NON_ASCII.test(from) || NON_ASCII.test(to) ? 'utf8' : 'latin1');
}
