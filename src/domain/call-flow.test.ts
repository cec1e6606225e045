import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advance, type CallEvent, type CallFlow, CALL_STATES, CALL_TRANSITIONS, type LineRef, type SpokenPreview, startCall, type Step } from './call-flow.ts';

const line: LineRef = { lineId: 'ln_1', customerId: 'cus_1', msisdn: '+79990000001', language: 'en' };
const facts = { effectiveAt: '2026-11-22T10:00:00.000Z', finalInvoice: 12_000, earlyTerminationFee: 0, instalments: 0, refund: 3_000, creditKept: 0, owedAfter: 0, quarantineEndsAt: '2027-05-21T10:00:00.000Z' };
const clean: SpokenPreview = { currency: 'RUB', owed: 0, blockers: [], dataLeftMb: 2048, reclaimAllowed: true, now: facts, endOfPeriod: { ...facts, effectiveAt: '2026-11-30T21:00:00.000Z' } };
const indebted: SpokenPreview = { ...clean, owed: 45_000, blockers: ['UNPAID_BALANCE'] };

/** Plays events in order from a step, checking each keeps to the transition table. */
function play(first: Step, events: CallEvent[]): Step {
  let step = first;
  for (const event of events) {
    const before = step.call.state;
    step = advance(step.call, event);
    assert.ok(before === step.call.state || CALL_TRANSITIONS[before].includes(step.call.state), `${before} → ${step.call.state}`);
  }
  return step;
}
const keys = (...digits: string[]): CallEvent[] => digits.map((d) => ({ kind: 'digits', digits: d }));
const said = (step: Step) => step.say.map((p) => p.key);

describe('the call flow', () => {
  test('every state is in the transition table and the end leads nowhere', () => {
    assert.deepEqual(Object.keys(CALL_TRANSITIONS).sort(), [...CALL_STATES].sort());
    assert.deepEqual(CALL_TRANSITIONS.ended, []);
  });

  test('a caller on one of our lines: language, document digits, SMS code, preview, when, confirm, reference', () => {
    const start = startCall({ callerLine: line, codeLength: 6 });
    assert.equal(start.call.state, 'language');
    assert.deepEqual(start.say.filter((p) => p.key === 'language_option').map((p) => p.params?.language), ['en', 'ru', 'zh'], "the number's language first");
    assert.deepEqual(start.next, { kind: 'gather', numDigits: 1 });

    let step = play(start, keys('2'));
    assert.equal(step.call.state, 'secret', 'caller ID picks the line, never authenticates it');
    assert.equal(step.call.language, 'en');
    assert.ok(step.call.verified.caller);
    step = play(step, keys('1234'));
    assert.deepEqual(step.effects, [{ kind: 'check_secret', lineId: 'ln_1', digits: '1234' }]);
    assert.equal(step.next.kind, 'await');
    step = play(step, [{ kind: 'secret_checked', ok: true }]);
    assert.equal(step.call.state, 'sms_code');
    assert.deepEqual(step.effects, [{ kind: 'send_code', lineId: 'ln_1' }]);
    step = play(step, [{ kind: 'code_sent' }]);
    assert.deepEqual(said(step), ['code_sent', 'ask_code']);
    assert.deepEqual(step.next, { kind: 'gather', numDigits: 6 });
    step = play(step, keys('123456'));
    assert.deepEqual(step.effects, [{ kind: 'check_code', lineId: 'ln_1', code: '123456' }]);
    step = play(step, [{ kind: 'code_checked', ok: true }]);
    assert.deepEqual(step.effects, [{ kind: 'load_preview', lineId: 'ln_1' }]);
    step = play(step, [{ kind: 'preview_loaded', preview: clean }]);
    assert.equal(step.call.state, 'when');
    assert.deepEqual(said(step), ['preview_intro', 'preview_invoice', 'preview_refund', 'preview_data', 'preview_effective', 'preview_reclaim', 'when_menu']);
    step = play(step, keys('2'));
    assert.equal(step.call.state, 'confirm');
    assert.equal(step.call.effective, 'end_of_period');
    step = play(step, keys('1'));
    assert.deepEqual(step.effects, [{ kind: 'request_termination', lineId: 'ln_1', effective: 'end_of_period', chargesAccepted: true, confirmed: true }]);
    step = play(step, [{ kind: 'requested', reference: 'TRM-AAAA-BBBB', state: 'scheduled', effectiveAt: facts.effectiveAt }]);
    assert.equal(step.call.state, 'ended');
    assert.deepEqual(said(step), ['request_done', 'reference_sms_sent', 'goodbye']);
    assert.deepEqual(step.effects, [{ kind: 'close', outcome: 'completed_in_menu' }]);
    assert.equal(step.next.kind, 'hangup');
    assert.deepEqual(step.call.verified, { caller: true, secret: 'document', smsCode: true });
  });

  test('a number that is not ours types the line number; an unknown one is a wrong input', () => {
    let step = play(startCall({ callerLine: null, codeLength: 6 }), keys('3'));
    assert.equal(step.call.state, 'identify');
    assert.deepEqual(step.next, { kind: 'gather', numDigits: 15, finishOnKey: '#' });
    step = play(step, keys('79990000009'));
    assert.deepEqual(step.effects, [{ kind: 'find_line', digits: '79990000009' }]);
    step = play(step, [{ kind: 'line_found', line: null }]);
    assert.deepEqual(said(step), ['number_not_found', 'ask_number']);
    assert.equal(step.call.wrong, 1);
    step = play(step, [...keys('79990000001'), { kind: 'line_found', line }]);
    assert.equal(step.call.state, 'secret');
    assert.equal(step.call.verified.caller, false);
  });

  test('two wrong inputs repeat the prompt, the third (silence counts) hands over in the caller’s language', () => {
    let step = play(startCall({ callerLine: line, codeLength: 6 }), keys('1', '7'));
    assert.deepEqual(said(step), ['sorry', 'ask_document_digits']);
    step = play(step, keys(''));
    assert.deepEqual(said(step), ['sorry', 'ask_document_digits']);
    step = play(step, keys(''));
    assert.equal(step.call.state, 'agent');
    assert.deepEqual(step.effects, [{ kind: 'enqueue_agent', queue: 'call', reason: 'wrong inputs' }, { kind: 'close', outcome: 'handed_to_agent' }]);
    assert.equal(step.next.kind, 'agent');
    assert.equal(step.call.language, 'ru');
  });

  test('three wrong document digits hand over too', () => {
    const wrongSecret: CallEvent[] = [...keys('1111'), { kind: 'secret_checked', ok: false }];
    const step = play(startCall({ callerLine: line, codeLength: 6 }), [...keys('2'), ...wrongSecret, ...wrongSecret, ...wrongSecret]);
    assert.equal(step.call.state, 'agent');
    assert.deepEqual(said(step), ['secret_wrong', 'handover']);
  });

  test('0 reaches an agent from any prompt; * repeats without counting; 9 slows the rest of the call', () => {
    const start = startCall({ callerLine: null, codeLength: 6 });
    assert.equal(play(start, keys('0')).call.state, 'agent');
    let step = play(start, keys('2', '*', '*', '*'));
    assert.equal(step.call.wrong, 0);
    assert.deepEqual(said(step), ['ask_number']);
    step = play(step, keys('9'));
    assert.ok(step.call.slow);
    assert.deepEqual(said(step), ['slow_on', 'ask_number']);
    step = play(step, keys('0'));
    assert.equal(step.call.state, 'agent');
    assert.ok(step.call.slow, 'still slow');
    assert.equal(play(step, keys('1')).call.state, 'agent', 'keys change nothing once handed over');
  });

  test('a debt offers a payment link by SMS, a call back, or keeping the request blocked', () => {
    const atDebt = play(startCall({ callerLine: line, codeLength: 4 }), [...keys('1', '1234'), { kind: 'secret_checked', ok: true }, { kind: 'code_sent' }, ...keys('1234'), { kind: 'code_checked', ok: true }, { kind: 'preview_loaded', preview: indebted }]);
    assert.equal(atDebt.call.state, 'debt');
    assert.ok(said(atDebt).includes('preview_debt'));
    assert.equal(said(atDebt).at(-1), 'debt_menu');

    const link = play(atDebt, keys('1'));
    assert.deepEqual(link.effects, [{ kind: 'request_termination', lineId: 'ln_1', effective: 'now', chargesAccepted: false, confirmed: false }]);
    const linked = play(link, [{ kind: 'requested', reference: 'TRM-X', state: 'blocked', effectiveAt: facts.effectiveAt }]);
    assert.deepEqual(linked.effects, [{ kind: 'send_payment_link', lineId: 'ln_1', reference: 'TRM-X' }, { kind: 'close', outcome: 'payment_link_sent' }]);

    const back = play(atDebt, keys('2'));
    assert.equal(back.call.state, 'ended');
    assert.equal(back.effects[0]?.kind, 'enqueue_agent');
    assert.equal(back.call.outcome, 'callback_requested');

    const kept = play(atDebt, [...keys('3'), { kind: 'requested', reference: 'TRM-Y', state: 'blocked', effectiveAt: facts.effectiveAt }]);
    assert.equal(kept.call.outcome, 'blocked_request');
    assert.deepEqual(said(kept), ['request_blocked', 'goodbye']);
  });

  test('a blocker the menu cannot clear (port-out, legal hold) or a refused effect hands over, saying why', () => {
    const atPreview = play(startCall({ callerLine: line, codeLength: 4 }), [...keys('1', '1234'), { kind: 'secret_checked', ok: true }, { kind: 'code_sent' }, ...keys('1234'), { kind: 'code_checked', ok: true }]);
    const held = play(atPreview, [{ kind: 'preview_loaded', preview: { ...clean, blockers: ['PORT_OUT_IN_PROGRESS'] } }]);
    assert.equal(held.call.state, 'agent');
    assert.deepEqual(held.say[0], { key: 'cannot_continue', params: { code: 'PORT_OUT_IN_PROGRESS' } });
    const refused = play(atPreview, [{ kind: 'effect_failed', code: 'OTP_LOCKED' }]);
    assert.equal(refused.call.state, 'agent');
  });

  test('a result nobody waits for changes nothing (a webhook repeated late)', () => {
    const step = play(startCall({ callerLine: line, codeLength: 4 }), keys('1'));
    const again: CallFlow = play(step, [{ kind: 'secret_checked', ok: true }]).call;
    assert.equal(again.state, 'secret');
    assert.equal(again.verified.secret, null);
  });
});
