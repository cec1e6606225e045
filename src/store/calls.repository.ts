import type { CallFlow, CallRecord } from '../domain/call-flow.ts';
import type { Db } from './database.ts';
import type { CallsTable } from './schema.ts';

const toCall = (r: CallsTable): CallRecord => ({
  id: r.id,
  callSid: r.call_sid,
  from: r.from_number,
  to: r.to_number,
  flow: JSON.parse(r.data) as CallFlow,
  agentEntryId: r.agent_entry_id,
  platformStatus: r.platform_status,
  version: Number(r.version),
  startedAt: r.started_at,
  answeredAt: r.answered_at,
  handedOverAt: r.handed_over_at,
  endedAt: r.ended_at,
});

/** The columns the flow decides, written with every turn (the figures are read from these, not from the JSON). */
const flowColumns = (c: CallRecord) => ({
  language: c.flow.language,
  state: c.flow.state,
  data: JSON.stringify(c.flow),
  wrong_inputs: c.flow.wrong,
  slow: c.flow.slow ? 1 : 0,
  customer_id: c.flow.line?.customerId ?? null,
  line_id: c.flow.line?.lineId ?? null,
  verified: JSON.stringify(c.flow.verified),
  outcome: c.flow.outcome,
  reference: c.flow.reference,
  agent_entry_id: c.agentEntryId,
  handed_over_at: c.handedOverAt,
});

/** Records a new call once per CallSid: a repeated first webhook finds the call already there. */
export async function insertCall(db: Db, call: CallRecord): Promise<{ call: CallRecord; created: boolean }> {
  const inserted = await db
    .insertInto('calls')
    .values({ id: call.id, call_sid: call.callSid, from_number: call.from, to_number: call.to, ...flowColumns(call), platform_status: call.platformStatus, version: call.version, started_at: call.startedAt, answered_at: call.answeredAt, ended_at: call.endedAt, updated_at: call.startedAt })
    .onConflict((oc) => oc.column('call_sid').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { call, created: true };
  const found = await callBySid(db, call.callSid);
  if (!found) throw new Error(`call ${call.callSid} neither inserted nor found`);
  return { call: found, created: false };
}

export async function callBySid(db: Db, callSid: string): Promise<CallRecord | undefined> {
  const row = await db.selectFrom('calls').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
  return row ? toCall(row) : undefined;
}

/**
 * Takes the turn `version` of a call: moves it to `version + 1` unless another webhook took it first (then
 * false, and nothing changed). Only the taker may save the turn's result.
 */
export async function claimTurn(db: Db, callSid: string, version: number, now: string): Promise<boolean> {
  const r = await db.updateTable('calls').set({ version: version + 1, updated_at: now }).where('call_sid', '=', callSid).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Saves a turn's result for the claimed version; false when the call moved on meanwhile. */
export async function saveTurn(db: Db, call: CallRecord, now: string): Promise<boolean> {
  const r = await db.updateTable('calls').set({ ...flowColumns(call), updated_at: now }).where('call_sid', '=', call.callSid).where('version', '=', call.version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The platform's word on a call (completed, busy, …): the first end time and outcome stay. */
export async function recordCallStatus(db: Db, callSid: string, input: { status: string; endedAt: string | null; outcomeIfNone: string | null; now: string }): Promise<boolean> {
  const r = await db
    .updateTable('calls')
    .set((eb) => ({
      platform_status: input.status,
      ended_at: eb.fn.coalesce('ended_at', eb.val(input.endedAt)),
      outcome: eb.fn.coalesce('outcome', eb.val(input.outcomeIfNone)),
      state: input.endedAt ? 'ended' : eb.ref('state'),
      updated_at: input.now,
    }))
    .where('call_sid', '=', callSid)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Remembers a signed webhook by its digest; false when the same one was seen after `windowStart` (a replay).
 * Entries older than the window are forgotten as new ones come.
 */
export async function rememberWebhook(db: Db, input: { digest: string; callSid: string; now: string; windowStart: string }): Promise<boolean> {
  await db.deleteFrom('voice_webhooks').where('seen_at', '<', input.windowStart).execute();
  const r = await db.insertInto('voice_webhooks').values({ digest: input.digest, call_sid: input.callSid, seen_at: input.now }).onConflict((oc) => oc.column('digest').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Calls by outcome since an instant, for the back office's figures. */
export async function callOutcomes(db: Db, since: string): Promise<{ outcome: string | null; language: string | null; calls: number }[]> {
  const rows = await db
    .selectFrom('calls')
    .select(['outcome', 'language', (eb) => eb.fn.countAll<number>().as('calls')])
    .where('started_at', '>=', since)
    .groupBy(['outcome', 'language'])
    .execute();
  return rows.map((r) => ({ outcome: r.outcome, language: r.language, calls: Number(r.calls) }));
}

/** How many calls the voice menu answered from `from` up to and including `to`. */
export async function callsStartedBetween(db: Db, from: string, to: string): Promise<number> {
  const row = await db.selectFrom('calls').select((eb) => eb.fn.countAll<number>().as('n')).where('started_at', '>=', from).where('started_at', '<=', to).executeTakeFirst();
  return Number(row?.n ?? 0);
}
