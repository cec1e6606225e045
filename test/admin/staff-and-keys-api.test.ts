// Administrators manage staff accounts and integrator keys over the API (issue 17), on SQLite and Postgres: what a
// new account and a new key can do at once, that a disabled account and a revoked key are refused from the next
// request on, that the last administrator stays, that each refusal changes nothing, and that the audit log says
// who changed what without any password or key in it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openApi, type ApiHarness } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';

const TMF_ORDERS = '/tmf-api/productOrderingManagement/v4/productOrder';

for (const kind of storeKinds()) {
  describe(`staff accounts and API keys on ${kind.name}`, () => {
    let h: ApiHarness;
    let admin: Record<string, string>;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const post = (url: string, payload: unknown, headers = admin) => h.server.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as never });
    const get = (url: string, headers = admin) => h.server.inject({ method: 'GET', url: `/api/v1${url}`, headers });
    const state = async () => ({
      staff: await h.app.store.db.selectFrom('staff').selectAll().orderBy('id').execute(),
      keys: await h.app.store.db.selectFrom('api_keys').selectAll().orderBy('id').execute(),
      audit: Number((await h.app.store.db.selectFrom('audit_log').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });
    const auditOf = async (entityId: string) => h.app.store.db.selectFrom('audit_log').select(['action', 'actor_id', 'data']).where('entity_id', '=', entityId).orderBy('seq').execute();

    before(async () => {
      h = await openApi(kind, 6);
      admin = auth(await h.login('admin'));
    });
    after(() => h.close());

    test('an administrator creates a shop agent who signs in at once and sees their shop; the password is in no audit entry', async () => {
      const made = await post('/admin/staff', { login: 'Agent.Smith', name: 'Anna Smith', role: 'shop_agent', shopId: 'shop-2', password: 'counter-pass-1' });
      assert.equal(made.statusCode, 201, made.body);
      const member = made.json().member;
      assert.deepEqual([member.login, member.role, member.shopId, member.disabled, made.json().password], ['agent.smith', 'shop_agent', 'shop-2', false, undefined]);
      const token = await h.login('agent.smith', 'counter-pass-1');
      const queue = await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop/queue', headers: auth(token) });
      assert.equal(queue.json().shop.id, 'shop-2', queue.body);
      const listed = (await get('/admin/staff')).json().find((s: { login: string }) => s.login === 'agent.smith');
      assert.equal(listed.name, 'Anna Smith');
      const trail = await auditOf(member.id);
      assert.deepEqual(trail.map((e) => [e.action, e.actor_id]), [['staff_created', 'stf_admin']]);
      assert.ok(!JSON.stringify(trail).includes('counter-pass-1'));
    });

    test('without a password one is generated, answered once and works; a new one set by the administrator ends the old sessions', async () => {
      const made = await post('/admin/staff', { login: 'desk2', name: 'Boris Desk', role: 'back_office' });
      const { member, password } = made.json();
      assert.equal(typeof password, 'string');
      assert.ok(password.length >= 12);
      const first = await h.login('desk2', password);
      assert.equal((await get('/staff/alerts', auth(first))).statusCode, 200);
      const reset = await post(`/admin/staff/${member.id}`, { generatePassword: true });
      const again = reset.json().password as string;
      assert.ok(again && again !== password);
      assert.equal((await get('/staff/alerts', auth(first))).statusCode, 401, 'the old session ended');
      await assert.rejects(h.login('desk2', password));
      const second = await h.login('desk2', again);
      await post(`/admin/staff/${member.id}`, { newPassword: 'handed-over-22' });
      assert.equal((await get('/staff/alerts', auth(second))).statusCode, 401);
      await h.login('desk2', 'handed-over-22');
      const trail = await auditOf(member.id);
      assert.deepEqual(trail.map((e) => e.action), ['staff_created', 'staff_changed', 'staff_changed']);
      for (const secret of [password, again, 'handed-over-22']) assert.ok(!JSON.stringify(trail).includes(secret), 'no password in the audit log');
    });

    test('a disabled account signs in no more and its session ends; enabled, it signs in again', async () => {
      const { member } = (await post('/admin/staff', { login: 'temp', name: 'Temp Worker', role: 'call_agent', password: 'temp-pass-33' })).json();
      const token = await h.login('temp', 'temp-pass-33');
      const off = await post(`/admin/staff/${member.id}`, { disabled: true });
      assert.equal(off.json().member.disabled, true);
      assert.equal((await get('/me', auth(token))).statusCode, 401);
      const refused = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'temp', password: 'temp-pass-33' } });
      assert.deepEqual([refused.statusCode, refused.json().code], [401, 'AUTH_FAILED'], 'answered like a wrong password');
      await post(`/admin/staff/${member.id}`, { disabled: false });
      await h.login('temp', 'temp-pass-33');
      assert.deepEqual((await auditOf(member.id)).map((e) => e.action), ['staff_created', 'staff_disabled', 'staff_enabled']);
    });

    test('a role change applies from the next request; leaving the shop agents leaves the shop', async () => {
      const { member } = (await post('/admin/staff', { login: 'mover', name: 'Mover', role: 'shop_agent', shopId: 'shop-1', password: 'mover-pass-1' })).json();
      const token = await h.login('mover', 'mover-pass-1');
      assert.equal((await get('/staff/shop/queue', auth(token))).statusCode, 200);
      const changed = await post(`/admin/staff/${member.id}`, { role: 'back_office' });
      assert.deepEqual([changed.json().member.role, changed.json().member.shopId], ['back_office', null]);
      assert.equal((await get('/staff/shop/queue', auth(token))).statusCode, 403);
      assert.equal((await get('/staff/alerts', auth(token))).statusCode, 200);
    });

    test('refusals have their own codes and change nothing', async () => {
      const before = await state();
      for (const [url, payload, status, code] of [
        ['/admin/staff', { login: 'admin', name: 'Second', role: 'admin', password: 'long-enough-1' }, 409, 'STAFF_LOGIN_TAKEN'],
        ['/admin/staff', { login: 'ADMIN', name: 'Second', role: 'admin' }, 409, 'STAFF_LOGIN_TAKEN'],
        ['/admin/staff', { login: '79990000001', name: 'Digits', role: 'admin' }, 400, 'VALIDATION_FAILED'],
        ['/admin/staff', { login: 'nobody', name: 'No Shop', role: 'shop_agent', shopId: 'shop-77' }, 404, 'SHOP_NOT_FOUND'],
        ['/admin/staff', { login: 'nobody', name: 'Wrong Role', role: 'back_office', shopId: 'shop-1' }, 409, 'STAFF_NOT_SHOP_AGENT'],
        ['/admin/staff', { login: 'nobody', name: 'Short', role: 'back_office', password: 'short' }, 400, 'VALIDATION_FAILED'],
        ['/admin/staff', { login: 'nobody', name: '   ', role: 'back_office' }, 400, 'VALIDATION_FAILED'],
        ['/admin/staff', { login: 'nobody', name: 'Root', role: 'root' }, 400, 'VALIDATION_FAILED'],
        ['/admin/staff/stf_none', { role: 'admin' }, 404, 'STAFF_NOT_FOUND'],
        ['/admin/staff/stf_shop1', {}, 400, 'VALIDATION_FAILED'],
        ['/admin/staff/stf_shop1', { newPassword: 'long-enough-1', generatePassword: true }, 400, 'VALIDATION_FAILED'],
        ['/admin/staff/stf_backoffice', { shopId: 'shop-1' }, 409, 'STAFF_NOT_SHOP_AGENT'],
        ['/admin/api-keys', { name: 'bank', scopes: ['root'] }, 400, 'VALIDATION_FAILED'],
        ['/admin/api-keys', { name: 'bank', scopes: [] }, 400, 'VALIDATION_FAILED'],
        ['/admin/api-keys', { name: '', scopes: ['tmf622'] }, 400, 'VALIDATION_FAILED'],
        ['/admin/api-keys/key_none/revoke', undefined, 404, 'API_KEY_NOT_FOUND'],
      ] as const) {
        const r = await post(url, payload);
        assert.deepEqual([r.statusCode, r.json().code], [status, code], `${url} ${JSON.stringify(payload)}: ${r.body}`);
      }
      const back = auth(await h.login('backoffice'));
      for (const [url, payload] of [['/admin/staff', { login: 'sneaky', name: 'Sneaky', role: 'admin' }], ['/admin/staff/stf_backoffice', { role: 'admin' }], ['/admin/api-keys', { name: 'mine', scopes: ['tmf622'] }]] as const) {
        const r = await post(url, payload, back);
        assert.deepEqual([r.statusCode, r.json().code], [403, 'FORBIDDEN'], url);
      }
      assert.deepEqual(await state(), before);
    });

    test('two administrators creating one login at once: one account, the other is told the login is taken', async () => {
      const both = await Promise.all([1, 2].map((i) => post('/admin/staff', { login: 'twin', name: `Twin ${i}`, role: 'call_agent', password: 'twin-pass-12' })));
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 409], both.map((r) => r.body).join(' | '));
      assert.equal(both.find((r) => r.statusCode === 409)?.json().code, 'STAFF_LOGIN_TAKEN');
      assert.equal((await h.app.store.db.selectFrom('staff').select('id').where('login', '=', 'twin').execute()).length, 1);
    });

    test('the last administrator who can sign in is neither disabled nor demoted; with a second one, either can go', async () => {
      const before = await state();
      for (const payload of [{ disabled: true }, { role: 'back_office' }]) {
        const r = await post('/admin/staff/stf_admin', payload);
        assert.deepEqual([r.statusCode, r.json().code], [409, 'STAFF_LAST_ADMIN'], r.body);
      }
      assert.deepEqual(await state(), before);
      const { member, password } = (await post('/admin/staff', { login: 'admin2', name: 'Second Admin', role: 'admin' })).json();
      const second = auth(await h.login('admin2', password));
      const demoted = await post('/admin/staff/stf_admin', { role: 'back_office' }, second);
      assert.equal(demoted.statusCode, 200, demoted.body);
      const last = await post(`/admin/staff/${member.id}`, { disabled: true }, second);
      assert.deepEqual([last.statusCode, last.json().code], [409, 'STAFF_LAST_ADMIN'], 'the second is now the last');
      await post('/admin/staff/stf_admin', { role: 'admin' }, second);
    });

    test('an API key: shown once, stored hashed, works for its scope only, listed with when it was last used; revoked, it is refused at once', async () => {
      const made = await post('/admin/api-keys', { name: 'Partner shop', scopes: ['tmf622'] });
      assert.equal(made.statusCode, 201, made.body);
      const { id, key } = made.json();
      assert.match(key, /^sx_[A-Za-z0-9_-]{30,}$/);
      const stored = await h.app.store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored).includes(key), 'only a hash is stored');
      assert.equal((await get('/admin/api-keys')).json().find((k: { id: string }) => k.id === id).lastUsedAt, null);
      assert.equal((await h.server.inject({ method: 'GET', url: TMF_ORDERS, headers: auth(key) })).statusCode, 200);
      const listed = (await get('/admin/api-keys')).json().find((k: { id: string }) => k.id === id);
      assert.deepEqual([listed.name, listed.scopes, listed.lastUsedAt, listed.revokedAt, listed.createdBy], ['Partner shop', ['tmf622'], h.app.clock(), null, 'stf_admin']);
      assert.ok(!JSON.stringify((await get('/admin/api-keys')).json()).includes(key), 'the list never shows a key');
      const other = (await post('/admin/api-keys', { name: 'Bank', scopes: ['reassigned-numbers'] })).json();
      assert.equal((await h.server.inject({ method: 'GET', url: TMF_ORDERS, headers: auth(other.key) })).statusCode, 403, 'a key without the tmf622 scope');
      const revoked = await post(`/admin/api-keys/${id}/revoke`, undefined);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(revoked.json().revokedAt, h.app.clock());
      assert.equal((await h.server.inject({ method: 'GET', url: TMF_ORDERS, headers: auth(key) })).statusCode, 401, 'a revoked key is refused');
      const twice = await post(`/admin/api-keys/${id}/revoke`, undefined);
      assert.deepEqual([twice.statusCode, twice.json().code], [409, 'API_KEY_ALREADY_REVOKED']);
      const trail = await auditOf(id);
      assert.deepEqual(trail.map((e) => [e.action, e.actor_id]), [['api_key_created', 'stf_admin'], ['api_key_revoked', 'stf_admin']]);
      assert.ok(!JSON.stringify(trail).includes(key) && !JSON.stringify(trail).includes(stored.key_hash), 'neither the key nor its hash is audited');
    });
  });
}
