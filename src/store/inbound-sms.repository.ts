import type { Db, Tx } from './database.ts';
import { newId } from './ids.ts';
import { enqueueJobs } from './jobs.repository.ts';
import type { InboundSmsTable } from './schema.ts';

/** How an inbound SMS reached us. */
export type InboundVia = 'smpp' | 'http';

/** An SMS the short number received, as the SMSC (or the HTTP provider) handed it over. */
export interface InboundSms {
  readonly id: string;
  /** The SMSC's id for the message: the same message delivered twice has the same one. */
  readonly smscId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly receivedAt: string;
  readonly via: InboundVia;
  readonly handledAt: string | null;
  readonly outcome: string | null;
}

export type NewInboundSms = Pick<InboundSms, 'smscId' | 'from' | 'to' | 'text' | 'via'>;

const toInbound = (r: InboundSmsTable): InboundSms => ({
  id: r.id,
  smscId: r.smsc_id,
  from: r.from_number,
  to: r.to_number,
  text: r.text,
  receivedAt: r.received_at,
  via: r.via as InboundVia,
  handledAt: r.handled_at,
  outcome: r.outcome,
});

/**
 * Stores an inbound SMS once per SMSC id and, with it, the `sms.inbound` job that handles it (key
 * `sms.inbound:<smsc id>`), in the caller's transaction. A message the SMSC delivers again adds nothing:
 * `created` is false and the id is the stored one's.
 */
export async function recordInboundSms(tx: Tx, sms: NewInboundSms, maxAttempts: number, now: string): Promise<{ id: string; created: boolean }> {
  const id = newId('sms');
  const inserted = await tx
    .insertInto('inbound_sms')
    .values({ id, smsc_id: sms.smscId, from_number: sms.from, to_number: sms.to, text: sms.text, received_at: now, via: sms.via, handled_at: null, outcome: null })
    .onConflict((oc) => oc.column('smsc_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    const found = await tx.selectFrom('inbound_sms').select('id').where('smsc_id', '=', sms.smscId).executeTakeFirstOrThrow();
    return { id: found.id, created: false };
  }
  await enqueueJobs(tx, [{ kind: 'sms.inbound', key: `sms.inbound:${sms.smscId}`, subject: id, runAt: now }], maxAttempts, now);
  return { id, created: true };
}

export async function inboundSmsById(db: Db, id: string): Promise<InboundSms | undefined> {
  const row = await db.selectFrom('inbound_sms').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toInbound(row) : undefined;
}

/**
 * When `from` texted before `message` (every earlier message, handled or refused; ids order messages of one
 * instant), from `since` on when given: a rate window needs only its own messages, not a number's whole history.
 */
export async function inboundTimesBefore(db: Db, message: Pick<InboundSms, 'id' | 'from' | 'receivedAt'>, since?: string): Promise<string[]> {
  let query = db
    .selectFrom('inbound_sms')
    .select('received_at')
    .where('from_number', '=', message.from);
  if (since !== undefined) query = query.where('received_at', '>', since);
  const rows = await query
    .where((eb) => eb.or([eb('received_at', '<', message.receivedAt), eb.and([eb('received_at', '=', message.receivedAt), eb('id', '<', message.id)])]))
    .execute();
  return rows.map((r) => r.received_at);
}

/** Records what handling a message did; false when it was handled already (a repeated job). */
export async function markInboundHandled(tx: Tx, id: string, outcome: string, now: string): Promise<boolean> {
  const r = await tx.updateTable('inbound_sms').set({ handled_at: now, outcome }).where('id', '=', id).where('handled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
