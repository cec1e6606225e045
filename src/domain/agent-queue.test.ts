import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canMove, confirmsAtOnce, DEFAULT_SECONDS_PER_PLACE, expectedWaitSeconds, handoverReason, missingChecklistItems, secondsBetween, voiceMenuShare } from './agent-queue.ts';

test('without answered calls a place costs the default; with them, what recent callers waited per place', () => {
  assert.equal(expectedWaitSeconds(3, []), 3 * DEFAULT_SECONDS_PER_PLACE);
  // Two callers: 300 s from place 1, 900 s from place 3 → 1200 s over 4 places = 300 s a place.
  assert.equal(expectedWaitSeconds(2, [{ waitSeconds: 300, positionAtEntry: 1 }, { waitSeconds: 900, positionAtEntry: 3 }]), 600);
  assert.equal(expectedWaitSeconds(0, [{ waitSeconds: 60, positionAtEntry: 1 }]), 60, 'the next caller waits at least one place');
});

test('an entry waits, is taken and finished, or is abandoned; nothing comes back', () => {
  assert.ok(canMove('waiting', 'taken') && canMove('waiting', 'abandoned') && canMove('taken', 'finished'));
  for (const [from, to] of [['taken', 'waiting'], ['finished', 'taken'], ['abandoned', 'waiting'], ['waiting', 'finished']] as const) assert.equal(canMove(from, to), false, `${from} → ${to}`);
});

test('every checklist item must be ticked; the missing ones are named in order', () => {
  assert.deepEqual(missingChecklistItems({}), ['identityConfirmed', 'callerConsents', 'toldMoney', 'toldData', 'toldReclaimPeriod']);
  assert.deepEqual(missingChecklistItems({ identityConfirmed: true, callerConsents: true, toldMoney: false, toldData: true, toldReclaimPeriod: true }), ['toldMoney']);
});

test('caller ID alone never confirms; a secret and the SMS code do', () => {
  assert.equal(confirmsAtOnce({ caller: true, secret: null, smsCode: false }), false);
  assert.equal(confirmsAtOnce({ caller: true, secret: 'pin', smsCode: false }), false);
  assert.equal(confirmsAtOnce({ caller: false, secret: null, smsCode: true }), false);
  assert.equal(confirmsAtOnce({ caller: false, secret: 'document', smsCode: true }), true);
});

test('the voice menu\'s hand-over reasons become kinds the console can word', () => {
  const cases: [string, string][] = [
    ['caller asked for an agent', 'asked_for_agent'],
    ['pressed_0', 'asked_for_agent'],
    ['wrong inputs', 'wrong_input'],
    ['refused: LINE_NOT_FOUND', 'refused'],
    ['blocked: LEGAL_HOLD', 'blocked'],
    ['debt: caller asked to be called back', 'debt'],
    ['caller waiting for an agent asked to be called back', 'callback'],
    ['something new', 'other'],
  ];
  for (const [reason, kind] of cases) assert.equal(handoverReason(reason), kind, reason);
});

test('waits are whole seconds, never negative; the menu\'s share needs its count of calls', () => {
  assert.equal(secondsBetween('2026-11-21T10:00:00.000Z', '2026-11-21T10:01:30.400Z'), 90);
  assert.equal(secondsBetween('2026-11-21T10:00:00.000Z', '2026-11-21T09:00:00.000Z'), 0);
  assert.deepEqual(voiceMenuShare(null, 4), { calls: null, toAgent: 4, finishedInMenu: null, share: null });
  assert.deepEqual(voiceMenuShare(20, 5), { calls: 20, toAgent: 5, finishedInMenu: 15, share: 0.75 });
  assert.deepEqual(voiceMenuShare(0, 0), { calls: 0, toAgent: 0, finishedInMenu: 0, share: null });
});
