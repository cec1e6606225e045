// What the site needs from the API beyond the flows: the session's CSRF token again after a browser restart,
// words (not validator paths or UTC instants) in error messages, a person's former numbers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  });
}
