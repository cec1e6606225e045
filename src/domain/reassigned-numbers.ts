/**
 * The reassigned-numbers query (issue 17), after the US Reassigned Numbers Database (FCC 18-177 and the
 * Bureau's guidance DA 21-1649): a caller who had consent to reach someone at a number on a date asks whether
 * the number has been permanently disconnected since. The answer is one word per pair and never says who held
 * the number, when, or whether it is held now.
 *
 * - `yes`: the number's most recent disconnection is on or after the date (the holder of that date lost it);
 * - `no`: our history covers the date and there is no disconnection on or after it;
 * - `no_data`: not a number we have history for, or the date is before that history starts.
 *
 * Dates are UTC calendar days; a disconnection during the day asked about counts (FCC: "the same as or before").
 */
import { AppError } from './errors.ts';

/** The API-key scope the query needs. */
export const REASSIGNED_NUMBERS_SCOPE = 'reassigned-numbers';
/** The most pairs one request may ask about. */
export const MAX_PAIRS = 1000;
/** E.164: what integrators send (machines; no national formats to guess at). */
export const E164 = '^\\+[1-9][0-9]{6,14}$';
const E164_RE = new RegExp(E164);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether YYYY-MM-DD names a day of the Gregorian calendar (no 2026-02-30): arithmetic, a thousand times a request. */
export function isCalendarDay(text: string): boolean {
  if (!DAY_RE.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (MONTH_DAYS[month - 1] ?? 0) + (leap ? 1 : 0);
}

export type ReassignedAnswer = 'yes' | 'no' | 'no_data';
export const REASSIGNED_ANSWERS: readonly ReassignedAnswer[] = ['yes', 'no', 'no_data'];

export interface NumberPair {
  readonly number: string;
  readonly date: string;
}

/** What the store knows of one number: when its history starts and its latest disconnection (instants), if any. */
export interface NumberHistoryFacts {
  readonly firstAssignedAt: string;
  readonly lastDisconnectedAt: string | null;
}

/**
 * Refuses the whole request on the first bad pair (nothing is answered, counted or recorded):
 * too many pairs, a number not in E.164, a date that is not a calendar day or is after `today` (UTC, YYYY-MM-DD).
 */
export function checkPairs(pairs: readonly NumberPair[], today: string): void {
  if (pairs.length > MAX_PAIRS) throw new AppError('RND_TOO_MANY_PAIRS', { max: MAX_PAIRS, given: pairs.length });
  pairs.forEach((p, index) => {
    if (!E164_RE.test(p.number)) throw new AppError('RND_INVALID_NUMBER', { index });
    if (!isCalendarDay(p.date)) throw new AppError('RND_INVALID_DATE', { index });
    if (p.date > today) throw new AppError('RND_FUTURE_DATE', { index, today });
  });
}

/** The answer for one pair, from the facts of its number (undefined: no history). */
export function answerPair(date: string, facts: NumberHistoryFacts | undefined): ReassignedAnswer {
  if (!facts) return 'no_data';
  if (facts.lastDisconnectedAt !== null && facts.lastDisconnectedAt.slice(0, 10) >= date) return 'yes';
  if (date < facts.firstAssignedAt.slice(0, 10)) return 'no_data';
  return 'no';
}
