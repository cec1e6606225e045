import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { noticeQuarantineEndingSoon, reclaimNumber, sweepQuarantine } from '../src/app/inventory-actions.ts';
import { requestTerminations, type TerminationRequest } from '../src/app/request-terminations.ts';
import { confirmTermination, recordPayment, retryTermination, withdrawTermination } from '../src/app/termination-actions.ts';
import type { Actor } from '../src/domain/channels.ts';
import type { AppError } from '../src/domain/errors.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { verifyAudit } from '../src/store/audit.repository.ts';
import { terminationByReference } from '../src/store/terminations.repository.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const subscriber = (id: string): Actor => ({ kind: 'customer', id, channel: 'web' });
const web = (msisdn: string, customerId: string): TerminationRequest => ({ msisdn, channel: 'web', authority: 'subscriber', actor: subscriber(customerId), effective: { mode: 'now' } });

async function one(app: TestApp, request: TerminationRequest) {
  const [outcome] = await requestTerminations(app, [request]);
  if (!outcome || outcome.kind !== 'created') throw outcome?.kind === 'error' ? outcome.error : new Error('not created');
  return outcome.termination;
}

async function ledgerMatchesBalances(app: TestApp) {
  const rows = await app.store.db
    .selectFrom('accounts')
    .leftJoin('ledger_entries', 'ledger_entries.account_id', 'accounts.id')
    .select(['accounts.id', 'accounts.balance', (eb) => eb.fn.sum<number>('ledger_entries.amount').as('moved')])
    .groupBy(['accounts.id', 'accounts.balance'])
    .execute();
  return rows;
}

for (const kind of storeKinds()) {
  describe(`termination flow on ${kind.name}`, () => {
    let app: TestApp;
    const balances = new Map<string, number>();
    before(async () => {
      app = await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, backoffBaseSeconds: 0, backoffMaxSeconds: 0, maxAttempts: 2 } }) });
      await seed(app, { customers: 40, seed: 7 });
      for (const a of await app.store.db.selectFrom('accounts').select(['id', 'balance']).execute()) balances.set(a.id, Number(a.balance));
    });
    after(() => app.close());

    test('a debt blocks the request until it is paid; after cooling-off the worker ends the line', async () => {
      const t = await one(app, web('+79990000000', 'cus_00000000'));
      assert.equal(t.state, 'blocked');
      assert.deepEqual(t.blockers.map((b) => b.code), ['UNPAID_BALANCE']);
      assert.ok(t.warnings.some((w) => w.code === 'DATA_WILL_BE_LOST' && w.dataLeftMb === 12_000));
      await assert.rejects(confirmTermination(app, t.reference, subscriber('cus_00000000')), (e: AppError) => e.code === 'BLOCKERS_PRESENT');

      await recordPayment(app, 'acc_00000000', 45_000, subscriber('cus_00000000'), 'sandbox-1');
      assert.equal((await terminationByReference(app.store.db, t.reference))?.state, 'awaiting_confirmation');
      const confirmed = await confirmTermination(app, t.reference, subscriber('cus_00000000'));
      assert.equal(confirmed.state, 'scheduled');
      assert.equal(Date.parse(confirmed.effectiveAt) - Date.parse(app.clock()), 24 * 3_600_000, 'web cooling-off is 24 h');

      await runWorker(app, { untilIdle: true });
      assert.equal((await terminationByReference(app.store.db, t.reference))?.state, 'scheduled', 'nothing happens during cooling-off');
      app.clock.advanceHours(25);
      await runWorker(app, { untilIdle: true });
      const done = await terminationByReference(app.store.db, t.reference);
      assert.equal(done?.state, 'completed');
      assert.deepEqual(done?.steps.map((s) => s.step), ['network.bar', 'sim.release', 'billing.settle', 'number.quarantine', 'notify.completed']);
      const number = await app.store.db.selectFrom('numbers').selectAll().where('msisdn', '=', '+79990000000').executeTakeFirstOrThrow();
      assert.equal(number.state, 'quarantined');
      assert.equal(Date.parse(number.quarantine_until ?? '') - Date.parse(app.clock()), 180 * 86_400_000);
      const line = await app.store.db.selectFrom('lines').select(['state']).where('id', '=', 'ln_00000000').executeTakeFirstOrThrow();
      assert.equal(line.state, 'terminated');
      const esim = await app.store.db.selectFrom('esim_profiles').selectAll().where('iccid', '=', '8970199000000000000').executeTakeFirstOrThrow();
      assert.equal(esim.state, 'enabled', 'an installed eSIM cannot be deleted remotely');
      assert.ok(esim.awaiting_device_deletion_since);
      const messages = await app.store.db.selectFrom('notifications').select(['template', 'medium']).where('subject_ref', '=', t.reference).execute();
      // Paying the debt made the order await its code: the code went to the line then.
      assert.deepEqual(messages.map((m) => `${m.template}/${m.medium}`).sort(), ['otp.confirm_termination/sms', 'termination.completed/email', 'termination.requested/email', 'termination.requested/sms', 'termination.scheduled/email', 'termination.scheduled/sms']);
      assert.ok(await app.store.db.selectFrom('certificates').select('reference').where('reference', '=', t.reference).executeTakeFirst());
    });

    test('the ledger always sums to the balance', async () => {
      for (const row of await ledgerMatchesBalances(app)) {
        assert.equal(Number(row.balance), (balances.get(row.id) ?? 0) + Number(row.moved ?? 0), `account ${row.id}`);
      }
    });

    test('a withdrawn termination frees the line again', async () => {
      const t = await one(app, web('+79990000001', 'cus_00000001'));
      assert.equal(t.state, 'awaiting_confirmation');
      await confirmTermination(app, t.reference, subscriber('cus_00000001'));
      const line = await app.store.db.selectFrom('lines').select('state').where('id', '=', 'ln_00000001').executeTakeFirstOrThrow();
      assert.equal(line.state, 'termination_scheduled');
      const withdrawn = await withdrawTermination(app, t.reference, subscriber('cus_00000001'));
      assert.equal(withdrawn.state, 'withdrawn');
      const again = await app.store.db.selectFrom('lines').select('state').where('id', '=', 'ln_00000001').executeTakeFirstOrThrow();
      assert.equal(again.state, 'active');
      const second = await one(app, web('+79990000001', 'cus_00000001'));
      assert.equal(second.state, 'awaiting_confirmation');
    });

    test('a second request for a line with an open order is refused and changes nothing', async () => {
      const [outcome] = await requestTerminations(app, [web('+79990000001', 'cus_00000001')]);
      assert.equal(outcome?.kind, 'error');
      assert.equal(outcome?.kind === 'error' && outcome.error.code, 'TERMINATION_ALREADY_OPEN');
    });

    test('an unconfirmed request expires', async () => {
      const t = await one(app, web('+79990000004', 'cus_00000004'));
      app.clock.advanceHours(1);
      const totals = await runWorker(app, { untilIdle: true });
      assert.ok(totals.expired >= 1);
      assert.equal((await terminationByReference(app.store.db, t.reference))?.state, 'expired');
    });

    test('an effective date in the past is refused', async () => {
      const [outcome] = await requestTerminations(app, [{ ...web('+79990000005', 'cus_00000005'), effective: { mode: 'date', date: '2020-01-01' } }]);
      assert.equal(outcome?.kind === 'error' && outcome.error.code, 'INVALID_EFFECTIVE_DATE');
      assert.equal(await app.store.db.selectFrom('terminations').select('id').where('msisdn', '=', '+79990000005').executeTakeFirst(), undefined);
    });

    test('a reclaim gives the former holder the same number on a new line; sweep recycles the rest', async () => {
      const operator: Actor = { kind: 'staff', id: 'bo', channel: 'bulk' };
      const [a, b] = await requestTerminations(app, [
        { msisdn: '+79990000010', channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true },
        { msisdn: '+79990000011', channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true },
      ]);
      assert.equal(a?.kind, 'created');
      assert.equal(b?.kind, 'created');
      await runWorker(app, { untilIdle: true });
      await assert.rejects(
        reclaimNumber(app, { msisdn: '+79990000010', customerId: 'cus_00000011', simType: 'esim', channel: 'web', actor: subscriber('cus_00000011') }),
        (e: AppError) => e.code === 'RECLAIM_NOT_FORMER_HOLDER',
      );
      // A stranger gets one answer whatever the number's state: quarantined (above), someone's live line, not ours at all.
      const stranger = (msisdn: string) => reclaimNumber(app, { msisdn, customerId: 'cus_00000011', simType: 'esim', channel: 'web', actor: subscriber('cus_00000011') });
      const answers = [];
      for (const msisdn of ['+79990000010', '+79990000012', '+79550000000']) {
        answers.push(await stranger(msisdn).then(() => 'reclaimed', (e: AppError) => [e.code, e.message]));
      }
      assert.deepEqual(answers, Array(3).fill(['RECLAIM_NOT_FORMER_HOLDER', 'Only the former holder of a number can reclaim it']));
      const line = await reclaimNumber(app, { msisdn: '+79990000010', customerId: 'cus_00000010', simType: 'esim', channel: 'web', actor: subscriber('cus_00000010') });
      assert.equal(line.msisdn, '+79990000010');
      assert.equal(line.state, 'active');
      app.clock.advanceDays(181);
      assert.ok((await sweepQuarantine(app)) >= 1);
      const numbers = await app.store.db.selectFrom('numbers').select(['msisdn', 'state']).where('msisdn', 'in', ['+79990000010', '+79990000011']).orderBy('msisdn').execute();
      assert.deepEqual(numbers.map((n) => n.state), ['assigned', 'available']);
      const history = await app.store.db.selectFrom('number_assignments').select(['customer_id', 'to_at']).where('msisdn', '=', '+79990000010').orderBy('from_at').execute();
      assert.equal(history.length, 2);
      assert.ok(history[0]?.to_at);
      assert.equal(history[1]?.to_at, null);
    });

    test('a step that keeps failing needs attention; a retry resumes where it stopped', async () => {
      let failing = true;
      const flaky: TestApp = {
        ...app,
        adapters: {
          ...app.adapters,
          billing: {
            ...app.adapters.billing,
            settle: async (requests, at) => (failing ? requests.map(() => ({ ok: false as const, error: 'billing system unavailable' })) : app.adapters.billing.settle(requests, at)),
          },
        },
      };
      const operator: Actor = { kind: 'staff', id: 'bo', channel: 'api' };
      const [o] = await requestTerminations(flaky, [{ msisdn: '+79990000020', channel: 'api', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(o?.kind, 'created');
      const reference = o?.kind === 'created' ? o.termination.reference : '';
      await runWorker(flaky, { untilIdle: true });
      const stuck = await terminationByReference(app.store.db, reference);
      assert.equal(stuck?.state, 'needs_attention');
      assert.match(stuck?.lastError ?? '', /billing system unavailable/);
      assert.deepEqual(stuck?.steps.map((s) => s.step), ['network.bar', 'sim.release']);
      failing = false;
      await retryTermination(flaky, reference, operator);
      await runWorker(flaky, { untilIdle: true });
      const done = await terminationByReference(app.store.db, reference);
      assert.equal(done?.state, 'completed');
      assert.equal(done?.steps.length, 5);
      const barrings = await app.store.db.selectFrom('network_barrings').select('key').where('msisdn', '=', '+79990000020').execute();
      assert.equal(barrings.length, 1, 'the network step ran once');
    });

    test('former holders hear once, in the last days of the quarantine, that they can still take the number back', async () => {
      const operator: Actor = { kind: 'staff', id: 'bo', channel: 'bulk' };
      const [o] = await requestTerminations(app, [{ msisdn: '+79990000030', channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(o?.kind, 'created');
      await runWorker(app, { untilIdle: true, deliver: false });
      const count = async () => (await app.store.db.selectFrom('notifications').select('id').where('template', '=', 'quarantine.ending_soon').where('subject_ref', '=', '+79990000030').execute()).length;
      await noticeQuarantineEndingSoon(app);
      assert.equal(await count(), 0, 'not yet: the quarantine has months to run');
      app.clock.advanceDays(170);
      await noticeQuarantineEndingSoon(app);
      const first = await count();
      assert.ok(first >= 1);
      await noticeQuarantineEndingSoon(app);
      assert.equal(await count(), first, 'the next sweep does not repeat it');
    });

    test('the audit chain holds, and a changed entry is named', async () => {
      const intact = await verifyAudit(app.store.db);
      assert.equal(intact.ok, true);
      assert.ok(intact.entries > 20);
      await app.store.db.updateTable('audit_log').set({ reason: 'tampered' }).where('seq', '=', 7).execute();
      const broken = await verifyAudit(app.store.db);
      assert.equal(broken.ok, false);
      assert.equal(!broken.ok && broken.firstBadSeq, 7);
    });
  });
}
