import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../src/app/auth.ts';
import { sweepQuarantine } from '../src/app/inventory-actions.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { terminationByReference } from '../src/store/terminations.repository.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { delivered, lastDeliveredCode } from './support/outbox.ts';
import { storeKinds } from './support/stores.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The demo subscriber under a minimum term (seed showcase 3, English). */
const MINIMUM_TERM = { msisdn: '+79990000003', lineId: 'ln_00000003' };

for (const kind of storeKinds()) {
  describe(`lifecycle gaps on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
    });
    after(() => h.close());

    test('minimum term: after accepting the early-termination fee a code reaches the line and confirms the order', async () => {
      const token = await h.login(MINIMUM_TERM.msisdn);
      const created = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'min-term-1' }, payload: { lineId: MINIMUM_TERM.lineId, effective: 'now' } });
      assert.equal(created.statusCode, 201, created.body);
      const order = created.json();
      assert.equal(order.state, 'blocked');
      assert.ok(order.blockers.some((b: { code: string }) => b.code === 'EARLY_TERMINATION_FEE_NOT_ACCEPTED'));
      assert.equal(order.codeSentUntil, null, 'no code while something blocks the order');

      const accepted = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${order.reference}/accept-charges`, headers: bearer(token) });
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.json().state, 'awaiting_confirmation');
      await runWorker(h.app, { untilIdle: true });
      const code = lastDeliveredCode(MINIMUM_TERM.msisdn, order.reference);
      const confirmed = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${order.reference}/confirm`, headers: bearer(token), payload: { code } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().state, 'scheduled');
    });

    test('the status shows the execution steps as they happen and until when the number is kept', async () => {
      const token = await h.login(MINIMUM_TERM.msisdn);
      const [mine] = (await h.server.inject({ method: 'GET', url: '/api/v1/terminations', headers: bearer(token) })).json();
      const before = (await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${mine.reference}`, headers: bearer(token) })).json();
      assert.equal(before.state, 'scheduled');
      assert.deepEqual(before.progress.map((p: { step: string; state: string }) => `${p.step}:${p.state}`), ['barred:pending', 'sim_released:pending', 'settled:pending', 'number_kept:pending', 'notified:pending']);
      h.app.clock.advanceHours(25);
      await runWorker(h.app, { untilIdle: true });
      // The former holder signs in again (a day has passed) while the number is kept for them.
      const again = await h.login(MINIMUM_TERM.msisdn);
      const after = (await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${mine.reference}`, headers: bearer(again) })).json();
      assert.equal(after.state, 'completed');
      assert.ok(after.progress.every((p: { state: string; at: string | null }) => p.state === 'done' && p.at));
      const kept = after.progress.find((p: { step: string }) => p.step === 'number_kept');
      assert.ok(after.quarantineUntil);
      assert.equal(kept.until, after.quarantineUntil);
    });

    test('"not me" on a blocked request withdraws it, records it as not theirs and puts it in the back office\'s queue', async () => {
      const since = Date.now() - 5; // this file's SQLite and Postgres runs share one outbox
      const token = await h.login('+79990000000');
      const created = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'not-me-1' }, payload: { lineId: 'ln_00000000' } });
      const order = created.json();
      assert.equal(order.state, 'blocked');
      assert.ok(order.withdrawableUntil, 'a blocked request says until when it can be withdrawn');
      const notMe = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${order.reference}/not-me`, headers: bearer(token) });
      assert.equal(notMe.statusCode, 200, notMe.body);
      assert.equal(notMe.json().state, 'withdrawn');
      assert.ok(notMe.json().disownedAt);
      const status = (await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${order.reference}`, headers: bearer(token) })).json();
      assert.ok(status.timeline.some((e: { action: string }) => e.action === 'not_me_reported'));
      const staff = await h.login('backoffice');
      const alerts = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/alerts', headers: bearer(staff) })).json();
      const alert = alerts.find((a: { reference: string }) => a.reference === order.reference);
      assert.equal(alert?.kind, 'not_me');
      assert.equal(alert?.data.stateBefore, 'blocked');
      const handled = await h.server.inject({ method: 'POST', url: `/api/v1/staff/alerts/${alert.id}/handled`, headers: bearer(staff) });
      assert.equal(handled.statusCode, 200);
      const open = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/alerts', headers: bearer(staff) })).json();
      assert.ok(!open.some((a: { id: string }) => a.id === alert.id), 'a handled alert leaves the open queue');
      // The holder is told, in their language (Chinese).
      await runWorker(h.app, { untilIdle: true });
      const sms = delivered('+79990000000').filter((m) => m.at >= since && m.key.includes('termination.withdrawn') && m.text.includes(order.reference));
      assert.equal(sms.length, 1);
      assert.match(sms[0]?.text ?? '', new RegExp(`${order.reference}.*已撤回`));

    });

    test('a request awaiting its code can be withdrawn; its code then confirms nothing', async () => {
      const since = Date.now() - 5; // this file's SQLite and Postgres runs share one outbox
      const token = await h.login('+79990000004');
      const order = (await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'withdraw-waiting-1' }, payload: { lineId: 'ln_00000004' } })).json();
      assert.equal(order.state, 'awaiting_confirmation');
      assert.equal(order.withdrawableUntil, order.confirmBy);
      const withdrawn = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${order.reference}/withdraw`, headers: bearer(token) });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      assert.equal(withdrawn.json().state, 'withdrawn');
      assert.equal(withdrawn.json().disownedAt, null);
      await runWorker(h.app, { untilIdle: true });
      const code = lastDeliveredCode('+79990000004', order.reference);
      const confirm = await h.server.inject({ method: 'POST', url: `/api/v1/terminations/${order.reference}/confirm`, headers: bearer(token), payload: { code } });
      assert.equal(confirm.statusCode, 409);
      const line = await h.app.store.db.selectFrom('lines').select('state').where('id', '=', 'ln_00000004').executeTakeFirstOrThrow();
      assert.equal(line.state, 'active');
      const told = delivered('+79990000004').filter((m) => m.at >= since && m.key.includes('termination.withdrawn') && m.text.includes(order.reference));
      assert.equal(told.length, 1, 'the holder is told the request was withdrawn');
      assert.equal(told[0]?.language, 'ru');
      assert.match(told[0]?.text ?? '', /отозвана/);

      // Refused by the back office: the holder is told too.
      const again = (await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'withdraw-waiting-2' }, payload: { lineId: 'ln_00000004' } })).json();
      const staff = await h.login('backoffice');
      const rejected = await h.server.inject({ method: 'POST', url: `/api/v1/staff/terminations/${again.reference}/reject`, headers: bearer(staff), payload: { reason: 'fraud check' } });
      assert.equal(rejected.statusCode, 200, rejected.body);
      await runWorker(h.app, { untilIdle: true });
      const refused = delivered('+79990000004').filter((m) => m.at >= since && m.key.includes('termination.rejected') && m.text.includes(again.reference));
      assert.equal(refused.length, 1);
      assert.match(refused[0]?.text ?? '', new RegExp(`${again.reference}.*отклонена`));
    });

    test("a blocked request expires after the policy's days, and TMF622's list applies its state filter", async () => {
      const since = Date.now() - 5; // this file's SQLite and Postgres runs share one outbox
      const debtor = await h.app.store.db.selectFrom('lines').innerJoin('accounts', 'accounts.id', 'lines.account_id').select(['lines.id', 'lines.customer_id']).where('accounts.balance', '<', 0).where('lines.state', '=', 'active').where('lines.id', '!=', 'ln_00000000').orderBy('lines.id').executeTakeFirstOrThrow();
      const [outcome] = await requestTerminations(h.app, [{ lineId: debtor.id, channel: 'web', authority: 'subscriber', actor: { kind: 'customer', id: debtor.customer_id, channel: 'web' }, effective: { mode: 'now' } }]);
      assert.ok(outcome?.kind === 'created');
      const reference = outcome.termination.reference;
      assert.equal(outcome.termination.state, 'blocked');
      const days = h.app.policy.confirmation.blockedExpiryDays ?? 30;
      h.app.clock.advanceDays(days - 1);
      await runWorker(h.app, { untilIdle: true });
      assert.equal((await terminationByReference(h.app.store.db, reference))?.state, 'blocked');
      h.app.clock.advanceDays(2);
      await runWorker(h.app, { untilIdle: true });
      assert.equal((await terminationByReference(h.app.store.db, reference))?.state, 'expired');
      const msisdn = outcome.termination.msisdn;
      const lapsed = delivered(msisdn).filter((m) => m.at >= since && m.key.includes('termination.expired') && m.text.includes(reference));
      assert.equal(lapsed.length, 1, 'the holder is told the request lapsed');
      assert.ok(lapsed[0]?.text.includes(reference));

      const key = { authorization: `Bearer ${(await createApiKey(h.app, 'partner', ['tmf622'])).key}` };
      const cancelled = await h.server.inject({ method: 'GET', url: '/tmf-api/productOrderingManagement/v4/productOrder?state=cancelled&limit=1000', headers: key });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      const orders = cancelled.json() as { id: string; state: string }[];
      assert.ok(orders.length >= 2 && orders.every((o) => o.state === 'cancelled'), JSON.stringify(orders.map((o) => o.state)));
      assert.ok(orders.some((o) => o.id === reference));
      assert.equal(cancelled.headers['x-total-count'], String(orders.length));
    });

    test('after the quarantine the former holder still signs in, read-only: orders, certificate, data export; never a new holder\'s data', async () => {
      h.app.clock.advanceDays(h.app.policy.quarantine.days + 1);
      await sweepQuarantine(h.app);
      const number = await h.app.store.db.selectFrom('numbers').select('state').where('msisdn', '=', MINIMUM_TERM.msisdn).executeTakeFirstOrThrow();
      assert.equal(number.state, 'available', 'the number has left quarantine');
      const login = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.77.0.1', payload: { msisdn: MINIMUM_TERM.msisdn, password: 'demo1234' } });
      assert.equal(login.statusCode, 200, login.body);
      const former = login.json();
      const me = bearer(former.token);
      const orders = (await h.server.inject({ method: 'GET', url: '/api/v1/terminations', headers: me })).json();
      const done = orders.find((o: { lineId: string; state: string }) => o.lineId === MINIMUM_TERM.lineId && o.state === 'completed');
      assert.ok(done, 'their ended order is still there');
      const pdf = await h.server.inject({ method: 'GET', url: `/api/v1/terminations/${done.reference}/certificate.pdf`, headers: me });
      assert.equal(pdf.statusCode, 200);
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/me/export', headers: me })).statusCode, 200);
      const again = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...me, 'idempotency-key': 'former-1' }, payload: { lineId: MINIMUM_TERM.lineId } });
      assert.equal(again.statusCode, 409, 'no new action on an ended line');
      assert.equal(again.json().code, 'LINE_ALREADY_TERMINATED');

      // The number goes to someone else: signing in with it now reaches only the new holder.
      const db = h.app.store.db;
      const old = await db.selectFrom('lines').selectAll().where('id', '=', MINIMUM_TERM.lineId).executeTakeFirstOrThrow();
      await db.insertInto('lines').values({ ...old, id: 'ln_newholder', customer_id: 'cus_00000005', account_id: 'acc_00000005', iccid: `${old.iccid}7`, state: 'active', activated_at: h.app.clock(), terminated_at: null }).execute();
      await db.updateTable('numbers').set({ state: 'assigned' }).where('msisdn', '=', MINIMUM_TERM.msisdn).execute();
      const byNumber = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.77.0.2', payload: { msisdn: MINIMUM_TERM.msisdn, password: 'demo1234' } });
      assert.equal(byNumber.statusCode, 200);
      assert.equal(byNumber.json().principal.id, 'cus_00000005');
      assert.notEqual(byNumber.json().principal.id, former.principal.id);

      // The former holder still gets in, with the e-mail on their contract: their own history, none of the new holder's.
      const { email } = await db.selectFrom('customers').select('email').where('id', '=', former.principal.id).executeTakeFirstOrThrow();
      assert.ok(email);
      const byEmail = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.77.0.3', payload: { login: email.toUpperCase(), password: 'demo1234' } });
      assert.equal(byEmail.statusCode, 200, byEmail.body);
      assert.equal(byEmail.json().principal.id, former.principal.id);
      const theirs = (await h.server.inject({ method: 'GET', url: '/api/v1/terminations', headers: bearer(byEmail.json().token) })).json();
      assert.ok(theirs.some((o: { reference: string }) => o.reference === done.reference), 'their ended order is still there');
      const lines = (await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: bearer(byEmail.json().token) })).json();
      assert.ok(!lines.some((l: { id: string }) => l.id === 'ln_newholder'), "never the new holder's line");
      const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.77.0.3', payload: { login: email, password: 'not-it' } });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().code, 'AUTH_FAILED');
    });
  });
}
