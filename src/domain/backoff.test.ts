import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, backoffSeconds } from './backoff.ts';

const policy = { backoffBaseSeconds: 10, backoffMaxSeconds: 300 };

test('backoff doubles from the base and stops at the cap, within ±10 % jitter', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((a) => backoffSeconds(a, 10, 300, 0.5)), [10, 20, 40, 80, 160, 300, 300]);
  assert.equal(backoffSeconds(1, 10, 300, 0), 9);
  assert.equal(backoffSeconds(1, 10, 300, 1), 11);
});

test('a failed attempt waits its backoff until the last attempt, then the job is dead', () => {
  assert.deepEqual(afterFailure(1, 3, false, policy, 0.5), { kind: 'retry', inSeconds: 10 });
  assert.deepEqual(afterFailure(2, 3, false, policy, 0.5), { kind: 'retry', inSeconds: 20 });
  assert.deepEqual(afterFailure(3, 3, false, policy, 0.5), { kind: 'dead' });
});

test('a failure retrying cannot help is dead at the first attempt', () => {
  assert.deepEqual(afterFailure(1, 8, true, policy), { kind: 'dead' });
});
