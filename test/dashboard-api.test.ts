// The back office's dashboard over HTTP, on a store seeded with orders and quarantined numbers whose figures are
// known: requests per local day by channel and reason, completion times, blockers now, the quarantine forecast,
// the audit's recent entries and its chain's check (whole, then broken at the entry someone changed).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DashboardFigures } from '../src/app/dashboard.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { SIM_LOST_REASON } from '../src/domain/termination.ts';
import { addDays, addHours } from '../src/domain/time.ts';
import { insertRows } from '../src/store/bulk.ts';
import { inTransaction } from '../src/store/database.ts';
import type { TerminationsTable } from '../src/store/schema.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { SERVICE_FIGURES, seedServiceFigures } from './support/service-figures.ts';
import { storeKinds } from './support/stores.ts';

for (const kind of storeKinds()) {
  describe(`the dashboard on ${kind.name}`, () => {
    let h: ApiHarness;
    let backOffice: string;
    const get = async (url: string, token: string) => h.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });

    before(async () => {
      h = await openApi(kind, 8);
      backOffice = await h.login('backoffice');
      // The test clock stands at 2026-11-21 10:00 UTC, 13:00 in Moscow (the operator's zone).
      const now = h.app.clock();
      const lines = await h.app.store.db.selectFrom('lines').select(['id', 'customer_id', 'account_id', 'msisdn']).orderBy('id').execute();
      let n = 0;
      const order = (o: { state: string; channel: string; reason: string | null; authority?: string; requestedAt: string; completedAt?: string; blockers?: string[] }): TerminationsTable => {
        const line = lines[n % lines.length];
        if (!line) throw new Error('no lines seeded');
        n++;
        return {
          id: `ord_dash_${n}`,
          reference: `TRM-DASH-${String(n).padStart(4, '0')}`,
          seq: 9_000_000 + n,
          line_id: line.id,
          customer_id: line.customer_id,
          account_id: line.account_id,
          msisdn: line.msisdn,
          sim_type: 'physical',
          channel: o.channel,
          authority: o.authority ?? 'subscriber',
          requested_by_kind: 'customer',
          requested_by_id: line.customer_id,
          reason: o.reason,
          state: o.state,
          effective_mode: 'now',
          effective_at: o.requestedAt,
          requested_at: o.requestedAt,
          confirm_by: null,
          confirmed_at: null,
          completed_at: o.completedAt ?? null,
          blockers: JSON.stringify((o.blockers ?? []).map((code) => ({ code }))),
          warnings: '[]',
          quote: '{}',
          fee_accepted_at: null,
          instalments_accepted_at: null,
          amount_settled: null,
          amount_refunded: null,
          quarantine_until: null,
          sim_collected: 0,
          line_state_before: 'active',
          steps: '{}',
          last_error: null,
          bulk_key: null,
          disowned_at: null,
          updated_at: now,
        };
      };
      const today = '2026-11-21T06:00:00.000Z';
      const yesterday = '2026-11-20T06:00:00.000Z';
      await inTransaction(h.app.store, async (tx) => {
        await insertRows(tx, 'terminations', [
          // Today, Moscow time: two web requests (one at 01:30 local, still the 20th in UTC) and one from a shop.
          order({ state: 'completed', channel: 'web', reason: null, requestedAt: '2026-11-20T22:30:00.000Z', completedAt: '2026-11-20T23:30:00.000Z' }),
          order({ state: 'completed', channel: 'web', reason: SIM_LOST_REASON, requestedAt: today, completedAt: addHours(today, 2) }),
          order({ state: 'completed', channel: 'store', reason: null, authority: 'operator', requestedAt: yesterday, completedAt: addHours(yesterday, 10) }),
          // Held by blockers now (requested yesterday).
          order({ state: 'blocked', channel: 'app', reason: null, requestedAt: yesterday, blockers: ['UNPAID_BALANCE'] }),
          order({ state: 'blocked', channel: 'app', reason: null, requestedAt: yesterday, blockers: ['UNPAID_BALANCE', 'IDENTITY_NOT_VERIFIED'] }),
          // Long before the period: counted nowhere.
          order({ state: 'completed', channel: 'sms', reason: null, requestedAt: addDays(now, -40), completedAt: addDays(now, -39) }),
        ]);
        const numbers = [addDays(now, -1), addDays(now, 3), addDays(now, 10), addDays(now, 12), addDays(now, 190)];
        await insertRows(tx, 'numbers', numbers.map((until, i) => ({ msisdn: `+7990555000${i}`, state: 'quarantined', quarantine_until: until, updated_at: now })));
      });
      await seedServiceFigures(h.app.store, addHours(now, -3));
    });
    after(() => h.close());

    test('counts requests per local day by channel and reason, the completion times, blockers and the quarantine forecast', async () => {
      const r = await get('/staff/dashboard?days=7', backOffice);
      assert.equal(r.statusCode, 200, r.body);
      const figures = r.json() as DashboardFigures;
      assert.equal(figures.days.length, 7);
      const [dayBefore, last] = figures.days.slice(-2);
      assert.equal(last?.start, '2026-11-20T21:00:00.000Z', 'the last day starts at midnight in Moscow');
      assert.deepEqual({ total: last?.total, byChannel: last?.byChannel, byReason: last?.byReason }, { total: 2, byChannel: { web: 2 }, byReason: { own: 1, sim_lost: 1 } });
      assert.deepEqual({ total: dayBefore?.total, byChannel: dayBefore?.byChannel, byReason: dayBefore?.byReason }, { total: 3, byChannel: { store: 1, app: 2 }, byReason: { operator: 1, own: 2 } });
      assert.equal(figures.days.reduce((s, d) => s + d.total, 0), 5, 'the order of forty days ago is outside the period');
      assert.deepEqual(figures.completion, { completed: 3, medianSeconds: 2 * 3600, p90Seconds: 10 * 3600 });
      assert.deepEqual(figures.blockers, { orders: 2, byCode: { UNPAID_BALANCE: 2, IDENTITY_NOT_VERIFIED: 1 } });
      assert.equal(figures.quarantine.pool, 5);
      assert.equal(figures.quarantine.due, 1, 'one quarantine has ended and waits for the sweep');
      assert.deepEqual(figures.quarantine.weeks.slice(0, 3).map((w) => w.returning), [1, 2, 0]);
      assert.equal(figures.quarantine.weeks.length, 26);
      assert.equal(figures.quarantine.later, 1);
    });

    test('the hotline and shop figures are those their own pages compute', async () => {
      const figures = (await get('/staff/dashboard?days=7', backOffice)).json() as DashboardFigures;
      const calls = (await get('/staff/calls/figures?days=7', backOffice)).json() as { voiceMenu: { share: number | null; calls: number } };
      const { hotline, shops } = figures;
      assert.deepEqual(
        { answered: hotline.answered, averageAnswerSeconds: hotline.averageAnswerSeconds, longestAnswerSeconds: hotline.longestAnswerSeconds, withoutAgentShare: hotline.withoutAgentShare, served: shops.served, averageWaitSeconds: shops.averageWaitSeconds, longestWaitSeconds: shops.longestWaitSeconds },
        SERVICE_FIGURES,
      );
      assert.equal(hotline.withoutAgentShare, calls.voiceMenu.share);
      assert.equal(hotline.calls, 10);
    });

    test('a shorter period counts only its own days', async () => {
      const figures = (await get('/staff/dashboard?days=1', backOffice)).json() as DashboardFigures;
      assert.deepEqual(figures.days.map((d) => d.total), [2]);
      assert.deepEqual(figures.completion, { completed: 2, medianSeconds: 3600, p90Seconds: 2 * 3600 });
    });

    test('the recent audit entries say what happened to which order, and the chain is whole until someone edits an entry', async () => {
      const msisdn = (await h.app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn', 'desc').executeTakeFirstOrThrow()).msisdn;
      const [made] = await requestTerminations(h.app, [{ msisdn, channel: 'api', authority: 'operator', actor: { kind: 'staff', id: 'stf_backoffice', channel: 'api' }, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(made?.kind, 'created');
      const reference = made?.kind === 'created' ? made.termination.reference : '';
      const recent = await get('/staff/audit/recent?limit=5', backOffice);
      assert.equal(recent.statusCode, 200, recent.body);
      const { head, entries } = recent.json() as { head: number; entries: { seq: number; action: string; subject: string | null; actorName: string | null; entityType: string }[] };
      const ordered = entries.find((e) => e.entityType === 'termination');
      assert.deepEqual({ subject: ordered?.subject, by: ordered?.actorName }, { subject: reference, by: 'Back Office' }, 'the order by its reference, the staff member by name');
      assert.ok(entries.length > 0 && entries.length <= 5);
      assert.equal(entries[0]?.seq, head, 'newest first');
      assert.ok(entries.every((e) => !JSON.stringify(e).includes('ord_dash_')), 'ids of rows are not shown');
      const whole = (await get('/staff/audit/verification', backOffice)).json() as { ok: boolean; entries: number };
      assert.deepEqual({ ok: whole.ok, entries: whole.entries }, { ok: true, entries: head });
      await h.app.store.db.updateTable('audit_log').set({ reason: 'edited afterwards' }).where('seq', '=', 2).execute();
      const broken = (await get('/staff/audit/verification', backOffice)).json() as { ok: boolean; entries: number; firstBadSeq: number };
      assert.deepEqual({ ok: broken.ok, entries: broken.entries, firstBadSeq: broken.firstBadSeq }, { ok: false, entries: 1, firstBadSeq: 2 });
    });

    test('only the back office and administrators read it', async () => {
      const admin = await h.login('admin');
      assert.equal((await get('/staff/dashboard', admin)).statusCode, 200);
      for (const login of ['shop1', 'callcentre']) {
        const token = await h.login(login);
        for (const url of ['/staff/dashboard', '/staff/audit/recent', '/staff/audit/verification']) assert.equal((await get(url, token)).statusCode, 403, `${login} ${url}`);
      }
      assert.equal((await h.server.inject({ method: 'GET', url: '/api/v1/staff/dashboard' })).statusCode, 401);
      assert.equal((await get('/staff/dashboard?days=abc', backOffice)).statusCode, 400);
    });
  });
}
