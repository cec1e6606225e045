// The call-centre console over HTTP on both stores: a call agent takes a call from the queue, sees the customer,
// the menu's checks and the preview, cancels behind the checklist and finishes; others are refused with stable codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueForAgent } from '../../src/app/agent-queue.ts';
import { errorCatalogue } from '../../src/domain/errors.ts';
import { LANGUAGES } from '../../src/domain/languages.ts';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

const ALL_TICKED = { identityConfirmed: true, callerConsents: true, toldMoney: true, toldData: true, toldReclaimPeriod: true };
const NEW_CODES = ['CALL_AGENT_ONLY', 'CALL_NOT_FOUND', 'CALL_NOT_WAITING', 'CALL_NOT_HELD', 'CALL_CALLER_UNKNOWN', 'CHECKLIST_INCOMPLETE', 'CALL_NOTHING_CANCELLED'] as const;

test('every error of the console has a message in ru, en and zh', () => {
  for (const code of NEW_CODES) {
    const messages = LANGUAGES.map((l) => errorCatalogue[code].message[l]);
    assert.ok(messages.every((m) => m.length > 10), code);
    assert.equal(new Set(messages).size, 3, `${code}: one text per language`);
  }
});

for (const kind of storeKinds()) {
  describe(`call-centre console API on ${kind.name}`, () => {
    let h: ApiHarness;
    const tokens: Record<string, string> = {};
    const as = (who: string, language = 'en') => ({ authorization: `Bearer ${tokens[who]}`, 'accept-language': language });
    const enqueue = (over: Partial<Parameters<typeof enqueueForAgent>[1]> = {}) =>
      enqueueForAgent(h.app, { kind: 'call', callSid: `CA-${Math.random()}`, language: 'ru', callerNumber: '+79990000001', customerId: 'cus_00000001', lineId: 'ln_00000001', verified: { caller: true, secret: 'document', smsCode: true }, reason: 'pressed_0', ...over });
    const orders = async () => Number((await h.app.store.db.selectFrom('terminations').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    before(async () => {
      h = await openApi(kind, 12);
      const hash = (await h.app.store.db.selectFrom('staff').select('password_hash').where('login', '=', 'callcentre').executeTakeFirstOrThrow()).password_hash;
      await h.app.store.db.insertInto('staff').values({ id: 'stf_call2', login: 'call2', name: 'Call Agent 2', role: 'call_agent', shop_id: null, password_hash: hash, created_at: h.app.clock() }).execute();
      for (const login of ['callcentre', 'call2', 'shop1', 'backoffice', 'admin', '+79990000001']) tokens[login] = await h.login(login);
    });
    after(() => h.close());

    test('a call agent takes a waiting call, sees the caller, cancels behind the checklist and finishes', async () => {
      const entry = await enqueue();
      h.app.clock.advanceHours(1 / 60);
      const queue = await h.server.inject({ method: 'GET', url: '/api/v1/staff/calls/queue', headers: as('callcentre') });
      assert.equal(queue.statusCode, 200, queue.body);
      const waiting = queue.json().waiting.find((w: { id: string }) => w.id === entry.id);
      assert.deepEqual([waiting.position, waiting.waitingSeconds, waiting.language, waiting.kind], [1, 60, 'ru', 'call']);
      assert.doesNotMatch(queue.body, /\+7999|cus_/, 'the queue shows no number or customer');
      const took = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/take`, headers: as('callcentre') });
      assert.equal(took.statusCode, 200, took.body);
      const again = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/take`, headers: as('call2', 'ru') });
      assert.deepEqual([again.statusCode, again.json().code], [409, 'CALL_NOT_WAITING']);
      assert.match(again.json().message, /другой оператор/);
      const seen = await h.server.inject({ method: 'GET', url: `/api/v1/staff/calls/${entry.id}?effective=end_of_period`, headers: as('callcentre') });
      assert.equal(seen.statusCode, 200, seen.body);
      const held = seen.json();
      assert.deepEqual([held.customer.id, held.customer.documentLast4, held.lineId, held.preview.effectiveMode, held.confirmsAtOnce, held.waitSeconds], ['cus_00000001', null, 'ln_00000001', 'end_of_period', true, 60]);
      assert.deepEqual(held.verified, { caller: true, secret: 'document', smsCode: true });
      assert.doesNotMatch(seen.body, /password/i);
      for (const [who, code] of [['call2', 'CALL_NOT_HELD'], ['shop1', 'CALL_AGENT_ONLY'], ['admin', 'CALL_AGENT_ONLY'], ['+79990000001', 'FORBIDDEN']] as const) {
        const r = await h.server.inject({ method: 'GET', url: `/api/v1/staff/calls/${entry.id}`, headers: as(who) });
        assert.deepEqual([r.statusCode, r.json().code], [403, code], who);
        assert.doesNotMatch(r.body, /\+79990000001/);
      }
      const before = await orders();
      const partly = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/cancel-line`, headers: as('callcentre', 'zh'), payload: { lineId: 'ln_00000001', effective: 'end_of_period', checklist: { ...ALL_TICKED, callerConsents: false } } });
      assert.deepEqual([partly.statusCode, partly.json().code, partly.json().details.missing], [400, 'CHECKLIST_INCOMPLETE', ['callerConsents']]);
      assert.match(partly.json().message, /未勾选：1 项/);
      const foreign = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/cancel-line`, headers: as('call2'), payload: { lineId: 'ln_00000001', checklist: ALL_TICKED } });
      assert.deepEqual([foreign.statusCode, foreign.json().code], [403, 'CALL_NOT_HELD']);
      assert.equal(await orders(), before, 'refused cancellations create nothing');
      const done = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/cancel-line`, headers: as('callcentre'), payload: { lineId: 'ln_00000001', effective: 'end_of_period', checklist: ALL_TICKED } });
      assert.equal(done.statusCode, 201, done.body);
      assert.deepEqual([done.json().termination.channel, done.json().termination.state, done.json().confirmed], ['phone_agent', 'scheduled', true]);
      const after = await h.server.inject({ method: 'GET', url: `/api/v1/staff/calls/${entry.id}`, headers: as('callcentre') });
      assert.equal(after.json().termination.reference, done.json().termination.reference);
      const finished = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/finish`, headers: as('callcentre'), payload: { outcome: 'line_cancelled' } });
      assert.equal(finished.statusCode, 200, finished.body);
      const gone = await h.server.inject({ method: 'GET', url: `/api/v1/staff/calls/${entry.id}`, headers: as('callcentre') });
      assert.deepEqual([gone.statusCode, gone.json().code], [403, 'CALL_NOT_HELD']);
      const preview = await h.server.inject({ method: 'GET', url: '/api/v1/lines/ln_00000001/termination-preview', headers: as('callcentre') });
      assert.equal(preview.json().code, 'NO_OPEN_CASE', 'finishing the call ends the agent\'s right to act for the caller');
    });

    test('bad input to the console changes nothing and gets a catalogue code', async () => {
      const entry = await enqueue({ language: 'en', callerNumber: '+79990000002', customerId: 'cus_00000002', lineId: 'ln_00000002' });
      await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/take`, headers: as('callcentre') });
      const before = await orders();
      for (const [url, payload, status, code] of [
        [`/api/v1/staff/calls/${entry.id}/cancel-line`, { lineId: 'ln_00000002', checklist: { identityConfirmed: true } }, 400, 'VALIDATION_FAILED'],
        [`/api/v1/staff/calls/${entry.id}/cancel-line`, { lineId: 'ln_00000001', checklist: ALL_TICKED }, 403, 'NO_OPEN_CASE'],
        [`/api/v1/staff/calls/${entry.id}/cancel-line`, { lineId: 'ln_00000002', effective: '1999-01-01', checklist: ALL_TICKED }, 400, 'INVALID_EFFECTIVE_DATE'],
        [`/api/v1/staff/calls/${entry.id}/finish`, { outcome: 'line_cancelled' }, 409, 'CALL_NOTHING_CANCELLED'],
        [`/api/v1/staff/calls/${entry.id}/finish`, { outcome: 'done' }, 400, 'VALIDATION_FAILED'],
        ['/api/v1/staff/calls/agq_none/take', undefined, 404, 'CALL_NOT_FOUND'],
      ] as const) {
        const r = await h.server.inject({ method: 'POST', url, headers: as('callcentre'), payload: payload as never });
        assert.deepEqual([r.statusCode, r.json().code], [status, code], `${url} ${JSON.stringify(payload)}: ${r.body}`);
      }
      assert.equal(await orders(), before);
      const q = await h.server.inject({ method: 'GET', url: '/api/v1/staff/calls/queue?language=fr', headers: as('callcentre') });
      assert.deepEqual([q.statusCode, q.json().code], [400, 'VALIDATION_FAILED']);
      const resolved = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/finish`, headers: as('callcentre'), payload: { outcome: 'resolved' } });
      assert.equal(resolved.statusCode, 200);
    });

    test('the back office sees the figures; a call agent does not', async () => {
      const refused = await h.server.inject({ method: 'GET', url: '/api/v1/staff/calls/figures', headers: as('callcentre') });
      assert.equal(refused.statusCode, 403);
      const r = await h.server.inject({ method: 'GET', url: '/api/v1/staff/calls/figures?days=30', headers: as('backoffice') });
      assert.equal(r.statusCode, 200, r.body);
      const f = r.json();
      assert.deepEqual([f.entries, f.byOutcome.line_cancelled, f.byOutcome.resolved], [2, 1, 1]);
      assert.deepEqual(f.answer.map((a: { language: string }) => a.language), ['ru', 'en', 'zh']);
      assert.equal(f.answer[0].averageSeconds, 60);
      assert.equal(f.voiceMenu.toAgent, 2);
      assert.equal(f.voiceMenu.share, null);
    });
  });
}
