import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { addHours } from '../domain/time.ts';
import type { Db } from '../store/database.ts';
import type { AppContext } from './context.ts';
import { assertNotLocked, attemptSucceeded, lockNow, takeAttempt } from './lockout.ts';
import type { Principal, StaffRole } from './principal.ts';
import { hashPassword, verifyPassword } from './secrets.ts';

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface SignedIn {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly principal: Principal;
}

// Compared against when the login is unknown, so a wrong number costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

async function findByLogin(db: Db, login: string, country: string) {
  const staff = await db.selectFrom('staff').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
  if (staff) {
    const principal: Principal = { kind: 'staff', id: staff.id, name: staff.name, role: staff.role as StaffRole, shopId: staff.shop_id };
    return { principal, passwordHash: staff.password_hash, lockKey: `signin:${staff.login}` };
  }
  let msisdn: string;
  try {
    msisdn = normalizeMsisdn(login, country);
  } catch {
    return undefined;
  }
  // The number's current holder; else, while the number is in quarantine, its former holder (to reclaim it).
  const row = await db
    .selectFrom('lines')
    .innerJoin('customers', 'customers.id', 'lines.customer_id')
    .innerJoin('numbers', 'numbers.msisdn', 'lines.msisdn')
    .select(['customers.id', 'customers.name', 'customers.language', 'customers.password_hash'])
    .where('lines.msisdn', '=', msisdn)
    .where((eb) => eb.or([eb('lines.state', '!=', 'terminated'), eb('numbers.state', '=', 'quarantined')]))
    .orderBy('lines.activated_at', 'desc')
    .executeTakeFirst();
  if (!row) return { principal: undefined, passwordHash: null, lockKey: `signin:${msisdn}` };
  const principal: Principal = { kind: 'customer', id: row.id, name: row.name, language: row.language };
  return { principal, passwordHash: row.password_hash, lockKey: `signin:${msisdn}` };
}

/**
 * Signs a subscriber (phone number, any local format) or a staff member (login)
 * in. Failures count per number and per address; past the limit both lock.
 */
export async function signIn(ctx: AppContext, input: { login: string; password: string; address: string }): Promise<SignedIn> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const found = await findByLogin(db, input.login, ctx.policy.operator.country);
  const keys = [found?.lockKey ?? `signin:${input.login.trim().toLowerCase()}`, `signin-addr:${input.address}`];
  await assertNotLocked(db, keys, now, 'AUTH_LOCKED');
  const { maxAttempts, maxAttemptsPerAddress, lockoutMinutes } = ctx.policy.signIn;
  const [subjectKey, addressKey] = keys as [string, string];
  await takeAttempt(db, [[subjectKey, maxAttempts], [addressKey, maxAttemptsPerAddress]], now, lockoutMinutes, 'AUTH_LOCKED');
  dummyHash ??= hashPassword('not a password');
  const ok = found?.principal && found.passwordHash ? await verifyPassword(input.password, found.passwordHash) : (await verifyPassword(input.password, await dummyHash), false);
  if (!ok || !found?.principal) {
    const row = await db.selectFrom('auth_failures').select('failures').where('key', '=', subjectKey).executeTakeFirst();
    if (Number(row?.failures ?? 0) >= maxAttempts) throw new AppError('AUTH_LOCKED', { until: await lockNow(db, subjectKey, now, lockoutMinutes) });
    throw new AppError('AUTH_FAILED', {});
  }
  await attemptSucceeded(db, subjectKey, addressKey);
  return issueSession(ctx, found.principal);
}

export async function issueSession(ctx: AppContext, principal: Principal): Promise<SignedIn> {
  const now = ctx.clock();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(18).toString('base64url');
  const expiresAt = addHours(now, ctx.policy.signIn.sessionHours);
  await ctx.store.db
    .insertInto('sessions')
    .values({ token_hash: tokenHash(token), principal_kind: principal.kind, principal_id: principal.id, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt, principal };
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}

/** The principal behind a bearer token or session cookie, with the session's CSRF token; undefined when unknown or expired. */
export async function authenticate(ctx: AppContext, token: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const session = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (session && session.expires_at > now) {
    const principal = await principalById(db, session.principal_kind, session.principal_id);
    return principal ? { principal, csrfToken: session.csrf_token } : undefined;
  }
  const key = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', tokenHash(token)).executeTakeFirst();
  if (key) return { principal: { kind: 'api_key', id: key.id, name: key.name, scopes: JSON.parse(key.scopes) }, csrfToken: '' };
  return undefined;
}

async function principalById(db: Db, kind: string, id: string): Promise<Principal | undefined> {
  if (kind === 'customer') {
    const c = await db.selectFrom('customers').select(['id', 'name', 'language']).where('id', '=', id).executeTakeFirst();
    return c ? { kind: 'customer', id: c.id, name: c.name, language: c.language } : undefined;
  }
  const s = await db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  return s ? { kind: 'staff', id: s.id, name: s.name, role: s.role as StaffRole, shopId: s.shop_id } : undefined;
}

/** Creates an integrator API key; only its hash is kept, so the key is shown once. */
export async function createApiKey(ctx: AppContext, name: string, scopes: readonly string[]): Promise<{ id: string; key: string }> {
  const key = `sx_${randomBytes(24).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  await ctx.store.db.insertInto('api_keys').values({ id, name, key_hash: tokenHash(key), scopes: JSON.stringify(scopes), created_at: ctx.clock() }).execute();
  return { id, key };
}
