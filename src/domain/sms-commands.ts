/**
 * Text-to-cancel (issue 14), the pure part: what an inbound SMS asks for, what the short number answers, and
 * whether a number has texted too often. The channel stores the message, the application looks the number up
 * and checks the code; this file reads no clock, no store and sends nothing.
 *
 * A keyword alone only asks: the answer is the preview and a code, and only the code sent back confirms. The
 * sender of an SMS can be forged, so the code (which only reaches the line's real holder) is the proof, never
 * the keyword or the sender number on its own.
 */
import { type Language, waitInWords } from './languages.ts';
import type { Minor } from './money.ts';
import type { Preview } from './preview.ts';
import { type Instant, ms } from './time.ts';

export const INBOUND_KINDS = ['cancel', 'confirm', 'stop', 'help', 'ticket', 'other'] as const;

/** The most shops a "which shop?" reply lists, and so the highest shop number a ticket keyword takes. */
export const MAX_TICKET_SHOPS = 9;

/** What an inbound SMS asks for. `language` is the keyword's, where the words tell one (digits alone do not). */
export type InboundCommand =
  | { readonly kind: 'cancel' | 'stop' | 'help'; readonly language: Language }
  | { readonly kind: 'confirm'; readonly code: string; readonly language: Language | null }
  /** A remote shop ticket; `shop` is the 1-based place in the "which shop?" reply, null to ask for that list. */
  | { readonly kind: 'ticket'; readonly shop: number | null; readonly language: Language }
  | { readonly kind: 'other' };

type Keyword = { readonly kind: 'cancel' | 'stop' | 'help' | 'ticket'; readonly language: Language };

/**
 * The keywords, as `normalizeSms` leaves them. Decisions:
 * - STOP is an opt-out of this short number, never a cancel: whoever texts STOP must keep the line. Russian
 *   СТОП and Chinese 停止 mean the same to their writers; 退订 and TD are what Chinese operators' own messages
 *   tell people to reply to opt out, so they are expected too.
 * - The traditional forms (註銷, 幫助, 退訂) are the same words for a reader of traditional characters.
 * - A keyword must stand alone (or before the code): ОТКЛЮЧИТЬ ИНТЕРНЕТ asks to switch off mobile data, not
 *   to end the contract, so anything longer is `other` and gets the help text, which names the keyword.
 */
const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ['cancel', { kind: 'cancel', language: 'en' }],
  ['отключить', { kind: 'cancel', language: 'ru' }],
  ['расторгнуть', { kind: 'cancel', language: 'ru' }],
  ['注销', { kind: 'cancel', language: 'zh' }],
  ['註銷', { kind: 'cancel', language: 'zh' }],
  ['stop', { kind: 'stop', language: 'en' }],
  ['стоп', { kind: 'stop', language: 'ru' }],
  ['停止', { kind: 'stop', language: 'zh' }],
  ['退订', { kind: 'stop', language: 'zh' }],
  ['退訂', { kind: 'stop', language: 'zh' }],
  ['td', { kind: 'stop', language: 'zh' }],
  ['help', { kind: 'help', language: 'en' }],
  ['помощь', { kind: 'help', language: 'ru' }],
  ['帮助', { kind: 'help', language: 'zh' }],
  ['幫助', { kind: 'help', language: 'zh' }],
  // A queue ticket for a shop, taken before setting out (the kiosk's "remote ticket").
  ['ticket', { kind: 'ticket', language: 'en' }],
  ['талон', { kind: 'ticket', language: 'ru' }],
  ['取号', { kind: 'ticket', language: 'zh' }],
  ['取號', { kind: 'ticket', language: 'zh' }],
]);

/**
 * The words of an SMS compared as phones type them: full-width forms and composed letters unified (NFKC),
 * invisible format characters dropped, lower case, ё read as е (Russian writes either), punctuation and runs
 * of spaces as one space, and a space between letters and digits (注销123456). Letters of one script are never
 * read as look-alikes of another: a Latin C in a Cyrillic word leaves a word that is no keyword.
 */
export function normalizeSms(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/(\p{L})([0-9])/gu, '$1 $2')
    .replace(/([0-9])(\p{L})/gu, '$1 $2')
    .replace(/[\p{P}\s]+/gu, ' ')
    .trim();
}

/** Digit groups that make exactly one code of `length` digits ("123456", "123 456", "123-456"). */
function codeOf(words: readonly string[], length: number): string | undefined {
  if (words.length === 0 || !words.every((w) => /^[0-9]+$/.test(w))) return undefined;
  const code = words.join('');
  return code.length === length ? code : undefined;
}

/**
 * What an inbound SMS asks for. `codeLength` is the policy's `otp.length`: it has no default, because a
 * default that disagreed with the policy would turn every real code into `other`. The cancel keyword followed
 * by the code ("CANCEL 123456") confirms, like the code alone: people copy the keyword they sent, and reading
 * it as a new request would send a new code and void the one they hold.
 */
export function parseInboundSms(text: string, codeLength: number): InboundCommand {
  const words = normalizeSms(text).split(' ').filter(Boolean);
  const keyword = words[0] === undefined ? undefined : KEYWORDS.get(words[0]);
  if (!keyword) {
    const code = codeOf(words, codeLength);
    return code ? { kind: 'confirm', code, language: null } : { kind: 'other' };
  }
  if (keyword.kind === 'ticket') {
    if (words.length === 1) return { kind: 'ticket', shop: null, language: keyword.language };
    const shop = words.length === 2 && /^[0-9]$/.test(words[1] ?? '') ? Number(words[1]) : 0;
    return shop >= 1 && shop <= MAX_TICKET_SHOPS ? { kind: 'ticket', shop, language: keyword.language } : { kind: 'other' };
  }
  if (words.length === 1) return { kind: keyword.kind, language: keyword.language };
  const code = keyword.kind === 'cancel' ? codeOf(words.slice(1), codeLength) : undefined;
  return code ? { kind: 'confirm', code, language: keyword.language } : { kind: 'other' };
}

/** What a preview reply states; amounts in minor units of `currency`. */
export interface SmsPreviewFacts {
  readonly effectiveAt: Instant;
  readonly currency: string;
  /** Still to pay once the final invoice has taken the balance (`Quote.owedAfter`, a debt today included). */
  readonly owed: Minor;
  /** Paid back after the final invoice; never above 0 together with `owed` (see `quote`). */
  readonly refund: Minor;
  readonly dataLeftMb: number;
  readonly code: string;
}

export const smsPreviewFacts = (p: Preview, code: string): SmsPreviewFacts => ({
  effectiveAt: p.effectiveAt,
  currency: p.quote.currency,
  owed: p.quote.owedAfter,
  refund: p.quote.refund,
  dataLeftMb: p.dataLeftMb,
  code,
});

/**
 * What the short number answers, as data the application decides and the channel words with `smsReplyText`.
 * A number that is not ours gets no reply at all, not even help: an answer would tell a stranger which numbers
 * are ours, and since a sender can be forged it would let anyone make us text any number (SMS pumping).
 */
export type SmsReply =
  | { readonly kind: 'preview'; readonly facts: SmsPreviewFacts }
  | { readonly kind: 'confirmed'; readonly reference: string; readonly effectiveAt: Instant }
  /** The code is wrong or expired; at 0 attempts left it is void and a new request is the way on. */
  | { readonly kind: 'wrong_code'; readonly attemptsLeft: number }
  | { readonly kind: 'help' }
  /** After STOP: the pending code is void and the short number stays silent until the number texts again. */
  | { readonly kind: 'stopped' }
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number };

/** How replies write values; the notifications' `formatterFor(language, policy)` is one. */
export interface SmsFormat {
  readonly language: Language;
  day(instant: Instant): string;
  money(minor: Minor, currency: string): string;
  data(megabytes: number): string;
  readonly shortNumber: string;
  readonly siteUrl: string;
}

/** Russian dates end in «г.»: a sentence that ends with one takes no second dot. */
const sentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);

/** The preview's sums and data that are above 0, each in the language's words. */
function shownFacts(p: SmsPreviewFacts, f: SmsFormat, say: { owed(money: string): string; refund(money: string): string; data(amount: string): string }): string[] {
  return [
    ...(p.owed > 0 ? [say.owed(f.money(p.owed, p.currency))] : []),
    ...(p.refund > 0 ? [say.refund(f.money(p.refund, p.currency))] : []),
    ...(p.dataLeftMb > 0 ? [say.data(f.data(p.dataLeftMb))] : []),
  ];
}

type Words = { readonly [K in SmsReply['kind']]: (r: Extract<SmsReply, { kind: K }>, f: SmsFormat) => string };

/** Each preview stays within two SMS (134 UCS2 units in Russian and Chinese): the facts, the code, "not you?". */
const WORDS: Readonly<Record<Language, Words>> = {
  ru: {
    preview: ({ facts: p }, f) =>
      `${sentence([`Расторжение с ${f.day(p.effectiveAt)}`, ...shownFacts(p, f, { owed: (m) => `к оплате ${m}`, refund: (m) => `вернём ${m}`, data: (d) => `сгорит ${d}` })].join(', '))} Подтвердить: ответьте ${p.code}. Не вы? Не отвечайте.`,
    confirmed: (r, f) => `Заявка ${r.reference} подтверждена, расторжение с ${f.day(r.effectiveAt)}; отозвать: ${f.siteUrl}`,
    wrong_code: (r) => (r.attemptsLeft > 0 ? `Код неверный или устарел. Осталось попыток: ${r.attemptsLeft}.` : 'Код неверный и больше не действует. Новый: отправьте ОТКЛЮЧИТЬ.'),
    help: (_, f) => `Расторжение: ОТКЛЮЧИТЬ (придут условия и код). Талон в салон: ТАЛОН. Отписаться: СТОП. ${f.siteUrl}`,
    stopped: (_, f) => `Больше не пишем вам с ${f.shortNumber}, код отменён. Начать снова: ОТКЛЮЧИТЬ или ПОМОЩЬ.`,
    rate_limited: (r) => `Слишком много сообщений. Попробуйте через ${waitInWords(r.retryAfterSeconds, 'ru')}.`,
  },
  en: {
    preview: ({ facts: p }, f) =>
      [
        `Your contract ends on ${f.day(p.effectiveAt)} if you confirm.`,
        ...shownFacts(p, f, { owed: (m) => `To pay: ${m}.`, refund: (m) => `Refund: ${m}.`, data: (d) => `Data lost: ${d}.` }),
        `To confirm, reply ${p.code}. Not you? Do not reply.`,
      ].join(' '),
    confirmed: (r, f) => `Request ${r.reference} confirmed: your contract ends on ${f.day(r.effectiveAt)}. To withdraw: ${f.siteUrl}`,
    wrong_code: (r) => (r.attemptsLeft > 0 ? `That code is wrong or expired. Tries left: ${r.attemptsLeft}.` : 'That code is wrong and no longer works. Text CANCEL for a new one.'),
    help: (_, f) => `To end your contract, text CANCEL: we reply with the terms and a code. TICKET: a shop queue ticket. STOP: opt out. ${f.siteUrl}`,
    stopped: (_, f) => `No more texts from ${f.shortNumber}; your code is void. To start again, text CANCEL or HELP.`,
    rate_limited: (r) => `Too many messages. Try again in ${waitInWords(r.retryAfterSeconds, 'en')}.`,
  },
  zh: {
    preview: ({ facts: p }, f) =>
      `${[`确认后，合同将于${f.day(p.effectiveAt)}终止`, ...shownFacts(p, f, { owed: (m) => `需付${m}`, refund: (m) => `退款${m}`, data: (d) => `剩余${d}流量作废` })].join('，')}。回复${p.code}确认。不是您本人？请勿回复。`,
    confirmed: (r, f) => `申请${r.reference}已确认，合同将于${f.day(r.effectiveAt)}终止。撤回：${f.siteUrl}`,
    wrong_code: (r) => (r.attemptsLeft > 0 ? `验证码错误或已过期，还可尝试${r.attemptsLeft}次。` : '验证码错误，已失效。发送“注销”获取新验证码。'),
    help: (_, f) => `注销合同：发送“注销”，我们将回复条款和验证码。发送“取号”预约营业厅排号。回复TD退订。${f.siteUrl}`,
    stopped: (_, f) => `${f.shortNumber}将不再给您发短信，验证码已作废。重新开始请发送“注销”或“帮助”。`,
    rate_limited: (r) => `消息过多，请${waitInWords(r.retryAfterSeconds, 'zh')}后再试。`,
  },
};

/**
 * The text of a reply in the formatter's language. No-break spaces (money and dates use them) become plain
 * spaces: GSM-7 has none, and one would send an English reply as UCS2 at 70 characters an SMS instead of 160.
 */
export function smsReplyText(reply: SmsReply, f: SmsFormat): string {
  const write = WORDS[f.language][reply.kind] as (r: SmsReply, f: SmsFormat) => string;
  return write(reply, f).replace(/[\u00a0\u202f]/g, ' ');
}

/** How often one number may text the short number: at most `maxMessages` in any `windowSeconds`. */
export interface SmsRatePolicy {
  readonly maxMessages: number;
  readonly windowSeconds: number;
}

/**
 * 5 in 10 minutes: a whole cancel takes two messages (the keyword, the code), and HELP, a mistyped code and a
 * second try still fit; a script or a loop between two autoresponders does not. Codes sent are limited apart,
 * by the policy's `otp` sends per number.
 */
export const DEFAULT_SMS_RATE: SmsRatePolicy = { maxMessages: 5, windowSeconds: 600 };

export type SmsRateDecision =
  | { readonly kind: 'allow' }
  /** `tell`: answer this one with the rate-limited reply; only the first refusal is answered, so a flood of messages never becomes a flood of replies. */
  | { readonly kind: 'refuse'; readonly retryAfterSeconds: number; readonly tell: boolean };

/**
 * Whether to act on a message from a number, given when that number texted before (`history`: every earlier
 * inbound message, refused ones too, the message at hand not included; in any order). Refused messages count,
 * so a number that keeps texting stays refused; `retryAfterSeconds` is how long it must then stay silent.
 */
export function smsRateDecision(history: readonly Instant[], now: Instant, policy: SmsRatePolicy = DEFAULT_SMS_RATE): SmsRateDecision {
  const nowMs = ms(now);
  const windowMs = policy.windowSeconds * 1000;
  const recent = history.map(ms).filter((t) => t > nowMs - windowMs).sort((a, b) => a - b);
  if (recent.length < policy.maxMessages) return { kind: 'allow' };
  // With this message recorded too, the window must lose all but maxMessages - 1 of them.
  const withThis = [...recent, nowMs].sort((a, b) => a - b);
  const leaves = withThis[withThis.length - policy.maxMessages] ?? nowMs;
  return { kind: 'refuse', retryAfterSeconds: Math.ceil((leaves + windowMs - nowMs) / 1000), tell: recent.length === policy.maxMessages };
}
