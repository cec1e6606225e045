import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, errorCatalogue } from './errors.ts';
import { LANGUAGES } from './languages.ts';
import {
  aheadNoticeDue,
  allowedTicketActions,
  checkWeeklyHours,
  DEFAULT_SERVICE_SECONDS,
  estimateWaitMinutes,
  isOpen,
  medianSeconds,
  nextClosing,
  nextOpening,
  nextTicket,
  nextTicketNumber,
  peopleAhead,
  peopleAheadOfEach,
  TICKET_STATES,
  type Ticket,
  type TicketMove,
  type TicketState,
  ticketLapses,
  ticketsToLapse,
  transitionTicket,
  type WeeklyHours,
} from './shop-queue.ts';
import { instantAtLocalTime, localClock } from './time.ts';

const AT = '2026-12-03T10:00:00.000Z';

/** A kiosk ticket, in the shop, for any counter; `over` changes what a case is about. */
const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 'tk_1',
  number: 'C-001',
  service: 'cancel',
  priority: 'normal',
  source: 'kiosk',
  state: 'waiting',
  issuedAt: '2026-12-03T09:00:00.000Z',
  arrivedAt: '2026-12-03T09:00:00.000Z',
  counterId: null,
  transferredAt: null,
  calledAt: null,
  recalls: 0,
  servingAt: null,
  closedAt: null,
  aheadNoticeAt: null,
  ...over,
});

const refusedWith = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

test('every new error of the shop queue has its own message in ru, en and zh', () => {
  for (const code of ['TICKET_INVALID_TRANSITION', 'TICKET_NOT_ARRIVED'] as const) {
    const messages = LANGUAGES.map((l) => errorCatalogue[code].message[l]);
    assert.ok(messages.every((m) => m.includes('{number}')), code);
    assert.equal(new Set(messages).size, 3, `${code}: one text per language`);
  }
});

test('a ticket moves only along the table; every other move is refused with TICKET_INVALID_TRANSITION', () => {
  const moves: TicketMove[] = [
    { action: 'check_in' },
    { action: 'call', counterId: 'w2' },
    { action: 'recall' },
    { action: 'start' },
    { action: 'finish' },
    { action: 'no_show' },
    { action: 'transfer', counterId: 'w3' },
    { action: 'cancel' },
    { action: 'lapse' },
  ];
  // The whole table, as state → action → the state it leads to; an absent action is refused.
  const legal: Record<TicketState, Partial<Record<TicketMove['action'], TicketState>>> = {
    waiting: { check_in: 'waiting', call: 'called', cancel: 'cancelled', lapse: 'cancelled' },
    called: { lapse: 'cancelled', recall: 'called', start: 'serving', no_show: 'no_show', transfer: 'waiting' },
    serving: { finish: 'served', transfer: 'waiting' },
    served: {},
    no_show: {},
    cancelled: {},
  };
  for (const state of TICKET_STATES) {
    assert.deepEqual(allowedTicketActions(state).sort(), Object.keys(legal[state]).sort(), `actions offered in ${state}`);
    for (const move of moves) {
      const from = ticket({ state, counterId: state === 'called' || state === 'serving' ? 'w1' : null });
      const to = legal[state][move.action];
      if (to === undefined) {
        assert.throws(() => transitionTicket(from, move, AT), refusedWith('TICKET_INVALID_TRANSITION'), `${state} –${move.action}→ refused`);
        continue;
      }
      const { ticket: after, event } = transitionTicket(from, move, AT);
      assert.equal(after.state, to, `${state} –${move.action}→ ${to}`);
      assert.deepEqual({ from: event.from, to: event.to, action: event.action, at: event.at, number: event.number }, { from: state, to, action: move.action, at: AT, number: 'C-001' });
    }
  }
});

test('what each move records on the ticket', () => {
  const called = ticket({ state: 'called', counterId: 'w1', calledAt: '2026-12-03T09:50:00.000Z' });
  const cases: [string, Ticket, TicketMove, Partial<Ticket>][] = [
    ['a call puts the ticket at the counter', ticket(), { action: 'call', counterId: 'w1' }, { counterId: 'w1', calledAt: AT, recalls: 0 }],
    ['a recall announces it again at the same counter', called, { action: 'recall' }, { counterId: 'w1', calledAt: AT, recalls: 1 }],
    ['start marks when service began', called, { action: 'start' }, { servingAt: AT }],
    ['a no-show closes it', called, { action: 'no_show' }, { closedAt: AT }],
    ['a transfer keeps the number and waits for the other counter only', ticket({ state: 'serving', counterId: 'w1', calledAt: AT, servingAt: AT }), { action: 'transfer', counterId: 'w4' }, { number: 'C-001', counterId: 'w4', transferredAt: AT, calledAt: null, servingAt: null }],
    ['a remote holder checks in', ticket({ source: 'sms', arrivedAt: null }), { action: 'check_in' }, { arrivedAt: AT }],
    ['checking in twice keeps the first arrival', ticket({ source: 'site' }), { action: 'check_in' }, { arrivedAt: '2026-12-03T09:00:00.000Z' }],
  ];
  for (const [name, from, move, expected] of cases) {
    const { ticket: after } = transitionTicket(from, move, AT);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(after[key as keyof Ticket], value, `${name}: ${key}`);
  }
});

test('a remote ticket is not called before its holder checks in; a transfer goes to another counter', () => {
  assert.throws(() => transitionTicket(ticket({ source: 'sms', arrivedAt: null }), { action: 'call', counterId: 'w1' }, AT), refusedWith('TICKET_NOT_ARRIVED'));
  assert.throws(() => transitionTicket(ticket({ state: 'called', counterId: 'w1' }), { action: 'transfer', counterId: 'w1' }, AT), refusedWith('VALIDATION_FAILED'));
});

test('ticket numbers count per day from 001 and wrap after 999', () => {
  const cases: [string, number | null, string][] = [
    ['C', null, 'C-001'],
    ['C', 1, 'C-002'],
    ['C', 41, 'C-042'],
    ['P', 99, 'P-100'],
    ['C', 998, 'C-999'],
    ['C', 999, 'C-001'],
  ];
  for (const [letter, last, expected] of cases) assert.equal(nextTicketNumber(letter, last).number, expected, `${letter} after ${last}`);
  assert.equal(nextTicketNumber('C', 999).sequence, 1);
  for (const [letter, last] of [['c', 1], ['CC', 1], ['', null], ['C', 0], ['C', 1000], ['C', 4.5]] as const) {
    assert.throws(() => nextTicketNumber(letter, last), refusedWith('VALIDATION_FAILED'), `${letter} after ${last}`);
  }
});

test('a counter calls tickets sent to it first, then priority, then the oldest; absent remote holders are skipped', () => {
  const counter = { id: 'w1', services: ['cancel', 'sim'] };
  const t = (id: string, over: Partial<Ticket>) => ticket({ id, number: id, ...over });
  const at = (hhmm: string) => `2026-12-03T${hhmm}:00.000Z`;
  const cases: [string, Ticket[], string | null][] = [
    ['nobody waiting', [], null],
    ['the oldest first', [t('b', { issuedAt: at('09:10') }), t('a', { issuedAt: at('09:05') })], 'a'],
    ['priority before an older normal ticket', [t('a', { issuedAt: at('09:05') }), t('p', { issuedAt: at('09:30'), priority: 'priority' })], 'p'],
    ['the older of two priority tickets', [t('p2', { issuedAt: at('09:40'), priority: 'priority' }), t('p1', { issuedAt: at('09:30'), priority: 'priority' })], 'p1'],
    ['a remote ticket not yet arrived is skipped', [t('r', { source: 'sms', arrivedAt: null, issuedAt: at('08:00') }), t('a', { issuedAt: at('09:05') })], 'a'],
    ['an arrived remote ticket keeps the place it took from home', [t('a', { issuedAt: at('09:05') }), t('r', { source: 'site', issuedAt: at('08:00'), arrivedAt: at('09:50') })], 'r'],
    ['a service the counter does not offer is left', [t('x', { service: 'business', issuedAt: at('08:00') }), t('a', { issuedAt: at('09:05') })], 'a'],
    ['only a service the counter does not offer', [t('x', { service: 'business' })], null],
    ['tickets not waiting are not called', [t('c', { state: 'called', counterId: 'w2' }), t('s', { state: 'served' })], null],
    ['a ticket transferred here comes before priority', [t('p', { priority: 'priority', issuedAt: at('08:00') }), t('tr', { counterId: 'w1', transferredAt: at('09:55'), service: 'business' })], 'tr'],
    ['of two transferred here, the earlier transfer', [t('t2', { counterId: 'w1', transferredAt: at('09:58') }), t('t1', { counterId: 'w1', transferredAt: at('09:57') })], 't1'],
    ['a ticket transferred to another counter is not ours', [t('tr', { counterId: 'w2', transferredAt: at('09:55'), issuedAt: at('08:00') }), t('a', { issuedAt: at('09:05') })], 'a'],
    ['equal times: the id decides, the same for every counter', [t('b', {}), t('a', {})], 'a'],
  ];
  for (const [name, tickets, expected] of cases) assert.equal(nextTicket(tickets, counter)?.id ?? null, expected, name);
});

test('people ahead count who will be called first for the same service; the SMS goes once, at three or fewer', () => {
  const mine = ticket({ id: 'me', source: 'sms', arrivedAt: null, issuedAt: '2026-12-03T09:30:00.000Z' });
  const before = (id: string, over: Partial<Ticket> = {}) => ticket({ id, issuedAt: '2026-12-03T09:00:00.000Z', ...over });
  const cases: [string, Ticket[], number][] = [
    ['alone', [mine], 0],
    ['two older tickets', [before('a'), before('b'), mine], 2],
    ['a later priority ticket is ahead', [ticket({ id: 'p', priority: 'priority', issuedAt: '2026-12-03T09:45:00.000Z' }), mine], 1],
    ['a later normal ticket is not', [ticket({ id: 'n', issuedAt: '2026-12-03T09:45:00.000Z' }), mine], 0],
    ['another service is not', [before('x', { service: 'sim' }), mine], 0],
    ['an absent remote holder is skipped, so not ahead', [before('r', { source: 'site', arrivedAt: null }), mine], 0],
    ['a ticket already called is not', [before('c', { state: 'called', counterId: 'w1' }), mine], 0],
    ['a ticket sent to one counter is not', [before('t', { counterId: 'w1', transferredAt: '2026-12-03T09:40:00.000Z' }), mine], 0],
  ];
  for (const [name, tickets, expected] of cases) assert.equal(peopleAhead(mine, tickets), expected, name);

  const notices: [string, Ticket, number, boolean][] = [
    ['four ahead: not yet', mine, 4, false],
    ['three ahead: due', mine, 3, true],
    ['taken with one ahead: due at once', mine, 1, true],
    ['already sent: never twice', { ...mine, aheadNoticeAt: '2026-12-03T09:40:00.000Z' }, 2, false],
    ['a kiosk ticket is not texted', ticket(), 1, false],
    ['a remote holder already in the shop watches the board', { ...mine, arrivedAt: '2026-12-03T09:41:00.000Z' }, 2, false],
    ['a cancelled ticket is not texted', { ...mine, state: 'cancelled' }, 0, false],
  ];
  for (const [name, t, ahead, due] of notices) assert.equal(aheadNoticeDue(t, ahead), due, name);
});

test('the wait is the median service time per open counter for each person ahead, in whole minutes rounded up', () => {
  assert.equal(medianSeconds([]), null);
  assert.equal(medianSeconds([300, 100, 200]), 200);
  assert.equal(medianSeconds([100, 200, 300, 400]), 250);
  assert.equal(medianSeconds([0, -5, Number.NaN, 120]), 120, 'nonsense durations are dropped');

  const history = [240, 300, 360, 3600]; // one tangled case of an hour: median 330 s, mean 1125 s
  const cases: [string, number[], number, number, number | null][] = [
    ['nobody ahead', history, 0, 1, 0],
    ['one ahead, one counter: 330 s → 6 min', history, 1, 1, 6],
    ['four ahead, two counters: 1320 s / 2 → 11 min', history, 4, 2, 11],
    ['no history: the default per service', [], 3, 1, Math.ceil((3 * DEFAULT_SERVICE_SECONDS) / 60)],
    ['too little history: the default', [60, 60], 1, 1, DEFAULT_SERVICE_SECONDS / 60],
    ['a second over a minute counts as two', [61, 61, 61], 1, 1, 2],
    ['no counter open: no estimate', history, 2, 0, null],
  ];
  for (const [name, recent, ahead, counters, minutes] of cases) assert.equal(estimateWaitMinutes(recent, ahead, counters), minutes, name);
});

/** Weekdays with a lunch break, a shorter Saturday, Sunday closed (missing). */
const HOURS: WeeklyHours = {
  mon: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }],
  tue: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }],
  wed: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }],
  thu: [{ open: '14:00', close: '20:00' }, { open: '09:00', close: '13:00' }], // order does not matter
  fri: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }],
  sat: [{ open: '10:00', close: '18:00' }],
  sun: [],
};

test('opening hours in Moscow (UTC+3 all year)', () => {
  const zone = 'Europe/Moscow';
  // [UTC instant, what it is in Moscow, open?, next opening]
  const cases: [string, string, boolean, string][] = [
    ['2026-12-03T05:59:00.000Z', 'Thu 08:59', false, '2026-12-03T06:00:00.000Z'],
    ['2026-12-03T06:00:00.000Z', 'Thu 09:00', true, '2026-12-03T06:00:00.000Z'],
    ['2026-12-03T10:00:00.000Z', 'Thu 13:00, lunch', false, '2026-12-03T11:00:00.000Z'],
    ['2026-12-03T16:59:00.000Z', 'Thu 19:59', true, '2026-12-03T16:59:00.000Z'],
    ['2026-12-03T17:00:00.000Z', 'Thu 20:00', false, '2026-12-04T06:00:00.000Z'],
    ['2026-12-03T21:30:00.000Z', 'Fri 00:30 (Thursday in UTC)', false, '2026-12-04T06:00:00.000Z'],
    ['2026-12-05T07:00:00.000Z', 'Sat 10:00', true, '2026-12-05T07:00:00.000Z'],
    ['2026-12-05T15:00:00.000Z', 'Sat 18:00', false, '2026-12-07T06:00:00.000Z'],
    ['2026-12-06T10:00:00.000Z', 'Sun, closed', false, '2026-12-07T06:00:00.000Z'],
  ];
  for (const [instant, local, open, next] of cases) {
    assert.equal(isOpen(HOURS, instant, zone), open, `${local}: open`);
    assert.equal(nextOpening(HOURS, instant, zone), next, `${local}: next opening`);
  }
});

test('opening hours in Lisbon follow the wall clock across summer time', () => {
  const zone = 'Europe/Lisbon'; // WET (UTC+0) in winter, WEST (UTC+1) from the last Sunday of March to the last of October
  const cases: [string, string, boolean, string][] = [
    ['2026-12-03T08:59:00.000Z', 'Thu 08:59 WET', false, '2026-12-03T09:00:00.000Z'],
    ['2026-12-03T09:00:00.000Z', 'Thu 09:00 WET', true, '2026-12-03T09:00:00.000Z'],
    ['2026-07-02T07:59:00.000Z', 'Thu 08:59 WEST', false, '2026-07-02T08:00:00.000Z'],
    ['2026-07-02T08:00:00.000Z', 'Thu 09:00 WEST', true, '2026-07-02T08:00:00.000Z'],
    ['2026-07-02T18:59:00.000Z', 'Thu 19:59 WEST', true, '2026-07-02T18:59:00.000Z'],
    ['2026-07-02T19:00:00.000Z', 'Thu 20:00 WEST', false, '2026-07-03T08:00:00.000Z'],
    ['2026-03-28T18:00:00.000Z', 'Sat 18:00 WET; clocks go forward on Sunday', false, '2026-03-30T08:00:00.000Z'],
    ['2026-10-24T17:00:00.000Z', 'Sat 18:00 WEST; clocks go back on Sunday', false, '2026-10-26T09:00:00.000Z'],
  ];
  for (const [instant, local, open, next] of cases) {
    assert.equal(isOpen(HOURS, instant, zone), open, `${local}: open`);
    assert.equal(nextOpening(HOURS, instant, zone), next, `${local}: next opening`);
  }
  // A shop open on the Sunday the clocks change opens at 09:00 on either side of it.
  const sundays: WeeklyHours = { sun: [{ open: '09:00', close: '17:00' }] };
  assert.equal(nextOpening(sundays, '2026-03-28T23:00:00.000Z', zone), '2026-03-29T08:00:00.000Z');
  assert.equal(nextOpening(sundays, '2026-10-24T23:00:00.000Z', zone), '2026-10-25T09:00:00.000Z');
  assert.equal(isOpen(sundays, '2026-03-29T07:59:00.000Z', zone), false, '08:59 WEST');
  assert.equal(isOpen(sundays, '2026-10-25T08:59:00.000Z', zone), false, '08:59 WET');
});

test('a week without hours never opens; a 24-hour day stays open to midnight', () => {
  assert.equal(nextOpening({}, AT, 'Europe/Moscow'), null);
  assert.equal(nextOpening({ mon: [] }, AT, 'Europe/Moscow'), null);
  const allDay: WeeklyHours = { thu: [{ open: '00:00', close: '24:00' }] };
  assert.equal(isOpen(allDay, '2026-12-03T20:59:00.000Z', 'Europe/Moscow'), true, 'Thu 23:59');
  assert.equal(isOpen(allDay, '2026-12-03T21:00:00.000Z', 'Europe/Moscow'), false, 'Fri 00:00');
  assert.equal(nextOpening(allDay, '2026-12-03T21:00:00.000Z', 'Europe/Moscow'), '2026-12-09T21:00:00.000Z', 'next Thursday 00:00 MSK');
});

test('hours a shop cannot keep are refused', () => {
  checkWeeklyHours(HOURS);
  checkWeeklyHours({ sun: [{ open: '00:00', close: '24:00' }] });
  const bad: [string, WeeklyHours, string][] = [
    ['not a time', { mon: [{ open: '9:00', close: '18:00' }] }, 'SHOP_HOURS_NOT_A_TIME'],
    ['no such minute', { mon: [{ open: '09:60', close: '18:00' }] }, 'SHOP_HOURS_NOT_A_TIME'],
    ['past midnight', { mon: [{ open: '09:00', close: '24:30' }] }, 'SHOP_HOURS_NOT_A_TIME'],
    ['closes before it opens', { mon: [{ open: '18:00', close: '09:00' }] }, 'SHOP_HOURS_BACKWARDS'],
    ['closes as it opens', { mon: [{ open: '09:00', close: '09:00' }] }, 'SHOP_HOURS_BACKWARDS'],
    ['overlapping', { tue: [{ open: '09:00', close: '14:00' }, { open: '13:00', close: '20:00' }] }, 'SHOP_HOURS_OVERLAP'],
  ];
  for (const [name, hours, code] of bad) assert.throws(() => checkWeeklyHours(hours), refusedWith(code), name);
});

test('local wall-clock times on the days Lisbon changes its clocks', () => {
  const zone = 'Europe/Lisbon';
  const cases: [{ year: number; month: number; day: number }, number, string, string][] = [
    [{ year: 2026, month: 3, day: 29 }, 0, '2026-03-29T00:00:00.000Z', 'midnight before the change'],
    [{ year: 2026, month: 3, day: 29 }, 90, '2026-03-29T01:30:00.000Z', '01:30 is skipped: an hour later by the wall clock'],
    [{ year: 2026, month: 3, day: 29 }, 180, '2026-03-29T02:00:00.000Z', '03:00 WEST'],
    [{ year: 2026, month: 10, day: 25 }, 90, '2026-10-25T01:30:00.000Z', '01:30 happens twice: the later'],
    [{ year: 2026, month: 10, day: 25 }, 180, '2026-10-25T03:00:00.000Z', '03:00 WET'],
    [{ year: 2026, month: 12, day: 3 }, 1440, '2026-12-04T00:00:00.000Z', '24:00 is the next midnight'],
  ];
  for (const [date, minute, expected, name] of cases) assert.equal(instantAtLocalTime(date, minute, zone), expected, name);
  assert.deepEqual(localClock('2026-10-25T00:30:00.000Z', zone), { year: 2026, month: 10, day: 25, weekday: 0, minuteOfDay: 90 });
  assert.deepEqual(localClock('2026-12-03T21:30:00.000Z', 'Europe/Moscow'), { year: 2026, month: 12, day: 4, weekday: 5, minuteOfDay: 30 });
});

test('closing time: waiting and called tickets lapse once a Moscow shop closes, or when they are from an earlier day', () => {
  // Moscow is UTC+3 all year: 09:00–20:00 local is 06:00–17:00Z.
  const shop = { timeZone: 'Europe/Moscow', weeklyHours: { thu: [{ open: '09:00', close: '20:00' }], fri: [{ open: '09:00', close: '20:00' }] } };
  const today = (over: Partial<Ticket> = {}) => ({ ...ticket(over), localDay: '2026-12-03' });
  const justBefore = '2026-12-03T16:59:59.000Z'; // 19:59:59 in Moscow, Thursday
  const justAfter = '2026-12-03T17:00:00.000Z'; // 20:00 in Moscow: closed
  assert.equal(ticketLapses(today(), shop, justBefore), false, 'open: a waiting ticket of today stays');
  assert.equal(ticketLapses(today(), shop, justAfter), true, 'closed: it lapses');
  assert.equal(ticketLapses(today({ state: 'called', counterId: 'w1' }), shop, justAfter), true, 'called, never served');
  for (const state of ['serving', 'served', 'no_show', 'cancelled'] as const) {
    assert.equal(ticketLapses(today({ state }), shop, justAfter), false, `${state} is not the closing's`);
  }
  // Friday 10:00 in Moscow, open: yesterday's ticket lapses, today's stays.
  const fridayMorning = '2026-12-04T07:00:00.000Z';
  assert.equal(ticketLapses(today(), shop, fridayMorning), true, 'a ticket from yesterday');
  assert.equal(ticketLapses({ ...ticket(), localDay: '2026-12-04' }, shop, fridayMorning), false);
  // 23:30Z on Thursday is already Friday 02:30 in Moscow: the local day, not the UTC one, decides.
  assert.equal(ticketLapses({ ...ticket(), localDay: '2026-12-04' }, { ...shop, weeklyHours: { fri: [{ open: '00:00', close: '24:00' }] } }, '2026-12-03T23:30:00.000Z'), false);
  assert.deepEqual(ticketsToLapse([today({ id: 'a' }), today({ id: 'b', state: 'served' }), today({ id: 'c', state: 'called' })], shop, justAfter).map((t) => t.id), ['a', 'c']);
  const { ticket: after, event } = transitionTicket(today(), { action: 'lapse' }, justAfter);
  assert.deepEqual([after.state, after.closedAt, event.action], ['cancelled', justAfter, 'lapse']);
});

test('the closing a run is for: the end of the day, not a lunch break; a ticket taken after it waits for the next opening', () => {
  const zone = 'Europe/Moscow'; // UTC+3
  const hours = { fri: [{ open: '09:00', close: '13:00' }, { open: '14:00', close: '20:00' }], sat: [{ open: '10:00', close: '18:00' }] };
  assert.equal(nextClosing(hours, '2026-12-04T08:00:00.000Z', zone), '2026-12-04T17:00:00.000Z', 'Friday 11:00: it closes at 20:00, not at lunch');
  assert.equal(nextClosing(hours, '2026-12-04T17:00:00.000Z', zone), '2026-12-05T15:00:00.000Z', 'at the closing itself: the next one, Saturday 18:00');
  assert.equal(nextClosing(hours, '2026-12-05T16:00:00.000Z', zone), '2026-12-11T17:00:00.000Z', 'after Saturday: next Friday');
  assert.equal(nextClosing({}, '2026-12-04T08:00:00.000Z', zone), null, 'no hours');
  const allWeek = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]));
  assert.equal(nextClosing(allWeek, '2026-12-04T08:00:00.000Z', zone), null, 'never closes');
  const lateFriday = { ...hours, fri: [{ open: '09:00', close: '24:00' }], sat: [{ open: '00:00', close: '02:00' }] };
  assert.equal(nextClosing(lateFriday, '2026-12-04T08:00:00.000Z', zone), '2026-12-04T23:00:00.000Z', 'open past midnight: it closes at 02:00 on Saturday');
  // Lisbon falls back on 25 October: 20:00 local is 20:00Z after the change, 19:00Z before.
  assert.equal(nextClosing({ sun: [{ open: '10:00', close: '20:00' }] }, '2026-10-25T00:30:00.000Z', 'Europe/Lisbon'), '2026-10-25T20:00:00.000Z');

  const shop = { timeZone: zone, weeklyHours: hours };
  const closedAt = '2026-12-04T17:00:00.000Z';
  const t = (issuedAt: string) => ({ ...ticket({ issuedAt }), localDay: '2026-12-04' });
  const runAt = '2026-12-04T17:10:00.000Z';
  assert.equal(ticketLapses(t('2026-12-04T16:00:00.000Z'), shop, runAt, closedAt), true, 'taken before the closing');
  assert.equal(ticketLapses(t('2026-12-04T17:05:00.000Z'), shop, runAt, closedAt), false, 'taken after it, for the next opening');
  assert.equal(ticketLapses(t('2026-12-04T17:05:00.000Z'), shop, runAt), true, 'without a closing, closed is closed');
});

test('peopleAheadOfEach counts what peopleAhead counts, for every ticket of a mixed queue, in one pass', () => {
  // A fixed pseudo-random mix: two services, priorities, remote holders in and out, transfers, called and closed.
  let state = 7;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(state / 65_536) % n; // the high bits: the low ones of this generator repeat quickly
  };
  const states: TicketState[] = ['waiting', 'waiting', 'waiting', 'called', 'served'];
  const tickets: Ticket[] = Array.from({ length: 400 }, (_, i) =>
    ticket({
      id: `tk_${String(next(1000)).padStart(4, '0')}_${i}`,
      service: next(2) === 0 ? 'cancel' : 'sim',
      priority: next(5) === 0 ? 'priority' : 'normal',
      source: next(3) === 0 ? 'site' : 'kiosk',
      state: states[next(states.length)]!,
      issuedAt: `2026-12-03T09:${String(next(60)).padStart(2, '0')}:00.000Z`,
      arrivedAt: next(4) === 0 ? null : '2026-12-03T09:30:00.000Z',
      counterId: next(6) === 0 ? 'w2' : null,
    }),
  );
  const each = peopleAheadOfEach(tickets, tickets);
  for (const t of tickets) assert.equal(each.get(t.id), peopleAhead(t, tickets), t.id);
  assert.ok([...each.values()].some((n) => n > 10), 'long queues are in the mix');
});
