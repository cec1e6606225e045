/**
 * The hotline's call flow as a pure state machine (issue 13): language menu → identify the line → authenticate
 * (last 4 document digits, then an SMS code to the line; caller ID alone is never enough, the password is never
 * asked) → hear what ending means → choose when → confirm → hear the reference. A debt offers a payment link by
 * SMS, a call back, or keeping the request blocked. At any prompt `0` hands over to an agent in the caller's
 * language, `*` repeats, `9` slows the speech for the rest of the call; silence and wrong keys are wrong inputs,
 * two repeat the prompt and the third hands over.
 *
 * `startCall` and `advance` take the call and one event (keys pressed, or the result of an effect the
 * application performed) and return the next call, the effects to perform and what to say, as abstract prompts
 * the channel words (prompts.ts) and renders (twiml.ts). No I/O, no clock.
 */
import type { Language } from './languages.ts';
import { assertTransition, type TransitionTable } from './state-machine.ts';

export const CALL_STATES = ['language', 'identify', 'secret', 'sms_code', 'debt', 'when', 'confirm', 'agent', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** Where each state may go; `advance` refuses anything else with INVALID_TRANSITION. */
export const CALL_TRANSITIONS: TransitionTable<CallState> = {
  language: ['language', 'identify', 'secret', 'agent', 'ended'],
  identify: ['identify', 'secret', 'agent', 'ended'],
  secret: ['secret', 'sms_code', 'agent', 'ended'],
  sms_code: ['sms_code', 'debt', 'when', 'agent', 'ended'],
  debt: ['debt', 'agent', 'ended'],
  when: ['when', 'confirm', 'agent', 'ended'],
  confirm: ['confirm', 'when', 'agent', 'ended'],
  agent: ['ended'],
  ended: [],
};

/** How a call ended, for the back office's figures. */
export const CALL_OUTCOMES = ['completed_in_menu', 'blocked_request', 'payment_link_sent', 'callback_requested', 'handed_to_agent', 'abandoned', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The keys of the language menu, the same on every call whatever is offered first. */
export const LANGUAGE_KEYS: Readonly<Record<Language, string>> = { ru: '1', en: '2', zh: '3' };

/** A line the call is about, as the application found it. */
export interface LineRef {
  readonly lineId: string;
  readonly customerId: string;
  readonly msisdn: string;
  readonly language: Language;
}

/** What ending the line means for one choice of date (amounts in minor units of `SpokenPreview.currency`). */
export interface ChoiceFacts {
  readonly effectiveAt: string;
  readonly finalInvoice: number;
  readonly earlyTerminationFee: number;
  /** Device instalments still to pay, taken by the final bill. */
  readonly instalments: number;
  readonly refund: number;
  /** Credit left that is not paid back (kept on a shared account, or too small to refund). */
  readonly creditKept: number;
  /** Still owed once the final bill has taken the credit. */
  readonly owedAfter: number;
  readonly quarantineEndsAt: string;
}

/** The preview as the hotline speaks it. */
export interface SpokenPreview {
  readonly currency: string;
  readonly owed: number;
  readonly blockers: readonly string[];
  readonly dataLeftMb: number;
  readonly reclaimAllowed: boolean;
  readonly now: ChoiceFacts;
  readonly endOfPeriod: ChoiceFacts | null;
}

export interface Verified {
  /** The calling number is the line's own. */
  readonly caller: boolean;
  readonly secret: 'pin' | 'document' | null;
  readonly smsCode: boolean;
}

export interface CallFlow {
  readonly state: CallState;
  readonly language: Language | null;
  readonly knownLanguage: Language | null;
  readonly codeLength: number;
  /** Wrong inputs at the current prompt (reset by a right one). */
  readonly wrong: number;
  readonly slow: boolean;
  /** The live line of the calling number, when it is one of ours. */
  readonly callerLine: LineRef | null;
  readonly line: LineRef | null;
  readonly verified: Verified;
  /** The result the machine waits for (an effect's answer), if any. */
  readonly awaiting: AwaitedResult | null;
  readonly preview: SpokenPreview | null;
  readonly effective: 'now' | 'end_of_period' | null;
  readonly debtChoice: 'link' | 'keep' | null;
  readonly reference: string | null;
  readonly outcome: CallOutcome | null;
}

export type EffectiveWhen = 'now' | 'end_of_period';

/** What the application does for the machine; those with a result answer with the matching event. */
export type CallEffect =
  | { readonly kind: 'find_line'; readonly digits: string }
  | { readonly kind: 'check_secret'; readonly lineId: string; readonly digits: string }
  | { readonly kind: 'send_code'; readonly lineId: string }
  | { readonly kind: 'check_code'; readonly lineId: string; readonly code: string }
  | { readonly kind: 'load_preview'; readonly lineId: string }
  | { readonly kind: 'request_termination'; readonly lineId: string; readonly effective: EffectiveWhen; readonly chargesAccepted: boolean; readonly confirmed: boolean }
  | { readonly kind: 'send_payment_link'; readonly lineId: string; readonly reference: string }
  | { readonly kind: 'enqueue_agent'; readonly queue: 'call' | 'callback'; readonly reason: string }
  | { readonly kind: 'close'; readonly outcome: CallOutcome };

type AwaitedResult = 'line_found' | 'secret_checked' | 'code_sent' | 'code_checked' | 'preview_loaded' | 'requested';

export type CallEvent =
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'line_found'; readonly line: LineRef | null }
  | { readonly kind: 'secret_checked'; readonly ok: boolean }
  | { readonly kind: 'code_sent' }
  | { readonly kind: 'code_checked'; readonly ok: boolean }
  | { readonly kind: 'preview_loaded'; readonly preview: SpokenPreview }
  | { readonly kind: 'requested'; readonly reference: string; readonly state: string; readonly effectiveAt: string }
  /** An effect was refused (locked out, a request already open, …): the caller is handed over with `code` said. */
  | { readonly kind: 'effect_failed'; readonly code: string };

export type PromptParams = Readonly<Record<string, string | number | boolean | null>>;
/** What to say, worded per language by prompts.ts. */
export interface Prompt {
  readonly key: string;
  readonly params?: PromptParams;
}

/** What the call does after speaking: wait for keys, wait for an effect's result, join the agent queue, hang up. */
export type Next =
  | { readonly kind: 'gather'; readonly numDigits: number; readonly finishOnKey?: '#' }
  | { readonly kind: 'await' }
  | { readonly kind: 'agent' }
  | { readonly kind: 'hangup' };

export interface Step {
  readonly call: CallFlow;
  readonly effects: readonly CallEffect[];
  readonly say: readonly Prompt[];
  readonly next: Next;
}

/** Blockers the caller can clear in the menu: a debt (pay) and the charges (accepted by confirming after hearing them). */
const MENU_BLOCKERS = ['UNPAID_BALANCE', 'EARLY_TERMINATION_FEE_NOT_ACCEPTED', 'DEVICE_INSTALMENTS_OUTSTANDING'];

/** A new call: the language menu, the caller's number's language first. */
export function startCall(facts: { callerLine: LineRef | null; codeLength: number }): Step {
  const call: CallFlow = {
    state: 'language',
    language: null,
    knownLanguage: facts.callerLine?.language ?? null,
    codeLength: facts.codeLength,
    wrong: 0,
    slow: false,
    callerLine: facts.callerLine,
    line: null,
    verified: { caller: false, secret: null, smsCode: false },
    awaiting: null,
    preview: null,
    effective: null,
    debtChoice: null,
    reference: null,
    outcome: null,
  };
  return ask(call, [{ key: 'welcome' }]);
}

/** The languages in the order the menu offers them: the caller's known language first. */
export function languageOrder(known: Language | null): Language[] {
  const all: Language[] = ['ru', 'en', 'zh'];
  return known ? [known, ...all.filter((l) => l !== known)] : all;
}

/** The prompt of the state the call is in, and the keys it waits for. */
export function promptOf(call: CallFlow): { say: Prompt[]; next: Next } {
  const menu = (n = 1): Next => ({ kind: 'gather', numDigits: n });
  switch (call.state) {
    case 'language':
      return { say: languageOrder(call.knownLanguage).map((l) => ({ key: 'language_option', params: { language: l, key: LANGUAGE_KEYS[l] } })), next: menu() };
    case 'identify':
      return { say: [{ key: 'ask_number' }], next: { kind: 'gather', numDigits: 15, finishOnKey: '#' } };
    case 'secret':
      return { say: [{ key: 'ask_document_digits' }], next: menu(4) };
    case 'sms_code':
      return { say: [{ key: 'ask_code', params: { length: call.codeLength } }], next: menu(call.codeLength) };
    case 'debt':
      return { say: [...previewPrompts(call), { key: 'debt_menu', params: { owed: call.preview?.owed ?? 0, currency: call.preview?.currency ?? '' } }], next: menu() };
    case 'when':
      return { say: [...previewPrompts(call), whenMenu(call)], next: menu() };
    case 'confirm':
      return { say: [confirmPrompt(call)], next: menu() };
    case 'agent':
      return { say: [{ key: 'handover' }], next: { kind: 'agent' } };
    case 'ended':
      return { say: [{ key: 'goodbye' }], next: { kind: 'hangup' } };
  }
}

function previewPrompts(call: CallFlow): Prompt[] {
  const p = call.preview;
  if (!p) return [];
  const c = p.now;
  const currency = p.currency;
  const out: Prompt[] = [{ key: 'preview_intro', params: { msisdn: call.line?.msisdn ?? '' } }];
  if (p.owed > 0) out.push({ key: 'preview_debt', params: { amount: p.owed, currency } });
  if (c.finalInvoice > 0) out.push({ key: 'preview_invoice', params: { amount: c.finalInvoice, currency } });
  if (c.earlyTerminationFee > 0) out.push({ key: 'preview_fee', params: { amount: c.earlyTerminationFee, currency } });
  if (c.instalments > 0) out.push({ key: 'preview_instalments', params: { amount: c.instalments, currency } });
  if (c.refund > 0) out.push({ key: 'preview_refund', params: { amount: c.refund, currency } });
  else if (c.creditKept > 0) out.push({ key: 'preview_credit_kept', params: { amount: c.creditKept, currency } });
  if (c.owedAfter > 0 && p.owed === 0) out.push({ key: 'preview_owed_after', params: { amount: c.owedAfter, currency } });
  if (p.dataLeftMb > 0) out.push({ key: 'preview_data', params: { megabytes: p.dataLeftMb } });
  out.push({ key: 'preview_effective', params: { at: c.effectiveAt } });
  out.push(p.reclaimAllowed ? { key: 'preview_reclaim', params: { until: c.quarantineEndsAt } } : { key: 'preview_no_reclaim' });
  return out;
}

function whenMenu(call: CallFlow): Prompt {
  const p = call.preview;
  return { key: 'when_menu', params: { nowAt: p?.now.effectiveAt ?? '', endAt: p?.endOfPeriod?.effectiveAt ?? null } };
}

function confirmPrompt(call: CallFlow): Prompt {
  const p = call.preview;
  const facts = call.effective === 'end_of_period' ? p?.endOfPeriod : p?.now;
  return {
    key: 'confirm_menu',
    params: { msisdn: call.line?.msisdn ?? '', at: facts?.effectiveAt ?? '', invoice: facts?.finalInvoice ?? 0, fee: facts?.earlyTerminationFee ?? 0, instalments: facts?.instalments ?? 0, refund: facts?.refund ?? 0, currency: p?.currency ?? '' },
  };
}

function move(call: CallFlow, to: CallState, changes: Partial<CallFlow> = {}): CallFlow {
  assertTransition('call', CALL_TRANSITIONS, call.state, to);
  return { ...call, ...changes, state: to };
}

/** Says `before`, then the prompt of the state the call is in, and waits for its keys. */
function ask(call: CallFlow, before: Prompt[] = [], effects: CallEffect[] = []): Step {
  const { say, next } = promptOf(call);
  return { call, effects, say: [...before, ...say], next };
}

const waitFor = (call: CallFlow, awaiting: AwaitedResult, effects: CallEffect[], say: Prompt[] = []): Step => ({ call: { ...call, awaiting }, effects, say, next: { kind: 'await' } });

/** Hands the caller to an agent in their language, with what the menu already verified. */
function handOver(call: CallFlow, reason: string, before: Prompt[] = []): Step {
  const to = move(call, 'agent', { awaiting: null, wrong: 0, outcome: 'handed_to_agent' });
  return { call: to, effects: [{ kind: 'enqueue_agent', queue: 'call', reason }, { kind: 'close', outcome: 'handed_to_agent' }], say: [...before, { key: 'handover' }], next: { kind: 'agent' } };
}

function end(call: CallFlow, outcome: CallOutcome, before: Prompt[]): Step {
  const to = move(call, 'ended', { awaiting: null, outcome });
  return { call: to, effects: [{ kind: 'close', outcome }], say: [...before, { key: 'goodbye' }], next: { kind: 'hangup' } };
}

/** A wrong input (silence, a key the prompt does not take, a wrong secret): the third hands over. */
function wrongInput(call: CallFlow, sorry: Prompt = { key: 'sorry' }): Step {
  const wrong = call.wrong + 1;
  if (wrong >= 3) return handOver({ ...call, wrong }, 'wrong inputs', [sorry]);
  return ask({ ...call, wrong, awaiting: null }, [sorry]);
}

/** The call after one event. Keys while an effect's result is awaited, or after the menu ended, change nothing. */
export function advance(call: CallFlow, event: CallEvent): Step {
  if (event.kind === 'digits') return pressed(call, event.digits.trim());
  if (call.awaiting !== event.kind && event.kind !== 'effect_failed') return ask(call);
  const settled = { ...call, awaiting: null };
  switch (event.kind) {
    case 'effect_failed':
      return handOver(settled, `refused: ${event.code}`, [{ key: 'cannot_continue', params: { code: event.code } }]);
    case 'line_found':
      if (!event.line) return wrongInput(settled, { key: 'number_not_found' });
      return ask(move(settled, 'secret', { line: event.line, wrong: 0, verified: { ...settled.verified, caller: settled.callerLine?.lineId === event.line.lineId } }));
    case 'secret_checked':
      if (!event.ok) return wrongInput(settled, { key: 'secret_wrong' });
      return sendCode(move(settled, 'sms_code', { wrong: 0, verified: { ...settled.verified, secret: 'document' } }));
    case 'code_sent':
      return ask(settled, [{ key: 'code_sent', params: { msisdn: settled.line?.msisdn ?? '' } }]);
    case 'code_checked': {
      if (!event.ok) return wrongInput(settled, { key: 'code_wrong' });
      const line = settled.line as LineRef;
      return waitFor({ ...settled, wrong: 0, verified: { ...settled.verified, smsCode: true } }, 'preview_loaded', [{ kind: 'load_preview', lineId: line.lineId }]);
    }
    case 'preview_loaded': {
      const p = event.preview;
      const withPreview = { ...settled, preview: p };
      const others = p.blockers.filter((b) => !MENU_BLOCKERS.includes(b));
      if (others.length > 0) return handOver(withPreview, `blocked: ${others.join(', ')}`, [{ key: 'cannot_continue', params: { code: others[0] ?? '' } }]);
      if (p.owed > 0) return ask(move(withPreview, 'debt'));
      return ask(move(withPreview, 'when'));
    }
    case 'requested':
      return requested(settled, event);
  }
}

function sendCode(call: CallFlow): Step {
  const line = call.line as LineRef;
  return waitFor(call, 'code_sent', [{ kind: 'send_code', lineId: line.lineId }]);
}

function requested(call: CallFlow, event: Extract<CallEvent, { kind: 'requested' }>): Step {
  const withRef = { ...call, reference: event.reference };
  const line = call.line as LineRef;
  if (event.state !== 'scheduled') {
    if (call.debtChoice === 'link') {
      const step = end(withRef, 'payment_link_sent', [{ key: 'payment_link_sent', params: { reference: event.reference } }]);
      return { ...step, effects: [{ kind: 'send_payment_link', lineId: line.lineId, reference: event.reference }, ...step.effects] };
    }
    return end(withRef, 'blocked_request', [{ key: 'request_blocked', params: { reference: event.reference } }]);
  }
  return end(withRef, 'completed_in_menu', [{ key: 'request_done', params: { reference: event.reference, at: event.effectiveAt } }, { key: 'reference_sms_sent' }]);
}

function pressed(call: CallFlow, digits: string): Step {
  if (call.state === 'agent' || call.state === 'ended' || call.awaiting) return { call, effects: [], ...promptOf(call) };
  if (digits === '0') return handOver(call, 'caller asked for an agent');
  if (digits === '*') return ask(call);
  if (digits === '9') return ask({ ...call, slow: true }, [{ key: 'slow_on' }]);
  if (digits === '' || !/^[0-9]+$/.test(digits)) return wrongInput(call);
  const right = { ...call, wrong: 0 };
  switch (call.state) {
    case 'language': {
      const language = (Object.keys(LANGUAGE_KEYS) as Language[]).find((l) => LANGUAGE_KEYS[l] === digits);
      if (!language) return wrongInput(call);
      const chosen = { ...right, language };
      // Once, in the chosen language: the keys that work at every prompt.
      const help: Prompt[] = [{ key: 'keys_help' }];
      if (call.callerLine) return ask(move(chosen, 'secret', { line: call.callerLine, verified: { ...call.verified, caller: true } }), help);
      return ask(move(chosen, 'identify'), help);
    }
    case 'identify':
      if (digits.length < 6) return wrongInput(call);
      return waitFor(right, 'line_found', [{ kind: 'find_line', digits }]);
    case 'secret':
      if (digits.length !== 4) return wrongInput(call);
      return waitFor(call, 'secret_checked', [{ kind: 'check_secret', lineId: (call.line as LineRef).lineId, digits }]);
    case 'sms_code':
      if (digits.length !== call.codeLength) return wrongInput(call);
      return waitFor(call, 'code_checked', [{ kind: 'check_code', lineId: (call.line as LineRef).lineId, code: digits }]);
    case 'when': {
      const effective: EffectiveWhen | null = digits === '1' ? 'now' : digits === '2' && call.preview?.endOfPeriod ? 'end_of_period' : null;
      if (!effective) return wrongInput(call);
      return ask(move(right, 'confirm', { effective }));
    }
    case 'confirm':
      if (digits === '2') return ask(move(right, 'when', { effective: null }));
      if (digits !== '1') return wrongInput(call);
      return waitFor(right, 'requested', [{ kind: 'request_termination', lineId: (call.line as LineRef).lineId, effective: call.effective ?? 'now', chargesAccepted: true, confirmed: true }]);
    case 'debt':
      if (digits === '1' || digits === '3') {
        const chosen = { ...right, debtChoice: digits === '1' ? ('link' as const) : ('keep' as const), effective: 'now' as const };
        return waitFor(chosen, 'requested', [{ kind: 'request_termination', lineId: (call.line as LineRef).lineId, effective: 'now', chargesAccepted: false, confirmed: false }]);
      }
      if (digits === '2') {
        const to = move(right, 'ended', { outcome: 'callback_requested' });
        return { call: to, effects: [{ kind: 'enqueue_agent', queue: 'callback', reason: 'debt: caller asked to be called back' }, { kind: 'close', outcome: 'callback_requested' }], say: [{ key: 'callback_booked' }, { key: 'goodbye' }], next: { kind: 'hangup' } };
      }
      return wrongInput(call);
  }
}

/** One call as stored: the flow plus what the platform and the back office need. */
export interface CallRecord {
  readonly id: string;
  readonly callSid: string;
  readonly from: string;
  readonly to: string;
  readonly flow: CallFlow;
  readonly agentEntryId: string | null;
  readonly platformStatus: string | null;
  /** Moves by one per turn; the next Gather names it (`turn`). */
  readonly version: number;
  readonly startedAt: string;
  readonly answeredAt: string | null;
  readonly handedOverAt: string | null;
  readonly endedAt: string | null;
}
