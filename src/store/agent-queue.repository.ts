/** The hotline's agent queue: who waits for a call agent, who holds what, and the figures of it. */
import type { IvrVerification, QueueEntry, QueueKind, QueueOutcome, QueueState } from '../domain/agent-queue.ts';
import type { Language } from '../domain/languages.ts';
import type { Db, Tx } from './database.ts';
import type { AgentQueueTable } from './schema.ts';

function verificationOf(text: string): IvrVerification {
  const v = JSON.parse(text) as Partial<IvrVerification>;
  return { caller: v.caller === true, secret: v.secret === 'pin' || v.secret === 'document' ? v.secret : null, smsCode: v.smsCode === true };
}

const toEntry = (r: AgentQueueTable): QueueEntry => ({
  id: r.id,
  kind: r.kind as QueueKind,
  callSid: r.call_sid,
  language: r.language as Language,
  callerNumber: r.caller_number,
  customerId: r.customer_id,
  lineId: r.line_id,
  verified: verificationOf(r.verified),
  reason: r.reason,
  state: r.state as QueueState,
  positionAtEntry: Number(r.position_at_entry),
  enqueuedAt: r.enqueued_at,
  takenBy: r.taken_by,
  takenAt: r.taken_at,
  callEndedAt: r.call_ended_at,
  finishedAt: r.finished_at,
  outcome: r.outcome as QueueOutcome | null,
  waitSeconds: r.wait_seconds === null ? null : Number(r.wait_seconds),
  handleSeconds: r.handle_seconds === null ? null : Number(r.handle_seconds),
  caseId: r.case_id,
  terminationRef: r.termination_ref,
});

export async function insertQueueEntry(tx: Tx, e: QueueEntry): Promise<void> {
  await tx
    .insertInto('agent_queue')
    .values({
      id: e.id,
      kind: e.kind,
      call_sid: e.callSid,
      language: e.language,
      caller_number: e.callerNumber,
      customer_id: e.customerId,
      line_id: e.lineId,
      verified: JSON.stringify(e.verified),
      reason: e.reason,
      state: e.state,
      position_at_entry: e.positionAtEntry,
      enqueued_at: e.enqueuedAt,
      taken_by: e.takenBy,
      taken_at: e.takenAt,
      call_ended_at: e.callEndedAt,
      finished_at: e.finishedAt,
      outcome: e.outcome,
      wait_seconds: e.waitSeconds,
      handle_seconds: e.handleSeconds,
      case_id: e.caseId,
      termination_ref: e.terminationRef,
    })
    .execute();
}

export async function queueEntryById(db: Db, id: string): Promise<QueueEntry | undefined> {
  const row = await db.selectFrom('agent_queue').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

/** The entry of a call still in the queue or held (waiting or taken), newest first. */
export async function openEntryOfCall(db: Db, callSid: string): Promise<QueueEntry | undefined> {
  const row = await db.selectFrom('agent_queue').selectAll().where('call_sid', '=', callSid).where('state', 'in', ['waiting', 'taken']).orderBy('enqueued_at', 'desc').executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

/** A waiting call becomes a callback, keeping its place. */
export async function turnIntoCallback(tx: Tx, id: string, reason: string): Promise<void> {
  await tx.updateTable('agent_queue').set({ kind: 'callback', reason }).where('id', '=', id).where('state', '=', 'waiting').execute();
}

export async function countWaiting(db: Db, language: Language): Promise<number> {
  const row = await db.selectFrom('agent_queue').select((eb) => eb.fn.countAll().as('n')).where('state', '=', 'waiting').where('language', '=', language).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An entry's place among the waiting entries of its language (1 = next), oldest first. */
export async function placeInQueue(db: Db, entry: Pick<QueueEntry, 'id' | 'language' | 'enqueuedAt'>): Promise<number> {
  const row = await db
    .selectFrom('agent_queue')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('state', '=', 'waiting')
    .where('language', '=', entry.language)
    .where((eb) => eb.or([eb('enqueued_at', '<', entry.enqueuedAt), eb.and([eb('enqueued_at', '=', entry.enqueuedAt), eb('id', '<=', entry.id)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The most recently answered entries of a language: how long each waited and the place it joined at. */
export async function recentAnswers(db: Db, language: Language, limit: number): Promise<{ waitSeconds: number; positionAtEntry: number }[]> {
  const rows = await db
    .selectFrom('agent_queue')
    .select(['wait_seconds', 'position_at_entry'])
    .where('language', '=', language)
    .where('taken_at', 'is not', null)
    .where('wait_seconds', 'is not', null)
    .orderBy('taken_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ waitSeconds: Number(r.wait_seconds), positionAtEntry: Number(r.position_at_entry) }));
}

/** Waiting entries, oldest first (of one language when given). */
export async function waitingEntries(db: Db, options: { language?: Language | undefined; limit: number }): Promise<QueueEntry[]> {
  let q = db.selectFrom('agent_queue').selectAll().where('state', '=', 'waiting');
  if (options.language) q = q.where('language', '=', options.language);
  return (await q.orderBy('enqueued_at').orderBy('id').limit(options.limit).execute()).map(toEntry);
}

/** What an agent holds now, the longest held first. */
export async function entriesHeldBy(db: Db, staffId: string): Promise<QueueEntry[]> {
  return (await db.selectFrom('agent_queue').selectAll().where('taken_by', '=', staffId).where('state', '=', 'taken').orderBy('taken_at').orderBy('id').execute()).map(toEntry);
}

/**
 * Takes a waiting entry for an agent. The update names the state it expects, so
 * of two agents taking the same entry at once exactly one changes the row;
 * false for the other (and for an entry that is not waiting).
 */
export async function takeWaitingEntry(tx: Tx, id: string, take: { staffId: string; at: string; waitSeconds: number; caseId: string | null }): Promise<boolean> {
  const r = await tx
    .updateTable('agent_queue')
    .set({ state: 'taken', taken_by: take.staffId, taken_at: take.at, wait_seconds: take.waitSeconds, case_id: take.caseId })
    .where('id', '=', id)
    .where('state', '=', 'waiting')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Finishes an entry the agent holds; false when they do not hold it. */
export async function finishHeldEntry(tx: Tx, id: string, finish: { staffId: string; at: string; outcome: QueueOutcome; handleSeconds: number }): Promise<boolean> {
  const r = await tx
    .updateTable('agent_queue')
    .set({ state: 'finished', finished_at: finish.at, outcome: finish.outcome, handle_seconds: finish.handleSeconds })
    .where('id', '=', id)
    .where('state', '=', 'taken')
    .where('taken_by', '=', finish.staffId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recordTerminationRef(tx: Tx, id: string, reference: string): Promise<void> {
  await tx.updateTable('agent_queue').set({ termination_ref: reference }).where('id', '=', id).execute();
}

/** The entries of a call whose caller is still counted as on the line. */
export async function entriesOfCallOnLine(tx: Tx, callSid: string): Promise<QueueEntry[]> {
  return (await tx.selectFrom('agent_queue').selectAll().where('call_sid', '=', callSid).where('call_ended_at', 'is', null).execute()).map(toEntry);
}

/** The caller hung up: a waiting call leaves the queue (abandoned); any other entry of the call only notes it. */
export async function recordCallEnded(tx: Tx, entry: QueueEntry, at: string, abandon: { waitSeconds: number } | null): Promise<void> {
  const q = tx.updateTable('agent_queue').where('id', '=', entry.id).where('state', '=', entry.state);
  if (abandon) await q.set({ call_ended_at: at, state: 'abandoned', finished_at: at, wait_seconds: abandon.waitSeconds }).execute();
  else await q.set({ call_ended_at: at }).execute();
}

export interface QueueCounts {
  readonly byKind: Record<string, number>;
  readonly byStateAndOutcome: { state: string; outcome: string | null; n: number }[];
  readonly answeredByLanguage: { language: string; answered: number; averageSeconds: number | null; longestSeconds: number | null }[];
  readonly handle: { finished: number; averageSeconds: number | null; longestSeconds: number | null };
  /** Entries that came from a voice call (a call id), callbacks asked for in the menu included. */
  readonly fromCalls: number;
}

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Counts and sums of the entries that joined the queue from `from` up to and including `to`. */
export async function queueCounts(db: Db, from: string, to: string): Promise<QueueCounts> {
  const inRange = db.selectFrom('agent_queue').where('enqueued_at', '>=', from).where('enqueued_at', '<=', to);
  const kinds = await inRange.select(['kind', (eb) => eb.fn.countAll().as('n')]).groupBy('kind').execute();
  const states = await inRange.select(['state', 'outcome', (eb) => eb.fn.countAll().as('n')]).groupBy(['state', 'outcome']).execute();
  const answered = await inRange
    .select(['language', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.avg('wait_seconds').as('avg'), (eb) => eb.fn.max('wait_seconds').as('max')])
    .where('taken_at', 'is not', null)
    .groupBy('language')
    .orderBy('language')
    .execute();
  const handled = await inRange
    .select([(eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.avg('handle_seconds').as('avg'), (eb) => eb.fn.max('handle_seconds').as('max')])
    .where('state', '=', 'finished')
    .executeTakeFirstOrThrow();
  const calls = await inRange.select((eb) => eb.fn.countAll().as('n')).where('call_sid', 'is not', null).executeTakeFirstOrThrow();
  return {
    byKind: Object.fromEntries(kinds.map((r) => [r.kind, Number(r.n)])),
    byStateAndOutcome: states.map((r) => ({ state: r.state, outcome: r.outcome, n: Number(r.n) })),
    answeredByLanguage: answered.map((r) => ({ language: r.language, answered: Number(r.n), averageSeconds: numberOrNull(r.avg), longestSeconds: numberOrNull(r.max) })),
    handle: { finished: Number(handled.n), averageSeconds: numberOrNull(handled.avg), longestSeconds: numberOrNull(handled.max) },
    fromCalls: Number(calls.n),
  };
}
