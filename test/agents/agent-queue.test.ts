// The agent queue and the call-centre console as use cases, on both stores: places and waits, hang-ups, an atomic
// take, what a held call shows, the checklist before a cancellation, the finish and the back office's figures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callCentreFigures, enqueueForAgent, markCallEnded, queuePosition } from '../../src/app/agent-queue.ts';
import { callQueue, cancelLineForCaller, finishCall, heldCall, takeCall } from '../../src/app/call-console.ts';
import type { Principal } from '../../src/app/principal.ts';
import { lineFor } from '../../src/app/self-service.ts';
import { DEFAULT_SECONDS_PER_PLACE } from '../../src/domain/agent-queue.ts';
import { AppError, type ErrorCode } from '../../src/domain/errors.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';

type Staff = Extract<Principal, { kind: 'staff' }>;
const agent: Staff = { kind: 'staff', id: 'stf_callcentre', name: 'Call Agent', role: 'call_agent', shopId: null };
const second: Staff = { kind: 'staff', id: 'stf_call2', name: 'Call Agent 2', role: 'call_agent', shopId: null };
const backOffice: Staff = { kind: 'staff', id: 'stf_backoffice', name: 'Back Office', role: 'back_office', shopId: null };
const admin: Staff = { kind: 'staff', id: 'stf_admin', name: 'Administrator', role: 'admin', shopId: null };
const ALL_TICKED = { identityConfirmed: true, callerConsents: true, toldMoney: true, toldData: true, toldReclaimPeriod: true };
const strong = { caller: true, secret: 'pin' as const, smsCode: true };

let calls = 0;
const call = (over: Partial<Parameters<typeof enqueueForAgent>[1]> = {}): Parameters<typeof enqueueForAgent>[1] => ({
  kind: 'call',
  callSid: `CA${String(++calls).padStart(32, '0')}`,
  language: 'ru',
  callerNumber: '+79990000001',
  customerId: 'cus_00000001',
  lineId: 'ln_00000001',
  verified: strong,
  reason: 'pressed_0',
  ...over,
});

async function refused(work: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await work;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

for (const kind of storeKinds()) {
  describe(`agent queue on ${kind.name}`, () => {
    let app: TestApp;
    const orders = async () => Number((await app.store.db.selectFrom('terminations').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 12, seed: 11 });
    });
    after(() => app.close());

    test('a caller gets a place in the queue of their language and a wait from the default until calls are answered', async () => {
      const first = await enqueueForAgent(app, call());
      app.clock.advanceHours(0.01);
      const next = await enqueueForAgent(app, call({ kind: 'callback', callSid: null }));
      const english = await enqueueForAgent(app, call({ language: 'en', customerId: 'cus_00000002', lineId: 'ln_00000002' }));
      assert.deepEqual([first.position, next.position, english.position], [1, 2, 1]);
      assert.deepEqual([first.expectedWaitSeconds, next.expectedWaitSeconds], [DEFAULT_SECONDS_PER_PLACE, 2 * DEFAULT_SECONDS_PER_PLACE]);
      assert.deepEqual(await queuePosition(app, next.id), { position: 2, expectedWaitSeconds: 2 * DEFAULT_SECONDS_PER_PLACE });
      const list = await callQueue(app, agent);
      assert.deepEqual(list.waiting.map((w) => [w.id, w.language, w.position]), [[first.id, 'ru', 1], [next.id, 'ru', 2], [english.id, 'en', 1]]);
      assert.equal(list.waiting[0]?.waitingSeconds, 36);
      assert.ok(!JSON.stringify(list).includes('+7999'), 'the queue shows nobody\'s number');
      const onlyEnglish = await callQueue(app, agent, { language: 'en' });
      assert.deepEqual(onlyEnglish.waiting.map((w) => w.id), [english.id]);
      // Leave the queue empty for the next tests.
      for (const id of [first.id, next.id, english.id]) {
        await takeCall(app, agent, id);
        await finishCall(app, agent, id, 'resolved');
      }
    });

    test('the same call queued twice is one entry; pressing for a callback keeps the place; hanging up leaves only a waiting call', async () => {
      const a = call();
      const first = await enqueueForAgent(app, a);
      const b = await enqueueForAgent(app, call());
      assert.equal((await enqueueForAgent(app, a)).id, first.id, 'a repeated webhook answers with the same entry');
      const back = await enqueueForAgent(app, { ...a, kind: 'callback', reason: 'callback_requested' });
      assert.deepEqual([back.id, back.position], [first.id, 1], 'the callback keeps the caller\'s place');
      await markCallEnded(app, a.callSid as string, app.clock());
      assert.equal((await queuePosition(app, first.id))?.position, 1, 'a callback stays after the caller hangs up');
      await markCallEnded(app, call().callSid as string, app.clock()); // a call nobody queued: nothing happens
      const bSid = (await app.store.db.selectFrom('agent_queue').select('call_sid').where('id', '=', b.id).executeTakeFirstOrThrow()).call_sid as string;
      app.clock.advanceHours(0.05);
      await markCallEnded(app, bSid, app.clock());
      assert.equal(await queuePosition(app, b.id), null, 'a waiting caller who hung up left the queue');
      const row = await app.store.db.selectFrom('agent_queue').select(['state', 'wait_seconds']).where('id', '=', b.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.state, Number(row.wait_seconds)], ['abandoned', 180]);
      await refused(takeCall(app, agent, b.id), 'CALL_NOT_WAITING');
      await takeCall(app, agent, first.id);
      await finishCall(app, agent, first.id, 'not_reached');
    });

    test('two agents taking the same call at once: exactly one holds it, and only the holder sees it', async () => {
      const hash = (await app.store.db.selectFrom('staff').select('password_hash').where('login', '=', 'callcentre').executeTakeFirstOrThrow()).password_hash;
      await app.store.db.insertInto('staff').values({ id: second.id, login: 'call2', name: second.name, role: 'call_agent', shop_id: null, password_hash: hash, created_at: app.clock() }).execute();
      const entry = await enqueueForAgent(app, call());
      const results = await Promise.allSettled([takeCall(app, agent, entry.id), takeCall(app, second, entry.id)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((lost.reason as AppError).code, 'CALL_NOT_WAITING');
      const holder = results[0]?.status === 'fulfilled' ? agent : second;
      const other = holder === agent ? second : agent;
      assert.equal(await queuePosition(app, entry.id), null, 'null once an agent took it');
      await refused(heldCall(app, other, entry.id, { effective: { mode: 'now' } }), 'CALL_NOT_HELD');
      await refused(heldCall(app, other, 'agq_none', { effective: { mode: 'now' } }), 'CALL_NOT_HELD');
      await refused(cancelLineForCaller(app, other, entry.id, { lineId: 'ln_00000001', effective: { mode: 'now' }, checklist: ALL_TICKED }), 'CALL_NOT_HELD');
      await refused(finishCall(app, other, entry.id, 'resolved'), 'CALL_NOT_HELD');
      await refused(lineFor(app, other, 'ln_00000001'), 'NO_OPEN_CASE');
      for (const who of [backOffice, admin]) {
        await refused(callQueue(app, who), 'CALL_AGENT_ONLY');
        await refused(heldCall(app, who, entry.id, { effective: { mode: 'now' } }), 'CALL_AGENT_ONLY');
      }
      await refused(takeCall(app, agent, 'agq_none'), 'CALL_NOT_FOUND');
      assert.deepEqual((await callQueue(app, holder)).held.map((h) => h.id), [entry.id]);
      await finishCall(app, holder, entry.id, 'resolved');
    });

    test('a held call shows the customer, what the menu verified and the preview, never a password or document', async () => {
      const entry = await enqueueForAgent(app, call());
      await takeCall(app, agent, entry.id);
      const held = await heldCall(app, agent, entry.id, { effective: { mode: 'end_of_period' } });
      assert.equal(held.customer?.id, 'cus_00000001');
      assert.equal(held.customer?.documentLast4, null);
      assert.deepEqual(held.verified, strong);
      assert.equal(held.confirmsAtOnce, true);
      assert.equal(held.lineId, 'ln_00000001');
      assert.equal(held.preview?.effectiveMode, 'end_of_period');
      assert.ok(held.preview?.warnings.some((w) => w.code === 'DATA_WILL_BE_LOST'), 'the preview says what ending means');
      assert.doesNotMatch(JSON.stringify(held), /password|doc_hash|docHash/i);
      await refused(heldCall(app, agent, entry.id, { lineId: 'ln_00000002', effective: { mode: 'now' } }), 'LINE_NOT_FOUND');
      const reads = await app.store.db.selectFrom('audit_log').select(['action', 'actor_id', 'channel']).where('entity_id', '=', 'cus_00000001').where('action', 'in', ['case_opened', 'staff_read']).execute();
      assert.ok(reads.some((r) => r.action === 'case_opened' && r.actor_id === agent.id && r.channel === 'phone_agent'));
      const opened = await app.store.db.selectFrom('staff_cases').select('identified_by').where('staff_id', '=', agent.id).where('customer_id', '=', 'cus_00000001').execute();
      assert.ok(opened.length > 0 && opened.every((c) => c.identified_by === 'voice_menu'), 'the case says the voice menu found the caller, as the audit does');
      assert.ok(reads.some((r) => r.action === 'staff_read' && r.actor_id === agent.id), 'the read is audited');
      await finishCall(app, agent, entry.id, 'resolved');
    });

    test('a cancellation needs every checklist item; it is recorded as phone_agent with the agent, and confirmed at once only after the menu checked secret and SMS code', async () => {
      const entry = await enqueueForAgent(app, call());
      await takeCall(app, agent, entry.id);
      const before = await orders();
      const error = await refused(cancelLineForCaller(app, agent, entry.id, { lineId: 'ln_00000001', effective: { mode: 'now' }, checklist: { ...ALL_TICKED, toldData: false, toldReclaimPeriod: false } }), 'CHECKLIST_INCOMPLETE');
      assert.deepEqual(error.details.missing, ['toldData', 'toldReclaimPeriod']);
      assert.equal(await orders(), before, 'no order without the whole checklist');
      await refused(cancelLineForCaller(app, agent, entry.id, { lineId: 'ln_00000002', effective: { mode: 'now' }, checklist: ALL_TICKED }), 'NO_OPEN_CASE');
      await refused(finishCall(app, agent, entry.id, 'line_cancelled'), 'CALL_NOTHING_CANCELLED');
      const done = await cancelLineForCaller(app, agent, entry.id, { lineId: 'ln_00000001', effective: { mode: 'end_of_period' }, checklist: ALL_TICKED });
      assert.deepEqual([done.termination.state, done.termination.channel, done.confirmed], ['scheduled', 'phone_agent', true]);
      const trail = await app.store.db.selectFrom('audit_log').select(['actor_kind', 'actor_id', 'channel', 'action']).where('entity_type', '=', 'termination').where('entity_id', 'in', [done.termination.id, done.termination.reference]).execute();
      assert.ok(trail.length > 0 && trail.every((e) => e.actor_kind !== 'staff' || (e.actor_id === agent.id && e.channel === 'phone_agent')), JSON.stringify(trail));
      assert.ok(trail.some((e) => e.actor_id === agent.id));
      const checklist = await app.store.db.selectFrom('audit_log').select('data').where('action', '=', 'phone_checklist').where('actor_id', '=', agent.id).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(checklist.data ?? '{}').checklist, ALL_TICKED);
      assert.equal((await heldCall(app, agent, entry.id, { effective: { mode: 'now' } })).termination?.reference, done.termination.reference);
      app.clock.advanceHours(0.1);
      const finished = await finishCall(app, agent, entry.id, 'line_cancelled');
      assert.deepEqual([finished.outcome, finished.handleSeconds], ['line_cancelled', 360]);
      await refused(lineFor(app, agent, 'ln_00000001'), 'NO_OPEN_CASE');
      await refused(heldCall(app, agent, entry.id, { effective: { mode: 'now' } }), 'CALL_NOT_HELD');
    });

    test('without the SMS code checked in the menu, the order waits for the code the caller confirms themselves', async () => {
      const entry = await enqueueForAgent(app, call({ language: 'en', callerNumber: '+79990000002', customerId: 'cus_00000002', lineId: 'ln_00000002', verified: { caller: true, secret: null, smsCode: false } }));
      await takeCall(app, agent, entry.id);
      assert.equal((await heldCall(app, agent, entry.id, { effective: { mode: 'now' } })).confirmsAtOnce, false);
      const done = await cancelLineForCaller(app, agent, entry.id, { lineId: 'ln_00000002', effective: { mode: 'now' }, checklist: ALL_TICKED });
      assert.deepEqual([done.termination.state, done.confirmed], ['awaiting_confirmation', false]);
      assert.ok(done.codeSentUntil, 'a code went by SMS to the line');
      await finishCall(app, agent, entry.id, 'line_cancelled');
    });

    test('a held caller who hangs up is noted on the call, which the agent still finishes', async () => {
      const c = call();
      const entry = await enqueueForAgent(app, c);
      await takeCall(app, agent, entry.id);
      app.clock.advanceHours(0.01);
      await markCallEnded(app, c.callSid as string, app.clock());
      const held = await heldCall(app, agent, entry.id, { effective: { mode: 'now' } });
      assert.equal(held.callEndedAt, app.clock());
      assert.equal((await callQueue(app, agent)).held.find((h) => h.id === entry.id)?.callEnded, true);
      await finishCall(app, agent, entry.id, 'caller_left');
    });

    test('a caller the menu did not identify: the agent sees no customer and changes no line', async () => {
      const entry = await enqueueForAgent(app, call({ callerNumber: '+14155550100', customerId: null, lineId: null, verified: { caller: false, secret: null, smsCode: false } }));
      await takeCall(app, agent, entry.id);
      const held = await heldCall(app, agent, entry.id, { effective: { mode: 'now' } });
      assert.deepEqual([held.customer, held.preview, held.lineId], [null, null, null]);
      await refused(cancelLineForCaller(app, agent, entry.id, { lineId: 'ln_00000001', effective: { mode: 'now' }, checklist: ALL_TICKED }), 'CALL_CALLER_UNKNOWN');
      await finishCall(app, agent, entry.id, 'caller_left');
    });

    test('waits of answered calls set the next estimate; the back office sees calls by outcome, time to answer and handle time', async () => {
      const entry = await enqueueForAgent(app, call({ language: 'zh', customerId: 'cus_00000005', lineId: 'ln_00000005' }));
      app.clock.advanceHours(0.1); // 360 s at place 1
      await takeCall(app, agent, entry.id);
      const next = await enqueueForAgent(app, call({ language: 'zh', customerId: 'cus_00000005', lineId: 'ln_00000005' }));
      const zhWaits = await app.store.db.selectFrom('agent_queue').select(['wait_seconds', 'position_at_entry']).where('language', '=', 'zh').where('wait_seconds', 'is not', null).execute();
      const perPlace = zhWaits.reduce((s, r) => s + Number(r.wait_seconds), 0) / zhWaits.reduce((s, r) => s + Number(r.position_at_entry), 0);
      assert.equal(next.expectedWaitSeconds, Math.round(perPlace));
      assert.equal(perPlace, 360);
      await finishCall(app, agent, entry.id, 'resolved');
      await refused(callCentreFigures(app, agent, { from: '2026-01-01T00:00:00.000Z', to: app.clock() }), 'FORBIDDEN');
      const figures = await callCentreFigures(app, backOffice, { from: '2026-01-01T00:00:00.000Z', to: new Date(Date.parse(app.clock()) + 1000).toISOString() }, 40);
      const entries = await app.store.db.selectFrom('agent_queue').select(['state', 'outcome', 'call_sid']).execute();
      assert.equal(figures.entries, entries.length);
      assert.equal(figures.byOutcome.abandoned, 1);
      assert.equal(figures.byOutcome.line_cancelled, 2);
      assert.equal(figures.byOutcome.waiting, 1);
      assert.equal(figures.answer.find((a) => a.language === 'zh')?.longestSeconds, 360);
      assert.ok((figures.handle.finished ?? 0) >= 8 && figures.handle.longestSeconds === 360);
      const fromCalls = entries.filter((e) => e.call_sid !== null).length;
      assert.deepEqual(figures.voiceMenu, { calls: 40, toAgent: fromCalls, finishedInMenu: 40 - fromCalls, share: (40 - fromCalls) / 40 });
      const unknown = await callCentreFigures(app, admin, { from: '2026-01-01T00:00:00.000Z', to: app.clock() });
      assert.equal(unknown.voiceMenu.share, null, 'without the menu\'s count of calls the share is unknown');
    });
  });
}
