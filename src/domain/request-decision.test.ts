import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPolicy } from '../config/load-config.ts';
import { CHANNELS } from './channels.ts';
import { agentActor, NOW, sampleAccount, sampleCustomer, sampleLine, sampleRequestFacts } from './decision-fixtures.ts';
import type { Refused } from './effects.ts';
import { decideRequest, type RequestCreated, type RequestDecision } from './request-decision.ts';
import { PUBLIC_CANCELLATION_REASON, SIM_LOST_REASON } from './termination.ts';
import { addDays, addHours, addMinutes } from './time.ts';

const policy = loadPolicy(undefined, { fallback: 'http://localhost:8080' });

function created(d: RequestDecision): RequestCreated {
  assert.equal(d.kind, 'created', d.kind === 'refused' ? `refused ${d.error.code}` : '');
  return d as RequestCreated;
}

function refused(d: RequestDecision): Refused['error'] {
  assert.equal(d.kind, 'refused');
  return (d as Refused).error;
}

test('a request with nothing in the way awaits its code: an expiry job at confirmBy, the code, a receipt by SMS', () => {
  const d = created(decideRequest(sampleRequestFacts(), policy, NOW));
  const t = d.termination;
  assert.equal(t.state, 'awaiting_confirmation');
  assert.equal(t.confirmBy, addMinutes(NOW, policy.confirmation.expiryMinutes));
  assert.equal(t.effectiveAt, addHours(NOW, policy.coolingOffHours.web), 'a web request waits out the cooling-off');
  assert.equal(t.lineStateBefore, 'active');
  assert.deepEqual(d.events.map((e) => [e.from, e.to]), [[null, 'requested'], ['requested', 'awaiting_confirmation']]);
  assert.deepEqual(d.jobs, [{ kind: 'termination.expire', key: 'expire:trm-1', subject: 'trm-1', runAt: t.confirmBy }]);
  assert.deepEqual(d.code, { customerId: 'cus-1', purpose: 'confirm_termination', subject: 'TRM-0000-0001', msisdn: '79001234567' });
  assert.deepEqual(d.messages.map((m) => [m.medium, m.address, m.template, m.key]), [['sms', '79001234567', 'termination.requested', 'trm-1:termination.requested:sms']]);
  assert.equal(d.messages[0]?.payload.confirmBy, t.confirmBy);
  assert.equal(d.lineChange, null, 'the line changes only once the order is scheduled');
  assert.equal(d.identityVerified, null);
});

test('a request with an unpaid balance is created blocked, lapses after the policy days and sends no code', () => {
  const d = created(decideRequest(sampleRequestFacts({ account: sampleAccount(-4_500) }), policy, NOW));
  assert.equal(d.termination.state, 'blocked');
  assert.deepEqual(d.termination.blockers, [{ code: 'UNPAID_BALANCE', amount: 4_500 }]);
  assert.equal(d.termination.confirmBy, addDays(NOW, policy.confirmation.blockedExpiryDays ?? 30));
  assert.deepEqual(d.jobs.map((j) => j.key), ['expire-blocked:trm-1']);
  assert.deepEqual(d.events.at(-1)?.data, { blockers: ['UNPAID_BALANCE'] });
  assert.equal(d.code, null);
});

test('confirmNow schedules the order at once: an execution job at effectiveAt and the line marked', () => {
  const d = created(decideRequest(sampleRequestFacts({}, { channel: 'store', authority: 'subscriber', actor: agentActor, confirmNow: true }), policy, NOW));
  const t = d.termination;
  assert.equal(t.state, 'scheduled');
  assert.equal(t.confirmedAt, NOW);
  assert.equal(t.confirmBy, null);
  assert.equal(t.effectiveAt, NOW, 'no cooling-off at the counter');
  assert.deepEqual(d.jobs, [{ kind: 'termination.execute', key: 'execute:trm-1', subject: 'trm-1', runAt: NOW }]);
  assert.deepEqual(d.lineChange, { line: sampleLine(), to: 'termination_scheduled', actor: agentActor, reason: 'TRM-0000-0001' });
  assert.equal(d.code, null);
  assert.equal(d.messages[0]?.payload.withdrawUntil, NOW);
});

test("an agent's document check is recorded on an unverified customer and clears IDENTITY_NOT_VERIFIED", () => {
  const unverified = sampleCustomer({ identityVerifiedAt: null });
  const without = created(decideRequest(sampleRequestFacts({ customer: unverified }, { channel: 'store' }), policy, NOW));
  assert.deepEqual(without.termination.blockers.map((b) => b.code), ['IDENTITY_NOT_VERIFIED']);
  const checked = created(decideRequest(sampleRequestFacts({ customer: unverified }, { channel: 'store', identityChecked: true }), policy, NOW));
  assert.equal(checked.termination.state, 'awaiting_confirmation');
  assert.deepEqual(
    [checked.identityVerified?.entityType, checked.identityVerified?.entityId, checked.identityVerified?.action, checked.identityVerified?.at],
    ['customer', 'cus-1', 'identity_verified', NOW],
  );
  const already = created(decideRequest(sampleRequestFacts({}, { channel: 'store', identityChecked: true }), policy, NOW));
  assert.equal(already.identityVerified, null, 'a verified customer is not verified again');
});

test('the receipt goes to every contact and to an address given with the request', () => {
  const d = created(decideRequest(sampleRequestFacts({ customer: sampleCustomer({ email: 'anna@example.org' }) }, { extraEmail: 'other@example.org' }), policy, NOW));
  assert.deepEqual(d.messages.map((m) => [m.medium, m.address, m.key]), [
    ['sms', '79001234567', 'trm-1:termination.requested:sms'],
    ['email', 'anna@example.org', 'trm-1:termination.requested:email'],
    ['email', 'other@example.org', 'trm-1:termination.requested:email:given'],
  ]);
  const same = created(decideRequest(sampleRequestFacts({ customer: sampleCustomer({ email: 'anna@example.org' }) }, { extraEmail: 'anna@example.org' }), policy, NOW));
  assert.equal(same.messages.length, 2, 'the same address is written to once');
});

test('a cancellation without signing in gets its own code, one whose SIM is lost none, and a shop may give days to confirm', () => {
  const publicOne = created(decideRequest(sampleRequestFacts({}, { reason: PUBLIC_CANCELLATION_REASON }), policy, NOW));
  assert.equal(publicOne.code?.purpose, 'cancel_without_signin');
  const lost = created(decideRequest(sampleRequestFacts({}, { reason: SIM_LOST_REASON, confirmWithinMinutes: 3 * 1440 }), policy, NOW));
  assert.equal(lost.code, null);
  assert.equal(lost.termination.confirmBy, addMinutes(NOW, 3 * 1440));
  assert.equal(lost.jobs[0]?.runAt, addMinutes(NOW, 3 * 1440));
});

test('an operator order ignores the debt and keeps the suspended state the line had', () => {
  const d = created(decideRequest(sampleRequestFacts({ account: sampleAccount(-9_000), line: sampleLine({ state: 'suspended' }) }, { authority: 'operator', actor: agentActor }), policy, NOW));
  assert.equal(d.termination.state, 'awaiting_confirmation');
  assert.equal(d.termination.lineStateBefore, 'suspended');
  assert.equal(d.termination.effectiveAt, NOW, 'no cooling-off for an operator');
});

test('refusals carry the catalogue code: an open order, a terminated line, a missing account or customer, a past date', () => {
  assert.deepEqual([refused(decideRequest(sampleRequestFacts({ openReference: 'TRM-AAAA-BBBB' }), policy, NOW)).code, refused(decideRequest(sampleRequestFacts({ openReference: 'TRM-AAAA-BBBB' }), policy, NOW)).details], [
    'TERMINATION_ALREADY_OPEN',
    { reference: 'TRM-AAAA-BBBB' },
  ]);
  assert.equal(refused(decideRequest(sampleRequestFacts({ line: sampleLine({ state: 'terminated' }) }), policy, NOW)).code, 'LINE_ALREADY_TERMINATED');
  assert.equal(refused(decideRequest(sampleRequestFacts({ account: null }), policy, NOW)).code, 'ACCOUNT_NOT_FOUND');
  assert.equal(refused(decideRequest(sampleRequestFacts({ customer: null }), policy, NOW)).code, 'ACCOUNT_NOT_FOUND');
  const past = refused(decideRequest(sampleRequestFacts({}, { effective: { mode: 'date', date: '2026-01-01' } }), policy, NOW));
  assert.deepEqual([past.code, past.details.reason], ['INVALID_EFFECTIVE_DATE', 'in the past']);
});

test('every channel is a value: the same decision, with the cooling-off its policy gives; the same facts decide the same way', () => {
  for (const channel of CHANNELS) {
    const d = created(decideRequest(sampleRequestFacts({}, { channel }), policy, NOW));
    assert.equal(d.termination.channel, channel);
    assert.equal(d.termination.effectiveAt, addHours(NOW, policy.coolingOffHours[channel]), channel);
    assert.deepEqual(decideRequest(sampleRequestFacts({}, { channel }), policy, NOW), d, 'no clock, no randomness');
  }
});
