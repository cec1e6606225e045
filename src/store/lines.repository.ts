
import type { EsimState, LineState } from '../domain/inventory.ts';
import type { Account, Customer, EsimProfile, Line, PhoneNumber, PhysicalSim } from '../domain/model.ts';
import { updateRows } from './bulk.ts';
import type { Db, Tx } from './database.ts';
import { toAccount, toCustomer, toEsim, toLine, toNumber, toSim } from './mapping.ts';
import { inChunks, lockRowsByKey, rowsByKey, selectByKeys, selectRaw } from './raw-query.ts';
import type { LinesTable } from './schema.ts';

export async function linesById(db: Db, ids: readonly string[]): Promise<Map<string, Line>> {
  const rows = await rowsByKey(db, 'lines', 'id', ids);
  return new Map(rows.map((r) => [r.id, toLine(r)]));
}

/** `linesById`, the rows locked for the rest of the transaction. */
export async function lockLinesById(tx: Tx, ids: readonly string[]): Promise<Map<string, Line>> {
  const rows = await lockRowsByKey(tx, 'lines', 'id', ids);
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

/**
 * For each number that has a line, the id of its newest line. Ids grow with time, so the lines, their
 * accounts, customers and numbers were written in about this order: reading them in it walks each table
 * forward instead of at random.
 */
export async function lineIdsByMsisdn(db: Db, msisdns: readonly string[]): Promise<Map<string, string>> {
  const rows = await selectByKeys<{ msisdn: string; id: string }>(db, 'select msisdn, max(id) as id from lines where msisdn :keys group by msisdn', msisdns);
  return new Map(rows.map((r) => [r.msisdn, r.id]));
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

/** A line with everything its termination preview reads. */
export interface LineForPreview {
  readonly line: Line;
  readonly account: Account;
  readonly customer: Customer;
  readonly esimState: EsimState | null;
  /** Active or suspended lines on the line's account, this one included. */
  readonly liveLines: number;
}

// One statement instead of five: inside a busy server each statement's fixed cost is larger than its work.
const LINE_FOR_PREVIEW = `select l.*,
  a.customer_id as a_customer_id, a.currency as a_currency, a.balance as a_balance, a.created_at as a_created_at,
  c.name as c_name, c.language as c_language, c.email as c_email, c.birth_date as c_birth_date,
  c.doc_type as c_doc_type, c.doc_country as c_doc_country, c.doc_hash as c_doc_hash, c.doc_last4 as c_doc_last4,
  c.foreigner as c_foreigner, c.identity_verified_at as c_identity_verified_at, c.created_at as c_created_at,
  e.state as esim_state,
  (select count(*) from lines o where o.account_id = l.account_id and o.state in ('active', 'suspended')) as live_lines
  from lines l
  join accounts a on a.id = l.account_id
  join customers c on c.id = l.customer_id
  left join esim_profiles e on l.sim_type = 'esim' and e.iccid = l.iccid
  where l.id = ?`;

interface LineForPreviewRow extends LinesTable {
  a_customer_id: string;
  a_currency: string;
  a_balance: number;
  a_created_at: string;
  c_name: string;
  c_language: string;
  c_email: string | null;
  c_birth_date: string | null;
  c_doc_type: string | null;
  c_doc_country: string | null;
  c_doc_hash: string | null;
  c_doc_last4: string | null;
  c_foreigner: number;
  c_identity_verified_at: string | null;
  c_created_at: string;
  esim_state: string | null;
  live_lines: number | string;
}

export async function lineForPreview(db: Db, lineId: string): Promise<LineForPreview | undefined> {
  const [r] = await selectRaw<LineForPreviewRow>(db, LINE_FOR_PREVIEW, [lineId]);
  if (!r) return undefined;
  return {
    line: toLine(r),
    account: toAccount({ id: r.account_id, customer_id: r.a_customer_id, currency: r.a_currency, balance: r.a_balance, created_at: r.a_created_at }),
    customer: toCustomer({
      id: r.customer_id,
      name: r.c_name,
      language: r.c_language,
      email: r.c_email,
      birth_date: r.c_birth_date,
      doc_type: r.c_doc_type,
      doc_country: r.c_doc_country,
      doc_hash: r.c_doc_hash,
      doc_last4: r.c_doc_last4,
      foreigner: r.c_foreigner,
      identity_verified_at: r.c_identity_verified_at,
      // Secrets are not read here, and a customer in the domain carries none.
      password_hash: null,
      oidc_subject: null,
      created_at: r.c_created_at,
    }),
    esimState: r.esim_state as EsimState | null,
    liveLines: Number(r.live_lines),
  };
}

/** A person's former numbers still kept for them (quarantined, not given to anyone since): when each ended and until when it can be reclaimed. */
export async function formerNumbersOf(db: Db, customerId: string): Promise<{ msisdn: string; endedAt: string | null; reclaimableUntil: string | null }[]> {
  const rows = await db
    .selectFrom('lines')
    .innerJoin('numbers', 'numbers.msisdn', 'lines.msisdn')
    .select(['lines.msisdn', 'lines.terminated_at', 'numbers.quarantine_until'])
    .where('lines.customer_id', '=', customerId)
    .where('lines.state', '=', 'terminated')
    .where('numbers.state', '=', 'quarantined')
    .orderBy('numbers.quarantine_until')
    .orderBy('lines.msisdn')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.msisdn) && seen.add(r.msisdn)).map((r) => ({ msisdn: r.msisdn, endedAt: r.terminated_at, reclaimableUntil: r.quarantine_until }));
}

/** Numbers in a state (all without one), quarantined ones by the end of their quarantine. */
export async function listNumbers(db: Db, options: { state?: string; limit: number }): Promise<{ msisdn: string; state: string; quarantineUntil: string | null }[]> {
  let q = db.selectFrom('numbers').select(['msisdn', 'state', 'quarantine_until']).limit(options.limit);
  q = options.state ? q.where('state', '=', options.state) : q;
  q = options.state === 'quarantined' ? q.orderBy('quarantine_until').orderBy('msisdn') : q.orderBy('msisdn');
  return (await q.execute()).map((r) => ({ msisdn: r.msisdn, state: r.state, quarantineUntil: r.quarantine_until }));
}

/** Writes each line's new state; `terminatedAt` is set for lines that end now and kept for the others. */
export async function writeLineStates(tx: Tx, changes: readonly { id: string; state: LineState; terminatedAt: string | null }[]): Promise<void> {
  await updateRows(tx, 'lines', 'id', changes.map((c) => ({ id: c.id, state: c.state, terminated_at: c.terminatedAt })));
}

/** How many numbers a person holds now: their lines not yet ended (active, suspended or with a termination scheduled). */
export async function liveNumberCountOf(db: Db, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('lines')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('customer_id', '=', customerId)
    .where('state', '!=', 'terminated')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
