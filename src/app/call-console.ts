/**
 * The call-centre console: what a call agent does with the agent queue. An
 * agent sees the waiting calls and callbacks (kind, language, wait — nobody's
 * name or number), takes one, and from then on sees and acts for that caller
 * only: the customer, what the voice menu verified, the preview, a
 * cancellation behind a checklist (recorded as `phone_agent`, with the agent),
 * and the finish. Taking an entry opens a staff case for its customer, which is
 * what lets the agent read their lines (staff-cases.ts); finishing closes it.
 * Nobody here sees or asks for a password or an SMS code.
 */
import { canMove, type Checklist, confirmsAtOnce, type HandoverReason, handoverReason, type IvrVerification, missingChecklistItems, type QueueEntry, type QueueKind, type QueueOutcome, secondsBetween } from '../domain/agent-queue.ts';
import type { Actor } from '../domain/channels.ts';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../domain/languages.ts';
import type { EffectiveChoice, Preview } from '../domain/preview.ts';
import type { Termination } from '../domain/termination.ts';
import { entriesHeldBy, finishHeldEntry, queueEntryById, recordTerminationRef, takeWaitingEntry, waitingEntries } from '../store/agent-queue.repository.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { closeCase, insertCase } from '../store/cases.repository.ts';
import { inTransaction } from '../store/database.ts';
import { newId } from '../store/ids.ts';
import { addHours } from '../domain/time.ts';
import type { AppContext } from './context.ts';
import type { Principal } from './principal.ts';
import { requestInTransaction } from './request-terminations.ts';
import { lineFor, previewLine, terminationFor } from './self-service.ts';
import { CASE_HOURS } from './staff-cases.ts';
import { type CustomerView, customerForStaff } from './staff-desk.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;

const actorOfAgent = (agent: Staff): Actor => ({ kind: 'staff', id: agent.id, channel: 'phone_agent' });

/** The console is a call agent's (an administrator does not take calls either). */
function requireCallAgent(agent: Staff): void {
  if (agent.role !== 'call_agent') throw new AppError('CALL_AGENT_ONLY', {});
}

/** The entry the agent holds, or CALL_NOT_HELD (also for an id that does not exist, so ids cannot be probed). */
async function heldEntry(ctx: AppContext, agent: Staff, entryId: string): Promise<QueueEntry> {
  requireCallAgent(agent);
  const entry = await queueEntryById(ctx.store.db, entryId);
  if (!entry || !canMove(entry.state, 'finished') || entry.takenBy !== agent.id) throw new AppError('CALL_NOT_HELD', {});
  return entry;
}

export interface WaitingView {
  readonly id: string;
  readonly kind: QueueKind;
  readonly language: Language;
  /** 1 = the next of its language. */
  readonly position: number;
  readonly enqueuedAt: string;
  readonly waitingSeconds: number;
  readonly verified: IvrVerification;
  readonly reason: string;
  readonly reasonKind: HandoverReason;
}

export interface HeldSummary {
  readonly id: string;
  readonly kind: QueueKind;
  readonly language: Language;
  readonly takenAt: string;
  readonly callEnded: boolean;
}

const summaryOf = (e: QueueEntry): HeldSummary => ({ id: e.id, kind: e.kind, language: e.language, takenAt: e.takenAt ?? e.enqueuedAt, callEnded: e.callEndedAt !== null });

/** The waiting calls and callbacks, oldest first (of one language when asked), and what this agent holds. */
export async function callQueue(ctx: AppContext, agent: Staff, options: { language?: Language | undefined } = {}): Promise<{ waiting: WaitingView[]; held: HeldSummary[] }> {
  requireCallAgent(agent);
  const now = ctx.clock();
  const places = new Map<Language, number>();
  const waiting = (await waitingEntries(ctx.store.db, { language: options.language, limit: 500 })).map((e): WaitingView => {
    const position = (places.get(e.language) ?? 0) + 1;
    places.set(e.language, position);
    return { id: e.id, kind: e.kind, language: e.language, position, enqueuedAt: e.enqueuedAt, waitingSeconds: secondsBetween(e.enqueuedAt, now), verified: e.verified, reason: e.reason, reasonKind: handoverReason(e.reason) };
  });
  return { waiting, held: (await entriesHeldBy(ctx.store.db, agent.id)).map(summaryOf) };
}

/**
 * Takes a waiting entry. Two agents taking the same one: exactly one gets it,
 * the other CALL_NOT_WAITING (as for a caller who hung up). For a known
 * customer a case is opened for the agent in the same transaction, audited.
 */
export async function takeCall(ctx: AppContext, agent: Staff, entryId: string): Promise<HeldSummary> {
  requireCallAgent(agent);
  const entry = await queueEntryById(ctx.store.db, entryId);
  if (!entry) throw new AppError('CALL_NOT_FOUND', { input: entryId });
  if (!canMove(entry.state, 'taken')) throw new AppError('CALL_NOT_WAITING', {});
  const now = ctx.clock();
  const caseId = entry.customerId ? newId('case') : null;
  await inTransaction(ctx.store, async (tx) => {
    if (!(await takeWaitingEntry(tx, entry.id, { staffId: agent.id, at: now, waitSeconds: secondsBetween(entry.enqueuedAt, now), caseId }))) throw new AppError('CALL_NOT_WAITING', {});
    if (!entry.customerId || !caseId) return;
    const callId = entry.callSid ?? entry.id;
    await insertCase(tx, { id: caseId, staffId: agent.id, customerId: entry.customerId, shopId: null, callId, identifiedBy: 'voice_menu', openedAt: now, expiresAt: addHours(now, CASE_HOURS), closedAt: null });
    await appendAudit(tx, [
      { entityType: 'customer', entityId: entry.customerId, action: 'case_opened', from: null, to: null, actor: actorOfAgent(agent), at: now, reason: null, data: { caseId, identifiedBy: 'voice_menu', callId, queueEntry: entry.id, verified: entry.verified, role: agent.role } },
    ]);
  });
  return { id: entry.id, kind: entry.kind, language: entry.language, takenAt: now, callEnded: entry.callEndedAt !== null };
}

export type LinePreview = Preview & { lineId: string; msisdn: string; simType: string };

export interface HeldCall {
  readonly id: string;
  readonly kind: QueueKind;
  readonly language: Language;
  /** The number to call back (the agent holds the entry, so they see it). */
  readonly callerNumber: string;
  readonly reason: string;
  readonly reasonKind: HandoverReason;
  readonly verified: IvrVerification;
  /** Whether a cancellation made now is confirmed at once (the menu checked a secret and the SMS code). */
  readonly confirmsAtOnce: boolean;
  readonly enqueuedAt: string;
  readonly takenAt: string;
  readonly waitSeconds: number;
  readonly callEndedAt: string | null;
  readonly customer: CustomerView | null;
  /** The line the preview is for: the one asked for, else the one the menu named, else the customer's first live line. */
  readonly lineId: string | null;
  readonly preview: LinePreview | null;
  readonly termination: Termination | null;
}

/** What the agent sees of a call they hold; the customer read and the preview are audited as staff reads. */
export async function heldCall(ctx: AppContext, agent: Staff, entryId: string, options: { lineId?: string | undefined; effective: EffectiveChoice }): Promise<HeldCall> {
  const entry = await heldEntry(ctx, agent, entryId);
  const customer = entry.customerId ? await customerForStaff(ctx, agent, entry.customerId, 'call') : null;
  const live = customer?.lines.filter((l) => l.state !== 'terminated') ?? [];
  if (options.lineId && !customer?.lines.some((l) => l.id === options.lineId)) throw new AppError('LINE_NOT_FOUND', { input: options.lineId });
  const lineId = options.lineId ?? (live.some((l) => l.id === entry.lineId) ? entry.lineId : (live[0]?.id ?? null));
  const preview = lineId && live.some((l) => l.id === lineId) ? await previewLine(ctx, agent, lineId, 'phone_agent', options.effective) : null;
  const termination = entry.terminationRef ? await terminationFor(ctx, agent, entry.terminationRef) : null;
  return {
    id: entry.id,
    kind: entry.kind,
    language: entry.language,
    callerNumber: entry.callerNumber,
    reason: entry.reason,
    reasonKind: handoverReason(entry.reason),
    verified: entry.verified,
    confirmsAtOnce: confirmsAtOnce(entry.verified),
    enqueuedAt: entry.enqueuedAt,
    takenAt: entry.takenAt ?? entry.enqueuedAt,
    waitSeconds: entry.waitSeconds ?? 0,
    callEndedAt: entry.callEndedAt,
    customer,
    lineId,
    preview,
    termination,
  };
}

export interface CallerCancellation {
  readonly lineId: string;
  readonly effective: EffectiveChoice;
  readonly checklist: Partial<Checklist>;
}

/**
 * Ends one of the held caller's lines on their behalf, once every checklist
 * item is ticked (CHECKLIST_INCOMPLETE names the missing ones). Recorded as
 * `phone_agent` with the agent as the actor; the ticked checklist is audited
 * on the customer. Confirmed at once only when the voice menu checked a secret
 * and the SMS code; otherwise the code goes by SMS to the line and the caller
 * confirms it themselves (the agent never asks for it).
 */
export async function cancelLineForCaller(ctx: AppContext, agent: Staff, entryId: string, input: CallerCancellation): Promise<{ termination: Termination; confirmed: boolean; codeSentUntil: string | null }> {
  const entry = await heldEntry(ctx, agent, entryId);
  if (!entry.customerId) throw new AppError('CALL_CALLER_UNKNOWN', {});
  const missing = missingChecklistItems(input.checklist);
  if (missing.length > 0) throw new AppError('CHECKLIST_INCOMPLETE', { missing, missingCount: missing.length });
  const line = await lineFor(ctx, agent, input.lineId);
  if (line.customerId !== entry.customerId) throw new AppError('LINE_NOT_FOUND', { input: input.lineId });
  const actor = actorOfAgent(agent);
  // The order, the entry's note of it and the ticked checklist commit together.
  const outcome = await inTransaction(ctx.store, async (tx) => {
    const [made] = await requestInTransaction(ctx, tx, [
      {
        lineId: line.id,
        channel: 'phone_agent',
        authority: 'subscriber',
        actor,
        effective: input.effective,
        confirmNow: confirmsAtOnce(entry.verified),
        // The agent told the caller every charge and the caller agreed (two ticked items).
        chargesAccepted: true,
      },
    ]);
    if (!made) throw new Error('requestInTransaction gave no outcome for one request');
    if (made.kind === 'error') throw made.error;
    await recordTerminationRef(tx, entry.id, made.termination.reference);
    await appendAudit(tx, [
      { entityType: 'customer', entityId: entry.customerId as string, action: 'phone_checklist', from: null, to: null, actor, at: ctx.clock(), reason: null, data: { queueEntry: entry.id, callId: entry.callSid, reference: made.termination.reference, checklist: { ...input.checklist }, verified: entry.verified } },
    ]);
    return made;
  });
  const t = outcome.termination;
  const codeSentUntil = outcome.kind === 'created' ? (outcome.codeSentUntil ?? null) : null;
  return { termination: t, confirmed: t.state !== 'awaiting_confirmation' && t.state !== 'blocked', codeSentUntil };
}

/** Finishes a held entry with its outcome and closes the agent's case for the caller; `line_cancelled` only after a cancellation. */
export async function finishCall(ctx: AppContext, agent: Staff, entryId: string, outcome: QueueOutcome): Promise<{ id: string; outcome: QueueOutcome; handleSeconds: number; finishedAt: string }> {
  const entry = await heldEntry(ctx, agent, entryId);
  if (outcome === 'line_cancelled' && !entry.terminationRef) throw new AppError('CALL_NOTHING_CANCELLED', {});
  const now = ctx.clock();
  const handleSeconds = secondsBetween(entry.takenAt ?? now, now);
  await inTransaction(ctx.store, async (tx) => {
    if (!(await finishHeldEntry(tx, entry.id, { staffId: agent.id, at: now, outcome, handleSeconds }))) throw new AppError('CALL_NOT_HELD', {});
    if (entry.caseId) await closeCase(tx, entry.caseId, agent.id, now);
    if (entry.customerId) {
      await appendAudit(tx, [{ entityType: 'customer', entityId: entry.customerId, action: 'call_finished', from: null, to: null, actor: actorOfAgent(agent), at: now, reason: null, data: { queueEntry: entry.id, caseId: entry.caseId, outcome, handleSeconds } }]);
    }
  });
  return { id: entry.id, outcome, handleSeconds, finishedAt: now };
}
