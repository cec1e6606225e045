/** Times travel as ISO-8601 UTC strings with milliseconds, so they sort as text on every store. */
export type Instant = string;

export const toInstant = (ms: number): Instant => new Date(ms).toISOString();
export const ms = (instant: Instant): number => Date.parse(instant);
export const addHours = (instant: Instant, hours: number): Instant => toInstant(ms(instant) + hours * 3_600_000);
export const addDays = (instant: Instant, days: number): Instant => toInstant(ms(instant) + days * 86_400_000);
export const maxInstant = (a: Instant, b: Instant): Instant => (a >= b ? a : b);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` strictly (no 2026-02-30). */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

function offsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a calendar day starts in the operator's time zone. */
export function startOfLocalDay(date: { year: number; month: number; day: number }, timeZone: string): Instant {
  return instantAtLocalTime(date, 0, timeZone);
}

/**
 * The instant a local wall-clock time (minutes after midnight, 1440 = the next midnight) happens on a calendar day
 * in a zone. Two guesses settle the offset on either side of a DST change; a time the clocks skip comes out an hour
 * later by the wall clock, and a time that happens twice is the later one.
 */
export function instantAtLocalTime(date: { year: number; month: number; day: number }, minuteOfDay: number, timeZone: string): Instant {
  const naive = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  let guess = naive - offsetMs(naive, timeZone);
  guess = naive - offsetMs(guess, timeZone);
  return toInstant(guess);
}

/** The wall clock in a zone at an instant: the calendar day, its weekday (0 = Sunday, as `Date`) and the minute of the day. */
export function localClock(instant: Instant, timeZone: string): { year: number; month: number; day: number; weekday: number; minuteOfDay: number } {
  const at = ms(instant);
  const wall = at + offsetMs(at, timeZone);
  const d = new Date(wall);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

/** The operator-local calendar date of an instant, as `YYYY-MM-DD`. */
export function localDate(instant: Instant, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
export const addMinutes = (instant: Instant, minutes: number): Instant => toInstant(ms(instant) + minutes * 60_000);
export const addSeconds = (instant: Instant, seconds: number): Instant => toInstant(ms(instant) + seconds * 1000);
