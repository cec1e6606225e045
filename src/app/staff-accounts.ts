/**
 * Administrators manage staff accounts (issue 17): create one with a login, name, role and (for a shop agent) a
 * shop; change the name, role or shop; disable and enable it; set a new password, either one the administrator
 * hands over or one generated here and shown once. Every refusal changes nothing; every change is audited with
 * what changed, never a password or its hash. The last administrator who can sign in is neither disabled nor
 * demoted, so an installation never locks its own administrators out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { appendAudit } from '../store/audit.repository.ts';
import { deleteSessionsAndDevicesOf } from '../store/auth.repository.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { shopById } from '../store/shops.repository.ts';
import { activeAdminIds, insertStaff, loginTaken, type StaffChange, updateStaff } from '../store/staff-accounts.repository.ts';
import { listStaff, type StaffMember, staffById } from '../store/staff.repository.ts';
import { type Administrator, administratorActor } from './administrator.ts';
import type { AppContext } from './context.ts';
import { STAFF_ROLES, type StaffRole } from './principal.ts';
import { hashPassword } from './secrets.ts';

export const MIN_PASSWORD_LENGTH = 8;
export const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{1,39}$/;

/** What a change answers: the account, and the generated password when one was asked for (shown this once). */
export interface StaffOutcome {
  readonly member: StaffMember;
  readonly password?: string;
}

/** A password to hand over: 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

function checkRole(role: string): StaffRole {
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new AppError('STAFF_ROLE_UNKNOWN', { input: role, valid: STAFF_ROLES.join(', ') });
  return role as StaffRole;
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new AppError('STAFF_PASSWORD_TOO_SHORT', { min: MIN_PASSWORD_LENGTH });
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 80) throw new AppError('VALIDATION_FAILED', { reason: 'a name of 1 to 80 characters' });
  return trimmed;
}

/** A shop only for a shop agent, and only a shop that exists. */
async function checkShop(ctx: AppContext, role: StaffRole, shopId: string | null, name: string): Promise<void> {
  if (shopId === null) return;
  if (role !== 'shop_agent') throw new AppError('STAFF_NOT_SHOP_AGENT', { name });
  if (!(await shopById(ctx.store.db, shopId))) throw new AppError('SHOP_NOT_FOUND', { input: shopId });
}

export async function staffAccounts(ctx: AppContext, admin: Administrator): Promise<StaffMember[]> {
  administratorActor(admin);
  return listStaff(ctx.store.db);
}

export interface NewStaffInput {
  readonly login: string;
  readonly name: string;
  readonly role: string;
  readonly shopId?: string | null;
  /** Omitted: one is generated and answered once. */
  readonly password?: string;
}

export async function createStaff(ctx: AppContext, admin: Administrator, input: NewStaffInput): Promise<StaffOutcome> {
  const actor = administratorActor(admin);
  const login = input.login.trim().toLowerCase();
  if (!LOGIN_PATTERN.test(login)) throw new AppError('STAFF_LOGIN_INVALID', { input: input.login });
  const name = checkName(input.name);
  const role = checkRole(input.role);
  const shopId = input.shopId ?? null;
  await checkShop(ctx, role, shopId, name);
  if (input.password !== undefined) checkPassword(input.password);
  if (await loginTaken(ctx.store.db, login)) throw new AppError('STAFF_LOGIN_TAKEN', { input: login });
  const generated = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  const id = `stf_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const now = ctx.clock();
  await inTransaction(ctx.store, async (tx) => {
    // Two administrators creating one login at once get one account: the unique index decides, the other is told.
    if (!(await insertStaff(tx, { id, login, name, role, shopId, passwordHash, createdAt: now }))) throw new AppError('STAFF_LOGIN_TAKEN', { input: login });
    await appendAudit(tx, [{ entityType: 'staff', entityId: id, action: 'staff_created', from: null, to: null, actor, at: now, reason: null, data: { login, name, role, shopId, password: generated ? 'generated' : 'set' } }]);
  });
  const member: StaffMember = { id, login, name, role, shopId, disabled: false };
  return generated ? { member, password: generated } : { member };
}

export interface StaffChangeInput {
  readonly name?: string;
  readonly role?: string;
  /** null: no shop. */
  readonly shopId?: string | null;
  readonly disabled?: boolean;
  readonly newPassword?: string;
  /** A new password generated here, answered once (the one-time reset an administrator hands over). */
  readonly generatePassword?: boolean;
}

/** Refuses leaving no administrator who can sign in; locks the administrators' rows on Postgres (see activeAdminIds). */
async function keepAnAdministrator(tx: Tx, member: StaffMember, role: StaffRole, disabled: boolean): Promise<void> {
  const wasActiveAdmin = member.role === 'admin' && !member.disabled;
  const staysActiveAdmin = role === 'admin' && !disabled;
  if (!wasActiveAdmin || staysActiveAdmin) return;
  const admins = await activeAdminIds(tx);
  if (admins.filter((id) => id !== member.id).length === 0) throw new AppError('STAFF_LAST_ADMIN', { name: member.name });
}

export async function changeStaff(ctx: AppContext, admin: Administrator, staffId: string, input: StaffChangeInput): Promise<StaffOutcome> {
  const actor = administratorActor(admin);
  const member = await staffById(ctx.store.db, staffId);
  if (!member) throw new AppError('STAFF_NOT_FOUND', { input: staffId });
  if (input.newPassword !== undefined && input.generatePassword) throw new AppError('VALIDATION_FAILED', { reason: 'either newPassword or generatePassword, not both' });
  const name = input.name === undefined ? member.name : checkName(input.name);
  const role = input.role === undefined ? (member.role as StaffRole) : checkRole(input.role);
  // Leaving the shop agents leaves the shop too.
  const shopId = input.shopId !== undefined ? input.shopId : role === 'shop_agent' ? member.shopId : null;
  await checkShop(ctx, role, input.shopId === undefined ? null : shopId, name);
  const disabled = input.disabled ?? member.disabled;
  if (input.newPassword !== undefined) checkPassword(input.newPassword);
  const generated = input.generatePassword ? generatePassword() : undefined;
  const password = input.newPassword ?? generated;
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  const now = ctx.clock();
  const changed: Record<string, unknown> = {};
  if (name !== member.name) changed.name = { from: member.name, to: name };
  if (role !== member.role) changed.role = { from: member.role, to: role };
  if (shopId !== member.shopId) changed.shopId = { from: member.shopId, to: shopId };
  if (disabled !== member.disabled) changed.disabled = disabled;
  if (password !== undefined) changed.password = generated ? 'generated' : 'set';
  await inTransaction(ctx.store, async (tx) => {
    await keepAnAdministrator(tx, member, role, disabled);
    const change: StaffChange = { name, role, shopId, ...(disabled !== member.disabled ? { disabledAt: disabled ? now : null } : {}), ...(passwordHash ? { passwordHash } : {}) };
    await updateStaff(tx, staffId, change);
    // A disabled account or a new password: whoever held a session of it is out at once.
    const sessionsEnded = (disabled && !member.disabled) || password !== undefined ? await deleteSessionsAndDevicesOf(tx, { kind: 'staff', id: staffId }) : 0;
    if (Object.keys(changed).length > 0) {
      const action = changed.disabled === true ? 'staff_disabled' : changed.disabled === false ? 'staff_enabled' : 'staff_changed';
      await appendAudit(tx, [{ entityType: 'staff', entityId: staffId, action, from: null, to: null, actor, at: now, reason: null, data: { ...changed, sessionsEnded } }]);
    }
  });
  const updated: StaffMember = { ...member, name, role, shopId, disabled };
  return generated ? { member: updated, password: generated } : { member: updated };
}
