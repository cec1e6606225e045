/** Staff accounts as administrators change them (app/staff-accounts.ts); reading the list is staff.repository.ts. */
import { type Db, isPostgres, type Tx } from './database.ts';

export interface NewStaff {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: string;
  readonly shopId: string | null;
  readonly passwordHash: string;
  readonly createdAt: string;
}

/** Inserts the account unless its login is taken (by a concurrent insert too: the unique index decides); returns whether it did. */
export async function insertStaff(tx: Tx, s: NewStaff): Promise<boolean> {
  const r = await tx
    .insertInto('staff')
    .values({ id: s.id, login: s.login, name: s.name, role: s.role, shop_id: s.shopId, password_hash: s.passwordHash, created_at: s.createdAt, disabled_at: null })
    .onConflict((oc) => oc.column('login').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function loginTaken(db: Db, login: string): Promise<boolean> {
  return (await db.selectFrom('staff').select('id').where('login', '=', login).executeTakeFirst()) !== undefined;
}

export interface StaffChange {
  readonly name?: string;
  readonly role?: string;
  readonly shopId?: string | null;
  readonly disabledAt?: string | null;
  readonly passwordHash?: string;
}

export async function updateStaff(tx: Tx, id: string, change: StaffChange): Promise<void> {
  const set = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.role !== undefined ? { role: change.role } : {}),
    ...(change.shopId !== undefined ? { shop_id: change.shopId } : {}),
    ...(change.disabledAt !== undefined ? { disabled_at: change.disabledAt } : {}),
    ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash } : {}),
  };
  if (Object.keys(set).length > 0) await tx.updateTable('staff').set(set).where('id', '=', id).execute();
}

/**
 * The ids of the administrators who can sign in. On Postgres their rows are locked until the transaction ends, so
 * two administrators disabling each other at once cannot both succeed (SQLite runs one writer at a time).
 */
export async function activeAdminIds(tx: Tx): Promise<string[]> {
  let q = tx.selectFrom('staff').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).orderBy('id');
  if (isPostgres(tx)) q = q.forUpdate();
  return (await q.execute()).map((r) => r.id);
}
