/**
 * The phone hotline's use cases (issue 13). The voice channel calls only these: a call comes in, keys are
 * pressed, the caller waits for an agent, the platform says the call ended. Each turn loads the call from the
 * store, runs the pure call flow (src/domain/call-flow.ts), performs the effects it asks for through the
 * application's own functions (the preview, the request, codes, payments, the agent queue) and saves the call,
 * so the next webhook may reach any process. A turn is taken by its version first: two webhooks for one turn
 * cannot both advance the call (the second hears the prompt again).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { advance, type CallEffect, type CallEvent, type CallFlow, type CallOutcome, type CallRecord, type LineRef, type Next, type Prompt, promptOf, type SpokenPreview, startCall, type Step } from '../domain/call-flow.ts';
import { AppError } from '../domain/errors.ts';
import { isLanguage, type Language } from '../domain/languages.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import type { Preview } from '../domain/preview.ts';
import { addSeconds } from '../domain/time.ts';
import { callBySid, callOutcomes, claimTurn, insertCall, recordCallStatus, rememberWebhook, saveTurn } from '../store/calls.repository.ts';
import { inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { liveLinesByMsisdn } from '../store/lines.repository.ts';
import { customersById } from '../store/parties.repository.ts';
import { enqueueForAgent, markCallEnded, queuePosition } from './agent-queue.ts';
import type { AppContext } from './context.ts';
import { guessFailed, guessKeys, guessSucceeded, takeGuess } from './lockout.ts';
import { checkOtp, issueOtp } from './otp.ts';
import type { Principal } from './principal.ts';
import { requestTermination } from './request-termination.ts';
import { previewLine } from './self-service.ts';

/** What the channel says and does next, in the call's language. */
export interface HotlineTurn {
  readonly callSid: string;
  readonly language: Language;
  readonly slow: boolean;
  readonly say: readonly Prompt[];
  readonly next: Next;
  /** The turn the next keys belong to (the Gather's action names it). */
  readonly turn: number;
}

/** How long a signed webhook is remembered to refuse its replay. */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 24 * 3600;

/** Platform statuses that end a call (status callbacks). */
export const CALL_END_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;

const languageOf = (ctx: AppContext, flow: CallFlow): Language => flow.language ?? flow.knownLanguage ?? (isLanguage(ctx.policy.defaultLanguage) ? ctx.policy.defaultLanguage : 'en');

const turnOf = (ctx: AppContext, call: CallRecord, say: readonly Prompt[], next: Next): HotlineTurn => ({ callSid: call.callSid, language: languageOf(ctx, call.flow), slow: call.flow.slow, say, next, turn: call.version });

async function lineRefOf(ctx: AppContext, msisdn: string): Promise<LineRef | null> {
  const line = (await liveLinesByMsisdn(ctx.store.db, [msisdn])).get(msisdn);
  if (!line || line.state === 'terminated') return null;
  const customer = (await customersById(ctx.store.db, [line.customerId])).get(line.customerId);
  if (!customer) return null;
  return { lineId: line.id, customerId: customer.id, msisdn: line.msisdn, language: customer.language };
}

function normalized(ctx: AppContext, text: string): string | null {
  try {
    return normalizeMsisdn(text, ctx.policy.operator.country);
  } catch {
    return null;
  }
}

/**
 * A call comes in: recorded once per CallSid (a repeated first webhook answers the prompt the call is at), the
 * calling number looked up among our live lines (it picks the line and the language offered first; it never
 * authenticates anyone).
 */
export async function answerCall(ctx: AppContext, input: { callSid: string; from: string; to: string; status: string | null }): Promise<HotlineTurn> {
  const existing = await callBySid(ctx.store.db, input.callSid);
  if (existing) return turnOf(ctx, existing, promptOf(existing.flow).say, promptOf(existing.flow).next);
  const from = normalized(ctx, input.from);
  const callerLine = from ? await lineRefOf(ctx, from) : null;
  const step = startCall({ callerLine, codeLength: ctx.policy.otp.length });
  const now = ctx.clock();
  const call: CallRecord = { id: newId('call'), callSid: input.callSid, from: from ?? input.from, to: input.to, flow: step.call, agentEntryId: null, platformStatus: input.status, version: 1, startedAt: now, answeredAt: now, handedOverAt: null, endedAt: null };
  const { call: stored } = await insertCall(ctx.store.db, call);
  const flow = promptOf(stored.flow);
  return turnOf(ctx, stored, stored === call ? step.say : flow.say, flow.next);
}

/** Keys pressed (or silence: empty `digits`) for turn `turn` of a call. */
export async function pressKeys(ctx: AppContext, input: { callSid: string; turn: number; digits: string }): Promise<HotlineTurn> {
  const call = await callBySid(ctx.store.db, input.callSid);
  if (!call) throw new AppError('NOT_FOUND', { input: `call ${input.callSid}` });
  const repeat = (c: CallRecord) => turnOf(ctx, c, promptOf(c.flow).say, promptOf(c.flow).next);
  // A late or parallel webhook for a turn already taken: the caller hears where the call is now.
  if (input.turn !== call.version || !(await claimTurn(ctx.store.db, call.callSid, call.version, ctx.clock()))) {
    const now = await callBySid(ctx.store.db, input.callSid);
    return repeat(now ?? call);
  }
  const claimed: CallRecord = { ...call, version: call.version + 1 };
  const { call: done, say, next } = await play(ctx, claimed, advance(claimed.flow, { kind: 'digits', digits: input.digits }));
  if (!(await saveTurn(ctx.store.db, done, ctx.clock()))) return repeat((await callBySid(ctx.store.db, input.callSid)) ?? done);
  return turnOf(ctx, done, say, next);
}

/** Runs a step's effects, feeding each result back to the flow, until the call waits for the caller again. */
async function play(ctx: AppContext, start: CallRecord, first: Step): Promise<{ call: CallRecord; say: Prompt[]; next: Next }> {
  let call: CallRecord = { ...start, flow: first.call };
  let step = first;
  const say = [...first.say];
  for (let rounds = 0; rounds < 16; rounds++) {
    let result: CallEvent | null = null;
    for (const effect of step.effects) {
      const done = await perform(ctx, call, effect);
      call = done.call;
      result = done.event ?? result;
    }
    if (step.next.kind !== 'await') return { call, say, next: step.next };
    if (!result) throw new Error(`the call flow waits for a result no effect gave (${step.effects.map((e) => e.kind).join(', ')})`);
    step = advance(call.flow, result);
    call = { ...call, flow: step.call };
    say.push(...step.say);
  }
  throw new Error('the call flow did not come back to the caller');
}

const customerPrincipal = (line: LineRef): Principal => ({ kind: 'customer', id: line.customerId, name: '', language: line.language });

/** An effect's refusal, as the flow hears it. */
async function refusing(work: () => Promise<CallEvent>): Promise<CallEvent> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AppError) return { kind: 'effect_failed', code: e.code };
    throw e;
  }
}

function lineOf(call: CallRecord): LineRef {
  if (!call.flow.line) throw new Error('the call flow asked for a line effect before a line was found');
  return call.flow.line;
}

async function perform(ctx: AppContext, call: CallRecord, effect: CallEffect): Promise<{ call: CallRecord; event?: CallEvent }> {
  const address = `phone:${call.from}`;
  switch (effect.kind) {
    case 'find_line': {
      const msisdn = normalized(ctx, effect.digits);
      return { call, event: { kind: 'line_found', line: msisdn ? await lineRefOf(ctx, msisdn) : null } };
    }
    case 'check_secret':
      return { call, event: await refusing(() => checkDocumentDigits(ctx, lineOf(call), effect.digits, address)) };
    case 'send_code':
      return {
        call,
        event: await refusing(async () => {
          const line = lineOf(call);
          await issueOtp(ctx, { customerId: line.customerId, purpose: 'hotline_sign_in', subject: call.id, msisdn: line.msisdn, language: languageOf(ctx, call.flow) });
          return { kind: 'code_sent' };
        }),
      };
    case 'check_code':
      return { call, event: await refusing(() => checkCode(ctx, call, effect.code, address)) };
    case 'load_preview':
      return { call, event: await refusing(async () => ({ kind: 'preview_loaded', preview: await spokenPreview(ctx, lineOf(call)) })) };
    case 'request_termination':
      return {
        call,
        event: await refusing(async () => {
          const line = lineOf(call);
          const { termination } = await requestTermination(ctx, {
            lineId: line.lineId,
            channel: 'phone_ivr',
            authority: 'subscriber',
            actor: { kind: 'customer', id: line.customerId, channel: 'phone_ivr' },
            effective: { mode: effect.effective },
            // The caller proved who they are (document digits and a code sent to the line) and heard the facts.
            confirmNow: effect.confirmed,
            chargesAccepted: effect.chargesAccepted,
          });
          return { kind: 'requested', reference: termination.reference, state: termination.state, effectiveAt: termination.effectiveAt };
        }),
      };
    case 'send_payment_link':
      await sendPaymentLink(ctx, call, lineOf(call), effect.reference);
      return { call };
    case 'enqueue_agent': {
      const line = call.flow.line;
      const entry = await enqueueForAgent(ctx, {
        kind: effect.queue,
        // The call's own id for a call back too: the queue keeps one entry per call (the caller keeps their place).
        callSid: call.callSid,
        language: languageOf(ctx, call.flow),
        callerNumber: call.from,
        customerId: call.flow.verified.smsCode ? (line?.customerId ?? null) : null,
        lineId: line?.lineId ?? null,
        verified: call.flow.verified,
        reason: effect.reason,
      });
      return { call: { ...call, agentEntryId: entry.id, handedOverAt: effect.queue === 'call' ? ctx.clock() : call.handedOverAt } };
    }
    case 'close':
      return { call };
  }
}

/** The last 4 digits of the document on the contract, counted like any guess (per line and calling number). */
async function checkDocumentDigits(ctx: AppContext, line: LineRef, digits: string, address: string): Promise<CallEvent> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const keys = guessKeys('hotline-document', line.lineId, { address });
  const { maxAttempts, maxAttemptsPerAddress, lockoutMinutes, slowDownAfter } = ctx.policy.signIn;
  const rules = { perPair: maxAttempts, perAddress: maxAttemptsPerAddress, lockoutMinutes, slowDownAfter };
  await takeGuess(db, keys, rules, now, 'AUTH_LOCKED');
  const customer = (await customersById(db, [line.customerId])).get(line.customerId);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const ok = Boolean(customer?.document?.last4) && timingSafeEqual(digest(customer?.document?.last4 ?? ''), digest(digits));
  if (!ok) {
    await guessFailed(db, keys, rules, now, 'AUTH_LOCKED');
    return { kind: 'secret_checked', ok: false };
  }
  await guessSucceeded(db, keys);
  return { kind: 'secret_checked', ok: true };
}

async function checkCode(ctx: AppContext, call: CallRecord, code: string, address: string): Promise<CallEvent> {
  try {
    const checked = await checkOtp(ctx, { purpose: 'hotline_sign_in', subject: call.id, code, address });
    await inTransaction(ctx.store, (tx) => checked.spend(tx));
    return { kind: 'code_checked', ok: true };
  } catch (e) {
    if (e instanceof AppError && e.code === 'OTP_INVALID') return { kind: 'code_checked', ok: false };
    throw e;
  }
}

function choiceFacts(p: Preview): SpokenPreview['now'] {
  const q = p.quote;
  const kept = Math.max(0, q.balance - q.finalInvoice - q.refund);
  return { effectiveAt: p.effectiveAt, finalInvoice: q.finalInvoice, earlyTerminationFee: q.earlyTerminationFee, instalments: q.instalmentsLeft, refund: q.refund, creditKept: kept, owedAfter: q.owedAfter, quarantineEndsAt: p.quarantineEndsAt };
}

/** The preview the site shows, for ending now and at the end of the period, as the call flow speaks it. */
async function spokenPreview(ctx: AppContext, line: LineRef): Promise<SpokenPreview> {
  const principal = customerPrincipal(line);
  const now = await previewLine(ctx, principal, line.lineId, 'phone_ivr', { mode: 'now' });
  const allowsEnd = ctx.policy.effectiveDates.allowed.includes('end_of_period');
  const end = allowsEnd ? await previewLine(ctx, principal, line.lineId, 'phone_ivr', { mode: 'end_of_period' }) : null;
  return {
    currency: now.quote.currency,
    owed: now.quote.owed,
    blockers: now.blockers.map((b) => b.code),
    dataLeftMb: now.dataLeftMb,
    reclaimAllowed: ctx.policy.quarantine.reclaimAllowed,
    now: choiceFacts(now),
    endOfPeriod: end && end.effectiveAt !== now.effectiveAt ? choiceFacts(end) : null,
  };
}

async function sendPaymentLink(ctx: AppContext, call: CallRecord, line: LineRef, reference: string): Promise<void> {
  const owed = call.flow.preview?.owed ?? 0;
  const now = ctx.clock();
  await inTransaction(ctx.store, (tx) =>
    ctx.adapters.notifier.enqueue(
      tx,
      [{ key: `${call.id}:termination.payment_link:sms`, customerId: line.customerId, subjectRef: reference, template: 'termination.payment_link', medium: 'sms', address: line.msisdn, language: languageOf(ctx, call.flow), payload: { reference, msisdn: line.msisdn, amount: owed, currency: call.flow.preview?.currency ?? ctx.policy.currency } }],
      now,
    ),
  );
}

/** What a caller waiting for an agent hears: their place in the queue and the expected wait, and how to be called back. */
export async function holdMessage(ctx: AppContext, callSid: string): Promise<HotlineTurn> {
  const call = await callBySid(ctx.store.db, callSid);
  if (!call) throw new AppError('NOT_FOUND', { input: `call ${callSid}` });
  const place = call.agentEntryId ? await queuePosition(ctx, call.agentEntryId) : null;
  const say: Prompt[] = place ? [{ key: 'hold', params: { position: place.position, waitSeconds: place.expectedWaitSeconds } }, { key: 'hold_menu' }] : [{ key: 'handover' }];
  return turnOf(ctx, call, say, place ? { kind: 'gather', numDigits: 1 } : { kind: 'agent' });
}

/** Keys pressed while waiting: `1` leaves the queue for a call back; anything else keeps the caller waiting. */
export async function holdKeys(ctx: AppContext, input: { callSid: string; digits: string }): Promise<HotlineTurn> {
  const call = await callBySid(ctx.store.db, input.callSid);
  if (!call) throw new AppError('NOT_FOUND', { input: `call ${input.callSid}` });
  if (input.digits.trim() !== '1' || call.flow.outcome === 'callback_requested') return holdMessage(ctx, input.callSid);
  if (!(await claimTurn(ctx.store.db, call.callSid, call.version, ctx.clock()))) return holdMessage(ctx, input.callSid);
  const claimed: CallRecord = { ...call, version: call.version + 1 };
  const { call: withEntry } = await perform(ctx, claimed, { kind: 'enqueue_agent', queue: 'callback', reason: 'caller waiting for an agent asked to be called back' });
  const done: CallRecord = { ...withEntry, flow: { ...withEntry.flow, state: 'ended', outcome: 'callback_requested' } };
  await saveTurn(ctx.store.db, done, ctx.clock());
  return turnOf(ctx, done, [{ key: 'callback_booked' }, { key: 'goodbye' }], { kind: 'hangup' });
}

/**
 * The platform's status callback. An end status (completed, busy, no-answer, failed) closes the call record:
 * the end time, and `abandoned` as the outcome of a call that ended in the menu without one.
 */
export async function callStatus(ctx: AppContext, input: { callSid: string; status: string }): Promise<{ known: boolean }> {
  const now = ctx.clock();
  const ends = (CALL_END_STATUSES as readonly string[]).includes(input.status);
  const outcome: CallOutcome | null = ends ? (input.status === 'completed' ? 'abandoned' : 'failed') : null;
  const known = await recordCallStatus(ctx.store.db, input.callSid, { status: input.status, endedAt: ends ? now : null, outcomeIfNone: outcome, now });
  // A caller who hangs up while waiting leaves the agent queue; a call back they asked for stays in it.
  if (known && ends) await markCallEnded(ctx, input.callSid, now);
  return { known };
}

/**
 * Remembers a signed webhook by a digest of its signature, URL and parameters: false when the very same one was
 * seen within the replay window. Kept in the store, so every server process refuses it.
 */
export async function firstTimeWebhook(ctx: AppContext, input: { callSid: string; signature: string; url: string; params: Readonly<Record<string, string>> }): Promise<boolean> {
  const now = ctx.clock();
  const text = [input.signature, input.url, ...Object.keys(input.params).sort().map((k) => `${k}=${input.params[k] ?? ''}`)].join('\n');
  const digest = createHash('sha256').update(text).digest('hex');
  return rememberWebhook(ctx.store.db, { digest, callSid: input.callSid, now, windowStart: addSeconds(now, -WEBHOOK_REPLAY_WINDOW_SECONDS) });
}


/**
 * A turn failed on our side: the caller is put through to an agent in their language rather than left with the
 * platform's error message. Best effort: if even this fails, the channel still answers with a hand-over.
 */
export async function handOverAfterError(ctx: AppContext, callSid: string | undefined): Promise<Language> {
  const call = callSid ? await callBySid(ctx.store.db, callSid).catch(() => undefined) : undefined;
  if (!call) return isLanguage(ctx.policy.defaultLanguage) ? ctx.policy.defaultLanguage : 'en';
  try {
    if (call.flow.state !== 'agent' && call.flow.state !== 'ended' && (await claimTurn(ctx.store.db, call.callSid, call.version, ctx.clock()))) {
      const claimed: CallRecord = { ...call, version: call.version + 1 };
      const { call: queued } = await perform(ctx, claimed, { kind: 'enqueue_agent', queue: 'call', reason: 'technical problem in the voice menu' });
      await saveTurn(ctx.store.db, { ...queued, flow: { ...queued.flow, state: 'agent', awaiting: null, outcome: 'handed_to_agent' } }, ctx.clock());
    }
  } catch {
    // The hand-over the channel answers still reaches the platform's queue.
  }
  return languageOf(ctx, call.flow);
}

/** The language a call is spoken in (the operator's default for a call we do not know), changing nothing. */
export async function languageOfCall(ctx: AppContext, callSid: string | undefined): Promise<Language> {
  const call = callSid ? await callBySid(ctx.store.db, callSid).catch(() => undefined) : undefined;
  return call ? languageOf(ctx, call.flow) : isLanguage(ctx.policy.defaultLanguage) ? ctx.policy.defaultLanguage : 'en';
}

/** Outcomes that finished the caller's business in the voice menu, without an agent. */
const FINISHED_IN_MENU: readonly string[] = ['completed_in_menu', 'blocked_request', 'payment_link_sent'];

export interface HotlineFigures {
  readonly since: string;
  readonly calls: number;
  /** Calls by outcome (`open` for calls still going on). */
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly byLanguage: Readonly<Record<string, number>>;
  /** Share of calls that ended with an outcome and finished in the voice menu without an agent (0 to 1). */
  readonly finishedInMenu: number;
}

/** The back office's figures for the hotline since an instant: calls by outcome and language, the share finished in the menu. */
export async function hotlineFigures(ctx: AppContext, since: string): Promise<HotlineFigures> {
  const rows = await callOutcomes(ctx.store.db, since);
  const byOutcome: Record<string, number> = {};
  const byLanguage: Record<string, number> = {};
  let calls = 0;
  let ended = 0;
  let inMenu = 0;
  for (const r of rows) {
    calls += r.calls;
    byOutcome[r.outcome ?? 'open'] = (byOutcome[r.outcome ?? 'open'] ?? 0) + r.calls;
    byLanguage[r.language ?? 'none'] = (byLanguage[r.language ?? 'none'] ?? 0) + r.calls;
    if (r.outcome) ended += r.calls;
    if (r.outcome && FINISHED_IN_MENU.includes(r.outcome)) inMenu += r.calls;
  }
  return { since, calls, byOutcome, byLanguage, finishedInMenu: ended === 0 ? 0 : inMenu / ended };
}
