/**
 * Password resets and codes (issue 11 §2): a reset ends every session of the
 * person, is audited, is limited per number and per address and answers the
 * same for numbers that are not ours; using up a code and the action it
 * allows commit together.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { builtinAdapters } from '../src/adapters/builtin.ts';
import type { Principal } from '../src/app/principal.ts';
import { confirmWithCode, requestAsSubscriber } from '../src/app/subscriber-terminations.ts';
import { seed } from '../src/seed/seed.ts';
import { terminationByReference } from '../src/store/terminations.repository.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { codeFromOutbox } from './support/outbox.ts';
import { openTestApp, storeKinds } from './support/stores.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

for (const kind of storeKinds()) {
  describe(`password reset on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
    });
    after(() => h.close());

    test('a reset ends every existing session of the person and is audited', async () => {
      const old = await h.login('+79990000001');
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: bearer(old) })).statusCode, 200);
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress: '198.51.100.40', payload: { msisdn: '+79990000001' } })).statusCode, 202);
      const code = await h.lastCode('+79990000001');
      const done = await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', remoteAddress: '198.51.100.40', payload: { msisdn: '+79990000001', code, newPassword: 'another long password' } });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: bearer(old) })).statusCode, 401, 'the session from before the reset is over');
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/lines', headers: bearer(done.json().token) })).statusCode, 200);
      const audit = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'customer').where('action', '=', 'password_reset').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]?.data ?? '{}').sessionsEnded, 1);
    });

    test('known and unknown numbers get the same answer, and sends are limited per number and per address', async () => {
      const ask = (msisdn: string, address: string) => h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress: address, payload: { msisdn } });
      const known = await ask('+79990000002', '198.51.100.41');
      const unknown = await ask('+79550000002', '198.51.100.41');
      assert.deepEqual([known.statusCode, unknown.statusCode], [202, 202]);
      assert.deepEqual(Object.keys(known.json()).sort(), Object.keys(unknown.json()).sort());
      assert.ok(known.json().expiresAt && unknown.json().expiresAt, 'expiresAt is filled for both');
      const { maxSendsPerNumber, maxSendsPerAddress } = h.app.policy.otp;
      for (const msisdn of ['+79990000003', '+79550000003']) {
        const codes = [];
        for (let i = 0; i < maxSendsPerNumber + 1; i++) codes.push((await ask(msisdn, `203.0.120.${i}`)).statusCode);
        assert.deepEqual(codes, [...Array(maxSendsPerNumber).fill(202), 429], `per number, ours or not (${msisdn})`);
      }
      const sent = await h.app.store.db.selectFrom('notifications').select('id').where('subject_ref', '=', '+79990000003').execute();
      assert.equal(sent.length, maxSendsPerNumber, 'no SMS past the limit');
      const fromOne = [];
      for (let i = 0; i < maxSendsPerAddress + 1; i++) fromOne.push((await ask(`+795500001${String(i).padStart(2, '0')}`, '203.0.121.1')).statusCode);
      assert.equal(fromOne.at(-1), 429, 'per address');
      const refused = await ask('+79550000199', '203.0.121.1');
      assert.equal(refused.json().code, 'TOO_MANY_CODES');
      assert.ok(Number(refused.headers['retry-after']) > 0);
    });
  });

  describe(`codes at rest on ${kind.name}`, () => {
    test('after delivery no code appears in any column of any table', async () => {
      const h = await openApi(kind, 10);
      try {
        const token = await h.login('+79990000004');
        const created = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { ...bearer(token), 'idempotency-key': 'scan-1' }, payload: { lineId: 'ln_00000004' } });
        assert.equal(created.statusCode, 201, created.body);
        await h.server.inject({ method: 'POST', url: '/api/v1/auth/password-reset', remoteAddress: '198.51.100.60', payload: { msisdn: '+79990000005' } });
        const codes = [await h.lastCode(created.json().reference), await h.lastCode('+79990000005')];
        const tables = ['customers', 'lines', 'terminations', 'notifications', 'otp_codes', 'audit_log', 'jobs', 'sessions', 'auth_failures', 'idempotency_keys', 'trusted_devices'];
        for (const table of tables) {
          const rows = await h.app.store.db.selectFrom(table as 'customers').selectAll().execute();
          const text = JSON.stringify(rows);
          for (const code of codes) assert.ok(!text.includes(code), `code ${code} found in ${table}`);
        }
      } finally {
        await h.close();
      }
    });
  });

  describe(`using up a code on ${kind.name}`, () => {
    test('a failure between spending the code and confirming the order leaves the code unspent', async () => {
      let fail = true;
      const app = await openTestApp(kind, {
        adapters: {
          notifier: {
            ...builtinAdapters.notifier,
            async enqueue(tx, messages, at) {
              if (fail && messages.some((m) => m.template === 'termination.scheduled')) throw new Error('injected failure after the code was spent');
              return builtinAdapters.notifier.enqueue(tx, messages, at);
            },
          },
        },
      });
      try {
        await seed(app, { customers: 10, seed: 11 });
        const me: Principal = { kind: 'customer', id: 'cus_00000002', name: 'x', language: 'en' };
        const { termination } = await requestAsSubscriber(app, me, { lineId: 'ln_00000002', effective: { mode: 'now' }, channel: 'web' });
        assert.equal(termination.state, 'awaiting_confirmation');
        const code = await codeFromOutbox(app, termination.reference);
        await assert.rejects(confirmWithCode(app, me, termination.reference, code, '198.51.100.50'), /injected failure/);
        const otp = await app.store.db.selectFrom('otp_codes').select('used_at').where('subject', '=', termination.reference).executeTakeFirstOrThrow();
        assert.equal(otp.used_at, null, 'the code is not spent');
        assert.equal((await terminationByReference(app.store.db, termination.reference))?.state, 'awaiting_confirmation');
        fail = false;
        const confirmed = await confirmWithCode(app, me, termination.reference, code, '198.51.100.50');
        assert.equal(confirmed.state, 'scheduled', 'the same code confirms once the failure is gone');
        await assert.rejects(confirmWithCode(app, me, termination.reference, code, '198.51.100.50'));
      } finally {
        await app.close();
      }
    });
  });
}
