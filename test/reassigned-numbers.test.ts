// The reassigned-numbers query through HTTP, on SQLite and Postgres: answers, what it never says, audit, refusals, limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../src/app/auth.ts';
import { QUERIES_PER_WINDOW } from '../src/app/reassigned-numbers.ts';
import { verifyAudit } from '../src/store/audit.repository.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

const RECYCLED = '+79991110001';
const KEPT = '+79991110002';
const NEVER_GIVEN = '+79991110003';
const NOT_OURS = '+15550100000';

for (const kind of storeKinds()) {
  describe(`reassigned-numbers query on ${kind.name}`, () => {
    let h: ApiHarness;
    let key = '';
    const query = (pairs: unknown, token = key) => h.server.inject({ method: 'POST', url: '/api/v1/reassigned-numbers/query', headers: { authorization: `Bearer ${token}` }, payload: { pairs } as never });
    const audited = async () => h.app.store.db.selectFrom('audit_log').select(['actor_id', 'data']).where('entity_type', '=', 'reassigned_numbers_query').orderBy('seq').execute();
    const counted = async () => (await h.app.store.db.selectFrom('auth_failures').select('failures').where('key', 'like', 'rnd-key:%').execute()).map((r) => Number(r.failures));
    before(async () => {
      h = await openApi(kind, 4);
      const at = (d: string) => `${d}T09:30:00.000Z`;
      await h.app.store.db.insertInto('numbers').values([RECYCLED, KEPT, NEVER_GIVEN].map((msisdn) => ({ msisdn, state: 'assigned', quarantine_until: null, updated_at: at('2025-01-01') }))).execute();
      await h.app.store.db
        .insertInto('number_assignments')
        .values([
          // Held from 2025-01-01, disconnected 2026-03-01, someone else's from 2026-05-01.
          { id: 'na_rnd_1', msisdn: RECYCLED, line_id: 'ln_rnd_1', customer_id: 'cus_rnd_first', from_at: at('2025-01-01'), to_at: at('2026-03-01') },
          { id: 'na_rnd_2', msisdn: RECYCLED, line_id: 'ln_rnd_2', customer_id: 'cus_rnd_second', from_at: at('2026-05-01'), to_at: null },
          { id: 'na_rnd_3', msisdn: KEPT, line_id: 'ln_rnd_3', customer_id: 'cus_rnd_kept', from_at: at('2025-06-01'), to_at: null },
        ])
        .execute();
      key = (await createApiKey(h.app, 'bank', ['reassigned-numbers'])).key;
    });
    after(() => h.close());

    test('each pair gets yes, no or no_data by the number\'s history, and nothing of its holders', async () => {
      const pairs = [
        { number: RECYCLED, date: '2025-02-01' },
        { number: RECYCLED, date: '2026-03-01' },
        { number: RECYCLED, date: '2026-03-02' },
        { number: RECYCLED, date: '2026-06-01' },
        { number: RECYCLED, date: '2024-01-01' },
        { number: KEPT, date: '2025-06-01' },
        { number: KEPT, date: '2025-05-31' },
        { number: NEVER_GIVEN, date: '2026-01-01' },
        { number: NOT_OURS, date: '2026-01-01' },
        { number: '+79990000001', date: '2026-11-21' },
      ];
      const r = await query(pairs);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json().answers.map((a: { answer: string }) => a.answer), ['yes', 'yes', 'no', 'no', 'yes', 'no', 'no_data', 'no_data', 'no_data', 'no']);
      assert.deepEqual(r.json().answers.map((a: { number: string; date: string }) => [a.number, a.date]), pairs.map((p) => [p.number, p.date]));
      for (const secret of ['cus_rnd', 'ln_rnd', '2026-05-01', '2026-03-01T', '2025-01-01']) assert.ok(!r.body.includes(secret), `the answer shows ${secret}`);
      const [entry] = (await audited()).slice(-1);
      const data = JSON.parse(String(entry?.data));
      assert.deepEqual({ pairs: data.pairs, yes: data.yes, no: data.no, no_data: data.no_data }, { pairs: 10, yes: 3, no: 4, no_data: 3 });
      assert.match(data.digest, /^[0-9a-f]{64}$/);
      assert.ok(!String(entry?.data).includes('+7999'), 'the audit keeps no number');
      assert.equal(data.apiKey, entry?.actor_id);
    });

    test('queries at the same moment are each audited once, written together, and the audit chain holds', async () => {
      const before = (await audited()).length;
      const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => query([{ number: KEPT, date: `2026-01-${String(1 + i).padStart(2, '0')}` }])));
      assert.deepEqual([...new Set(answers.map((r) => r.statusCode))], [200]);
      assert.equal((await audited()).length, before + 25);
      assert.equal((await verifyAudit(h.app.store.db)).ok, true);
    });

    test('a bad request is refused whole with a stable code, and nothing is counted or audited', async () => {
      const [entries, counts] = [(await audited()).length, await counted()];
      const good = { number: KEPT, date: '2026-01-01' };
      const cases: [unknown, string][] = [
        [Array.from({ length: 1001 }, () => good), 'VALIDATION_FAILED'],
        [[good, { number: '89991110002', date: '2026-01-01' }], 'VALIDATION_FAILED'],
        [[good, { number: KEPT, date: '01.01.2026' }], 'VALIDATION_FAILED'],
        [[good, { number: KEPT, date: '2026-02-30' }], 'RND_INVALID_DATE'],
        [[good, { number: KEPT, date: '2026-11-22' }], 'RND_FUTURE_DATE'],
        [[], 'VALIDATION_FAILED'],
      ];
      for (const [pairs, code] of cases) {
        const r = await query(pairs);
        assert.deepEqual([r.statusCode, r.json().code], [400, code], JSON.stringify(pairs).slice(0, 100));
      }
      assert.equal((await query(Array.from({ length: 1000 }, () => good))).statusCode, 200, 'a thousand pairs are fine');
      assert.equal((await audited()).length, entries + 1, 'only the good request is audited');
      assert.deepEqual((await counted()).reduce((a, b) => a + b, 0), counts.reduce((a, b) => a + b, 0) + 1, 'only the good request is counted');
    });

    test('staff, subscribers and keys without the scope are refused; anonymous callers too', async () => {
      const pairs = [{ number: KEPT, date: '2026-01-01' }];
      const other = (await createApiKey(h.app, 'tmf partner', ['tmf622'])).key;
      for (const token of [other, await h.login('admin'), await h.login('backoffice')]) assert.equal((await query(pairs, token)).statusCode, 403);
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/reassigned-numbers/query', payload: { pairs } })).statusCode, 401);
    });

    test(`a key is limited to ${QUERIES_PER_WINDOW} queries a minute, counted in the store; another key is not slowed`, async () => {
      const limited = (await createApiKey(h.app, 'busy bank', ['reassigned-numbers'])).key;
      const pairs = [{ number: KEPT, date: '2026-01-01' }];
      for (let i = 0; i < QUERIES_PER_WINDOW; i++) assert.equal((await query(pairs, limited)).statusCode, 200);
      const over = await query(pairs, limited);
      assert.deepEqual([over.statusCode, over.json().code], [429, 'RND_RATE_LIMITED']);
      assert.equal((await query(pairs)).statusCode, 200, 'the other key goes on');
      h.app.clock.advanceHours(1);
      assert.equal((await query(pairs, limited)).statusCode, 200, 'the window passed');
    });
  });
}
