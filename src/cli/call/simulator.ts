/**
 * A phone call played against a running simexit the way a voice platform (Twilio, SignalWire, Telnyx TeXML)
 * plays it: the incoming-call webhook, then each verb of each TwiML answer in order — `<Say>` is heard,
 * `<Gather>` waits for keys and posts them to its action, `<Redirect>` is followed, `<Enqueue>` plays the
 * queue's wait URL, `<Hangup>` ends — and the status callback when the call ends. Every webhook is form-encoded
 * and signed as the platform signs it (HMAC-SHA1 of the full URL and the sorted parameters), so the server
 * checks the simulator exactly as it checks the platform.
 */
import { randomBytes } from 'node:crypto';
import { voiceSignature } from '../../channels/voice/signature.ts';
import { readTwiml, type Said, type Verb } from './twiml-reader.ts';

/** What the caller hears in one answer, and what the platform waits for after it. */
export interface Turn {
  readonly said: readonly Said[];
  /** Keys the answer waits for (a `<Gather>`), or null when it waits for none. */
  readonly gather: { readonly numDigits: number | null; readonly timeoutSeconds: number } | null;
  /** In the agent queue: this answer is the queue's wait message. */
  readonly holding: boolean;
  /** What the caller pressed: digits, '' for silence, null when nothing was asked or the caller hung up. */
  pressed: string | null;
}

/** Where the caller's keys come from: a script, the keyboard. `null` hangs up. */
export type Keys = (turn: Turn, index: number) => Promise<string | null>;

export interface CallOptions {
  /** Where the webhooks go, e.g. http://localhost:8080. */
  readonly serverUrl: string;
  /** The address the platform signs (the server's SIMEXIT_VOICE_BASE_URL; the server's own address when unset). */
  readonly signingBaseUrl: string;
  readonly authToken: string;
  readonly from: string;
  readonly to: string;
  readonly keys: Keys;
  /** Called as each answer is heard (the CLI prints and speaks it). */
  readonly onTurn?: (turn: Turn) => Promise<void> | void;
  /** Waits in the agent queue before the caller gives up (each plays the wait URL once). */
  readonly holdTurns?: number;
  readonly fetch?: typeof fetch;
}

export type CallEnd = 'hung_up_by_menu' | 'caller_hung_up' | 'dialled' | 'left_the_queue' | 'document_ended';

export interface CallResult {
  readonly callSid: string;
  readonly turns: readonly Turn[];
  readonly ended: CallEnd;
  readonly dialled: string | null;
}

/** How many answers one call may take before the simulator stops it (a server that loops). */
const MAX_ANSWERS = 200;

export async function playCall(options: CallOptions): Promise<CallResult> {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const http = options.fetch ?? fetch;
  const base = { AccountSid: 'ACsimulator', CallSid: callSid, From: options.from, To: options.to, Direction: 'inbound', ApiVersion: '2010-04-01' };
  const turns: Turn[] = [];
  let answers = 0;
  let queueSeconds = 0;

  async function post(path: string, params: Record<string, string>): Promise<Verb[]> {
    if (++answers > MAX_ANSWERS) throw new Error(`the call took more than ${MAX_ANSWERS} answers: stopped`);
    const url = new URL(path, `${options.serverUrl.replace(/\/+$/, '')}/`);
    const signed = `${options.signingBaseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
    const all = { ...base, ...params };
    const r = await http(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'x-twilio-signature': voiceSignature(options.authToken, signed, all) },
      body: new URLSearchParams(all).toString(),
    });
    const text = await r.text();
    if (r.status === 403) throw new Error('the server refused the signature (403): is the auth token the server uses the one given here?');
    if (!r.ok && !text.includes('<Response')) throw new Error(`${url.pathname}: HTTP ${r.status} ${text.slice(0, 200)}`);
    return readTwiml(text);
  }

  const hear = async (said: readonly Said[], gather: Turn['gather'], holding: boolean): Promise<Turn> => {
    const turn: Turn = { said, gather, holding, pressed: null };
    turns.push(turn);
    await options.onTurn?.(turn);
    return turn;
  };

  let verbs = await post('/voice/twiml/incoming', { CallStatus: 'ringing' });
  let holding = false;
  let ended: CallEnd = 'document_ended';
  let dialled: string | null = null;
  play: for (;;) {
    let said: Said[] = [];
    let next: Verb[] | null = null;
    for (const verb of verbs) {
      if (verb.verb === 'say') {
        said.push(verb.said);
      } else if (verb.verb === 'gather') {
        const turn = await hear([...said, ...verb.said], { numDigits: verb.numDigits, timeoutSeconds: verb.timeoutSeconds }, holding);
        said = [];
        const keys = await options.keys(turn, turns.length - 1);
        turn.pressed = keys;
        if (keys === null) {
          ended = holding ? 'left_the_queue' : 'caller_hung_up';
          break play;
        }
        // Silence: the action hears an empty Digits where the answer asks for it, otherwise the next verb plays.
        if (keys === '' && !verb.actionOnEmptyResult) continue;
        next = await post(verb.action, { CallStatus: 'in-progress', Digits: keys, FinishedOnKey: '' });
        break;
      } else if (verb.verb === 'redirect') {
        if (said.length) await hear(said, null, holding);
        said = [];
        next = await post(verb.url, { CallStatus: 'in-progress' });
        break;
      } else if (verb.verb === 'enqueue') {
        if (said.length) await hear(said, null, holding);
        said = [];
        if (!verb.waitUrl) {
          ended = 'left_the_queue';
          break play;
        }
        holding = true;
        next = await hold(verb.waitUrl);
        if (!next) {
          ended = 'left_the_queue';
          break play;
        }
        break;
      } else if (verb.verb === 'dial') {
        if (said.length) await hear(said, null, holding);
        dialled = verb.number;
        ended = 'dialled';
        break play;
      } else {
        if (said.length) await hear(said, null, holding);
        ended = 'hung_up_by_menu';
        break play;
      }
    }
    if (next) {
      verbs = next;
      continue;
    }
    if (said.length) await hear(said, null, holding);
    // A wait message ends without a verb: the queue plays the wait URL again.
    if (holding) {
      const again = await hold('/voice/twiml/hold');
      if (again) {
        verbs = again;
        continue;
      }
      ended = 'left_the_queue';
    }
    break;
  }

  async function hold(waitUrl: string): Promise<Verb[] | null> {
    const waits = turns.filter((t) => t.holding).length;
    if (waits >= (options.holdTurns ?? 2)) return null;
    queueSeconds += 30;
    return post(waitUrl, { CallStatus: 'in-progress', QueuePosition: '1', QueueTime: String(queueSeconds), QueueSid: 'QUsimulator', CurrentQueueSize: '1' });
  }

  // The platform's status callback closes the call record.
  await post('/voice/twiml/status', { CallStatus: 'completed', CallDuration: String(turns.length * 10) });
  return { callSid, turns, ended, dialled };
}
