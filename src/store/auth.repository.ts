/** Who signs in: staff logins, subscribers by number or e-mail, sessions, remembered devices and integrator keys (app/auth.ts). */
import { sql } from 'kysely';
import type { Db, Tx } from './database.ts';
import { selectRaw } from './raw-query.ts';

export interface StaffLogin {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly role: string;
  readonly shopId: string | null;
  readonly passwordHash: string | null;
  /** A disabled account signs in no more (app/staff-accounts.ts). */
  readonly disabled: boolean;
}

export interface CustomerLogin {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly passwordHash: string | null;
}

export interface LineEnd {
  readonly state: string;
  readonly terminatedAt: string | null;
}

export async function staffByLogin(db: Db, login: string): Promise<StaffLogin | undefined> {
  const staff = await db.selectFrom('staff').selectAll().where('login', '=', login).executeTakeFirst();
  return staff && { id: staff.id, login: staff.login, name: staff.name, role: staff.role, shopId: staff.shop_id, passwordHash: staff.password_hash, disabled: staff.disabled_at !== null };
}

/** The holder of the number's newest line, with that line's state (who signs in with the number). */
export async function newestHolderOfMsisdn(db: Db, msisdn: string): Promise<(CustomerLogin & LineEnd) | undefined> {
  const row = await db
    .selectFrom('lines')
    .innerJoin('customers', 'customers.id', 'lines.customer_id')
    .select(['customers.id', 'customers.name', 'customers.language', 'customers.password_hash', 'lines.state', 'lines.terminated_at'])
    .where('lines.msisdn', '=', msisdn)
    .orderBy('lines.activated_at', 'desc')
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, language: row.language, passwordHash: row.password_hash, state: row.state, terminatedAt: row.terminated_at };
}

/** Up to `limit` customers with this e-mail address (compared in lower case). */
export async function customersByEmail(db: Db, email: string, limit: number): Promise<CustomerLogin[]> {
  const people = await db.selectFrom('customers').select(['id', 'name', 'language', 'password_hash']).where(sql<string>`lower(email)`, '=', email).limit(limit).execute();
  return people.map((p) => ({ id: p.id, name: p.name, language: p.language, passwordHash: p.password_hash }));
}

/** The state and end of each of a customer's lines. */
export async function lineEndsOfCustomer(db: Db, customerId: string): Promise<LineEnd[]> {
  const lines = await db.selectFrom('lines').select(['state', 'terminated_at']).where('customer_id', '=', customerId).execute();
  return lines.map((l) => ({ state: l.state, terminatedAt: l.terminated_at }));
}

export async function setPasswordHash(tx: Tx, customerId: string, passwordHash: string): Promise<void> {
  await tx.updateTable('customers').set({ password_hash: passwordHash }).where('id', '=', customerId).execute();
}

/** Whether the device (by the hash of its cookie) is remembered for this person at `now`. */
export async function isTrustedDevice(db: Db, tokenHash: string, principal: { kind: string; id: string }, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('trusted_devices')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('principal_kind', '=', principal.kind)
    .where('principal_id', '=', principal.id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function extendTrustedDevice(db: Db, tokenHash: string, expiresAt: string): Promise<void> {
  await db.updateTable('trusted_devices').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}

export async function insertTrustedDevice(db: Db, device: { tokenHash: string; principal: { kind: string; id: string }; createdAt: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('trusted_devices')
    .values({ token_hash: device.tokenHash, principal_kind: device.principal.kind, principal_id: device.principal.id, created_at: device.createdAt, expires_at: device.expiresAt })
    .execute();
}

/** Deletes every session and remembered device of a person; returns how many sessions ended. */
export async function deleteSessionsAndDevicesOf(tx: Tx, principal: { kind: string; id: string }): Promise<number> {
  const ended = await tx.deleteFrom('sessions').where('principal_kind', '=', principal.kind).where('principal_id', '=', principal.id).executeTakeFirst();
  await tx.deleteFrom('trusted_devices').where('principal_kind', '=', principal.kind).where('principal_id', '=', principal.id).execute();
  return Number(ended.numDeletedRows);
}

export async function insertSession(db: Db, session: { tokenHash: string; principal: { kind: string; id: string }; csrfToken: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ token_hash: session.tokenHash, principal_kind: session.principal.kind, principal_id: session.principal.id, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt })
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export interface SessionWithHolder {
  principal_kind: string;
  principal_id: string;
  csrf_token: string;
  expires_at: string;
  customer_name: string | null;
  customer_language: string | null;
  staff_name: string | null;
  staff_role: string | null;
  staff_shop_id: string | null;
}

// Every authenticated request runs this: one lookup for the session and whoever holds it.
const SESSION_WITH_PRINCIPAL = `select s.principal_kind, s.principal_id, s.csrf_token, s.expires_at,
  c.name as customer_name, c.language as customer_language, st.name as staff_name, st.role as staff_role, st.shop_id as staff_shop_id
  from sessions s
  left join customers c on s.principal_kind = 'customer' and c.id = s.principal_id
  left join staff st on s.principal_kind = 'staff' and st.id = s.principal_id and st.disabled_at is null
  where s.token_hash = ?`;

/** The session with this token hash and whoever holds it, expired or not. */
export async function sessionByTokenHash(db: Db, tokenHash: string): Promise<SessionWithHolder | undefined> {
  const [session] = await selectRaw<SessionWithHolder>(db, SESSION_WITH_PRINCIPAL, [tokenHash]);
  return session;
}

/** The key with this hash unless it was revoked, with when it was last used. */
export async function apiKeyByHash(db: Db, keyHash: string): Promise<{ id: string; name: string; scopes: string[]; lastUsedAt: string | null } | undefined> {
  const key = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
  return key && { id: key.id, name: key.name, scopes: JSON.parse(key.scopes) as string[], lastUsedAt: key.last_used_at };
}

export async function insertApiKey(db: Db, key: { id: string; name: string; keyHash: string; scopes: readonly string[]; createdAt: string; createdBy?: string | null }): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ id: key.id, name: key.name, key_hash: key.keyHash, scopes: JSON.stringify(key.scopes), created_at: key.createdAt, created_by: key.createdBy ?? null })
    .execute();
}

/** Records that a key was used at `now` (callers do it at most once a minute per key). */
export async function touchApiKey(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
