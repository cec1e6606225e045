import type { ExpressionBuilder } from 'kysely';
import type { OpenPart, SeenPart } from '../domain/sms-parts.ts';
import type { Db, Tx } from './database.ts';
import type { InboundVia } from './inbound-sms.repository.ts';
import { newId } from './ids.ts';
import { enqueueJobs } from './jobs.repository.ts';
import type { Database, InboundSmsPartsTable } from './schema.ts';

/** A part of a long inbound SMS as stored (see migration 2026-12-04T10-00-00_inbound-sms-parts_smsparts). */
export interface InboundPart extends OpenPart {
  readonly id: string;
  readonly smscId: string;
  readonly from: string;
  readonly to: string;
  readonly via: InboundVia;
  readonly closedAt: string | null;
  readonly outcome: PartOutcome | null;
  readonly messageId: string | null;
}

/** What became of a part: joined into a message, given up on with the rest of its message, or too late. */
export type PartOutcome = 'joined' | 'given_up' | 'late';

export type NewInboundPart = Pick<InboundPart, 'smscId' | 'from' | 'to' | 'via' | 'ref' | 'total' | 'seq' | 'text' | 'gsm'>;

/** Which message a part belongs to, as the store matches parts. */
export type PartsKey = Pick<InboundPart, 'from' | 'to' | 'ref' | 'total'>;

// UTF-16BE code units: Node's utf16le keeps a lone half of a surrogate pair as it is, UTF-8 text would not.
const toBody = (text: string): string => Buffer.from(text, 'utf16le').swap16().toString('base64');
const fromBody = (body: string): string => Buffer.from(body, 'base64').swap16().toString('utf16le');

const toPart = (r: InboundSmsPartsTable): InboundPart => ({
  id: r.id,
  smscId: r.smsc_id,
  from: r.from_number,
  to: r.to_number,
  ref: Number(r.ref),
  total: Number(r.total),
  seq: Number(r.seq),
  text: fromBody(r.body),
  gsm: Number(r.gsm) === 1,
  via: r.via as InboundVia,
  receivedAt: r.received_at,
  closedAt: r.closed_at,
  outcome: r.outcome as PartOutcome | null,
  messageId: r.message_id,
});

const sameMessage = (key: PartsKey) => (eb: ExpressionBuilder<Database, 'inbound_sms_parts'>) =>
  eb.and([eb('from_number', '=', key.from), eb('to_number', '=', key.to), eb('ref', '=', key.ref), eb('total', '=', key.total)]);

/** The stored part with this SMSC id, if any. */
export async function partBySmscId(db: Db | Tx, smscId: string): Promise<InboundPart | undefined> {
  const row = await db.selectFrom('inbound_sms_parts').selectAll().where('smsc_id', '=', smscId).executeTakeFirst();
  return row ? toPart(row) : undefined;
}

export async function inboundPartById(db: Db | Tx, id: string): Promise<InboundPart | undefined> {
  const row = await db.selectFrom('inbound_sms_parts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPart(row) : undefined;
}

/** The parts of the same sender, recipient, reference and total received from `since` on, open or closed. */
export async function seenParts(db: Db | Tx, key: PartsKey, since: string): Promise<(SeenPart & { id: string })[]> {
  const rows = await db.selectFrom('inbound_sms_parts').select(['id', 'seq', 'received_at', 'closed_at']).where(sameMessage(key)).where('received_at', '>=', since).execute();
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq), receivedAt: r.received_at, closed: r.closed_at !== null }));
}

/** The parts of `key`'s message still open, oldest first. */
export async function openParts(db: Db | Tx, key: PartsKey): Promise<InboundPart[]> {
  const rows = await db.selectFrom('inbound_sms_parts').selectAll().where(sameMessage(key)).where('closed_at', 'is', null).orderBy('received_at').orderBy('id').execute();
  return rows.map(toPart);
}

/**
 * Stores a part once, in the caller's transaction. An open part comes with two `sms.parts` jobs: one at once
 * (is the message whole now?) and one at `giveUpAt` (is it still not?); a `late` part is stored closed, with
 * none. Undefined when the SMSC id, or the open place, is stored already (a repeat that raced this one).
 */
export async function recordInboundPart(tx: Tx, part: NewInboundPart, options: { late: boolean; giveUpAt: string; maxAttempts: number; now: string }): Promise<string | undefined> {
  const id = newId('smp');
  const { now, late } = options;
  const inserted = await tx
    .insertInto('inbound_sms_parts')
    .values({
      id,
      smsc_id: part.smscId,
      from_number: part.from,
      to_number: part.to,
      ref: part.ref,
      total: part.total,
      seq: part.seq,
      body: toBody(part.text),
      gsm: part.gsm ? 1 : 0,
      via: part.via,
      received_at: now,
      closed_at: late ? now : null,
      outcome: late ? 'late' : null,
      message_id: null,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return undefined;
  if (!late) {
    await enqueueJobs(
      tx,
      [
        { kind: 'sms.parts', key: `sms.parts:${part.smscId}`, subject: id, runAt: now },
        { kind: 'sms.parts', key: `sms.parts.give_up:${part.smscId}`, subject: id, runAt: options.giveUpAt },
      ],
      options.maxAttempts,
      now,
    );
  }
  return id;
}

/** Closes the given open parts with `outcome`; the number closed (fewer when another run closed some first). */
export async function closeParts(tx: Tx, ids: readonly string[], outcome: PartOutcome, messageId: string | null, now: string): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await tx.updateTable('inbound_sms_parts').set({ closed_at: now, outcome, message_id: messageId }).where('id', 'in', ids).where('closed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
