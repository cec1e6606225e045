// What the site needs from the API beyond the flows: the session's CSRF token again after a browser restart,
// words (not validator paths or UTC instants) in error messages, a person's former numbers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`site API on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
    });
    after(() => h.close());

    test('the session cookie alone gets its CSRF token back, and that token is accepted for changes', async () => {
      const login = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '+79990000001', password: 'demo1234' } });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const again = await h.server.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().csrfToken, login.json().csrfToken);
      assert.equal(again.json().principal.id, login.json().principal.id);
      const none = await h.server.inject({ method: 'GET', url: '/api/v1/auth/session' });
      assert.equal(none.statusCode, 401);
      const forged = await h.server.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: 'simexit_session=not-a-session' } });
      assert.equal(forged.statusCode, 401);
      const out = await h.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': again.json().csrfToken } });
      assert.equal(out.statusCode, 204);
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode, 401);
    });

    test('a schema failure names the field and says what is wrong in words, in the caller\'s language', async () => {
      const r = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations', headers: { 'accept-language': 'ru' }, payload: { msisdn: '+79990000019', holderName: 'Xavier Someone', documentLast4: '1!', effective: 'now' } });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().code, 'VALIDATION_FAILED');
      assert.equal(r.json().details.field, 'documentLast4');
      assert.equal(r.json().details.rule, 'format');
      assert.equal(r.json().message, 'Неверные данные: поле «documentLast4» в неверном формате');
      assert.doesNotMatch(r.body, /body\/|must match/);
    });

    test('a person sees their former numbers with the date each can be taken back until; nobody else sees them', async () => {
      const [outcome] = await requestTerminations(h.app, [{ msisdn: '+79990000004', channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'test', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(outcome?.kind, 'created');
      await runWorker(h.app, { untilIdle: true });
      const mine = await h.server.inject({ method: 'GET', url: '/api/v1/me/former-numbers', headers: { authorization: `Bearer ${await h.login('+79990000004')}` } });
      assert.equal(mine.statusCode, 200);
      const number = await h.app.store.db.selectFrom('numbers').select('quarantine_until').where('msisdn', '=', '+79990000004').executeTakeFirstOrThrow();
      assert.deepEqual(mine.json().map((n: { msisdn: string; reclaimableUntil: string }) => [n.msisdn, n.reclaimableUntil]), [['+79990000004', number.quarantine_until]]);
      assert.ok(mine.json()[0].endedAt);
      const other = await h.server.inject({ method: 'GET', url: '/api/v1/me/former-numbers', headers: { authorization: `Bearer ${await h.login('+79990000001')}` } });
      assert.deepEqual(other.json(), []);
    });
  });
}
