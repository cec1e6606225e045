/**
 * The password reset is an application action (issue 12 §3): any channel that
 * calls `resetPassword` gets the new password, the end of every other session
 * and an audit entry in one transaction; a wrong code changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signIn } from '../src/app/auth.ts';
import { requestPasswordReset, resetPassword } from '../src/app/password-reset.ts';
import { seed } from '../src/seed/seed.ts';
import { auditTrail } from '../src/store/audit.repository.ts';
import { liveLinesByMsisdn } from '../src/store/lines.repository.ts';
import { codeFromOutbox } from './support/outbox.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`resetPassword on ${kind.name}`, () => {
    let app: TestApp;
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 5, seed: 11 });
    });
    after(() => app.close());

    test('a password reset writes one audit event for the customer, by the customer, with the sessions it ended', async () => {
      const msisdn = '+79990000001';
      const line = (await liveLinesByMsisdn(app.store.db, [msisdn])).get(msisdn);
      assert.ok(line);
      const before = await auditTrail(app.store.db, 'customer', [line.customerId]);
      await requestPasswordReset(app, msisdn, { address: '198.51.100.60' });
      const code = await codeFromOutbox(app, msisdn);
      const signedIn = await resetPassword(app, { msisdn, code, newPassword: 'a brand new password', address: '198.51.100.60' });
      assert.equal(signedIn.principal.id, line.customerId);
      const added = (await auditTrail(app.store.db, 'customer', [line.customerId])).filter((e) => !before.some((b) => b.seq === e.seq));
      assert.equal(added.length, 1, 'one entry');
      const [entry] = added;
      assert.equal(entry?.action, 'password_reset');
      assert.equal(entry?.actorKind, 'customer');
      assert.equal(entry?.actorId, line.customerId);
      assert.equal(typeof JSON.parse(entry?.data ?? '{}').sessionsEnded, 'number');
      const again = await signIn(app, { login: msisdn, password: 'a brand new password', address: '198.51.100.61' });
      assert.equal(again.principal.id, line.customerId, 'the new password signs in');
    });

    test('a wrong code sets no password and writes no audit event', async () => {
      const msisdn = '+79990000002';
      const line = (await liveLinesByMsisdn(app.store.db, [msisdn])).get(msisdn);
      assert.ok(line);
      await requestPasswordReset(app, msisdn, { address: '198.51.100.62' });
      const code = await codeFromOutbox(app, msisdn);
      const wrong = code === '000000'.slice(0, code.length) ? '1'.repeat(code.length) : '0'.repeat(code.length);
      await assert.rejects(resetPassword(app, { msisdn, code: wrong, newPassword: 'never set this one', address: '198.51.100.62' }), { code: 'OTP_INVALID' });
      const trail = await auditTrail(app.store.db, 'customer', [line.customerId]);
      assert.equal(trail.filter((e) => e.action === 'password_reset').length, 0);
      await assert.rejects(signIn(app, { login: msisdn, password: 'never set this one', address: '198.51.100.63' }), { code: 'AUTH_FAILED' });
    });
  });
}
