import assert from 'node:assert/strict';
import { documentHash } from '../src/app/secrets.ts';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../src/channels/api/server.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const kind of storeKinds()) {
  describe(`public API on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
    });
    after(() => h.close());

    test('sign-in accepts local number formats and answers wrong passwords in the caller\'s language', async () => {
      const ok = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '8 (999) 000-00-02', password: 'demo1234' } });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().principal.kind, 'customer');
      assert.match(String(ok.headers['set-cookie']), /simexit_session=.*HttpOnly/);
      const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'zh-CN,zh;q=0.9' }, payload: { msisdn: '+79990000002', password: 'nope' } });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual([wrong.json().code, wrong.json().message], ['AUTH_FAILED', '电话号码或密码错误']);
    });

    test('five wrong passwords make that address wait (said in words), not the owner elsewhere', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.1.1.1', payload: { msisdn: '+79990000003', password: `wrong${i}` } });
        assert.equal(r.statusCode, i < 4 ? 401 : 429);
      }
      const locked = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.1.1.1', headers: { 'accept-language': 'ru' }, payload: { msisdn: '+79990000003', password: 'demo1234' } });
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().code, 'AUTH_LOCKED');
      assert.equal(locked.json().message, 'Слишком много неудачных попыток. Повторите через 15 минут');
      assert.equal(locked.headers['retry-after'], '900');
      const elsewhere = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.1.2.1', payload: { msisdn: '+79990000003', password: 'demo1234' } });
      assert.equal(elsewhere.statusCode, 200, 'the owner at another address is not locked out');
      h.app.clock.advanceHours(1);
      const later = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.1.1.1', payload: { msisdn: '+79990000003', password: 'demo1234' } });
      assert.equal(later.statusCode, 200);
    });

    test('a subscriber sees only their own lines; another customer\'s line is "not found"', async () => {
      const token = await h.login('+79990000001');
      const lines = (await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: bearer(token) })).json();
      assert.deepEqual(lines.map((l: { msisdn: string }) => l.msisdn), ['+79990000001']);
      const other = await h.server.inject({ method: 'GET', url: '/api/v1/lines/ln_00000002/termination-preview', headers: bearer(token) });
      assert.equal(other.statusCode, 404);
      assert.equal(other.json().code, 'LINE_NOT_FOUND');
    });

    test('100 parallel requests with one Idempotency-Key create one order and all get the same answer', async () => {
      const token = await h.login('+79990000004');
      const missing = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: bearer(token), payload: { lineId: 'ln_00000004' } });
      assert.equal(missing.json().code, 'IDEMPOTENCY_KEY_REQUIRED');
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'same-key-1' }, payload: { lineId: 'ln_00000004', effective: 'now' } })),
      );
      assert.ok(replies.every((r) => r.statusCode === 201), replies.map((r) => r.statusCode).join(','));
      assert.equal(new Set(replies.map((r) => r.body)).size, 1);
      const count = await h.app.store.db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).where('line_id', '=', 'ln_00000004').executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
      const reused = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'same-key-1' }, payload: { lineId: 'ln_00000004', effective: 'end_of_period' } });
      assert.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED');
    });

    test('the SMS code confirms; a wrong code says how many tries are left; withdraw during cooling-off', async () => {
      const token = await h.login('+79990000002');
      const created = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'k-2' }, payload: { lineId: 'ln_00000002' } });
      assert.equal(created.statusCode, 201);
      const { reference, state, codeSentUntil, withdrawableUntil } = created.json();
      assert.equal(state, 'awaiting_confirmation');
      assert.ok(codeSentUntil);
      // One awaiting its code can be withdrawn too, until it lapses (docs/lifecycle.md).
      assert.equal(withdrawableUntil, created.json().confirmBy);
      const sms = await h.app.store.db.selectFrom('notifications').select(['address', 'template']).where('subject_ref', '=', reference).where('template', '=', 'otp.confirm_termination').executeTakeFirstOrThrow();
      assert.equal(sms.address, '+79990000002');
      const code = await h.lastCode(reference);
      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, headers: { ...bearer(token), 'accept-language': 'en' }, payload: { code: wrongCode } });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().message, 'Wrong code. Attempts left: 2');
      const ok = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, headers: bearer(token), payload: { code } });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().state, 'scheduled');
      assert.equal(ok.json().withdrawableUntil, ok.json().effectiveAt);
      const status = await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${reference.toLowerCase()}`, headers: bearer(token) });
      assert.deepEqual(status.json().timeline.map((e: { to: string }) => e.to), ['requested', 'awaiting_confirmation', 'scheduled']);
      const withdrawn = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${reference}/withdraw`, headers: bearer(token) });
      assert.equal(withdrawn.json().state, 'withdrawn');
    });

    test('three wrong codes lock the confirmation out', async () => {
      const token = await h.login('+79990000005');
      const { reference } = (await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'k-5' }, payload: { lineId: 'ln_00000005' } })).json();
      const code = await h.lastCode(reference);
      const bad = code === '999999' ? '888888' : '999999';
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, headers: bearer(token), payload: { code: bad } })).json().code);
      assert.deepEqual(codes, ['OTP_INVALID', 'OTP_INVALID', 'OTP_LOCKED']);
      const after = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, headers: bearer(token), payload: { code } });
      assert.equal(after.json().code, 'OTP_LOCKED');
    });

    test('paying the debt unblocks the order by itself', async () => {
      const token = await h.login('+79990000000');
      const created = (await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'k-0' }, payload: { lineId: 'ln_00000000' } })).json();
      assert.equal(created.state, 'blocked');
      assert.deepEqual(created.blockers, [{ code: 'UNPAID_BALANCE', amount: 45_000 }]);
      // Outside demo mode with no provider configured, nothing is taken; the demo's sandbox pays at once.
      const refused = await h.server.inject({ method: 'POST', url: '/api/v1/accounts/acc_00000000/payments', headers: { ...bearer(token), 'idempotency-key': 'pay-0' }, payload: { amount: 45_000 } });
      assert.equal(refused.json().code, 'PAYMENTS_NOT_CONFIGURED');
      const demo = await buildServer({ ...h.app, demo: true });
      const paid = await demo.inject({ method: 'POST', url: '/api/v1/accounts/acc_00000000/payments', headers: { ...bearer(token), 'idempotency-key': 'pay-0' }, payload: { amount: 45_000 } });
      await demo.close();
      assert.equal(paid.statusCode, 201);
      assert.equal(paid.json().balance, 0);
      const status = (await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${created.reference}`, headers: bearer(token) })).json();
      assert.equal(status.state, 'awaiting_confirmation');
    });

    test('cookie sessions need the CSRF token for changes', async () => {
      const login = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '+79990000001', password: 'demo1234' } });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const read = await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: { cookie } });
      assert.equal(read.statusCode, 200);
      const forged = await h.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
      assert.equal(forged.json().code, 'CSRF_FAILED');
      const real = await h.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': login.json().csrfToken } });
      assert.equal(real.statusCode, 204);
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: { cookie } })).statusCode, 401);
    });

    test('a password reset by SMS code signs the subscriber in with the new password', async () => {
      const asked = await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { msisdn: '+79990000010' } });
      assert.equal(asked.statusCode, 202);
      const code = await h.lastCode('+79990000010');
      const done = await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { msisdn: '+79990000010', code, newPassword: 'a new long password' } });
      assert.equal(done.statusCode, 200);
      assert.ok(await h.login('+79990000010', 'a new long password'));
      const unknown = await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { msisdn: '+79550000010' } });
      assert.equal(unknown.statusCode, 202, 'no hint whether a number is ours');
    });

    test('a shop agent ends a line at the counter; the former holder reclaims the number afterwards', async () => {
      const agent = await h.login('shop1');
      // The customer is at the counter with their document: the agent opens a case with its number.
      await h.app.store.db.updateTable('customers').set({ doc_hash: documentHash(h.app.secrets.documentKey, 'RU000012012') }).where('id', '=', 'cus_00000012').execute();
      const opened = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: bearer(agent), payload: { document: 'RU000012012' } });
      assert.equal(opened.statusCode, 201, opened.body);
      const found = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/customers?msisdn=89990000012', headers: bearer(agent) })).json();
      assert.equal(found[0].lines[0].msisdn, '+79990000012');
      const order = await h.server.inject({ method: 'POST', url: '/api/v1/staff/terminations', headers: bearer(agent), payload: { lineId: found[0].lines[0].id, documentChecked: true, simCollected: true, chargesAccepted: true } });
      assert.equal(order.statusCode, 201, order.body);
      assert.deepEqual([order.json().channel, order.json().state], ['store', 'scheduled']);
      await runWorker(h.app, { untilIdle: true });
      const sub = await h.server.inject({ method: 'GET', url: `/api/v1/staff/terminations?state=completed`, headers: bearer(agent) });
      assert.equal(sub.json().code, 'FORBIDDEN', 'lists are for the back office');
      await h.app.store.db.updateTable('customers').set({ password_hash: (await h.app.store.db.selectFrom('staff').select('password_hash').where('login', '=', 'shop1').executeTakeFirstOrThrow()).password_hash }).where('id', '=', found[0].id).execute();
      const former = await h.login('+79990000012');
      const reclaim = await h.server.inject({ method: 'POST', url: '/api/v1/reclaims', headers: bearer(former), payload: { msisdn: '+79990000012', simType: 'esim' } });
      assert.equal(reclaim.statusCode, 201, reclaim.body);
      assert.deepEqual([reclaim.json().msisdn, reclaim.json().simType, reclaim.json().state], ['+79990000012', 'esim', 'active']);
    });

    test('without signing in, a lost SIM is confirmed by an agent\'s identity check instead of a code', async () => {
      // A holder with nothing that blocks: no debt, no minimum term, identity on file.
      const pick = await h.app.store.db
        .selectFrom('lines')
        .innerJoin('accounts', 'accounts.id', 'lines.account_id')
        .innerJoin('customers', 'customers.id', 'lines.customer_id')
        .select(['lines.msisdn', 'customers.name', 'customers.birth_date'])
        .where('accounts.balance', '>=', 0)
        .where('lines.minimum_term_ends_at', 'is', null)
        .where('lines.state', '=', 'active')
        .where('lines.port_out_requested_at', 'is', null)
        .where('lines.legal_hold_at', 'is', null)
        .where('lines.msisdn', '>=', '+79990000015')
        .orderBy('lines.msisdn')
        .executeTakeFirstOrThrow();
      const customer = { name: pick.name, birth_date: pick.birth_date };
      const local = `8${pick.msisdn.slice(2)}`;
      const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations', payload: { msisdn: pick.msisdn, holderName: 'Somebody Else', birthDate: customer.birth_date, simLost: true } });
      assert.equal(wrong.json().code, 'IDENTITY_MISMATCH');
      const unknown = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations', payload: { msisdn: '+79550000013', holderName: customer.name, birthDate: customer.birth_date } });
      assert.equal(unknown.json().code, 'IDENTITY_MISMATCH', 'the same answer for a number that is not ours');
      const r = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations', payload: { msisdn: local, holderName: customer.name.split(' ').reverse().join(' '), birthDate: customer.birth_date, simLost: true, email: 'me@example.org' } });
      assert.equal(r.statusCode, 201, r.body);
      const receipt = r.json();
      assert.equal(receipt.confirmation, 'identity_check');
      assert.ok(Date.parse(receipt.confirmBy) - Date.parse(receipt.requestedAt) >= 6 * 86_400_000, 'a week to visit a shop');
      const mail = await h.app.store.db.selectFrom('notifications').select(['address']).where('subject_ref', '=', receipt.reference).where('template', '=', 'termination.requested').where('medium', '=', 'email').execute();
      assert.ok(mail.some((m) => m.address === 'me@example.org'), 'the receipt goes to the address given');
      const agent = await h.login('shop1');
      const noCase = await h.server.inject({ method: 'POST', url: `/api/v1/staff/terminations/${receipt.reference}/confirm`, headers: bearer(agent), payload: { documentChecked: true } });
      assert.equal(noCase.json().code, 'NO_OPEN_CASE', 'an agent confirms only for the customer at their counter');
      const holder = await h.app.store.db.selectFrom('lines').select('customer_id').where('msisdn', '=', pick.msisdn).executeTakeFirstOrThrow();
      await h.app.store.db.updateTable('customers').set({ doc_hash: documentHash(h.app.secrets.documentKey, 'RU000777777') }).where('id', '=', holder.customer_id).execute();
      const opened = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: bearer(agent), payload: { document: 'RU000777777' } });
      assert.equal(opened.statusCode, 201, opened.body);
      const confirmed = await h.server.inject({ method: 'POST', url: `/api/v1/staff/terminations/${receipt.reference}/confirm`, headers: bearer(agent), payload: { documentChecked: true } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().state, 'scheduled');
    });

    test('my data export is a zip with invoices, payments, usage and profile', async () => {
      const token = await h.login('+79990000000');
      const r = await h.server.inject({ method: 'GET', url: '/api/v1/me/export', headers: bearer(token) });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/zip');
      assert.equal(r.rawPayload.subarray(0, 2).toString(), 'PK');
      for (const name of ['invoices.csv', 'payments.csv', 'usage.csv', 'profile.json']) assert.ok(r.rawPayload.includes(name), name);
    });

    test('OpenAPI 3.1 describes every route, docs render, health, readiness and metrics answer', async () => {
      const doc = (await h.server.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.equal(doc.openapi, '3.1.0');
      for (const path of ['/api/v1/auth/login', '/api/v1/lines', '/api/v1/lines/{id}/termination-preview', '/api/v1/terminations', '/api/v1/terminations/{reference}/confirm', '/api/v1/terminations/{reference}/withdraw', '/api/v1/terminations/{reference}', '/tmf-api/productOrderingManagement/v4/productOrder']) {
        assert.ok(doc.paths[path], path);
      }
      assert.equal((await h.server.inject({ method: 'GET', url: '/docs/' })).statusCode, 200);
      assert.deepEqual((await h.server.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
      assert.deepEqual((await h.server.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
      const metrics = (await h.server.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /simexit_terminations\{state="completed",channel="store"\} 1/);
      assert.match(metrics, /simexit_jobs_due \d+/);
      assert.match(metrics, /simexit_http_request_duration_seconds_bucket/);
    });

    test('security headers are set and unknown routes answer with the error shape', async () => {
      const r = await h.server.inject({ method: 'GET', url: '/api/v1/nothing-here' });
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().code, 'NOT_FOUND');
      // An API answer: the headers OWASP names for APIs, and nothing kept in any cache.
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
      const preview = await h.server.inject({ method: 'GET', url: '/api/v1/lines/ln_00000001/termination-preview', headers: bearer(await h.login('+79990000001')) });
      assert.equal(preview.statusCode, 200);
      assert.equal(preview.headers['cache-control'], 'no-store');
      assert.equal(preview.headers['cross-origin-resource-policy'], 'same-origin');
      // The public verification page shows someone's termination: no cache keeps it either.
      assert.equal((await h.server.inject({ method: 'GET', url: '/verify/TRM-0000-0000' })).headers['cache-control'], 'no-store');
      // A page: helmet's full set, with the site's own script and style sources.
      const docs = await h.server.inject({ method: 'GET', url: '/docs/' });
      assert.match(String(docs.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(docs.headers['cross-origin-opener-policy'], 'same-origin');
    });
  });
}
