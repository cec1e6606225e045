/** Numbers, SIMs and eSIM profiles as they move after a termination: quarantine, release, reclaim (app/inventory-actions.ts). */
import { sql } from 'kysely';
import type { Line } from '../domain/model.ts';
import { updateRows } from './bulk.ts';
import { type Db, isPostgres, type Tx } from './database.ts';
import { newId } from './ids.ts';
import { fromLine } from './mapping.ts';

/**
 * Moves up to `limit` numbers whose quarantine is over at `now` back to `available`, the longest-ended first,
 * in one statement (the batch never passes through this process), and returns them. Only a number still
 * `quarantined` moves. On Postgres the candidates are locked with SKIP LOCKED: a number whose reclaim holds its
 * row (`lockNumber`) is left out, and the reclaim finds it still quarantined. On SQLite writers take turns, so a
 * reclaim either committed before (the number is `assigned`) or runs after.
 */
export async function releaseDueNumbers(tx: Tx, now: string, limit: number): Promise<string[]> {
  // A literal state, not a parameter, so both planners use the (state, quarantine_until) index for the order; on
  // SQLite the batch is picked by rowid and on Postgres by ctid, which the index holds, so the UPDATE reaches
  // each row directly instead of through the primary key (or a join over every quarantined number).
  const query = isPostgres(tx)
    ? sql<{ msisdn: string }>`with due as (
        select ctid from numbers where state = 'quarantined' and quarantine_until <= ${now}
        order by quarantine_until limit ${limit} for update skip locked)
      update numbers n set state = 'available', quarantine_until = null, updated_at = ${now}
      from due where n.ctid = due.ctid and n.state = 'quarantined' returning n.msisdn`
    : sql<{ msisdn: string }>`update numbers set state = 'available', quarantine_until = null, updated_at = ${now}
      where rowid in (select rowid from numbers where state = 'quarantined' and quarantine_until <= ${now} order by quarantine_until limit ${limit})
      returning msisdn`;
  const { rows } = await query.execute(tx);
  return rows.map((r) => r.msisdn);
}

/** Locks a number's row for a reclaim (Postgres; SQLite's writer already runs alone) and reads its state. */
export async function lockNumber(tx: Tx, msisdn: string): Promise<{ state: string; quarantineUntil: string | null } | undefined> {
  let query = tx.selectFrom('numbers').select(['state', 'quarantine_until']).where('msisdn', '=', msisdn);
  if (isPostgres(tx)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { state: row.state, quarantineUntil: row.quarantine_until } : undefined;
}

/** Up to `limit` quarantined numbers whose quarantine ends after `from` and by `to`. */
export async function quarantinesEndingBetween(tx: Tx, from: string, to: string, limit: number): Promise<{ msisdn: string; quarantineUntil: string }[]> {
  const rows = await tx.selectFrom('numbers').select(['msisdn', 'quarantine_until']).where('state', '=', 'quarantined').where('quarantine_until', '>', from).where('quarantine_until', '<=', to).limit(limit).execute();
  return rows.flatMap((r) => (r.quarantine_until ? [{ msisdn: r.msisdn, quarantineUntil: r.quarantine_until }] : []));
}

/** A new line for the number, which becomes `assigned` to it (with the assignment's history row). */
export async function assignNumberToNewLine(tx: Tx, line: Line, now: string): Promise<void> {
  await tx.insertInto('lines').values(fromLine(line)).execute();
  await updateRows(tx, 'numbers', 'msisdn', [{ msisdn: line.msisdn, state: 'assigned', quarantine_until: null, updated_at: now }]);
  await tx.insertInto('number_assignments').values({ id: newId('na'), msisdn: line.msisdn, line_id: line.id, customer_id: line.customerId, from_at: now, to_at: null }).execute();
}

export async function insertReclaim(tx: Tx, reclaim: { id: string; msisdn: string; customerId: string; formerLineId: string; newLineId: string; channel: string; at: string }): Promise<void> {
  await tx
    .insertInto('reclaims')
    .values({ id: reclaim.id, msisdn: reclaim.msisdn, customer_id: reclaim.customerId, former_line_id: reclaim.formerLineId, new_line_id: reclaim.newLineId, channel: reclaim.channel, at: reclaim.at })
    .execute();
}

/** The first physical SIM in stock (by ICCID). */
export async function firstSimInStock(tx: Tx): Promise<string | undefined> {
  return (await tx.selectFrom('sims').select(['iccid']).where('state', '=', 'in_stock').orderBy('iccid').limit(1).executeTakeFirst())?.iccid;
}

export async function activateSim(tx: Tx, iccid: string, now: string): Promise<void> {
  await tx.updateTable('sims').set({ state: 'active', updated_at: now }).where('iccid', '=', iccid).execute();
}

/** The first eSIM profile available (by ICCID). */
export async function firstAvailableEsim(tx: Tx): Promise<string | undefined> {
  return (await tx.selectFrom('esim_profiles').select(['iccid']).where('state', '=', 'available').orderBy('iccid').limit(1).executeTakeFirst())?.iccid;
}

export async function allocateEsim(tx: Tx, iccid: string, now: string): Promise<void> {
  await tx.updateTable('esim_profiles').set({ state: 'allocated', updated_at: now }).where('iccid', '=', iccid).execute();
}

export async function esimStateOf(tx: Tx, iccid: string): Promise<string | undefined> {
  return (await tx.selectFrom('esim_profiles').select(['state']).where('iccid', '=', iccid).executeTakeFirst())?.state;
}

/** An eSIM profile with the line it was issued to (ICCIDs are never reused: one line at most), for SM-DP+ notifications. */
export interface EsimWithLine {
  readonly state: string;
  readonly awaitingDeviceDeletionSince: string | null;
  readonly line: { readonly id: string; readonly msisdn: string; readonly state: string; readonly customerId: string } | null;
}

export async function esimWithLine(tx: Tx, iccid: string): Promise<EsimWithLine | undefined> {
  const row = await tx
    .selectFrom('esim_profiles as e')
    .leftJoin('lines as l', (j) => j.onRef('l.iccid', '=', 'e.iccid').on('l.sim_type', '=', 'esim'))
    .select(['e.state', 'e.awaiting_device_deletion_since', 'l.id as line_id', 'l.msisdn', 'l.state as line_state', 'l.customer_id'])
    .where('e.iccid', '=', iccid)
    .executeTakeFirst();
  if (!row) return undefined;
  const line = row.line_id && row.msisdn && row.line_state && row.customer_id ? { id: row.line_id, msisdn: row.msisdn, state: row.line_state, customerId: row.customer_id } : null;
  return { state: row.state, awaitingDeviceDeletionSince: row.awaiting_device_deletion_since, line };
}

/**
 * The device deleted or disabled the profile: no longer waiting for it. Moves it only from `from`, so of two
 * notifications racing for one profile only one sees `true` and acts on it.
 */
export async function closeEsimOnDevice(tx: Tx, iccid: string, from: string, to: string, now: string): Promise<boolean> {
  const r = await tx.updateTable('esim_profiles').set({ state: to, awaiting_device_deletion_since: null, updated_at: now }).where('iccid', '=', iccid).where('state', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A profile to make downloadable (reclaim onto eSIM, app/esim-prepare.ts) with the line it went to. */
export interface EsimToPrepare {
  readonly iccid: string;
  readonly eid: string | null;
  readonly activationCode: string | null;
  readonly line: { readonly id: string; readonly msisdn: string; readonly customerId: string } | null;
}

export async function esimToPrepare(db: Db, iccid: string): Promise<EsimToPrepare | undefined> {
  const row = await db
    .selectFrom('esim_profiles as e')
    .leftJoin('lines as l', (j) => j.onRef('l.iccid', '=', 'e.iccid').on('l.sim_type', '=', 'esim'))
    .select(['e.iccid', 'e.eid', 'e.activation_code', 'l.id as line_id', 'l.msisdn', 'l.customer_id'])
    .where('e.iccid', '=', iccid)
    .executeTakeFirst();
  if (!row) return undefined;
  const line = row.line_id && row.msisdn && row.customer_id ? { id: row.line_id, msisdn: row.msisdn, customerId: row.customer_id } : null;
  return { iccid: row.iccid, eid: row.eid, activationCode: row.activation_code ?? null, line };
}

/** Keeps what the SM-DP+ confirmed; only the first answer counts (false when a code was already there). */
export async function recordEsimActivation(tx: Tx, iccid: string, a: { matchingId: string; smdpAddress: string; activationCode: string }, now: string): Promise<boolean> {
  const r = await tx
    .updateTable('esim_profiles')
    .set({ matching_id: a.matchingId, smdp_address: a.smdpAddress, activation_code: a.activationCode, updated_at: now })
    .where('iccid', '=', iccid)
    .where('activation_code', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The activation codes of these lines' eSIMs, once prepared (a SIM line, or one not yet confirmed, is left out). */
export async function activationCodesOfLines(db: Db, lineIds: readonly string[]): Promise<Map<string, string>> {
  if (lineIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('lines as l')
    .innerJoin('esim_profiles as e', 'e.iccid', 'l.iccid')
    .select(['l.id', 'e.activation_code'])
    .where('l.id', 'in', lineIds)
    .where('l.sim_type', '=', 'esim')
    .where('e.activation_code', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.activation_code as string]));
}
