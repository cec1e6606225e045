/**
 * The phone hotline's channel: the voice platform's webhooks in the TwiML dialect under /voice/twiml. Every
 * request must carry the platform's signature (signature.ts) over the configured base URL, the path and the
 * form parameters, and must not have been seen before (a replay is refused from the store, whichever process
 * saw it); otherwise 403 and a log line. Errors are answered in TwiML: a polite sentence in the call's language
 * and a hand-over to an agent, never JSON. Handlers translate to src/app/hotline.ts and back, nothing else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { answerCall, callStatus, firstTimeWebhook, handOverAfterError, holdKeys, holdMessage, type HotlineTurn, languageOfCall, pressKeys } from '../../app/hotline.ts';
import { AppError } from '../../domain/errors.ts';
import type { Language } from '../../domain/languages.ts';
import { toHttpError } from '../api/errors.ts';
import type { Channel } from '../http/channel.ts';
import { word } from './prompts.ts';
import { validVoiceSignature } from './signature.ts';
import { renderTwiml, type TwimlTurn } from './twiml.ts';

export const VOICE_PREFIX = '/voice/twiml';
const HOLD_URL = `${VOICE_PREFIX}/hold`;
/** Seconds a Gather waits for the first key; a caller who asked for slow speech gets longer. */
const GATHER_TIMEOUT = { normal: 6, slow: 10 } as const;
const CALL_SID = /^[A-Za-z0-9_-]{1,64}$/;
const FORM_LIMIT = 16 * 1024;

type Form = Record<string, string>;

/** Requests whose signature was checked: only these may move a call (an error hands it over). */
const signed = new WeakSet<FastifyRequest>();

/** The platform's form body: one value per name (the platform never repeats one). */
function parseForm(text: string): Form {
  const form: Form = {};
  for (const [name, value] of new URLSearchParams(text)) form[name] = value;
  return form;
}

const formOf = (request: FastifyRequest): Form => (request.body && typeof request.body === 'object' ? (request.body as Form) : {});

function callSidOf(request: FastifyRequest): string {
  const sid = formOf(request).CallSid;
  if (!sid || !CALL_SID.test(sid)) throw new AppError('VALIDATION_FAILED', { reason: 'CallSid is missing or not a call id', field: 'CallSid' });
  return sid;
}

/** `Digits` as sent: empty when the caller said nothing (silence is a wrong input, not a missing field). */
const digitsOf = (request: FastifyRequest): string => (formOf(request).Digits ?? '').slice(0, 32);

const speakingOf = (ctx: AppContext) => ({ timeZone: ctx.policy.operator.timezone, operatorName: ctx.policy.operator.name });
const queueOf = (language: Language) => `agents-${language}`;

/** A hotline turn as TwiML. */
export function twimlOf(ctx: AppContext, turn: HotlineTurn, place: 'menu' | 'hold' = 'menu', waited = ''): string {
  const say = turn.say.map((p) => word(p, turn.language, speakingOf(ctx)));
  const timeoutSeconds = turn.slow ? GATHER_TIMEOUT.slow : GATHER_TIMEOUT.normal;
  const next = turn.next;
  let rendered: TwimlTurn['next'];
  if (next.kind === 'gather' && place === 'hold') {
    // While waiting, the queue plays the wait URL again when this ends: no fallback needed.
    // Each wait names its own keys URL (the seconds waited), so two presses of the same key are two webhooks, not a replay.
    rendered = { kind: 'gather', numDigits: next.numDigits, timeoutSeconds, action: `${HOLD_URL}/keys?waited=${encodeURIComponent(waited)}` };
  } else if (next.kind === 'gather') {
    const action = `${VOICE_PREFIX}/gather?turn=${turn.turn}`;
    rendered = { kind: 'gather', numDigits: next.numDigits, ...(next.finishOnKey ? { finishOnKey: next.finishOnKey } : {}), timeoutSeconds, action, silenceUrl: `${action}&silence=1` };
  } else if (next.kind === 'agent') {
    rendered = place === 'hold' ? { kind: 'none' } : { kind: 'enqueue', queue: queueOf(turn.language), waitUrl: HOLD_URL };
  } else if (next.kind === 'hangup') {
    rendered = { kind: 'hangup' };
  } else {
    rendered = { kind: 'redirect', url: `${VOICE_PREFIX}/gather?turn=${turn.turn}` };
  }
  return renderTwiml({ say, slow: turn.slow, next: rendered });
}

const sendXml = (reply: FastifyReply, xml: string, status = 200) => reply.code(status).type('text/xml; charset=utf-8').send(xml);

/** The full URL the platform signed: the configured base (or the site's address) and the path with its query. */
function signedUrl(ctx: AppContext, request: FastifyRequest): string {
  const base = (ctx.voice?.baseUrl ?? ctx.policy.operator.siteUrl).replace(/\/+$/, '');
  return `${base}${request.url}`;
}

/** Refuses a webhook that is unsigned, wrongly signed or seen before: 403, logged with why. */
async function checkSignature(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const header = request.headers['x-twilio-signature'];
  const signature = typeof header === 'string' ? header : undefined;
  const url = signedUrl(ctx, request);
  const form = formOf(request);
  const refuse = (why: string) => {
    request.log.warn({ url: request.url, callSid: typeof form.CallSid === 'string' ? form.CallSid : null, why }, 'voice webhook refused');
    return sendXml(reply, renderTwiml({ say: [], slow: false, next: { kind: 'hangup' } }), 403);
  };
  if (!ctx.voice) return refuse('no voice platform is configured');
  if (!signature) return refuse('no signature');
  if (!validVoiceSignature(ctx.voice.authToken, signature, url, form)) return refuse('bad signature');
  if (!(await firstTimeWebhook(ctx, { callSid: form.CallSid ?? '', signature, url, params: form }))) return refuse('replayed');
  signed.add(request);
  return undefined;
}

/** An error on a hotline route, in TwiML: a signature problem is a bare 403; anything else apologises and hands over. */
async function sendVoiceError(ctx: AppContext, error: Error, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { status } = toHttpError(error, request);
  if (status >= 500) request.log.error({ err: error }, 'voice turn failed');
  const sid = formOf(request).CallSid;
  const known = sid && CALL_SID.test(sid) ? sid : undefined;
  // An unsigned request (refused before its signature was checked: too large, a NUL, a bad type) moves no call.
  const language = await (signed.has(request) ? handOverAfterError(ctx, known) : languageOfCall(ctx, known)).catch((): Language => ctx.policy.defaultLanguage);
  const say = [word({ key: 'technical_problem' }, language, speakingOf(ctx)), word({ key: 'handover' }, language, speakingOf(ctx))];
  // The platform hears a 200 for a turn that failed on our side (it would otherwise speak its own error); 4xx as is.
  return sendXml(reply, renderTwiml({ say, slow: false, next: { kind: 'enqueue', queue: queueOf(language), waitUrl: HOLD_URL } }), status >= 500 ? 200 : status);
}

async function voiceRoutes(ctx: AppContext, app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => done(null, parseForm(String(body))));
  app.addHook('preHandler', async (request, reply) => {
    const refused = await checkSignature(ctx, request, reply);
    if (refused) return refused;
  });
  const hide = { schema: { hide: true } };

  app.post(`${VOICE_PREFIX}/incoming`, hide, async (request, reply) => {
    const form = formOf(request);
    const turn = await answerCall(ctx, { callSid: callSidOf(request), from: form.From ?? '', to: form.To ?? '', status: form.CallStatus ?? null });
    return sendXml(reply, twimlOf(ctx, turn));
  });

  app.post(`${VOICE_PREFIX}/gather`, hide, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const turn = Number(query.turn);
    if (!Number.isSafeInteger(turn) || turn < 1) throw new AppError('VALIDATION_FAILED', { reason: 'turn is missing', field: 'turn' });
    const answer = await pressKeys(ctx, { callSid: callSidOf(request), turn, digits: query.silence ? '' : digitsOf(request) });
    return sendXml(reply, twimlOf(ctx, answer));
  });

  app.post(HOLD_URL, hide, async (request, reply) => {
    const waited = (formOf(request).QueueTime ?? '').replace(/[^0-9]/g, '').slice(0, 9) || String(Date.parse(ctx.clock()));
    return sendXml(reply, twimlOf(ctx, await holdMessage(ctx, callSidOf(request)), 'hold', waited));
  });

  app.post(`${HOLD_URL}/keys`, hide, async (request, reply) => sendXml(reply, twimlOf(ctx, await holdKeys(ctx, { callSid: callSidOf(request), digits: digitsOf(request) }), 'hold')));

  app.post(`${VOICE_PREFIX}/status`, hide, async (request, reply) => {
    const status = formOf(request).CallStatus ?? '';
    if (!/^[a-z-]{1,32}$/.test(status)) throw new AppError('VALIDATION_FAILED', { reason: 'CallStatus is missing', field: 'CallStatus' });
    await callStatus(ctx, { callSid: callSidOf(request), status });
    return sendXml(reply, renderTwiml({ say: [], slow: false, next: { kind: 'none' } }));
  });
}

/** The hotline under /voice (TwiML webhooks), signed by the platform configured in SIMEXIT_VOICE_*. */
export function voiceChannel(ctx: AppContext): Channel {
  return {
    name: 'voice',
    dataPrefixes: ['voice'],
    errors: (error, request, reply) => sendVoiceError(ctx, error, request, reply),
    register: (scope) => voiceRoutes(ctx, scope),
  };
}
