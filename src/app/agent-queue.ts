/**
 * The hotline's agent queue as the voice channel sees it: put a caller (or a
 * request to be called back) in the queue of their language with what the
 * voice menu verified, say their place and expected wait, and learn that a
 * waiting caller hung up. What the agents do with the queue is in
 * call-console.ts; the back office's figures are at the end of this file.
 */
import { canMove, expectedWaitSeconds, type IvrVerification, type QueueEntry, type QueueFigures, secondsBetween, voiceMenuShare, WAIT_HISTORY } from '../domain/agent-queue.ts';
import { AppError } from '../domain/errors.ts';
import { isLanguage, type Language, LANGUAGES } from '../domain/languages.ts';
import { type Instant, ms } from '../domain/time.ts';
import { callsStartedBetween } from '../store/calls.repository.ts';
import { countWaiting, entriesOfCallOnLine, insertQueueEntry, openEntryOfCall, placeInQueue, queueCounts, queueEntryById, recentAnswers, recordCallEnded, turnIntoCallback } from '../store/agent-queue.repository.ts';
import { type Db, inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { actsForAnyone } from './staff-cases.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

export interface AgentQueueRequest {
  readonly kind: 'call' | 'callback';
  /**
   * The voice platform's call id. Give it for a callback asked for during a call too: a caller on hold who
   * asks to be called back then keeps their place (the waiting call becomes the callback) instead of leaving
   * an abandoned call behind when they hang up. Null only for a callback asked for outside a call.
   */
  readonly callSid: string | null;
  readonly language: Language;
  readonly callerNumber: string;
  readonly customerId: string | null;
  readonly lineId: string | null;
  readonly verified: IvrVerification;
  /** Why the menu handed over (`pressed_0`, `wrong_input`, `debt_callback`, …); the console words the ones it knows. */
  readonly reason: string;
}

export interface QueuePlace {
  readonly position: number;
  readonly expectedWaitSeconds: number;
}

async function placeOf(db: Db, entry: Pick<QueueEntry, 'id' | 'language' | 'enqueuedAt'>): Promise<QueuePlace> {
  const position = await placeInQueue(db, entry);
  return { position, expectedWaitSeconds: expectedWaitSeconds(position, await recentAnswers(db, entry.language, WAIT_HISTORY)) };
}

/**
 * Puts a caller in the agent queue of their language. Idempotent per call: a
 * webhook repeated for a call already queued (or held) answers with that
 * entry; a waiting call that asks to be called back instead becomes a
 * callback and keeps its place.
 */
export async function enqueueForAgent(ctx: AppContext, entry: AgentQueueRequest): Promise<{ id: string; position: number; expectedWaitSeconds: number }> {
  if (!isLanguage(entry.language)) throw new AppError('VALIDATION_FAILED', { reason: `unknown language ${String(entry.language)}` });
  if (entry.kind !== 'call' && entry.kind !== 'callback') throw new AppError('VALIDATION_FAILED', { reason: `unknown kind ${String(entry.kind)}` });
  const now = ctx.clock();
  return inTransaction(ctx.store, async (tx) => {
    const existing = entry.callSid ? await openEntryOfCall(tx, entry.callSid) : undefined;
    if (existing) {
      if (existing.state === 'waiting' && existing.kind === 'call' && entry.kind === 'callback') await turnIntoCallback(tx, existing.id, entry.reason);
      return { id: existing.id, ...(await placeOf(tx, existing)) };
    }
    const created: QueueEntry = {
      id: newId('agq'),
      kind: entry.kind,
      callSid: entry.callSid,
      language: entry.language,
      callerNumber: entry.callerNumber,
      customerId: entry.customerId,
      lineId: entry.lineId,
      verified: { caller: entry.verified.caller === true, secret: entry.verified.secret ?? null, smsCode: entry.verified.smsCode === true },
      reason: entry.reason,
      state: 'waiting',
      positionAtEntry: (await countWaiting(tx, entry.language)) + 1,
      enqueuedAt: now,
      takenBy: null,
      takenAt: null,
      callEndedAt: null,
      finishedAt: null,
      outcome: null,
      waitSeconds: null,
      handleSeconds: null,
      caseId: null,
      terminationRef: null,
    };
    await insertQueueEntry(tx, created);
    return { id: created.id, ...(await placeOf(tx, created)) };
  });
}

/** A waiting entry's place and expected wait (for the hold message); null once an agent took it, or it left the queue. */
export async function queuePosition(ctx: AppContext, entryId: string): Promise<QueuePlace | null> {
  const entry = await queueEntryById(ctx.store.db, entryId);
  if (!entry || entry.state !== 'waiting') return null;
  return placeOf(ctx.store.db, entry);
}

/**
 * The voice platform says a call ended (its status callback). A caller who
 * was still waiting leaves the queue; a callback stays in it (it never needed
 * the caller on the line), and a call an agent holds only notes the hang-up.
 */
export async function markCallEnded(ctx: AppContext, callSid: string, at: string): Promise<void> {
  const ended = Number.isNaN(ms(at)) ? ctx.clock() : at;
  await inTransaction(ctx.store, async (tx) => {
    for (const entry of await entriesOfCallOnLine(tx, callSid)) {
      const abandon = entry.kind === 'call' && canMove(entry.state, 'abandoned') ? { waitSeconds: secondsBetween(entry.enqueuedAt, ended) } : null;
      await recordCallEnded(tx, entry, ended, abandon);
    }
  });
}

/** How many calls the voice menu answered from `from` to `to` (the hotline's calls table). */
export async function voiceCallsBetween(ctx: AppContext, from: Instant, to: Instant): Promise<number | null> {
  return callsStartedBetween(ctx.store.db, from, to);
}

/**
 * Back office: the queue's figures for entries that joined from `from` up to and including `to` —
 * by outcome, time to answer per language, handle time, and the share of
 * calls finished in the voice menu without an agent (given the menu's own
 * count of calls: `voiceCalls`, else `voiceCallsBetween`).
 */
export async function callCentreFigures(ctx: AppContext, agent: Staff, range: { from: Instant; to: Instant }, voiceCalls?: number | null): Promise<QueueFigures> {
  if (!actsForAnyone(agent)) throw new AppError('FORBIDDEN', {});
  const counts = await queueCounts(ctx.store.db, range.from, range.to);
  const byOutcome: Record<string, number> = {};
  for (const row of counts.byStateAndOutcome) {
    const key = row.state === 'finished' ? (row.outcome ?? 'finished') : row.state;
    byOutcome[key] = (byOutcome[key] ?? 0) + row.n;
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  const answer = LANGUAGES.map((language) => {
    const found = counts.answeredByLanguage.find((a) => a.language === language);
    return { language, answered: found?.answered ?? 0, averageSeconds: round(found?.averageSeconds ?? null), longestSeconds: round(found?.longestSeconds ?? null) };
  });
  const calls = voiceCalls === undefined ? await voiceCallsBetween(ctx, range.from, range.to) : voiceCalls;
  return {
    from: range.from,
    to: range.to,
    entries: Object.values(counts.byKind).reduce((a, b) => a + b, 0),
    calls: counts.byKind.call ?? 0,
    callbacks: counts.byKind.callback ?? 0,
    byOutcome,
    answer,
    handle: { finished: counts.handle.finished, averageSeconds: round(counts.handle.averageSeconds), longestSeconds: round(counts.handle.longestSeconds) },
    voiceMenu: voiceMenuShare(calls, counts.fromCalls),
  };
}
