/**
 * The TwiML dialect (Twilio; SignalWire and Telnyx TeXML speak it too): one answer per webhook, a `<Response>`
 * of verbs. Pure: takes what to say and what comes next, returns the XML, every text and attribute escaped.
 *
 * Slow speech (`9` on the menu) wraps each sentence in SSML `<prosody rate="slow">` inside `<Say>`: Twilio's
 * Polly and Google voices, SignalWire and Telnyx honour it, and a voice that knows no SSML still reads the
 * words. A `rate` attribute on `<Say>` is not part of TwiML, so it is not used.
 */
import { type Language, LOCALE_OF } from '../../domain/languages.ts';

/** One sentence in one language (the language menu speaks each option in its own). */
export interface Spoken {
  readonly text: string;
  readonly language: Language;
}

export type TwimlNext =
  /** Waits for keys: `action` gets `Digits` (empty on silence, `actionOnEmptyResult`); `silenceUrl` is the fallback where that attribute is unknown. */
  | { readonly kind: 'gather'; readonly numDigits: number; readonly finishOnKey?: string; readonly timeoutSeconds: number; readonly action: string; readonly silenceUrl?: string }
  /** Joins a queue; `waitUrl` plays while the caller waits. */
  | { readonly kind: 'enqueue'; readonly queue: string; readonly waitUrl: string; readonly action?: string }
  | { readonly kind: 'dial'; readonly number: string }
  | { readonly kind: 'redirect'; readonly url: string }
  | { readonly kind: 'hangup' }
  /** Ends the document after speaking (a wait message: the queue plays it again). */
  | { readonly kind: 'none' };

export interface TwimlTurn {
  readonly say: readonly Spoken[];
  readonly slow: boolean;
  readonly next: TwimlNext;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const attrs = (values: Record<string, string | number | undefined>): string =>
  Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

/** The `language` attribute of `<Say>`: ru-RU, en-GB, zh-CN. */
export const sayLanguage = (language: Language): string => LOCALE_OF[language];

function says(turn: TwimlTurn): string {
  return turn.say
    .map((s) => {
      const text = xmlEscape(s.text);
      return `<Say${attrs({ language: sayLanguage(s.language) })}>${turn.slow ? `<prosody rate="slow">${text}</prosody>` : text}</Say>`;
    })
    .join('');
}

/** The whole answer as XML. */
export function renderTwiml(turn: TwimlTurn): string {
  const next = turn.next;
  let body: string;
  switch (next.kind) {
    case 'gather':
      body =
        `<Gather${attrs({ input: 'dtmf', numDigits: next.numDigits, timeout: next.timeoutSeconds, finishOnKey: next.finishOnKey ?? '', action: next.action, method: 'POST', actionOnEmptyResult: 'true' })}>${says(turn)}</Gather>` +
        (next.silenceUrl ? `<Redirect method="POST">${xmlEscape(next.silenceUrl)}</Redirect>` : '');
      break;
    case 'enqueue':
      body = `${says(turn)}<Enqueue${attrs({ waitUrl: next.waitUrl, waitUrlMethod: 'POST', action: next.action, method: next.action ? 'POST' : undefined })}>${xmlEscape(next.queue)}</Enqueue>`;
      break;
    case 'dial':
      body = `${says(turn)}<Dial>${xmlEscape(next.number)}</Dial>`;
      break;
    case 'redirect':
      body = `${says(turn)}<Redirect method="POST">${xmlEscape(next.url)}</Redirect>`;
      break;
    case 'hangup':
      body = `${says(turn)}<Hangup/>`;
      break;
    case 'none':
      body = says(turn);
      break;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}
