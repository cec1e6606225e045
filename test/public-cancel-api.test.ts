// Cancel without signing in: the receipt shows the same money, eSIM steps and withdrawal deadline as the
// signed-in status page, and the holder can withdraw it with the same proof (never with the reference alone).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`public cancellation receipt and withdrawal on ${kind.name}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await openApi(kind);
    });
    after(() => h.close());

    // An eSIM holder with nothing that blocks and a document on file.
    const holder = () =>
      h.app.store.db
        .selectFrom('lines')
        .innerJoin('accounts', 'accounts.id', 'lines.account_id')
        .innerJoin('customers', 'customers.id', 'lines.customer_id')
        .select(['lines.msisdn', 'lines.sim_type', 'customers.name', 'customers.doc_last4', 'customers.birth_date'])
        .where('accounts.balance', '>=', 0)
        .where('lines.minimum_term_ends_at', 'is', null)
        .where('lines.state', '=', 'active')
        .where('lines.sim_type', '=', 'esim')
        .where('lines.port_out_requested_at', 'is', null)
        .where('lines.legal_hold_at', 'is', null)
        .where('customers.doc_last4', 'is not', null)
        .orderBy('lines.msisdn')
        .executeTakeFirstOrThrow();

    test('the receipt carries the quote, the final invoice rows, the SIM type and until when it can be withdrawn; withdrawing needs the proof again', async () => {
      const who = await holder();
      const proof = { holderName: who.name, documentLast4: who.doc_last4 ?? '' };
      const made = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations', payload: { msisdn: who.msisdn, ...proof, effective: 'end_of_period' } });
      assert.equal(made.statusCode, 201, made.body);
      const receipt = made.json();
      assert.equal(receipt.simType, 'esim');
      assert.equal(typeof receipt.quote.refund, 'number');
      assert.equal(receipt.quote.currency, h.app.policy.currency);
      assert.ok(receipt.charges.some((c: { code: string }) => c.code === 'SERVICES_TO_END_DATE'), made.body);
      assert.equal(receipt.withdrawableUntil, receipt.confirmBy, 'awaiting its code: withdrawable until it lapses');
      for (const secret of [who.msisdn, who.name, who.doc_last4 ?? '', 'accountId', 'lineId', 'customerId']) assert.ok(!made.body.includes(secret), `the receipt does not show ${secret}`);

      const code = await h.lastCode(receipt.reference);
      const confirmed = await h.server.inject({ method: 'POST', url: `/api/v1/public/cancellations/${receipt.reference}/confirm`, payload: { code } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.equal(confirmed.json().state, 'scheduled');
      assert.equal(confirmed.json().withdrawableUntil, confirmed.json().effectiveAt, 'scheduled: withdrawable until it takes effect');
      assert.equal(confirmed.json().simType, 'esim');

      const url = `/api/v1/public/cancellations/${receipt.reference}/withdraw`;
      const bare = await h.server.inject({ method: 'POST', url, payload: {} });
      assert.equal(bare.statusCode, 400, 'the reference alone is not enough');
      const noFact = await h.server.inject({ method: 'POST', url, payload: { holderName: who.name } });
      assert.equal(noFact.json().code, 'VALIDATION_FAILED');
      const wrong = await h.server.inject({ method: 'POST', url, payload: { holderName: 'Somebody Else', documentLast4: proof.documentLast4 } });
      assert.equal(wrong.json().code, 'IDENTITY_MISMATCH');
      const unknown = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations/TRM-0000-0000/withdraw', payload: proof });
      assert.equal(unknown.json().code, 'IDENTITY_MISMATCH', 'an unknown reference answers like wrong details');
      const still = await h.app.store.db.selectFrom('terminations').select('state').where('reference', '=', receipt.reference).executeTakeFirstOrThrow();
      assert.equal(still.state, 'scheduled', 'refused withdrawals change nothing');

      const done = await h.server.inject({ method: 'POST', url, payload: { holderName: who.name.toUpperCase(), documentLast4: proof.documentLast4 } });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual([done.json().state, done.json().confirmation, done.json().withdrawableUntil], ['withdrawn', 'withdrawn', null]);
      const line = await h.app.store.db.selectFrom('lines').select('state').where('msisdn', '=', who.msisdn).executeTakeFirstOrThrow();
      assert.equal(line.state, 'active', 'the line stays');
      const audit = await h.app.store.db.selectFrom('audit_log').select(['actor_kind', 'reason']).where('to_state', '=', 'withdrawn').execute();
      assert.ok(audit.some((a) => a.actor_kind === 'customer'), 'audited as the holder');
      const again = await h.server.inject({ method: 'POST', url, payload: proof });
      assert.equal(again.statusCode, 409, again.body);
    });

    test('guessing the proof to withdraw is bounded like guessing it to cancel', async () => {
      const who = await holder();
      let last = 0;
      let code = '';
      for (let i = 0; i < 30 && code !== 'AUTH_LOCKED'; i++) {
        const r = await h.server.inject({ method: 'POST', url: '/api/v1/public/cancellations/TRM-0000-0001/withdraw', payload: { holderName: who.name, documentLast4: `${1000 + i}` }, remoteAddress: '10.77.0.1' });
        code = r.json().code;
        last = i;
      }
      assert.equal(code, 'AUTH_LOCKED', 'an address that keeps guessing is stopped');
      assert.ok(last < 30);
    });
  });
}
