import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { normalizeMsisdn } from '../domain/msisdn.ts';
import { addDays, addHours, addSeconds } from '../domain/time.ts';
import type { Db, Tx } from '../store/database.ts';
import {
  apiKeyByHash,
  customersByEmail,
  deleteSession,
  deleteSessionsAndDevicesOf,
  extendTrustedDevice,
  insertApiKey,
  insertSession,
  insertTrustedDevice,
  isTrustedDevice,
  lineEndsOfCustomer,
  newestHolderOfMsisdn,
  type SessionWithHolder,
  sessionByTokenHash,
  staffByLogin,
  touchApiKey,
} from '../store/auth.repository.ts';
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

/** Whether a person whose line this is still signs in: while it is live, or for the retention after it ended. */
const retained = (line: { state: string; terminatedAt: string | null }, now: string, retentionDays: number): boolean =>
  line.state !== 'terminated' || (line.terminatedAt !== null && addDays(line.terminatedAt, retentionDays) > now);

// Compared against when the login is unknown, so a wrong number costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;

async function findByLogin(db: Db, login: string, country: string, now: string, retentionDays: number) {
  const staff = await staffByLogin(db, login.trim().toLowerCase());
  if (staff) {
    // A disabled account is answered like a wrong password, and its guesses still count.
    if (staff.disabled) return { principal: undefined, passwordHash: null, lockKey: staff.login };
    const principal: Principal = { kind: 'staff', id: staff.id, name: staff.name, role: staff.role as StaffRole, shopId: staff.shopId };
    return { principal, passwordHash: staff.passwordHash, lockKey: staff.login };
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
  const row = await newestHolderOfMsisdn(db, msisdn);
  if (!row || !retained(row, now, retentionDays)) return { principal: undefined, passwordHash: null, lockKey: msisdn };
  const principal: Principal = { kind: 'customer', id: row.id, name: row.name, language: row.language };
  return { principal, passwordHash: row.passwordHash, lockKey: msisdn };
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
  const people = await customersByEmail(db, email, 2);
  const [person] = people;
  if (!person || people.length > 1) return { principal: undefined, passwordHash: null, lockKey };
  const lines = await lineEndsOfCustomer(db, person.id);
  if (!lines.some((l) => retained(l, now, retentionDays))) return { principal: undefined, passwordHash: null, lockKey };
  const principal: Principal = { kind: 'customer', id: person.id, name: person.name, language: person.language };
  return { principal, passwordHash: person.passwordHash, lockKey };
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
  return (await isTrustedDevice(ctx.store.db, hash, principal, ctx.clock())) ? hash : undefined;
}

/**
 * Remembers the device that just signed in: the cookie it already had (when
 * it was this person's), else a new random one. Only its hash is stored.
 */
export async function rememberDevice(ctx: AppContext, principal: Principal, device: string | undefined): Promise<{ device: string; expiresAt: string }> {
  const now = ctx.clock();
  const expiresAt = addDays(now, ctx.policy.signIn.deviceDays);
  if (await trustedDeviceOf(ctx, device, principal)) {
    await extendTrustedDevice(ctx.store.db, tokenHash(device as string), expiresAt);
    return { device: device as string, expiresAt };
  }
  const fresh = randomBytes(32).toString('base64url');
  await insertTrustedDevice(ctx.store.db, { tokenHash: tokenHash(fresh), principal, createdAt: now, expiresAt });
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
  return deleteSessionsAndDevicesOf(tx, principal);
}

export async function issueSession(ctx: AppContext, principal: Principal, db: Db = ctx.store.db): Promise<SignedIn> {
  const now = ctx.clock();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(18).toString('base64url');
  const expiresAt = addHours(now, ctx.policy.signIn.sessionHours);
  await insertSession(db, { tokenHash: tokenHash(token), principal, csrfToken, createdAt: now, expiresAt });
  return { token, csrfToken, expiresAt, principal };
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await deleteSession(ctx.store.db, tokenHash(token));
}

function principalOf(row: SessionWithHolder): Principal | undefined {
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
  const session = await sessionByTokenHash(db, hash);
  if (session) {
    const principal = session.expires_at > ctx.clock() ? principalOf(session) : undefined;
    return principal ? { principal, csrfToken: session.csrf_token } : undefined;
  }
  const key = await apiKeyByHash(db, hash);
  if (key) {
    // "Last used" for the administrators' list, to the minute: one write a minute per key at most, not one per call.
    const now = ctx.clock();
    if (key.lastUsedAt === null || addSeconds(key.lastUsedAt, API_KEY_TOUCH_SECONDS) <= now) await touchApiKey(db, key.id, now);
    return { principal: { kind: 'api_key', id: key.id, name: key.name, scopes: key.scopes }, csrfToken: '' };
  }
  return undefined;
}

/** How often a key's "last used" is written while it is in use. */
export const API_KEY_TOUCH_SECONDS = 60;

/**
 * Creates an integrator API key; only its hash is kept, so the key is shown once. Administrators go through
 * app/api-keys.ts (checked scopes, audited); `db` is their transaction.
 */
export async function createApiKey(ctx: AppContext, name: string, scopes: readonly string[], options: { db?: Db; createdBy?: string } = {}): Promise<{ id: string; key: string; createdAt: string }> {
  const key = `sx_${randomBytes(24).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  const createdAt = ctx.clock();
  await insertApiKey(options.db ?? ctx.store.db, { id, name, keyHash: tokenHash(key), scopes, createdAt, createdBy: options.createdBy ?? null });
  return { id, key, createdAt };
}
