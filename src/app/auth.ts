import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { addDays, addHours } from '../domain/time.ts';
import type { Db, Tx } from '../store/database.ts';
import { sql } from 'kysely';
import { selectRaw } from '../store/raw-query.ts';
import type { AppContext } from './context.ts';
import { type GuessRules, guessFailed, guessKeys, guessSucceeded, takeGuess } from './lockout.ts';
import type { Principal, StaffRole } from './principal.ts';
import { hashPassword, verifyPassword } from './secrets.ts';

/** How long a person whose last line ended keeps signing in to see their history, unless the policy says (retention.formerCustomerDays). */
export const DEFAULT_FORMER_CUSTOMER_DAYS = 3 * 365;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface SignedIn {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly principal: Principal;
}

// Compared against when the login is unknown, so a wrong number costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

async function findByLogin(db: Db, login: string, country: string, now: string, retentionDays: number) {
  const staff = await db.selectFrom('staff').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
  if (staff) {
    const principal: Principal = { kind: 'staff', id: staff.id, name: staff.name, role: staff.role as StaffRole, shopId: staff.shop_id };
    return { principal, passwordHash: staff.password_hash, lockKey: staff.login };
  }
  if (login.includes('@')) return findByEmail(db, login, now, retentionDays);
  let msisdn: string;
  try {
    msisdn = normalizeMsisdn(login, country);
  } catch {
    return undefined;
  }
  // The number's newest line decides who signs in with it: its holder while it is live; once it has ended, its
  // former holder (read-only: orders, certificates, data export; reclaim while quarantined) for the policy's
  // retention.formerCustomerDays after the end, unless the number has been given to someone else since (then the
  // newest line is theirs, and only they sign in with the number: a former holder never sees a new holder's data).
  const row = await db
    .selectFrom('lines')
    .innerJoin('customers', 'customers.id', 'lines.customer_id')
    .select(['customers.id', 'customers.name', 'customers.language', 'customers.password_hash', 'lines.state', 'lines.terminated_at'])
    .where('lines.msisdn', '=', msisdn)
    .orderBy('lines.activated_at', 'desc')
    .executeTakeFirst();
  const retained = (r: { state: string; terminated_at: string | null }) => r.state !== 'terminated' || (r.terminated_at !== null && addDays(r.terminated_at, retentionDays) > now);
  if (!row || !retained(row)) return { principal: undefined, passwordHash: null, lockKey: msisdn };
  const principal: Principal = { kind: 'customer', id: row.id, name: row.name, language: row.language };
  return { principal, passwordHash: row.password_hash, lockKey: msisdn };
}

/**
 * A subscriber by the e-mail address on their contract: the way back in for a
 * former holder whose number went to someone else after its quarantine. Only
 * an address that names exactly one person signs in (two people sharing one
 * would see each other's history), and only while that person has a live line
 * or their last line ended within the retention.
 */
async function findByEmail(db: Db, login: string, now: string, retentionDays: number) {
  const email = login.trim().toLowerCase();
  const lockKey = `email:${email}`;
  const people = await db.selectFrom('customers').select(['id', 'name', 'language', 'password_hash']).where(sql<string>`lower(email)`, '=', email).limit(2).execute();
  const [person] = people;
  if (!person || people.length > 1) return { principal: undefined, passwordHash: null, lockKey };
  const lines = await db.selectFrom('lines').select(['state', 'terminated_at']).where('customer_id', '=', person.id).execute();
  const retained = lines.some((l) => l.state !== 'terminated' || (l.terminated_at !== null && addDays(l.terminated_at, retentionDays) > now));
  if (!retained) return { principal: undefined, passwordHash: null, lockKey };
  const principal: Principal = { kind: 'customer', id: person.id, name: person.name, language: person.language };
  return { principal, passwordHash: person.password_hash, lockKey };
}

/** The sign-in rules of the policy, as the guess counter takes them. */
const signInRules = (ctx: AppContext): GuessRules => {
  const { maxAttempts, maxAttemptsPerAddress, lockoutMinutes, slowDownAfter } = ctx.policy.signIn;
  return { perPair: maxAttempts, perAddress: maxAttemptsPerAddress, lockoutMinutes, slowDownAfter };
};

/**
 * The hash of `device` (the device cookie) when that device signed in as
 * `principal` before and is still recognised; else undefined.
 */
export async function trustedDeviceOf(ctx: AppContext, device: string | undefined, principal: { kind: string; id: string } | undefined): Promise<string | undefined> {
  if (!device || !principal) return undefined;
  const hash = tokenHash(device);
  const row = await ctx.store.db
    .selectFrom('trusted_devices')
    .select('token_hash')
    .where('token_hash', '=', hash)
    .where('principal_kind', '=', principal.kind)
    .where('principal_id', '=', principal.id)
    .where('expires_at', '>', ctx.clock())
    .executeTakeFirst();
  return row ? hash : undefined;
}

/**
 * Remembers the device that just signed in: the cookie it already had (when
 * it was this person's), else a new random one. Only its hash is stored.
 */
export async function rememberDevice(ctx: AppContext, principal: Principal, device: string | undefined): Promise<{ device: string; expiresAt: string }> {
  const now = ctx.clock();
  const expiresAt = addDays(now, ctx.policy.signIn.deviceDays);
  if (await trustedDeviceOf(ctx, device, principal)) {
    await ctx.store.db.updateTable('trusted_devices').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash(device as string)).execute();
    return { device: device as string, expiresAt };
  }
  const fresh = randomBytes(32).toString('base64url');
  await ctx.store.db
    .insertInto('trusted_devices')
    .values({ token_hash: tokenHash(fresh), principal_kind: principal.kind, principal_id: principal.id, created_at: now, expires_at: expiresAt })
    .execute();
  return { device: fresh, expiresAt };
}

/**
 * Signs a subscriber (phone number, any local format) or a staff member (login)
 * in. Failures count per (number, address) and per address, and slow the
 * number down from anywhere (see lockout.ts); from a device that signed in as
 * this person before, only that device's own failures count.
 */
export async function signIn(ctx: AppContext, input: { login: string; password: string; address: string; device?: string | undefined }): Promise<SignedIn> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const found = await findByLogin(db, input.login, ctx.policy.operator.country, now, ctx.policy.retention?.formerCustomerDays ?? DEFAULT_FORMER_CUSTOMER_DAYS);
  const subject = found?.lockKey ?? input.login.trim().toLowerCase();
  const trustedDevice = await trustedDeviceOf(ctx, input.device, found?.principal);
  const keys = guessKeys('signin', subject, { address: input.address, trustedDevice });
  const rules = signInRules(ctx);
  await takeGuess(db, keys, rules, now, 'AUTH_LOCKED');
  dummyHash ??= hashPassword('not a password');
  const ok = found?.principal && found.passwordHash ? await verifyPassword(input.password, found.passwordHash) : (await verifyPassword(input.password, await dummyHash), false);
  if (!ok || !found?.principal) {
    await guessFailed(db, keys, rules, now, 'AUTH_LOCKED');
    throw new AppError('AUTH_FAILED', {});
  }
  await guessSucceeded(db, keys);
  return issueSession(ctx, found.principal);
}

/** Ends every session and remembered device of a person (a password reset: whoever held them is out). */
export async function endAllSessions(tx: Tx, principal: { kind: string; id: string }): Promise<number> {
  const ended = await tx.deleteFrom('sessions').where('principal_kind', '=', principal.kind).where('principal_id', '=', principal.id).executeTakeFirst();
  await tx.deleteFrom('trusted_devices').where('principal_kind', '=', principal.kind).where('principal_id', '=', principal.id).execute();
  return Number(ended.numDeletedRows);
}

export async function issueSession(ctx: AppContext, principal: Principal, db: Db = ctx.store.db): Promise<SignedIn> {
  const now = ctx.clock();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(18).toString('base64url');
  const expiresAt = addHours(now, ctx.policy.signIn.sessionHours);
  await db
    .insertInto('sessions')
    .values({ token_hash: tokenHash(token), principal_kind: principal.kind, principal_id: principal.id, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt, principal };
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}

interface SessionRow {
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
  left join staff st on s.principal_kind = 'staff' and st.id = s.principal_id
  where s.token_hash = ?`;

function principalOf(row: SessionRow): Principal | undefined {
  if (row.principal_kind === 'customer' && row.customer_name !== null) {
    return { kind: 'customer', id: row.principal_id, name: row.customer_name, language: row.customer_language ?? 'ru' };
  }
  if (row.principal_kind === 'staff' && row.staff_name !== null) {
    return { kind: 'staff', id: row.principal_id, name: row.staff_name, role: row.staff_role as StaffRole, shopId: row.staff_shop_id };
  }
  return undefined;
}

/** The principal behind a bearer token or session cookie, with the session's CSRF token; undefined when unknown or expired. */
export async function authenticate(ctx: AppContext, token: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  const db = ctx.store.db;
  const hash = tokenHash(token);
  const [session] = await selectRaw<SessionRow>(db, SESSION_WITH_PRINCIPAL, [hash]);
  if (session) {
    const principal = session.expires_at > ctx.clock() ? principalOf(session) : undefined;
    return principal ? { principal, csrfToken: session.csrf_token } : undefined;
  }
  const key = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  if (key) return { principal: { kind: 'api_key', id: key.id, name: key.name, scopes: JSON.parse(key.scopes) }, csrfToken: '' };
  return undefined;
}

/** Creates an integrator API key; only its hash is kept, so the key is shown once. */
export async function createApiKey(ctx: AppContext, name: string, scopes: readonly string[]): Promise<{ id: string; key: string }> {
  const key = `sx_${randomBytes(24).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  await ctx.store.db.insertInto('api_keys').values({ id, name, key_hash: tokenHash(key), scopes: JSON.stringify(scopes), created_at: ctx.clock() }).execute();
  return { id, key };
}
