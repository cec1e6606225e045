import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import { answerPair, checkPairs, isCalendarDay, MAX_PAIRS } from './reassigned-numbers.ts';
import { parseDate } from './time.ts';

const history = { firstAssignedAt: '2025-03-10T08:00:00.000Z', lastDisconnectedAt: '2026-06-15T12:30:00.000Z' };

test('disconnected on or after the date asked about: yes, the same day included', () => {
  assert.equal(answerPair('2026-01-01', history), 'yes');
  assert.equal(answerPair('2026-06-15', history), 'yes');
});

test('asked about a date after the latest disconnection: no (whoever held it then still does)', () => {
  assert.equal(answerPair('2026-06-16', history), 'no');
  assert.equal(answerPair('2026-01-01', { firstAssignedAt: history.firstAssignedAt, lastDisconnectedAt: null }), 'no');
});

test('before our history starts, or a number without history: no data, unless a later disconnection says yes', () => {
  assert.equal(answerPair('2024-01-01', { firstAssignedAt: history.firstAssignedAt, lastDisconnectedAt: null }), 'no_data');
  assert.equal(answerPair('2024-01-01', history), 'yes');
  assert.equal(answerPair('2025-03-10', { firstAssignedAt: history.firstAssignedAt, lastDisconnectedAt: null }), 'no');
  assert.equal(answerPair('2026-01-01', undefined), 'no_data');
});

test('a bad pair refuses the whole request with a stable code naming its index', () => {
  const code = (pairs: { number: string; date: string }[]) => {
    try {
      checkPairs(pairs, '2026-12-07');
      return 'ok';
    } catch (e) {
      return e instanceof AppError ? `${e.code}:${String(e.details.index ?? '')}` : 'other';
    }
  };
  assert.equal(code([{ number: '+79990000001', date: '2026-12-07' }]), 'ok');
  assert.equal(code([{ number: '+79990000001', date: '2026-12-07' }, { number: '89990000001', date: '2026-01-01' }]), 'RND_INVALID_NUMBER:1');
  assert.equal(code([{ number: '+79990000001', date: '2026-02-30' }]), 'RND_INVALID_DATE:0');
  assert.equal(code([{ number: '+79990000001', date: '2026-12-08' }]), 'RND_FUTURE_DATE:0');
  assert.equal(code(Array.from({ length: MAX_PAIRS + 1 }, () => ({ number: '+79990000001', date: '2026-01-01' }))), 'RND_TOO_MANY_PAIRS:');
});

test('the calendar check agrees with parseDate on every day of four centuries\' worth of edge cases', () => {
  for (const year of [1900, 2000, 2023, 2024, 2100, 2400]) {
    for (let month = 0; month <= 13; month++) {
      for (let day = 0; day <= 32; day++) {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        assert.equal(isCalendarDay(text), parseDate(text) !== undefined, text);
      }
    }
  }
  assert.equal(isCalendarDay('2026-1-01'), false);
});
