import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPolicy } from '../config/load-config.ts';
import { agentActor, holderActor, NOW, sampleAccount, sampleCustomer, sampleLine, sampleRequestFacts } from './decision-fixtures.ts';
import type { Refused } from './effects.ts';
import { assess, decideConfirm, decideReassess, decideReject, decideWithdraw, notMeReported, type OrderChange, type WithdrawChange } from './order-decisions.ts';
import { decideRequest, type RequestFacts } from './request-decision.ts';
import { NOT_ME_REASON, type Termination } from './termination.ts';
import { addHours, addMinutes } from './time.ts';

const policy = loadPolicy(undefined, { fallback: 'http://localhost:8080' });

function order(facts: Partial<RequestFacts> = {}, request: Partial<RequestFacts['request']> = {}): Termination {
  const d = decideRequest(sampleRequestFacts(facts, request), policy, NOW);
  assert.equal(d.kind, 'created');
  return (d as Extract<typeof d, { kind: 'created' }>).termination;
}

function changed<T extends OrderChange>(d: T | Refused): T {
  assert.equal(d.kind, 'changed', d.kind === 'refused' ? `refused ${d.error.code}` : '');
  return d as T;
}

function refusedCode(d: OrderChange | Refused): string {
  assert.equal(d.kind, 'refused');
  return (d as Refused).error.code;
}

const later = addMinutes(NOW, 5);
const confirmFacts = (t: Termination) => ({ order: t, actor: holderActor, line: sampleLine(), customer: sampleCustomer(), current: { blockers: [], quote: t.quote } });

test('a confirmed order is scheduled after the cooling-off, its line marked, the expiry replaced by the execution', () => {
  const t = order({}, { channel: 'app' });
  const d = changed(decideConfirm(confirmFacts(t), policy, later));
  assert.equal(d.termination.state, 'scheduled');
  assert.equal(d.termination.confirmedAt, later);
  assert.equal(d.termination.effectiveAt, addHours(later, policy.coolingOffHours.app), 'the cooling-off counts from the confirmation');
  assert.deepEqual(d.lineChanges, [{ line: sampleLine(), to: 'termination_scheduled', actor: holderActor, reason: t.reference }]);
  assert.deepEqual(d.cancelJobs, [`expire:${t.id}`]);
  assert.deepEqual(d.jobs, [{ kind: 'termination.execute', key: `execute:${t.id}`, subject: t.id, runAt: d.termination.effectiveAt }]);
  assert.deepEqual(d.messages.map((m) => m.template), ['termination.scheduled']);
  assert.deepEqual(d.events.map((e) => [e.from, e.to, e.reason]), [['awaiting_confirmation', 'scheduled', 'confirmed']]);
  const operator = order({}, { authority: 'operator', actor: agentActor, effective: { mode: 'date', date: '2026-04-01' } });
  const kept = changed(decideConfirm({ ...confirmFacts(operator), actor: agentActor }, policy, later));
  assert.equal(kept.termination.effectiveAt, operator.effectiveAt, 'a later chosen date stays');
  assert.deepEqual(changed(decideConfirm({ ...confirmFacts(t), customer: null }, policy, later)).messages, [], 'no customer, no message');
});

test('confirming is refused while something blocks, also something new since the request', () => {
  const blocked = order({ account: sampleAccount(-100) });
  assert.equal(refusedCode(decideConfirm(confirmFacts(blocked), policy, later)), 'BLOCKERS_PRESENT');
  const t = order();
  const debtNow = decideConfirm({ ...confirmFacts(t), current: { blockers: [{ code: 'UNPAID_BALANCE', amount: 100 }], quote: t.quote } }, policy, later);
  assert.equal(refusedCode(debtNow), 'BLOCKERS_PRESENT');
  assert.deepEqual((debtNow as Refused).error.details, { codes: ['UNPAID_BALANCE'] });
  assert.equal(changed(decideConfirm({ ...confirmFacts(t), current: null }, policy, later)).termination.state, 'scheduled', 'nothing found, nothing blocks');
});

test('confirming an order in any other state is an invalid transition; a missing line is LINE_NOT_FOUND', () => {
  const t = order();
  for (const state of ['scheduled', 'executing', 'completed', 'withdrawn', 'expired', 'rejected'] as const) {
    assert.equal(refusedCode(decideConfirm(confirmFacts({ ...t, state }), policy, later)), 'INVALID_TRANSITION', state);
  }
  assert.equal(refusedCode(decideConfirm({ ...confirmFacts(t), line: null }, policy, later)), 'LINE_NOT_FOUND');
});

const withdrawFacts = (t: Termination, notMe = false) => ({ order: t, actor: holderActor, reason: null, notMe, line: sampleLine({ state: t.state === 'scheduled' ? 'termination_scheduled' : 'active' }), customer: sampleCustomer() });

test('a waiting or blocked order is withdrawn with its line untouched and every job of it cancelled', () => {
  for (const t of [order(), order({ account: sampleAccount(-100) })]) {
    const d = changed<WithdrawChange>(decideWithdraw(withdrawFacts(t), later));
    assert.equal(d.termination.state, 'withdrawn');
    assert.deepEqual(d.lineChanges, []);
    assert.deepEqual(d.cancelJobs, [`execute:${t.id}`, `expire:${t.id}`, `expire-blocked:${t.id}`]);
    assert.deepEqual(d.events.map((e) => [e.from, e.to, e.reason]), [[t.state, 'withdrawn', 'withdrawn by the requester']]);
    assert.deepEqual(d.messages.map((m) => [m.template, m.payload.notMe]), [['termination.withdrawn', 'no']]);
    assert.equal(d.alert, null);
  }
});

test('a withdrawn scheduled order gives its line back the state it had', () => {
  for (const before of ['active', 'suspended'] as const) {
    const t = order({ line: sampleLine({ state: before }) }, { authority: 'operator', actor: agentActor, confirmNow: true, effective: { mode: 'date', date: '2026-04-01' } });
    assert.equal(t.state, 'scheduled');
    const d = changed<WithdrawChange>(decideWithdraw(withdrawFacts(t), later));
    assert.deepEqual(d.lineChanges.map((c) => [c.line.state, c.to]), [['termination_scheduled', before]]);
    assert.equal(refusedCode(decideWithdraw({ ...withdrawFacts(t), line: null }, later)), 'LINE_NOT_FOUND');
  }
});

test('"not me" withdraws, records the disowning and raises an alert for the back office', () => {
  const t = order();
  const d = changed<WithdrawChange>(decideWithdraw(withdrawFacts(t, true), later));
  assert.equal(d.termination.disownedAt, later);
  assert.deepEqual([d.events[0]?.reason, d.events[0]?.data], [NOT_ME_REASON, { notMe: true, stateBefore: 'awaiting_confirmation' }]);
  assert.deepEqual(d.alert, { kind: 'not_me', subjectRef: t.reference, customerId: 'cus-1', data: { msisdn: t.msisdn, channel: 'web', requestedBy: holderActor, stateBefore: 'awaiting_confirmation', requestedAt: NOW } });
  assert.equal(d.messages[0]?.payload.notMe, 'yes');
  assert.deepEqual(notMeReported(t, holderActor, later, 'alr-1').data, { alert: 'alr-1' });
});

test('withdrawing after the effective instant is COOLING_OFF_OVER; a finished order cannot be withdrawn', () => {
  const t = order({}, { authority: 'operator', actor: agentActor, confirmNow: true });
  assert.equal(refusedCode(decideWithdraw(withdrawFacts(t), addMinutes(t.effectiveAt, 1))), 'COOLING_OFF_OVER');
  for (const state of ['executing', 'needs_attention', 'completed'] as const) assert.equal(refusedCode(decideWithdraw(withdrawFacts({ ...t, state }), later)), 'COOLING_OFF_OVER', state);
  for (const state of ['requested', 'expired', 'withdrawn', 'rejected'] as const) assert.equal(refusedCode(decideWithdraw(withdrawFacts({ ...t, state }), later)), 'INVALID_TRANSITION', state);
});

test('a blocked order whose blockers are gone moves on, waits for its code and lapses in minutes, not days', () => {
  const t = order({ account: sampleAccount(-100) });
  const paid = assess(t, { line: sampleLine(), account: sampleAccount(0), customer: sampleCustomer(), esimState: null, otherLiveLines: 0 }, policy);
  assert.deepEqual(paid.blockers, []);
  const d = decideReassess(t, paid, holderActor, policy, later);
  assert.equal(d.termination.state, 'awaiting_confirmation');
  assert.equal(d.termination.confirmBy, addMinutes(later, policy.confirmation.expiryMinutes));
  assert.deepEqual(d.jobs.map((j) => [j.key, j.runAt]), [[`expire:${t.id}`, d.termination.confirmBy]]);
  assert.deepEqual(d.cancelJobs, [`expire-blocked:${t.id}`]);
  assert.equal(d.code?.purpose, 'confirm_termination');
  const still = decideReassess(t, assess(t, { line: sampleLine(), account: sampleAccount(-50), customer: sampleCustomer(), esimState: null, otherLiveLines: 0 }, policy), holderActor, policy, later);
  assert.deepEqual([still.termination.state, still.termination.blockers, still.events, still.jobs, still.code], ['blocked', [{ code: 'UNPAID_BALANCE', amount: 50 }], [], [], null]);
  const waiting = decideReassess(order(), paid, holderActor, policy, later);
  assert.deepEqual([waiting.termination.state, waiting.events.length, waiting.termination.updatedAt], ['awaiting_confirmation', 0, later], 'a waiting order only has its amounts refreshed');
});

test('a rejected order loses its expiry jobs and the holder is told; a scheduled one cannot be rejected', () => {
  const t = order();
  const d = changed(decideReject({ order: t, actor: agentActor, reason: 'fraud check', line: sampleLine(), customer: sampleCustomer() }, later));
  assert.equal(d.termination.state, 'rejected');
  assert.deepEqual(d.cancelJobs, [`expire:${t.id}`, `expire-blocked:${t.id}`]);
  assert.deepEqual(d.messages.map((m) => m.template), ['termination.rejected']);
  assert.deepEqual(d.events.map((e) => [e.from, e.to, e.reason]), [['awaiting_confirmation', 'rejected', 'fraud check']]);
  assert.equal(refusedCode(decideReject({ order: { ...t, state: 'scheduled' }, actor: agentActor, reason: 'late', line: sampleLine(), customer: sampleCustomer() }, later)), 'INVALID_TRANSITION');
});
