import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideNumberLimit, numberLimitFor } from './number-limits.ts';

const limits = { citizen: 20, foreigner: 10 };

describe('the per-person limit on numbers', () => {
  test('a foreigner and a citizen each have their own limit', () => {
    assert.equal(numberLimitFor(limits, { foreigner: true }), 10);
    assert.equal(numberLimitFor(limits, { foreigner: false }), 20);
  });

  test('a number that keeps the person within the limit is allowed, one past it is refused', () => {
    assert.deepEqual(decideNumberLimit(limits, { foreigner: true }, 9), { ok: true });
    assert.deepEqual(decideNumberLimit(limits, { foreigner: true }, 10), { ok: false, code: 'NUMBER_LIMIT_REACHED', limit: 10, held: 10 });
    assert.deepEqual(decideNumberLimit(limits, { foreigner: false }, 19), { ok: true });
    assert.deepEqual(decideNumberLimit(limits, { foreigner: false }, 20), { ok: false, code: 'NUMBER_LIMIT_REACHED', limit: 20, held: 20 });
  });

  test('a person already over a lowered limit gains nothing', () => {
    assert.equal(decideNumberLimit({ citizen: 2, foreigner: 1 }, { foreigner: false }, 5).ok, false);
  });
});
