/** Staff cases: which customer a shop or call agent may act for, and until when. */
import type { Db, Tx } from './database.ts';
import type { StaffCasesTable } from './schema.ts';

export interface StaffCase {
  readonly id: string;
  readonly staffId: string;
  readonly customerId: string;
  readonly shopId: string | null;
  readonly callId: string | null;
  /** How the customer was found: a live line's number, a document number, or the voice menu that verified the caller. */
  readonly identifiedBy: 'msisdn' | 'document' | 'voice_menu';
  readonly openedAt: string;
  readonly expiresAt: string;
  readonly closedAt: string | null;
}

const toCase = (r: StaffCasesTable): StaffCase => ({
  id: r.id,
  staffId: r.staff_id,
  customerId: r.customer_id,
  shopId: r.shop_id,
  callId: r.call_id,
  identifiedBy: r.identified_by === 'document' || r.identified_by === 'voice_menu' ? r.identified_by : 'msisdn',
  openedAt: r.opened_at,
  expiresAt: r.expires_at,
  closedAt: r.closed_at,
});

export async function insertCase(tx: Tx, c: StaffCase): Promise<void> {
  await tx
    .insertInto('staff_cases')
    .values({ id: c.id, staff_id: c.staffId, customer_id: c.customerId, shop_id: c.shopId, call_id: c.callId, identified_by: c.identifiedBy, opened_at: c.openedAt, expires_at: c.expiresAt, closed_at: c.closedAt })
    .execute();
}

/** The agent's open, unexpired cases for a customer, newest first (in `shopId` when given). */
export async function openCasesOf(db: Db, staffId: string, customerId: string, now: string, shopId?: string | null): Promise<StaffCase[]> {
  let q = db.selectFrom('staff_cases').selectAll().where('staff_id', '=', staffId).where('customer_id', '=', customerId).where('closed_at', 'is', null).where('expires_at', '>', now);
  if (shopId !== undefined) q = shopId === null ? q.where('shop_id', 'is', null) : q.where('shop_id', '=', shopId);
  return (await q.orderBy('opened_at', 'desc').execute()).map(toCase);
}

/** The customers an agent holds an open case for. */
export async function customersInOpenCases(db: Db, staffId: string, now: string, shopId?: string | null): Promise<string[]> {
  let q = db.selectFrom('staff_cases').select('customer_id').where('staff_id', '=', staffId).where('closed_at', 'is', null).where('expires_at', '>', now);
  if (shopId !== undefined) q = shopId === null ? q.where('shop_id', 'is', null) : q.where('shop_id', '=', shopId);
  return [...new Set((await q.execute()).map((r) => r.customer_id))];
}

/** Closes an agent's own open case; false when there is none with this id. */
export async function closeCase(tx: Tx, id: string, staffId: string, now: string): Promise<StaffCase | undefined> {
  const row = await tx.selectFrom('staff_cases').selectAll().where('id', '=', id).where('staff_id', '=', staffId).where('closed_at', 'is', null).executeTakeFirst();
  if (!row) return undefined;
  await tx.updateTable('staff_cases').set({ closed_at: now }).where('id', '=', id).execute();
  return toCase({ ...row, closed_at: now });
}

/** Customers by the exact number of a line they hold now (not ended), or by their document hash. */
export async function customerIdsByMsisdn(db: Db, msisdn: string): Promise<string[]> {
  const rows = await db.selectFrom('lines').select('customer_id').where('msisdn', '=', msisdn).where('state', '!=', 'terminated').execute();
  return [...new Set(rows.map((r) => r.customer_id))];
}

export async function customerIdsByDocumentHash(db: Db, docHash: string): Promise<string[]> {
  const rows = await db.selectFrom('customers').select('id').where('doc_hash', '=', docHash).execute();
  return rows.map((r) => r.id);
}
