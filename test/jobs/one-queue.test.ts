// The one queue engine: message delivery is a kind of job, every kind that gives up lands on one dead list, and
// back office retries any of them by hand. The migration moves an installation's pending and failed messages in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deliverers, DeliveryMessage } from '../../src/adapters/delivery/deliverer.ts';
import { PermanentDeliveryError } from '../../src/adapters/delivery/deliverer.ts';
import type { Actor } from '../../src/domain/channels.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { deliverDue } from '../../src/notifications/deliver.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import { migrate, migratorOf } from '../../src/store/database.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { openApi } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';
import { enqueue, message, notificationRow } from '../notifications/support/peers.ts';
import { samplePayloads } from '../notifications/support/samples.ts';

function deliverers(refuse: () => boolean): Deliverers & { sent: DeliveryMessage[] } {
  const sent: DeliveryMessage[] = [];
  const one = {
    async send(m: DeliveryMessage) {
      if (refuse()) throw new PermanentDeliveryError('550 mailbox unavailable');
      sent.push(m);
      return { providerId: `p:${m.key}` };
    },
  };
  return { email: one, sms: one, sent, close: async () => undefined };
}

for (const kind of storeKinds()) {
  describe(`one queue engine (${kind.name})`, () => {
    test('a message that gave up is on the dead list; back office retries it by hand and it is sent, audited', async () => {
      const h = await openApi(kind, 5);
      try {
        const customer = await h.app.store.db.selectFrom('customers').select('id').limit(1).executeTakeFirstOrThrow();
        const m = message('termination.completed', 'sms', { payload: samplePayloads['termination.completed'], customerId: customer.id, address: '+79991234567' });
        await enqueue(h.app, [m]);
        let refusing = true;
        const d = deliverers(() => refusing);
        const first = await deliverDue(h.app, { limit: 50, workerId: 'wrk_a', deliverers: d });
        assert.ok(first.failed >= 1);

        const back = await h.login('backoffice');
        const list = await h.server.inject({ method: 'GET', url: '/api/v1/staff/jobs/dead', headers: { authorization: `Bearer ${back}` } });
        assert.equal(list.statusCode, 200, list.body);
        const dead = (list.json() as { id: string; kind: string; key: string; lastError: string; message: { address: string } | null }[]).find((j) => j.key === `message:${m.key}`);
        assert.ok(dead, 'the message is on the dead list');
        assert.equal(dead.kind, 'message.deliver');
        assert.match(dead.lastError, /550/);
        assert.equal(dead.message?.address, '+7******4567', 'the number is masked');

        const agent = await h.login('callcentre');
        const refused = await h.server.inject({ method: 'POST', url: `/api/v1/staff/jobs/${dead.id}/retry`, headers: { authorization: `Bearer ${agent}` } });
        assert.equal(refused.statusCode, 403, 'a call agent cannot retry jobs');
        const unknown = await h.server.inject({ method: 'POST', url: '/api/v1/staff/jobs/job_nope/retry', headers: { authorization: `Bearer ${back}` } });
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json().code, 'NOT_FOUND');

        refusing = false;
        const retried = await h.server.inject({ method: 'POST', url: `/api/v1/staff/jobs/${dead.id}/retry`, headers: { authorization: `Bearer ${back}` } });
        assert.equal(retried.statusCode, 202, retried.body);
        assert.deepEqual(retried.json(), { queued: true, kind: 'message.deliver' });
        const again = await h.server.inject({ method: 'POST', url: `/api/v1/staff/jobs/${dead.id}/retry`, headers: { authorization: `Bearer ${back}` } });
        assert.equal(again.statusCode, 404, 'a queued job is not dead: a second retry changes nothing');

        await deliverDue(h.app, { limit: 50, workerId: 'wrk_b', deliverers: d });
        assert.equal((await notificationRow(h.app, m.key)).state, 'sent');
        assert.equal(d.sent.filter((s) => s.key === m.key).length, 1);
        const after = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/jobs/dead', headers: { authorization: `Bearer ${back}` } })).json() as { key: string }[];
        assert.ok(!after.some((j) => j.key === `message:${m.key}`), 'off the dead list');
        const audit = await h.app.store.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'job').where('entity_id', '=', dead.id).execute();
        assert.deepEqual(audit.map((a) => [a.action, a.actor_id]), [['retried_by_hand', 'stf_backoffice']]);
      } finally {
        await h.close();
      }
    });

    test("an order's execution job that gave up is on the same dead list; its retry sends the order back to the worker", async () => {
      const h = await openApi(kind, 12);
      try {
        let failing = true;
        const flaky = {
          ...h.app,
          adapters: {
            ...h.app.adapters,
            billing: { ...h.app.adapters.billing, settle: async (requests: readonly unknown[], at: string) => (failing ? requests.map(() => ({ ok: false as const, error: 'billing system unavailable' })) : h.app.adapters.billing.settle(requests as never, at)) },
          },
        };
        const operator: Actor = { kind: 'staff', id: 'stf_backoffice', channel: 'api' };
        const lines = await h.app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').execute();
        const outcomes = await requestTerminations(flaky, lines.map((l) => ({ msisdn: l.msisdn, channel: 'api' as const, authority: 'operator' as const, actor: operator, effective: { mode: 'now' as const }, confirmNow: true })));
        const created = outcomes.find((o) => o.kind === 'created');
        assert.ok(created?.kind === 'created');
        const reference = created.termination.reference;
        // Each attempt fails; after the last one the order needs attention and its job is dead.
        for (let i = 0; i <= h.app.policy.worker.maxAttempts && (await terminationByReference(h.app.store.db, reference))?.state !== 'needs_attention'; i++) {
          await runWorker(flaky, { untilIdle: true, deliver: false });
          h.app.clock.advanceHours(2);
        }
        assert.equal((await terminationByReference(h.app.store.db, reference))?.state, 'needs_attention');

        const back = await h.login('backoffice');
        const list = (await h.server.inject({ method: 'GET', url: '/api/v1/staff/jobs/dead', headers: { authorization: `Bearer ${back}` } })).json() as { id: string; kind: string; reference: string | null }[];
        const dead = list.find((j) => j.kind === 'termination.execute' && j.reference === reference);
        assert.ok(dead, 'the execution job is listed with its order');

        failing = false;
        const retried = await h.server.inject({ method: 'POST', url: `/api/v1/staff/jobs/${dead.id}/retry`, headers: { authorization: `Bearer ${back}` } });
        assert.equal(retried.statusCode, 202, retried.body);
        assert.equal((await terminationByReference(h.app.store.db, reference))?.state, 'executing');
        await runWorker(h.app, { untilIdle: true, deliver: false });
        assert.equal((await terminationByReference(h.app.store.db, reference))?.state, 'completed');
      } finally {
        await h.close();
      }
    });

    test('the migration gives pending, mid-send and failed messages of an older installation their jobs, and they are sent', async () => {
      const h = await openApi(kind, 3);
      try {
        const { db } = h.app.store;
        const down = await migratorOf(h.app.store).migrateTo('2026-12-02T19-00-00_customer-email-index');
        assert.equal(down.error, undefined, String(down.error));
        assert.ok(down.results?.some((r) => r.migrationName === '2026-12-03T01-00-00_one-queue' && r.status === 'Success'));
        const customer = await db.selectFrom('customers').select('id').limit(1).executeTakeFirstOrThrow();
        const now = h.app.clock();
        const row = (id: string, state: string, extra: Record<string, unknown>) => ({
          id,
          key: `old:${id}`,
          customer_id: customer.id,
          subject_ref: 'TRM-7KQ2-9XW4',
          template: 'termination.scheduled',
          medium: 'email',
          address: 'old@example.test',
          language: 'en',
          payload: JSON.stringify(samplePayloads['termination.scheduled']),
          state,
          created_at: now,
          sent_at: null,
          last_error: null,
          attempts: 0,
          next_attempt_at: null,
          leased_until: null,
          leased_by: null,
          ...extra,
        });
        await db
          .insertInto('notifications')
          .values([
            row('msg_old_queued', 'queued', { attempts: 1, next_attempt_at: now, last_error: '451 try later' }),
            row('msg_old_sending', 'sending', { attempts: 1, leased_until: now, leased_by: 'wrk_gone' }),
            row('msg_old_failed', 'failed', { attempts: 3, failed_at: now, last_error: '550 no such user' }),
            row('msg_old_sent', 'sent', { attempts: 1, sent_at: now, provider_id: 'p1' }),
          ] as never)
          .execute();
        await db.deleteFrom('jobs').where('kind', '=', 'message.deliver').execute();

        await migrate(h.app.store);
        const jobs = await db.selectFrom('jobs').select(['key', 'state', 'attempts', 'subject']).where('key', 'like', 'message:old:%').orderBy('key').execute();
        assert.deepEqual(
          jobs.map((j) => [j.key, j.state, Number(j.attempts)]),
          [
            ['message:old:msg_old_failed', 'failed', 3],
            ['message:old:msg_old_queued', 'queued', 1],
            ['message:old:msg_old_sending', 'queued', 1],
          ],
        );
        h.app.clock.advanceHours(1);
        const d = deliverers(() => false);
        await deliverDue(h.app, { limit: 50, workerId: 'wrk_new', deliverers: d });
        assert.deepEqual(d.sent.filter((m) => m.key.startsWith('old:')).map((m) => m.key).sort(), ['old:msg_old_queued', 'old:msg_old_sending']);
        assert.equal((await notificationRow(h.app, 'old:msg_old_sending')).state, 'sent');
        assert.equal((await notificationRow(h.app, 'old:msg_old_failed')).state, 'failed');
      } finally {
        await h.close();
      }
    });
  });
}
