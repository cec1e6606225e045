import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { buildServer } from '../../src/channels/api/server.ts';
import type { TestApp } from './stores.ts';

/** The address the test platform calls the hotline at; its signatures cover it. */
export const VOICE_BASE_URL = 'https://voice.simexit.test';

export type VoiceApp = TestApp & { voice: { authToken: string; baseUrl: string } };

/** A test installation with a voice platform of its own (a fresh random auth token). */
export const withVoice = (app: TestApp): VoiceApp => Object.assign(app, { voice: { authToken: randomBytes(24).toString('base64url'), baseUrl: VOICE_BASE_URL } });

export const hotlineServer = (app: VoiceApp): Promise<FastifyInstance> => buildServer(app, {});

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);

/** What one answer says and does, read off its TwiML. */
export interface Heard {
  readonly status: number;
  readonly xml: string;
  readonly said: string[];
  readonly languages: string[];
  /** The Gather's action (the next keys go there), if it waits for keys. */
  readonly action: string | null;
  readonly numDigits: number | null;
  readonly enqueued: string | null;
  readonly hungUp: boolean;
}

export function heard(status: number, xml: string): Heard {
  const says = [...xml.matchAll(/<Say language="([^"]+)">(?:<prosody rate="slow">)?(.*?)(?:<\/prosody>)?<\/Say>/g)];
  const gather = /<Gather [^>]*numDigits="(\d+)"[^>]*action="([^"]+)"/.exec(xml);
  return {
    status,
    xml,
    said: says.map((m) => unescape(m[2] ?? '')),
    languages: says.map((m) => m[1] ?? ''),
    action: gather ? unescape(gather[2] ?? '') : null,
    numDigits: gather ? Number(gather[1]) : null,
    enqueued: /<Enqueue[^>]*>([^<]+)<\/Enqueue>/.exec(xml)?.[1] ?? null,
    hungUp: xml.includes('<Hangup/>'),
  };
}

/** Posts a webhook the way the platform does: form-encoded, signed over the full URL and the sorted parameters. */
export async function webhook(server: FastifyInstance, app: VoiceApp, path: string, params: Record<string, string>, options: { signature?: string | null } = {}) {
  const url = `${VOICE_BASE_URL}${path}`;
  const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(app.voice.authToken, url, params) : options.signature;
  const r = await server.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    payload: new URLSearchParams(params).toString(),
  });
  return heard(r.statusCode, r.body);
}

let calls = 0;

/** One phone call: starts with the incoming webhook, then presses keys where the last answer's Gather points. */
export class PhoneCall {
  readonly sid = `CA${randomBytes(16).toString('hex')}`;
  last: Heard | null = null;
  readonly transcript: string[] = [];
  private server: FastifyInstance;
  private readonly app: VoiceApp;
  readonly from: string;
  readonly to: string;

  constructor(server: FastifyInstance, app: VoiceApp, from: string, to = '+74950000000') {
    this.server = server;
    this.app = app;
    this.from = from;
    this.to = to;
    calls++;
  }

  /** The call goes on through another server (a restart, another process behind the balancer). */
  useServer(server: FastifyInstance): void {
    this.server = server;
  }

  private base(): Record<string, string> {
    return { AccountSid: 'ACtest', CallSid: this.sid, From: this.from, To: this.to, Direction: 'inbound', CallStatus: 'in-progress', ApiVersion: '2010-04-01' };
  }

  private async post(path: string, params: Record<string, string>): Promise<Heard> {
    const h = await webhook(this.server, this.app, path, params);
    if (h.status !== 200) throw new Error(`${path}: ${h.status} ${h.xml}`);
    this.last = h;
    this.transcript.push(...h.said);
    return h;
  }

  start(): Promise<Heard> {
    return this.post('/voice/twiml/incoming', { ...this.base(), CallStatus: 'ringing' });
  }

  /** Presses keys at the last Gather; empty digits is silence. */
  press(digits: string): Promise<Heard> {
    const action = this.last?.action;
    if (!action) throw new Error(`nothing is waiting for keys: ${this.last?.xml}`);
    return this.post(action, { ...this.base(), Digits: digits, FinishedOnKey: '' });
  }

  /** The caller waits in the agent queue: the wait URL. */
  hold(): Promise<Heard> {
    return this.post('/voice/twiml/hold', { ...this.base(), QueuePosition: '1', QueueTime: String(calls) });
  }

  status(status: string): Promise<Heard> {
    return this.post('/voice/twiml/status', { ...this.base(), CallStatus: status, CallDuration: '42' });
  }

  said(): string {
    return (this.last?.said ?? []).join(' ');
  }
}
