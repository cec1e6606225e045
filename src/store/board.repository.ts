/** The lobby board's feed (issue 14): the calls of a shop in the order they were made, numbered per shop. */
import { sql } from 'kysely';
import type { Db, Tx } from './database.ts';
import type { ShopCallsTable } from './schema.ts';

export interface RecordedCall {
  readonly shopId: string;
  /** Per shop, from 1, with no gaps: the board's cursor (its SSE event id). */
  readonly seq: number;
  readonly ticketId: string;
  readonly number: string;
  readonly counterId: string | null;
  readonly counterLabel: string;
  readonly calledAt: string;
  readonly recalls: number;
}

const toCall = (r: ShopCallsTable): RecordedCall => ({ shopId: r.shop_id, seq: Number(r.seq), ticketId: r.ticket_id, number: r.number, counterId: r.counter_id, counterLabel: r.counter_label, calledAt: r.called_at, recalls: Number(r.recalls) });

/**
 * Records a call in the caller's transaction and returns it with its number. Bumping the shop's cursor row locks
 * it until commit on Postgres, so calls of one shop commit in the order of their numbers.
 */
export async function recordCall(tx: Tx, call: Omit<RecordedCall, 'seq'>): Promise<RecordedCall> {
  const { seq } = await tx
    .insertInto('shop_board_cursors')
    .values({ shop_id: call.shopId, seq: 1 })
    .onConflict((oc) => oc.column('shop_id').doUpdateSet({ seq: sql<number>`shop_board_cursors.seq + 1` }))
    .returning('seq')
    .executeTakeFirstOrThrow();
  const recorded = { ...call, seq: Number(seq) };
  await tx
    .insertInto('shop_calls')
    .values({ shop_id: recorded.shopId, seq: recorded.seq, ticket_id: recorded.ticketId, number: recorded.number, counter_id: recorded.counterId, counter_label: recorded.counterLabel, called_at: recorded.calledAt, recalls: recorded.recalls })
    .execute();
  return recorded;
}

/** The shop's last call number (0 before its first call). */
export async function lastCallSeq(db: Db, shopId: string): Promise<number> {
  const row = await db.selectFrom('shop_board_cursors').select('seq').where('shop_id', '=', shopId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

/** The shop's calls numbered after `after`, oldest first, at most `limit`. */
export async function callsAfter(db: Db, shopId: string, after: number, limit: number): Promise<RecordedCall[]> {
  const rows = await db.selectFrom('shop_calls').selectAll().where('shop_id', '=', shopId).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map(toCall);
}

/**
 * What the board shows as of call `upTo`: the latest call of each ticket still called or being served, newest
 * first, at most `limit`.
 */
export async function callsAtCounters(db: Db, shopId: string, upTo: number, limit: number): Promise<RecordedCall[]> {
  const rows = await db
    .selectFrom('shop_calls as c')
    .innerJoin('shop_tickets as t', 't.id', 'c.ticket_id')
    .selectAll('c')
    .where('c.shop_id', '=', shopId)
    .where('c.seq', '<=', upTo)
    .where('t.state', 'in', ['called', 'serving'])
    .where(({ eb, selectFrom }) => eb('c.seq', '=', selectFrom('shop_calls as l').select((e) => e.fn.max('l.seq').as('m')).whereRef('l.ticket_id', '=', 'c.ticket_id').where('l.seq', '<=', upTo)))
    .orderBy('c.seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCall);
}
