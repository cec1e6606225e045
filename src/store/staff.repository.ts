/** Staff members as administrators see them: who they are, their role and the shop a shop agent works in. */
import type { Db, Tx } from './database.ts';
import type { StaffTable } from './schema.ts';

export interface StaffMember {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: string;
  readonly shopId: string | null;
  /** Disabled by an administrator: signs in no more. */
  readonly disabled: boolean;
}

const toMember = (r: Pick<StaffTable, 'id' | 'login' | 'name' | 'role' | 'shop_id' | 'disabled_at'>): StaffMember => ({ id: r.id, login: r.login, name: r.name, role: r.role, shopId: r.shop_id, disabled: r.disabled_at !== null });

export async function listStaff(db: Db): Promise<StaffMember[]> {
  return (await db.selectFrom('staff').select(['id', 'login', 'name', 'role', 'shop_id', 'disabled_at']).orderBy('name').orderBy('id').execute()).map(toMember);
}

export async function staffById(db: Db, id: string): Promise<StaffMember | undefined> {
  const row = await db.selectFrom('staff').select(['id', 'login', 'name', 'role', 'shop_id', 'disabled_at']).where('id', '=', id).executeTakeFirst();
  return row ? toMember(row) : undefined;
}

/** Binds a staff member to a shop (null: to none). Sessions read the binding on every request, so it applies at once. */
export async function setStaffShop(tx: Tx, id: string, shopId: string | null): Promise<void> {
  await tx.updateTable('staff').set({ shop_id: shopId }).where('id', '=', id).execute();
}
