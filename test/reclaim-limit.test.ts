// The per-person limit on numbers (`numberLimits`) on reclaim: a reclaim that would give the person more live
// numbers than their limit is refused with NUMBER_LIMIT_REACHED, in the caller's language, and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const FORMER = '+79990000004';

for (const kind of storeKinds()) {
  describe(`reclaim and the number limit on ${kind.name}`, () => {
    let h: ApiHarness;
    let customerId: string;
    before(async () => {
      h = await openApi(kind);
      const [outcome] = await requestTerminations(h.app, [{ msisdn: FORMER, channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'test', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(outcome?.kind, 'created');
      await runWorker(h.app, { untilIdle: true, deliver: false });
      customerId = (await h.app.store.db.selectFrom('lines').select('customer_id').where('msisdn', '=', FORMER).executeTakeFirstOrThrow()).customer_id;
      // The former holder has one live line elsewhere (another of the seeded lines, now theirs).
      await h.app.store.db.updateTable('lines').set({ customer_id: customerId }).where('msisdn', '=', '+79990000009').execute();
    });
    after(() => h.close());

    /** What a refused reclaim must leave as it was. */
    const snapshot = async () => ({
      number: (await h.app.store.db.selectFrom('numbers').select(['state', 'quarantine_until']).where('msisdn', '=', FORMER).executeTakeFirstOrThrow()),
      lines: (await h.app.store.db.selectFrom('lines').select('id').where('customer_id', '=', customerId).execute()).length,
      reclaims: (await h.app.store.db.selectFrom('reclaims').select('id').execute()).length,
      simsInStock: (await h.app.store.db.selectFrom('sims').select('iccid').where('state', '=', 'in_stock').execute()).length,
      esimsAvailable: (await h.app.store.db.selectFrom('esim_profiles').select('iccid').where('state', '=', 'available').execute()).length,
      notifications: (await h.app.store.db.selectFrom('notifications').select('id').execute()).length,
      jobs: (await h.app.store.db.selectFrom('jobs').select('id').execute()).length,
    });

    test('a reclaim past the limit is refused in the caller\'s language and changes nothing; within it, it goes through', async () => {
      const limits = h.app.policy.numberLimits as { citizen: number; foreigner: number };
      const saved = { ...limits };
      try {
        Object.assign(limits, { citizen: 1, foreigner: 1 });
        const token = await h.login(FORMER);
        const before = await snapshot();
        assert.equal(before.number.state, 'quarantined');
        for (const [language, words] of [
          ['en', /Numbers per person at most: 1; you hold 1/],
          ['ru', /Номеров на одного человека не больше: 1; у вас сейчас: 1/],
          ['zh', /每人号码上限：1 个，您目前持有 1 个/],
        ] as const) {
          const refused = await h.server.inject({ method: 'POST', url: '/api/v1/reclaims', headers: { ...bearer(token), 'accept-language': language }, payload: { msisdn: FORMER, simType: 'esim' } });
          assert.equal(refused.statusCode, 409, refused.body);
          assert.equal(refused.json().code, 'NUMBER_LIMIT_REACHED');
          assert.match(refused.json().message, words);
        }
        assert.deepEqual(await snapshot(), before, 'nothing changed');

        Object.assign(limits, { citizen: 2, foreigner: 2 });
        const taken = await h.server.inject({ method: 'POST', url: '/api/v1/reclaims', headers: bearer(token), payload: { msisdn: FORMER, simType: 'esim' } });
        assert.equal(taken.statusCode, 201, taken.body);
        assert.equal(taken.json().state, 'active');
      } finally {
        Object.assign(limits, saved);
      }
    });
  });
}
