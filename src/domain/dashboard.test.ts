import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayBounds, quantileOffset, reasonKind, weekBounds } from './dashboard.ts';
import { SIM_LOST_REASON } from './termination.ts';

test('days are local calendar days, the last one today, even across a change of clocks', () => {
  // Berlin goes from summer to winter time on 25 October 2026: that day has 25 hours.
  const { starts, end } = dayBounds('2026-10-26T10:00:00.000Z', 3, 'Europe/Berlin');
  assert.deepEqual(starts, ['2026-10-23T22:00:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  assert.equal(end, '2026-10-26T23:00:00.000Z');
  assert.deepEqual(dayBounds('2026-11-20T22:30:00.000Z', 1, 'Europe/Moscow').starts, ['2026-11-20T21:00:00.000Z'], 'half past one in Moscow is already the 21st');
});

test('weeks run seven days at a time from now', () => {
  assert.deepEqual(weekBounds('2026-11-21T10:00:00.000Z', 2), { starts: ['2026-11-21T10:00:00.000Z', '2026-11-28T10:00:00.000Z'], end: '2026-12-05T10:00:00.000Z' });
});

test('the median and 90th percentile are the nearest-rank values', () => {
  assert.deepEqual([1, 2, 3, 10].map((n) => quantileOffset(n, 0.5)), [0, 0, 1, 4]);
  assert.deepEqual([1, 3, 10, 11].map((n) => quantileOffset(n, 0.9)), [0, 2, 8, 9]);
});

test("a reason is the system's own sentence, an operator's text, or none: the holder's wish or the operator's", () => {
  assert.equal(reasonKind(SIM_LOST_REASON, 'subscriber'), 'sim_lost');
  assert.equal(reasonKind(null, 'subscriber'), 'own');
  assert.equal(reasonKind(null, 'operator'), 'operator');
  assert.equal(reasonKind('regulator list of 1 December', 'operator'), 'operator');
});
