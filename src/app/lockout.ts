import { AppError } from '../domain/errors.ts';
import { addMinutes, addSeconds } from '../domain/time.ts';
import { clearKeys, countOneLess, countOnKey, failuresOn, firstCountedAt, latestLockAmong, lockKeyUntil } from '../store/auth-failures.repository.ts';
import type { Db } from '../store/database.ts';

/**
 * Bounds guessing (passwords, SMS codes, identity facts) without letting a
 * guesser lock the owner out.
 *
 * Every guess is counted *before* the secret is checked, with one atomic
 * upsert per key, so parallel guesses cannot slip past a limit:
 *
 * - per (subject, address): past `perPair` failures that pair is locked for
 *   `lockoutMinutes`; only the guesser's own address suffers;
 * - per address: past `perAddress` guesses the address is locked (a shop or
 *   a carrier's NAT shares one, so this limit is high);
 * - per subject (a number, a login, an order's code) from anywhere: past
 *   `slowDownAfter` failures each further guess waits a delay that doubles,
 *   up to `lockoutMinutes`. That bounds a guesser who spreads over many
 *   addresses, and it never locks for good.
 *
 * A device that signed in as this subject before (the device cookie) counts
 * only its own failures (`perPair`): failures from elsewhere neither slow nor
 * lock it, so the owner always gets in from their own phone or browser.
 */
export interface GuessRules {
  readonly perPair: number;
  readonly perAddress: number;
  readonly slowDownAfter: number;
  readonly lockoutMinutes: number;
}

export interface Guesser {
  readonly address: string;
  /** Hash of the caller's device cookie when that device signed in as this subject before. */
  readonly trustedDevice?: string | undefined;
}

export type LockCode = 'AUTH_LOCKED' | 'OTP_LOCKED' | 'TOO_MANY_CODES' | 'TOO_MANY_TICKETS' | 'TOO_MANY_CHECK_INS' | 'RND_RATE_LIMITED';

/** What one guess is counted against; `scope` separates sign-ins, codes and identity checks. */
export interface GuessKeys {
  readonly subject?: string;
  readonly pair: string;
  readonly address?: string;
}

export function guessKeys(scope: string, subject: string, guesser: Guesser): GuessKeys {
  if (guesser.trustedDevice) return { pair: `${scope}:${subject}#${guesser.trustedDevice.slice(0, 32)}` };
  return { subject: `${scope}:${subject}`, pair: `${scope}:${subject}@${guesser.address}`, address: `${scope}-addr:${guesser.address}` };
}

const secondsBetween = (from: string, to: string) => Math.max(1, Math.ceil((Date.parse(to) - Date.parse(from)) / 1000));

const refused = (code: LockCode, now: string, until: string) => new AppError(code, { retryAfterSeconds: secondsBetween(now, until) });

/**
 * Counts one guess on a key. A key is stale, and starts again, when it has been
 * quiet for a whole window (no lock, the first guess before `windowStart`) or
 * its lock ended before a moment: now for a pair or an address, the window's
 * start for a subject, whose count goes on for a window after its last delay.
 */
const count = (db: Db, key: string, now: string, windowStart: string) => countOnKey(db, key, now, windowStart, now);
const countForSubject = (db: Db, key: string, now: string, windowStart: string) => countOnKey(db, key, now, windowStart, windowStart);

/** The wait before the next guess on a subject with `failures` failures: none up to the threshold, then 1 s, 2 s, 4 s … up to the lock-out. */
export function slowDownSeconds(failures: number, rules: Pick<GuessRules, 'slowDownAfter' | 'lockoutMinutes'>): number {
  const over = failures - rules.slowDownAfter;
  if (over <= 0) return 0;
  return Math.min(2 ** Math.min(over - 1, 30), rules.lockoutMinutes * 60);
}

/** Refuses while one of the keys is locked or slowed down; counts nothing. */
export async function assertNotLocked(db: Db, keys: GuessKeys, now: string, code: LockCode): Promise<void> {
  const all = [keys.pair, keys.address, keys.subject].filter((k): k is string => k !== undefined);
  const until = await latestLockAmong(db, all, now);
  if (until) throw refused(code, now, until);
}

/**
 * Refuses the guess while one of its keys is locked or slowed down (the
 * refusal is not counted: waiting is free), else counts it on every key.
 */
export async function takeGuess(db: Db, keys: GuessKeys, rules: GuessRules, now: string, code: LockCode): Promise<void> {
  await assertNotLocked(db, keys, now, code);
  const windowStart = addMinutes(now, -rules.lockoutMinutes);
  const limits: [string, number][] = [[keys.pair, rules.perPair]];
  if (keys.address) limits.push([keys.address, rules.perAddress]);
  for (const [key, max] of limits) {
    if ((await count(db, key, now, windowStart)) > max) throw refused(code, now, await lockNow(db, key, now, rules.lockoutMinutes));
  }
  if (keys.subject) {
    const failures = await countForSubject(db, keys.subject, now, windowStart);
    const wait = slowDownSeconds(failures, rules);
    if (wait > 0) await lockKeyUntil(db, keys.subject, addSeconds(now, wait));
  }
}

/**
 * After a wrong guess: when it was the pair's last allowed one, the pair locks
 * now and the answer says when to come back; else nothing more happens.
 */
export async function guessFailed(db: Db, keys: GuessKeys, rules: GuessRules, now: string, code: LockCode): Promise<void> {
  if ((await failuresOn(db, keys.pair)) >= rules.perPair) throw refused(code, now, await lockNow(db, keys.pair, now, rules.lockoutMinutes));
}

/** After a success: the pair's and the subject's counts start again; the address gets its guess back. */
export async function guessSucceeded(db: Db, keys: GuessKeys): Promise<void> {
  await clearKeys(db, [keys.pair, ...(keys.subject ? [keys.subject] : [])]);
  if (keys.address) await countOneLess(db, keys.address);
}

/** Locks a key at once (the last allowed attempt just failed); returns until when. */
export async function lockNow(db: Db, key: string, now: string, lockoutMinutes: number): Promise<string> {
  const until = addMinutes(now, lockoutMinutes);
  await lockKeyUntil(db, key, until);
  return until;
}

/**
 * A limit on how often something is sent (a reset code): up to `max` per
 * window on each key, counted whether or not the number is ours so the answer
 * never tells. Over it, refused with `retryAfterSeconds`.
 */
export async function takeSend(db: Db, keys: readonly (readonly [string, number])[], now: string, windowMinutes: number, code: LockCode): Promise<void> {
  const until = await latestLockAmong(db, keys.map(([k]) => k), now);
  if (until) throw refused(code, now, until);
  const windowStart = addMinutes(now, -windowMinutes);
  for (const [key, max] of keys) {
    if ((await count(db, key, now, windowStart)) > max) {
      // The window counts from its first send: the key is free again when that window ends.
      const ends = addMinutes(await firstCountedAt(db, key), windowMinutes);
      await lockKeyUntil(db, key, ends);
      throw refused(code, now, ends);
    }
  }
}
