
import type { LineState } from '../domain/inventory.ts';
import type { EsimProfile, Line, PhoneNumber, PhysicalSim } from '../domain/model.ts';
import type { Db } from './database.ts';
import { toEsim, toLine, toNumber, toSim } from './mapping.ts';
import { inChunks, rowsByKey, selectByKeys } from './raw-query.ts';

export async function linesById(db: Db, ids: readonly string[], options: { lock?: boolean } = {}): Promise<Map<string, Line>> {
  const rows = await rowsByKey(db, 'lines', 'id', ids, options);
  return new Map(rows.map((r) => [r.id, toLine(r)]));
}

/** The line that holds each number now (terminated lines no longer hold theirs). */
export async function liveLinesByMsisdn(db: Db, msisdns: readonly string[]): Promise<Map<string, Line>> {
  const rows = await inChunks(msisdns, (chunk) =>
    db.selectFrom('lines').selectAll().where('msisdn', 'in', chunk).where('state', '!=', 'terminated').execute(),
  );
  return new Map(rows.map((r) => [r.msisdn, toLine(r)]));
}

/** The most recent line for each number, live or not: to tell "terminated" from "never ours". */
export async function latestLinesByMsisdn(db: Db, msisdns: readonly string[]): Promise<Map<string, Line>> {
  const rows = await inChunks(msisdns, (chunk) =>
    db.selectFrom('lines').selectAll().where('msisdn', 'in', chunk).orderBy('activated_at').execute(),
  );
  return new Map(rows.map((r) => [r.msisdn, toLine(r)]));
}

export async function listLines(db: Db, options: { state?: LineState; limit: number; customerId?: string }): Promise<Line[]> {
  let q = db.selectFrom('lines').selectAll().orderBy('msisdn').limit(options.limit);
  if (options.state) q = q.where('state', '=', options.state);
  if (options.customerId) q = q.where('customer_id', '=', options.customerId);
  return (await q.execute()).map(toLine);
}

export async function numbersByMsisdn(db: Db, msisdns: readonly string[]): Promise<Map<string, PhoneNumber>> {
  const rows = await rowsByKey(db, 'numbers', 'msisdn', msisdns);
  return new Map(rows.map((r) => [r.msisdn, toNumber(r)]));
}

export async function simsByIccid(db: Db, iccids: readonly string[]): Promise<Map<string, PhysicalSim>> {
  const rows = await rowsByKey(db, 'sims', 'iccid', iccids);
  return new Map(rows.map((r) => [r.iccid, toSim(r)]));
}

export async function esimsByIccid(db: Db, iccids: readonly string[]): Promise<Map<string, EsimProfile>> {
  const rows = await rowsByKey(db, 'esim_profiles', 'iccid', iccids);
  return new Map(rows.map((r) => [r.iccid, toEsim(r)]));
}

/** Who held a number and when, oldest first: what the reassigned-numbers query reads. */
export async function assignmentHistory(db: Db, msisdn: string) {
  const rows = await db.selectFrom('number_assignments').selectAll().where('msisdn', '=', msisdn).orderBy('from_at').execute();
  return rows.map((r) => ({ msisdn: r.msisdn, lineId: r.line_id, customerId: r.customer_id, from: r.from_at, to: r.to_at }));
}

/** Active or suspended lines per account: a line's credit is refunded only when it is the account's last. */
export async function liveLineCounts(db: Db, accountIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await selectByKeys<{ account_id: string; n: number | string }>(
    db,
    "select account_id, count(*) as n from lines where account_id :keys and state in ('active', 'suspended') group by account_id",
    accountIds,
  );
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}
