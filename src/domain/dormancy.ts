/**
 * The dormancy rule's decision for one line (DESIGN §2), pure: a line with no
 * paid activity for `inactiveDays` is ended by the operator, but only after
 * every notice of `noticeDaysBefore` was actually sent, each at least its
 * number of days ahead of the end. The end date counts from the first notice
 * (never from the past): a line found already past the limit gets its first
 * notice now and ends `max(noticeDaysBefore)` days later at the earliest.
 */
import { addDays, type Instant, maxInstant } from './time.ts';

export interface DormancyRule {
  readonly inactiveDays: number;
  readonly noticeDaysBefore: readonly number[];
}

/** One notice already queued for this line and period of non-use, with what the outbox says about it. */
export interface DormancyNoticeRecord {
  readonly daysBefore: number;
  /** The end date this notice told the subscriber. */
  readonly terminationAt: Instant;
  /** When it was sent (at least one of its messages, not reported undelivered); null while it is not. */
  readonly sentAt: Instant | null;
  /** Every message of the notice failed for good or was reported undelivered. */
  readonly failed: boolean;
}

export type DormancyDecision =
  /** Not yet in the notice window. */
  | { readonly kind: 'none' }
  /** Send these notices now (days before the end), each telling `terminationAt`. */
  | { readonly kind: 'notice'; readonly daysBefore: readonly number[]; readonly terminationAt: Instant }
  /** Order the line ended now. */
  | { readonly kind: 'end'; readonly terminationAt: Instant }
  /** Under notice: nothing to do this run. */
  | { readonly kind: 'wait'; readonly terminationAt: Instant; readonly waitingFor: 'time' | 'delivery' | 'undelivered'; readonly nextNoticeAt: Instant | null };

/** The notice days, largest first, without repeats. */
export const noticeSchedule = (rule: DormancyRule): number[] => [...new Set(rule.noticeDaysBefore)].sort((a, b) => b - a);

/** The last paid activity at or before which a line is in the notice window at `now`. */
export const noticeWindowStart = (rule: DormancyRule, now: Instant): Instant => addDays(now, -(rule.inactiveDays - Math.max(0, ...rule.noticeDaysBefore)));

export function decideDormancy(rule: DormancyRule, lastActivityAt: Instant, notices: readonly DormancyNoticeRecord[], now: Instant): DormancyDecision {
  const schedule = noticeSchedule(rule);
  const first = schedule[0];
  if (first === undefined) return { kind: 'none' };
  if (lastActivityAt > noticeWindowStart(rule, now)) return { kind: 'none' };
  const byDays = new Map(notices.filter((n) => schedule.includes(n.daysBefore)).map((n) => [n.daysBefore, n]));
  if (byDays.size === 0) {
    // The first notice: the end is its notice period from now, never earlier than the rule's own limit.
    return { kind: 'notice', daysBefore: [first], terminationAt: maxInstant(addDays(now, first), addDays(lastActivityAt, rule.inactiveDays)) };
  }
  // The end is the latest date any notice told.
  const told = [...byDays.values()].reduce((at, n) => maxInstant(at, n.terminationAt), '');
  const due = schedule.filter((d) => !byDays.has(d) && addDays(told, -d) <= now);
  if (due.length > 0) {
    // A notice sent late still gives its full period: the end moves later, never earlier.
    const terminationAt = due.reduce((at, d) => maxInstant(at, addDays(now, d)), told);
    return { kind: 'notice', daysBefore: due, terminationAt };
  }
  const next = schedule.find((d) => !byDays.has(d));
  if (next !== undefined) return { kind: 'wait', terminationAt: told, waitingFor: 'time', nextNoticeAt: addDays(told, -next) };
  const records = schedule.map((d) => byDays.get(d) as DormancyNoticeRecord);
  if (records.some((n) => n.failed)) return { kind: 'wait', terminationAt: told, waitingFor: 'undelivered', nextNoticeAt: null };
  if (records.some((n) => n.sentAt === null)) return { kind: 'wait', terminationAt: told, waitingFor: 'delivery', nextNoticeAt: null };
  // Each notice was sent at least its days ahead of the end.
  const endAt = records.reduce((at, n) => maxInstant(at, addDays(n.sentAt as Instant, n.daysBefore)), told);
  if (endAt <= now) return { kind: 'end', terminationAt: endAt };
  return { kind: 'wait', terminationAt: endAt, waitingFor: 'time', nextNoticeAt: null };
}
