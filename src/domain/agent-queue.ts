/**
 * The hotline's agent queue, as rules: who waits for a call agent (a caller on
 * the line, or a request to be called back), the legal moves of an entry, the
 * checklist an agent ticks before cancelling for a caller, and the arithmetic
 * of waits. Pure: no clock (times are parameters), no store.
 */
import type { Language } from './languages.ts';
import { type Instant, ms } from './time.ts';

export const QUEUE_KINDS = ['call', 'callback'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export const QUEUE_STATES = ['waiting', 'taken', 'finished', 'abandoned'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** How a held entry ended, as the agent says when finishing it. `line_cancelled` only after a cancellation. */
export const QUEUE_OUTCOMES = ['line_cancelled', 'resolved', 'not_reached', 'caller_left'] as const;
export type QueueOutcome = (typeof QUEUE_OUTCOMES)[number];

/** What the voice menu had already checked when it handed the caller over. Caller ID alone proves nothing. */
export interface IvrVerification {
  /** The calling number is one of the customer's lines. */
  readonly caller: boolean;
  /** The secret the caller typed: the PIN or the last 4 digits of the identity document. */
  readonly secret: 'pin' | 'document' | null;
  /** The caller typed the code the menu sent by SMS to the line. */
  readonly smsCode: boolean;
}

export interface QueueEntry {
  readonly id: string;
  readonly kind: QueueKind;
  readonly callSid: string | null;
  readonly language: Language;
  readonly callerNumber: string;
  readonly customerId: string | null;
  readonly lineId: string | null;
  readonly verified: IvrVerification;
  readonly reason: string;
  readonly state: QueueState;
  /** The place the entry got in its language's queue when it joined (1 = first), for the wait estimate. */
  readonly positionAtEntry: number;
  readonly enqueuedAt: Instant;
  readonly takenBy: string | null;
  readonly takenAt: Instant | null;
  /** When the caller hung up (a waiting call then leaves the queue; a callback stays). */
  readonly callEndedAt: Instant | null;
  readonly finishedAt: Instant | null;
  readonly outcome: QueueOutcome | null;
  /** Seconds from joining the queue to an agent taking it (or to hanging up, when abandoned). */
  readonly waitSeconds: number | null;
  /** Seconds from taking to finishing. */
  readonly handleSeconds: number | null;
  /** The staff case opened for the entry's customer while it is held (what lets the agent act for them). */
  readonly caseId: string | null;
  /** The order the agent made on the caller's behalf, if any. */
  readonly terminationRef: string | null;
}

/** The legal moves of an entry: a table, as the termination's. */
export const QUEUE_TRANSITIONS: Readonly<Record<QueueState, readonly QueueState[]>> = {
  waiting: ['taken', 'abandoned'],
  taken: ['finished'],
  finished: [],
  abandoned: [],
};

/** Whether an entry in state `from` may move to `to`. */
export const canMove = (from: QueueState, to: QueueState): boolean => QUEUE_TRANSITIONS[from].includes(to);

/**
 * What an agent confirms, item by item, before ending a line for a caller.
 * None of them is proved by asking for the password or an SMS code: the agent
 * asks neither.
 */
export const CHECKLIST_ITEMS = ['identityConfirmed', 'callerConsents', 'toldMoney', 'toldData', 'toldReclaimPeriod'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export type Checklist = Readonly<Record<ChecklistItem, boolean>>;

/** The items not ticked, in the checklist's order. */
export const missingChecklistItems = (checklist: Partial<Checklist>): ChecklistItem[] => CHECKLIST_ITEMS.filter((item) => checklist[item] !== true);

/**
 * Whether an agent's request for this caller is confirmed at once: only when
 * the voice menu checked a secret and the SMS code sent to the line (the same
 * proof the site asks for). Otherwise the order waits for the code, which the
 * caller types on the site or in the menu, never reads out to the agent.
 */
export const confirmsAtOnce = (verified: IvrVerification): boolean => verified.secret !== null && verified.smsCode;

/** Seconds a place in the queue costs when a language has no answered calls yet. */
export const DEFAULT_SECONDS_PER_PLACE = 120;
/** How many recent answered entries of a language the estimate looks at. */
export const WAIT_HISTORY = 20;

/**
 * The expected wait for the `position`-th place in a language's queue: the
 * seconds recent entries of that language waited per place they joined at
 * (`DEFAULT_SECONDS_PER_PLACE` without history), times the position.
 */
export function expectedWaitSeconds(position: number, history: readonly { waitSeconds: number; positionAtEntry: number }[]): number {
  const places = history.reduce((sum, h) => sum + Math.max(1, h.positionAtEntry), 0);
  const waited = history.reduce((sum, h) => sum + Math.max(0, h.waitSeconds), 0);
  const perPlace = places > 0 ? waited / places : DEFAULT_SECONDS_PER_PLACE;
  return Math.round(Math.max(1, position) * perPlace);
}

/** Whole seconds from one instant to a later one (never negative). */
export const secondsBetween = (from: Instant, to: Instant): number => Math.max(0, Math.round((ms(to) - ms(from)) / 1000));

/**
 * The back office's figures of the queue over a period. `voiceCalls` is every
 * call the voice menu answered in it (the voice channel counts those); without
 * it the share finished in the menu is unknown (null).
 */
export interface QueueFigures {
  readonly from: Instant;
  readonly to: Instant;
  readonly entries: number;
  readonly calls: number;
  readonly callbacks: number;
  /** Finished entries by outcome, plus `abandoned` (hung up while waiting), `waiting` and `taken` (still open). */
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly answer: readonly { language: Language; answered: number; averageSeconds: number | null; longestSeconds: number | null }[];
  readonly handle: { readonly finished: number; readonly averageSeconds: number | null; readonly longestSeconds: number | null };
  readonly voiceMenu: { readonly calls: number | null; readonly toAgent: number; readonly finishedInMenu: number | null; readonly share: number | null };
}

/** The share of voice calls that never reached the agent queue, from both counts; null when the calls are unknown. */
export function voiceMenuShare(voiceCalls: number | null, callsToAgent: number): QueueFigures['voiceMenu'] {
  if (voiceCalls === null) return { calls: null, toAgent: callsToAgent, finishedInMenu: null, share: null };
  const finishedInMenu = Math.max(0, voiceCalls - callsToAgent);
  return { calls: voiceCalls, toAgent: callsToAgent, finishedInMenu, share: voiceCalls > 0 ? finishedInMenu / voiceCalls : null };
}

/** Why the voice menu handed a caller over, as a kind the console words in the agent's language. */
export const HANDOVER_REASONS = ['asked_for_agent', 'wrong_input', 'refused', 'blocked', 'debt', 'callback', 'other'] as const;
export type HandoverReason = (typeof HANDOVER_REASONS)[number];

/**
 * The kind of a menu's free-text reason (`caller asked for an agent`, `wrong inputs`, `refused: CODE`,
 * `blocked: CODES`, `debt: …`, `… asked to be called back`), so no screen shows the raw text.
 */
export function handoverReason(reason: string): HandoverReason {
  const r = reason.trim().toLowerCase();
  if (r.startsWith('debt')) return 'debt';
  if (r.includes('called back') || r.includes('callback')) return 'callback';
  if (r.startsWith('refused')) return 'refused';
  if (r.startsWith('blocked')) return 'blocked';
  if (r.includes('wrong') || r.includes('silence')) return 'wrong_input';
  if (r.includes('agent') || r === 'pressed_0') return 'asked_for_agent';
  return 'other';
}
