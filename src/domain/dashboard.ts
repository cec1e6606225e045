/**
 * The back office's dashboard, its pure part: which instants bound the days and weeks it counts in, what kind of
 * reason an order gave (the stored reason is a sentence or an operator's free text, not a code), and where a
 * percentile sits in a sorted list.
 */
import type { Authority } from './channels.ts';
import { NOT_ME_REASON, PUBLIC_CANCELLATION_REASON, SIM_LOST_REASON, SMS_CANCELLATION_REASON } from './termination.ts';
import { addDays, type Instant, localClock, startOfLocalDay } from './time.ts';

/** The kinds of reason the dashboard counts by; `own` is a holder's request that gave none, `operator` any operator's order. */
export const REASON_KINDS = ['own', 'without_sign_in', 'sim_lost', 'text_message', 'not_me', 'dormancy', 'operator'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/** The reasons the system itself writes, each with its kind; any other reason is an operator's (a bulk file's, TMF622's). */
export const KNOWN_REASONS: readonly (readonly [string, ReasonKind])[] = [
  [PUBLIC_CANCELLATION_REASON, 'without_sign_in'],
  [SIM_LOST_REASON, 'sim_lost'],
  [SMS_CANCELLATION_REASON, 'text_message'],
  [NOT_ME_REASON, 'not_me'],
  ['dormancy: no paid activity', 'dormancy'],
];

/** The kind of an order's reason; an order without one is the holder's own wish, or the operator's. */
export function reasonKind(reason: string | null, authority: Authority): ReasonKind {
  if (reason === null) return authority === 'operator' ? 'operator' : 'own';
  return KNOWN_REASONS.find(([text]) => text === reason)?.[1] ?? 'operator';
}

/**
 * The starts of the last `days` local calendar days up to `now` (oldest first), and the instant that ends the last
 * one (the next local midnight). Local days, so a day on the chart is the day the operator's staff call it.
 */
export function dayBounds(now: Instant, days: number, timeZone: string): { starts: Instant[]; end: Instant } {
  const today = localClock(now, timeZone);
  const noonToday = Date.UTC(today.year, today.month - 1, today.day, 12);
  const dayAt = (offset: number) => {
    const d = new Date(noonToday + offset * 86_400_000);
    return startOfLocalDay({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, timeZone);
  };
  const starts = Array.from({ length: days }, (_, i) => dayAt(i - days + 1));
  return { starts, end: dayAt(1) };
}

/** `weeks` consecutive seven-day windows from `now`: their starts, and the end of the last. */
export function weekBounds(now: Instant, weeks: number): { starts: Instant[]; end: Instant } {
  return { starts: Array.from({ length: weeks }, (_, i) => addDays(now, 7 * i)), end: addDays(now, 7 * weeks) };
}

/** The zero-based position of the `p`-quantile (0 < p < 1) in a sorted list of `n` values, nearest rank. */
export const quantileOffset = (n: number, p: number): number => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
