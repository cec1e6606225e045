
import type { Account, Customer, LedgerEntry, LedgerKind } from '../domain/model.ts';
import { insertRows, updateRows } from './bulk.ts';
import type { Db, Tx } from './database.ts';
import { newId } from './ids.ts';
import { toAccount, toCustomer, toLedgerEntry } from './mapping.ts';
import { lockRowsByKey, rowsByKey } from './raw-query.ts';

export async function customersById(db: Db, ids: readonly string[]): Promise<Map<string, Customer>> {
  const rows = await rowsByKey(db, 'customers', 'id', ids);
  return new Map(rows.map((r) => [r.id, toCustomer(r)]));
}

export async function accountsById(db: Db, ids: readonly string[]): Promise<Map<string, Account>> {
  const rows = await rowsByKey(db, 'accounts', 'id', ids);
  return new Map(rows.map((r) => [r.id, toAccount(r)]));
}

/** `accountsById`, the rows locked for the rest of the transaction (a balance read to be written back). */
export async function lockAccountsById(tx: Tx, ids: readonly string[]): Promise<Map<string, Account>> {
  const rows = await lockRowsByKey(tx, 'accounts', 'id', ids);
  return new Map(rows.map((r) => [r.id, toAccount(r)]));
}

export interface NewLedgerEntry {
  readonly accountId: string;
  readonly kind: LedgerKind;
  readonly amount: number;
  readonly description: string;
  readonly reference: string | null;
  /** A business key: an entry with a key already posted is not posted again. */
  readonly key: string | null;
  readonly at: string;
}

/**
 * Posts entries and moves balances by the same amounts in one transaction, so
 * the ledger always sums to the balance. Callers lock the accounts first
 * (`lockAccountsById(tx, ids)`) and pass the balances they read.
 */
export async function postLedger(tx: Tx, entries: readonly NewLedgerEntry[], balances: Map<string, number>): Promise<void> {
  if (entries.length === 0) return;
  await insertRows(
    tx,
    'ledger_entries',
    entries.map((e) => ({
      id: newId('le'),
      account_id: e.accountId,
      kind: e.kind,
      amount: e.amount,
      description: e.description,
      reference: e.reference,
      key: e.key,
      at: e.at,
    })),
  );
  const next = new Map<string, number>();
  for (const e of entries) {
    const base = next.get(e.accountId) ?? balances.get(e.accountId);
    if (base === undefined) throw new Error(`account ${e.accountId} was not loaded before posting`);
    next.set(e.accountId, base + e.amount);
  }
  await updateRows(
    tx,
    'accounts',
    'id',
    [...next].map(([id, balance]) => ({ id, balance })),
  );
}

export async function ledgerOf(db: Db, accountId: string): Promise<LedgerEntry[]> {
  const rows = await db.selectFrom('ledger_entries').selectAll().where('account_id', '=', accountId).orderBy('at').orderBy('id').execute();
  return rows.map(toLedgerEntry);
}

export async function markIdentityVerified(tx: Tx, customerId: string, at: string): Promise<void> {
  await tx.updateTable('customers').set({ identity_verified_at: at }).where('id', '=', customerId).execute();
}

/** Whether the store holds any customer yet (an empty demo store is seeded). */
export async function hasAnyCustomer(db: Db): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Every account of a customer. */
export async function accountsOfCustomer(db: Db, customerId: string): Promise<Account[]> {
  return (await db.selectFrom('accounts').selectAll().where('customer_id', '=', customerId).execute()).map(toAccount);
}

/** `customersById` for one customer, the row locked for the rest of the transaction (Postgres): that person's reclaims take turns. */
export async function lockCustomer(tx: Tx, id: string): Promise<Customer | undefined> {
  const [row] = await lockRowsByKey(tx, 'customers', 'id', [id]);
  return row ? toCustomer(row) : undefined;
}
