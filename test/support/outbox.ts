import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface DeliveredMessage {
  readonly file: string;
  readonly to: string;
  readonly key: string;
  readonly language: string;
  readonly text: string;
  readonly at: number;
}

/**
 * What reached a phone or a mailbox: the files the file outbox wrote into
 * SIMEXIT_OUTBOX (set by test/support/stores.ts), oldest first. SMS only unless
 * `email` is asked for (then the raw .eml text).
 */
export function delivered(to: string, options: { email?: boolean } = {}): DeliveredMessage[] {
  const dir = process.env.SIMEXIT_OUTBOX;
  if (!dir) throw new Error('SIMEXIT_OUTBOX is not set');
  const found: DeliveredMessage[] = [];
  for (const file of readdirSync(dir)) {
    if (file.startsWith('.')) continue;
    const isSms = file.endsWith('.txt');
    if (!isSms && !(options.email && file.endsWith('.eml'))) continue;
    const content = readFileSync(join(dir, file), 'utf8');
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(content)?.[1]?.trim() ?? '';
    if (header('To') !== to && !header('To').includes(`<${to}>`) ) continue;
    const body = isSms ? content.slice(content.indexOf('\n\n') + 2).trim() : content;
    found.push({ file, to, key: header('Key'), language: header('Language'), text: body, at: statSync(join(dir, file)).mtimeMs });
  }
  return found.sort((a, b) => a.at - b.at || a.file.localeCompare(b.file));
}

/** The code in the last SMS sent to `msisdn` that names `reference`, as the subscriber reads it off the phone. */
export function lastDeliveredCode(msisdn: string, reference: string): string {
  const sms = delivered(msisdn).filter((m) => m.key.startsWith('otp:') && m.text.includes(reference));
  const last = sms.at(-1);
  const code = last ? /\b(\d{4,10})\b/.exec(last.text)?.[1] : undefined;
  if (!code) throw new Error(`no code for ${reference} delivered to ${msisdn}`);
  return code;
}
