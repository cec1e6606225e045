// The demo pages' clock control: exists only in demo mode, needs a signed-in caller (and CSRF with a cookie),
// moves the whole installation's clock persistently and audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../src/app/auth.ts';
import { movableClock } from '../src/app/demo-clock.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const DAY = 86_400_000;

for (const kind of storeKinds()) {
  describe(`demo clock over the API on ${kind.name}`, () => {
    let app: TestApp;
    let demo: FastifyInstance;
    let plain: FastifyInstance;
    let clock: Awaited<ReturnType<typeof movableClock>>;
    const login = async (server: FastifyInstance, who: string) => {
      const r = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: who, password: 'demo1234' }, remoteAddress: `10.8.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { token: string; csrfToken: string };
    };
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 8, seed: 3 });
      clock = await movableClock(app.store);
      demo = await buildServer({ ...app, demo: true, clock });
      plain = await buildServer(app);
    });
    after(async () => {
      await demo?.close();
      await plain?.close();
      await app?.close();
    });

    test('outside demo mode the routes do not exist, whoever asks, and the clock does not move', async () => {
      const { token } = await login(plain, 'admin');
      for (const [method, url] of [['GET', '/api/v1/demo/clock'], ['POST', '/api/v1/demo/clock/advance']] as const) {
        const r = await plain.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: method === 'POST' ? { days: 3 } : undefined });
        assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      }
      const site = await plain.inject({ method: 'GET', url: '/api/v1/public/site' });
      assert.equal(site.json().demo, false);
      const offset = await app.store.db.selectFrom('audit_log').select('action').where('action', '=', 'clock_advanced').execute();
      assert.equal(offset.length, 0);
    });

    test('in demo mode a signed-in subscriber moves the clock: GET shows the moved time, the server clock moves, the move is audited', async () => {
      const site = await demo.inject({ method: 'GET', url: '/api/v1/public/site' });
      assert.equal(site.json().demo, true);
      const anonymous = await demo.inject({ method: 'POST', url: '/api/v1/demo/clock/advance', payload: { days: 1 } });
      assert.equal(anonymous.statusCode, 401, anonymous.body);
      const { token, csrfToken } = await login(demo, '+79990000001');
      const first = await demo.inject({ method: 'GET', url: '/api/v1/demo/clock', headers: { authorization: `Bearer ${token}` } });
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.json().offsetDays, 0);
      const serverBefore = Date.parse(clock());
      // The site acts with its cookie: a change needs the CSRF token.
      const cookie = { cookie: `simexit_session=${token}` };
      const noCsrf = await demo.inject({ method: 'POST', url: '/api/v1/demo/clock/advance', headers: cookie, payload: { days: 14 } });
      assert.equal(noCsrf.json().code, 'CSRF_FAILED');
      for (const days of [0, 401, 1.5]) {
        const bad = await demo.inject({ method: 'POST', url: '/api/v1/demo/clock/advance', headers: { ...cookie, 'x-csrf-token': csrfToken }, payload: { days } });
        assert.equal(bad.statusCode, 400, `${days}: ${bad.body}`);
      }
      const moved = await demo.inject({ method: 'POST', url: '/api/v1/demo/clock/advance', headers: { ...cookie, 'x-csrf-token': csrfToken }, payload: { days: 14 } });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().offsetDays, 14, moved.body);
      const shown = await demo.inject({ method: 'GET', url: '/api/v1/demo/clock', headers: { authorization: `Bearer ${token}` } });
      assert.equal(shown.json().offsetDays, 14);
      assert.ok(Math.abs(Date.parse(shown.json().now) - Date.parse(shown.json().realNow) - 14 * DAY) < 5_000, shown.body);
      assert.ok(Date.parse(clock()) - serverBefore >= 14 * DAY - 5_000, 'the server acts on the moved clock');
      const audit = await app.store.db.selectFrom('audit_log').select(['actor_id', 'actor_kind', 'to_state']).where('action', '=', 'clock_advanced').execute();
      assert.equal(audit.length, 1, 'refused moves changed nothing');
      assert.equal(audit[0]?.actor_kind, 'customer');
    });

    test('in demo mode every kind of signed-in caller may read and move the clock; nobody without a sign-in', async () => {
      // Signed in just before asking: each move ages the staff sessions signed in before it.
      const callers: [string, () => Promise<string | undefined>][] = [
        ['anonymous', async () => undefined],
        ['subscriber', async () => (await login(demo, '+79990000002')).token],
        ['shop agent', async () => (await login(demo, 'shop1')).token],
        ['back office', async () => (await login(demo, 'backoffice')).token],
        ['integrator', async () => (await createApiKey(app, 'partner', ['tmf622'])).key],
      ];
      for (const [who, signIn] of callers) {
        const token = await signIn();
        const headers = token ? { authorization: `Bearer ${token}` } : {};
        const get = await demo.inject({ method: 'GET', url: '/api/v1/demo/clock', headers });
        const post = await demo.inject({ method: 'POST', url: '/api/v1/demo/clock/advance', headers, payload: { days: 1 } });
        const expected = token ? 200 : 401;
        assert.deepEqual([get.statusCode, post.statusCode], [expected, expected], `${who}: ${get.body} ${post.body}`);
      }
    });
  });
}
