import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runWorker } from '../src/jobs/worker.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { lastDeliveredCode } from './support/outbox.ts';
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
  });
}
