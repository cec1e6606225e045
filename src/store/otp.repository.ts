/** One-time codes sent by SMS: only an HMAC of each code is stored (app/otp.ts). */
import { insertRows } from './bulk.ts';
import type { Db, Tx } from './database.ts';

export interface StoredOtpCode {
  readonly id: string;
  readonly customerId: string;
  readonly purpose: string;
  readonly subject: string;
  readonly codeHash: string;
  readonly attempts: number;
  readonly expiresAt: string;
  readonly usedAt: string | null;
  readonly createdAt: string;
}

export async function insertOtpCodes(tx: Tx, codes: readonly Omit<StoredOtpCode, 'attempts' | 'usedAt'>[]): Promise<void> {
  await insertRows(
    tx,
    'otp_codes',
    codes.map((c) => ({ id: c.id, customer_id: c.customerId, purpose: c.purpose, subject: c.subject, code_hash: c.codeHash, attempts: 0, expires_at: c.expiresAt, used_at: null, created_at: c.createdAt })),
  );
}

/** Earlier unused codes for the same action stop working. */
export async function voidOpenCodesFor(tx: Tx, purpose: string, subject: string, now: string): Promise<void> {
  await tx.updateTable('otp_codes').set({ used_at: now }).where('purpose', '=', purpose).where('subject', '=', subject).where('used_at', 'is', null).execute();
}

/** Every unused code of one purpose a customer holds stops working. */
export async function voidOpenCodesOfCustomer(tx: Tx, customerId: string, purpose: string, now: string): Promise<void> {
  await tx.updateTable('otp_codes').set({ used_at: now }).where('customer_id', '=', customerId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

/** The newest unused code for an action, expired or not. */
export async function latestOpenCode(db: Db, purpose: string, subject: string): Promise<StoredOtpCode | undefined> {
  const row = await db.selectFrom('otp_codes').selectAll().where('purpose', '=', purpose).where('subject', '=', subject).where('used_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();
  return row && { id: row.id, customerId: row.customer_id, purpose: row.purpose, subject: row.subject, codeHash: row.code_hash, attempts: Number(row.attempts), expiresAt: row.expires_at, usedAt: row.used_at, createdAt: row.created_at };
}

/** Counts one more try on the code (atomically, so parallel guesses all count) and returns the tries so far. */
export async function countCodeAttempt(db: Db, id: string): Promise<number> {
  const counted = await db.updateTable('otp_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).returning('attempts').executeTakeFirstOrThrow();
  return Number(counted.attempts);
}

export async function voidCode(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('otp_codes').set({ used_at: now }).where('id', '=', id).execute();
}

/** Uses the code up; false when it was used meanwhile. */
export async function spendCode(tx: Tx, id: string, now: string): Promise<boolean> {
  const spent = await tx.updateTable('otp_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}
