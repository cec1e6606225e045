/**
 * The shop's queue, as rules (issue 14, "The shop"): a ticket's legal moves, its number, which ticket a counter
 * calls next, the estimated wait and the "three people ahead" SMS, and the shop's opening hours.
 * Pure: no clock (times are parameters), no store. The lifecycle, top to bottom:
 *
 *   waiting ──(call, at a counter)──▶ called ──(start: the holder is at the counter)──▶ serving ──(finish)──▶ served
 *   waiting ──(check_in: a remote holder arrives)──▶ waiting
 *   waiting ──(cancel: the holder gives it up, or the day ends)──▶ cancelled
 *   called ──(recall: announced again)──▶ called
 *   called ──(no_show)──▶ no_show
 *   waiting | called ──(lapse: the shop closed, or the ticket's day is over, before it was served)──▶ cancelled
 *   called | serving ──(transfer to another counter)──▶ waiting, for that counter only
 *
 * A transferred ticket keeps its number and is not a state of its own: it waits again, addressed to the counter it
 * was sent to, which calls it before anything else (the holder has already queued once). `transitionTicket()` is
 * the only way a ticket changes; it refuses any move the table does not list and returns the event to record.
 */
import { AppError } from './errors.ts';
import { type Instant, instantAtLocalTime, localClock, localDate, ms } from './time.ts';

export const TICKET_STATES = ['waiting', 'called', 'serving', 'served', 'no_show', 'cancelled'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_PRIORITIES = ['normal', 'priority'] as const;
/** `priority`: given at the kiosk to disabled, elderly or pregnant visitors; called before every `normal` ticket. */
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Where the ticket was taken: at the shop's kiosk, or remotely (site, SMS) before coming. */
export type TicketSource = 'kiosk' | 'site' | 'sms';

export interface Ticket {
  readonly id: string;
  /** As printed and shown on the board: `C-042`. Numbers wrap after 999, so two tickets of a day may share one. */
  readonly number: string;
  /** The service type's code. */
  readonly service: string;
  readonly priority: TicketPriority;
  readonly source: TicketSource;
  readonly state: TicketState;
  /** When the ticket took its place in line; the order among equals. */
  readonly issuedAt: Instant;
  /** When the holder was in the shop: at issue for kiosk tickets, at check-in for remote ones (null before). */
  readonly arrivedAt: Instant | null;
  /** The counter that called or serves it; while waiting, the counter it was transferred to (null: any counter). */
  readonly counterId: string | null;
  readonly transferredAt: Instant | null;
  /** The last call, and how many times it was announced again. */
  readonly calledAt: Instant | null;
  readonly recalls: number;
  readonly servingAt: Instant | null;
  /** When it became served, no_show or cancelled. */
  readonly closedAt: Instant | null;
  /** When the "three people ahead" SMS was sent (remote tickets only). */
  readonly aheadNoticeAt: Instant | null;
}

/** One agent or kiosk action on a ticket. `call` and `transfer` name the counter. */
export type TicketMove =
  | { readonly action: 'call'; readonly counterId: string }
  | { readonly action: 'transfer'; readonly counterId: string }
  | { readonly action: 'check_in' | 'recall' | 'start' | 'finish' | 'no_show' | 'cancel' | 'lapse' };
export type TicketAction = TicketMove['action'];

/**
 * The legal moves as data: each action, the states it may start from and the state it leads to. Keyed by action,
 * not by state as `TransitionTable` is: recall and check-in leave the state as it is and a transfer leads back to
 * waiting, so a from → to table would let a waiting ticket be "recalled" as if it were called.
 */
export const TICKET_ACTIONS: Readonly<Record<TicketAction, { readonly from: readonly TicketState[]; readonly to: TicketState }>> = {
  check_in: { from: ['waiting'], to: 'waiting' },
  call: { from: ['waiting'], to: 'called' },
  recall: { from: ['called'], to: 'called' },
  start: { from: ['called'], to: 'serving' },
  finish: { from: ['serving'], to: 'served' },
  no_show: { from: ['called'], to: 'no_show' },
  transfer: { from: ['called', 'serving'], to: 'waiting' },
  cancel: { from: ['waiting'], to: 'cancelled' },
  // Not an agent's move: the closing run's, so a ticket never carries over to the next day. It ends as `cancelled`
  // (the lifecycle's "the day ends") rather than a state of its own; the audit's action tells the two apart.
  lapse: { from: ['waiting', 'called'], to: 'cancelled' },
};

/** The actions a ticket in `state` allows, in the table's order (what the console may offer). */
export const allowedTicketActions = (state: TicketState): TicketAction[] =>
  (Object.keys(TICKET_ACTIONS) as TicketAction[]).filter((action) => TICKET_ACTIONS[action].from.includes(state));

export interface TicketEvent {
  readonly ticketId: string;
  readonly number: string;
  readonly action: TicketAction;
  readonly from: TicketState;
  readonly to: TicketState;
  readonly at: Instant;
  /** The counter the ticket is at (or sent to) after the move; what the board shows on a call. */
  readonly counterId: string | null;
}

/**
 * Applies one move at `at`. Refuses a move the table does not list (TICKET_INVALID_TRANSITION: most often another
 * agent moved the ticket first), a call of a remote ticket whose holder has not checked in (TICKET_NOT_ARRIVED), and
 * a transfer to the counter the ticket is already at (VALIDATION_FAILED).
 */
export function transitionTicket(ticket: Ticket, move: TicketMove, at: Instant): { ticket: Ticket; event: TicketEvent } {
  const rule = TICKET_ACTIONS[move.action];
  if (!rule.from.includes(ticket.state)) {
    throw new AppError('TICKET_INVALID_TRANSITION', { number: ticket.number, action: move.action, from: ticket.state, to: rule.to });
  }
  const next: Ticket = { ...ticket, ...changesOf(ticket, move, at), state: rule.to };
  return { ticket: next, event: { ticketId: ticket.id, number: ticket.number, action: move.action, from: ticket.state, to: rule.to, at, counterId: next.counterId } };
}

/** What a move changes besides the state; the refusals the table cannot express. */
function changesOf(ticket: Ticket, move: TicketMove, at: Instant): Partial<Ticket> {
  switch (move.action) {
    case 'check_in':
      return { arrivedAt: ticket.arrivedAt ?? at }; // checking in twice keeps the first arrival
    case 'call':
      if (ticket.arrivedAt === null) throw new AppError('TICKET_NOT_ARRIVED', { number: ticket.number });
      return { counterId: move.counterId, calledAt: at, recalls: 0 };
    case 'recall':
      return { calledAt: at, recalls: ticket.recalls + 1 };
    case 'start':
      return { servingAt: at };
    case 'transfer':
      if (move.counterId === ticket.counterId) throw new AppError('VALIDATION_FAILED', { reason: 'a ticket is transferred to another counter' });
      return { counterId: move.counterId, transferredAt: at, calledAt: null, servingAt: null };
    case 'finish':
    case 'no_show':
    case 'cancel':
    case 'lapse':
      return { closedAt: at };
  }
}

// ── Closing time ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether a ticket lapses at `now`: it is still waiting or called (never started), and either the shop is closed
 * now or the ticket's `localDay` (the shop-local day it was issued) is before today's local day in the shop's zone.
 * The day check catches a ticket left over when the run missed the closing (a shop open past midnight, a worker
 * that was down); a ticket being served is left to its agent.
 */
export function ticketLapses(
  ticket: Ticket & { readonly localDay: string },
  shop: { readonly weeklyHours: WeeklyHours; readonly timeZone: string },
  now: Instant,
  closedAt?: Instant,
): boolean {
  if (!TICKET_ACTIONS.lapse.from.includes(ticket.state)) return false;
  // A remote ticket taken after the closing is for the next opening (the kiosk says so), not the day that ended.
  if (closedAt !== undefined && ticket.issuedAt >= closedAt) return false;
  return !isOpen(shop.weeklyHours, now, shop.timeZone) || ticket.localDay < localDate(now, shop.timeZone);
}

/**
 * The tickets of one shop that the closing run ends at `now`, in the order given. With `closedAt` (the closing
 * the run is for), tickets issued at or after it are left for the run of the next closing.
 */
export const ticketsToLapse = <T extends Ticket & { readonly localDay: string }>(
  tickets: readonly T[],
  shop: { readonly weeklyHours: WeeklyHours; readonly timeZone: string },
  now: Instant,
  closedAt?: Instant,
): T[] => tickets.filter((t) => ticketLapses(t, shop, now, closedAt));

/** How long after a closing its run lapses the tickets: an agent may still start the ticket called last. */
export const CLOSING_GRACE_MINUTES = 10;

/**
 * The first closing strictly after `from`: the end of a local day's last interval, unless the shop is open at that
 * instant (open until 24:00 and again from 00:00: the day runs on). A lunch break is not a closing: those waiting
 * are served after it. Found on the local calendar, so a DST change moves the instant, not the wall-clock time.
 * Null for a week with no hours, or a shop that never closes.
 */
export function nextClosing(hours: WeeklyHours, from: Instant, timeZone: string): Instant | null {
  const today = localClock(from, timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const last = intervalsOf(hours, day.getUTCDay()).reduce<number | null>((end, i) => (end === null || i.close > end ? i.close : end), null);
    if (last === null) continue;
    const closesAt = instantAtLocalTime({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, last, timeZone);
    if (ms(closesAt) > ms(from) && !isOpen(hours, closesAt, timeZone)) return closesAt;
  }
  return null;
}

// ── Ticket numbers ────────────────────────────────────────────────────────────────────────────────────────────

/** The highest number of a service's day; the next ticket is 001 again (a board shows three digits). */
export const MAX_TICKET_SEQUENCE = 999;
const SERVICE_LETTER = /^[A-Z]$/;

/** `C`, 42 → `C-042`. */
export const formatTicketNumber = (letter: string, sequence: number): string => `${letter}-${String(sequence).padStart(3, '0')}`;

/**
 * The next ticket of a service, from the last sequence issued for that shop, service and local day (null: none yet
 * today; the store keys the count by `localDate(now, shop's zone)`, so it starts again at 001 each morning).
 */
export function nextTicketNumber(letter: string, lastToday: number | null): { sequence: number; number: string } {
  if (!SERVICE_LETTER.test(letter)) throw new AppError('VALIDATION_FAILED', { reason: `a service letter is one of A–Z, not "${letter}"` });
  if (lastToday !== null && !(Number.isInteger(lastToday) && lastToday >= 1 && lastToday <= MAX_TICKET_SEQUENCE)) {
    throw new AppError('VALIDATION_FAILED', { reason: `the last ticket number is 1–${MAX_TICKET_SEQUENCE}, not ${lastToday}` });
  }
  const sequence = lastToday === null || lastToday === MAX_TICKET_SEQUENCE ? 1 : lastToday + 1;
  return { sequence, number: formatTicketNumber(letter, sequence) };
}

// ── Calling next ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The order tickets are called in: priority before normal, then the one that took its place first (a remote
 * ticket keeps the place it took from home; a transferred one the place it first had). The id breaks ties so
 * two counters asking at once agree on the order.
 */
export function callOrder(a: Ticket, b: Ticket): number {
  if (a.priority !== b.priority) return a.priority === 'priority' ? -1 : 1;
  if (a.issuedAt !== b.issuedAt) return a.issuedAt < b.issuedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A ticket the queue can call now: waiting, and its holder in the shop (a remote one not yet arrived is skipped). */
const callable = (t: Ticket): boolean => t.state === 'waiting' && t.arrivedAt !== null;

/**
 * The ticket a counter calls next among the shop's tickets: first those transferred to this counter (oldest
 * transfer first: their holders have queued once already), then, among tickets for any counter of a service the
 * counter offers, by `callOrder`. A remote ticket whose holder has not arrived keeps its place and is called as
 * soon as they check in. Null when nobody can be called, and always for a counter out of service.
 */
export function nextTicket(tickets: readonly Ticket[], counter: { readonly id: string; readonly services: readonly string[]; readonly outOfService?: boolean }): Ticket | null {
  if (counter.outOfService) return null;
  const sentHere = tickets.filter((t) => callable(t) && t.counterId === counter.id);
  if (sentHere.length > 0) return sentHere.reduce((a, b) => ((b.transferredAt ?? '') < (a.transferredAt ?? '') ? b : a));
  const queue = tickets.filter((t) => callable(t) && t.counterId === null && counter.services.includes(t.service)).sort(callOrder);
  return queue[0] ?? null;
}

/**
 * How many tickets of the same service will be called before this one: those in the shared queue ahead of it by
 * `callOrder` whose holders are in the shop (a remote holder not yet arrived is skipped, so does not make anyone
 * wait). Tickets transferred to one counter are left out: they are that counter's, not the service's queue.
 */
export function peopleAhead(ticket: Ticket, tickets: readonly Ticket[]): number {
  return tickets.filter((t) => t.id !== ticket.id && callable(t) && t.counterId === null && t.service === ticket.service && callOrder(t, ticket) < 0).length;
}

/**
 * `peopleAhead` for each of `of` at once, in O(n log n) rather than a pass over every ticket per ticket: the
 * shared queue of each service sorted once by `callOrder`, and each ticket's count found by binary search.
 */
export function peopleAheadOfEach(of: readonly Ticket[], tickets: readonly Ticket[]): Map<string, number> {
  const queues = new Map<string, Ticket[]>();
  for (const t of tickets) {
    if (!callable(t) || t.counterId !== null) continue;
    const queue = queues.get(t.service);
    if (queue) queue.push(t);
    else queues.set(t.service, [t]);
  }
  for (const queue of queues.values()) queue.sort(callOrder);
  const ahead = new Map<string, number>();
  for (const ticket of of) {
    const queue = queues.get(ticket.service) ?? [];
    // The first place whose ticket is not called before this one; the ticket itself (order 0) is never counted.
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (callOrder(queue[mid]!, ticket) < 0) lo = mid + 1;
      else hi = mid;
    }
    ahead.set(ticket.id, lo);
  }
  return ahead;
}

/** A remote holder is told by SMS when this many people (or fewer) are ahead, so they can set out. */
export const AHEAD_NOTICE = 3;

/**
 * Whether the "your turn is near" SMS is due for a ticket now: once per ticket, for a remote ticket still waiting
 * whose holder has not checked in (one in the shop watches the board), when `ahead` ≤ AHEAD_NOTICE. A ticket taken
 * with fewer ahead is told at once.
 */
export const aheadNoticeDue = (ticket: Ticket, ahead: number): boolean =>
  ticket.source !== 'kiosk' && ticket.state === 'waiting' && ticket.arrivedAt === null && ticket.aheadNoticeAt === null && ahead <= AHEAD_NOTICE;

// ── Estimated wait ────────────────────────────────────────────────────────────────────────────────────────────

/** Seconds a service is assumed to take with too little history: a cancellation with a passport check and a SIM. */
export const DEFAULT_SERVICE_SECONDS = 600;
/** Fewer recent services than this and their median says little: the default is used. */
export const MIN_SERVICE_SAMPLES = 3;

/** The median of the positive, finite durations; null when there are none. */
export function medianSeconds(durations: readonly number[]): number | null {
  const sorted = durations.filter((d) => Number.isFinite(d) && d > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The wait for a new ticket in whole minutes, rounded up: `ahead` people served by `openCounters` counters at the
 * median of recent service times of that shop, service and hour. The median, not the mean, so one customer with a
 * tangled account does not double everyone's estimate. Null when no counter of the service is open (no honest
 * number to print).
 */
export function estimateWaitMinutes(recentServiceSeconds: readonly number[], ahead: number, openCounters: number): number | null {
  if (openCounters <= 0) return null;
  const usable = recentServiceSeconds.filter((d) => Number.isFinite(d) && d > 0);
  const perService = usable.length >= MIN_SERVICE_SAMPLES ? medianSeconds(usable)! : DEFAULT_SERVICE_SECONDS;
  return Math.ceil((Math.max(0, ahead) * perService) / openCounters / 60);
}

// ── Opening hours ─────────────────────────────────────────────────────────────────────────────────────────────

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const; // index = Date#getUTCDay()
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock times `HH:MM`; `close` may be `24:00`. */
export interface OpeningInterval {
  readonly open: string;
  readonly close: string;
}

/** A shop's week in its own time zone: a day may have several intervals (a lunch break); missing or empty = closed. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly OpeningInterval[]>>>;

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minuteOf(text: string): number | null {
  const m = CLOCK.exec(text);
  if (!m) return null;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  return minute <= 1440 ? minute : null;
}

/** Refuses hours a shop cannot keep: bad times, a close not after its open, overlapping intervals of a day. */
export function checkWeeklyHours(hours: WeeklyHours): void {
  for (const day of WEEKDAYS) {
    let lastClose = -1;
    for (const { open, close } of [...(hours[day] ?? [])].sort((a, b) => (a.open < b.open ? -1 : a.open > b.open ? 1 : 0))) {
      const [from, to] = [minuteOf(open), minuteOf(close)];
      if (from === null || to === null) throw new AppError('SHOP_HOURS_NOT_A_TIME', { weekday: day, input: from === null ? open : close, open, close });
      if (from >= to) throw new AppError('SHOP_HOURS_BACKWARDS', { weekday: day, open, close });
      if (from < lastClose) throw new AppError('SHOP_HOURS_OVERLAP', { weekday: day, open, close });
      lastClose = to!;
    }
  }
}

const intervalsOf = (hours: WeeklyHours, weekday: number): { open: number; close: number }[] =>
  (hours[WEEKDAYS[weekday]!] ?? []).map((i) => ({ open: minuteOf(i.open) ?? 0, close: minuteOf(i.close) ?? 0 })).sort((a, b) => a.open - b.open);

/** Whether the shop is open at an instant: its local weekday and wall-clock time fall in one of that day's intervals. */
export function isOpen(hours: WeeklyHours, instant: Instant, timeZone: string): boolean {
  const now = localClock(instant, timeZone);
  return intervalsOf(hours, now.weekday).some((i) => i.open <= now.minuteOfDay && now.minuteOfDay < i.close);
}

/**
 * When the shop is next open from `from`: `from` itself while open, else the start of the next interval, found on
 * the local calendar (so a DST change between now and then moves the instant, not the wall-clock time). Null for a
 * week with no hours at all.
 */
export function nextOpening(hours: WeeklyHours, from: Instant, timeZone: string): Instant | null {
  if (isOpen(hours, from, timeZone)) return from;
  const today = localClock(from, timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    for (const interval of intervalsOf(hours, day.getUTCDay())) {
      const opensAt = instantAtLocalTime(date, interval.open, timeZone);
      if (ms(opensAt) > ms(from)) return opensAt;
    }
  }
  return null;
}
