// The outbox's own guarantees, independent of any protocol.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { Deliverer, Deliverers, DeliveryMessage } from '../../src/adapters/delivery/deliverer.ts';
import { deliverDue } from '../../src/notifications/deliver.ts';
import { applyEarlyReceipt, markSent, recordReceipt } from '../../src/notifications/outbox.repository.ts';
import { inTransaction } from '../../src/store/database.ts';
import { claimJobs, hasDueJobs } from '../../src/store/jobs.repository.ts';
import { addSeconds } from '../../src/domain/time.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { enqueue, message, notificationRow } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

function recordingDeliverers(): Deliverers & { sent: DeliveryMessage[] } {
  const sent: DeliveryMessage[] = [];
  const deliverer: Deliverer = {
    async send(m) {
      await sleep(Math.random() * 3);
      sent.push(m);
      return { providerId: `p:${m.key}` };
    },
  };
  return { email: deliverer, sms: deliverer, sent, close: async () => undefined };
}

for (const kind of storeKinds()) {
  test(`concurrent workers send every message exactly once (${kind.name})`, async () => {
    const app = await openTestApp(kind);
    try {
      const messages = Array.from({ length: 120 }, (_, i) =>
        message('termination.scheduled', i % 2 ? 'sms' : 'email', { payload: samplePayloads['termination.scheduled'], language: (['ru', 'en', 'zh'] as const)[i % 3] }),
      );
      await enqueue(app, messages);
      assert.equal(await hasDueJobs(app.store.db, app.clock(), ['message.deliver']), true);
      const deliverers = recordingDeliverers();
      const runs = await Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          let sent = 0;
          for (;;) {
            const totals = await deliverDue(app, { limit: 7, workerId: `wrk_${w}`, deliverers, concurrency: 3 });
            if (totals.claimed === 0) return sent;
            sent += totals.sent;
          }
        }),
      );
      assert.equal(runs.reduce((a, b) => a + b, 0), messages.length);
      assert.equal(deliverers.sent.length, messages.length, 'no message sent twice');
      assert.equal(new Set(deliverers.sent.map((m) => m.key)).size, messages.length);
      assert.equal(await hasDueJobs(app.store.db, app.clock(), ['message.deliver']), false);
    } finally {
      await app.close();
    }
  });

  test(`a receipt that overtakes the record of its send is applied, and a late intermediate one changes nothing (${kind.name})`, async () => {
    const app = await openTestApp(kind);
    try {
      const m = message('otp.password_reset', 'sms', { payload: samplePayloads['otp.password_reset'] });
      await enqueue(app, [m]);
      const now = app.clock();
      const [claimed] = await claimJobs(app.store.db, 'message.deliver', { limit: 1, now, leaseUntil: addSeconds(now, 60), workerId: 'wrk_a' });
      assert.ok(claimed);
      await recordReceipt(app.store.db, { providerId: 'SMSC-1', medium: 'sms', status: 'delivered', error: null, at: now });
      await inTransaction(app.store, (tx) => markSent(tx, { id: claimed.subject, attempts: claimed.attempts, providerId: 'SMSC-1', now }));
      await applyEarlyReceipt(app.store.db, 'SMSC-1');
      let row = await notificationRow(app, m.key);
      assert.equal(row.receipt_status, 'delivered');
      assert.equal(row.delivered_at, now);

      await recordReceipt(app.store.db, { providerId: 'SMSC-1', medium: 'sms', status: 'enroute', error: null, at: addSeconds(now, 5) });
      row = await notificationRow(app, m.key);
      assert.equal(row.receipt_status, 'delivered');
      const stored = await app.store.db.selectFrom('delivery_receipts').selectAll().where('provider_id', '=', 'SMSC-1').executeTakeFirstOrThrow();
      assert.equal(stored.status, 'delivered');
    } finally {
      await app.close();
    }
  });

  test(`a message whose sends never finish is given up after the last attempt, not sent forever (${kind.name})`, async () => {
    const app = await openTestApp(kind, { policy: (p) => ({ ...p, worker: { ...p.worker, maxAttempts: 2 } }) });
    try {
      const m = message('termination.failed', 'email', { payload: samplePayloads['termination.failed'] });
      await enqueue(app, [m]);
      // Two workers die mid-send, one after the other.
      for (const worker of ['wrk_1', 'wrk_2']) {
        const now = app.clock();
        assert.equal((await claimJobs(app.store.db, 'message.deliver', { limit: 5, now, leaseUntil: addSeconds(now, 60), workerId: worker })).length, 1);
        app.clock.advanceHours(1);
      }
      const deliverers = recordingDeliverers();
      assert.equal((await deliverDue(app, { limit: 5, workerId: 'wrk_3', deliverers })).failed, 1);
      assert.equal(deliverers.sent.length, 0);
      const row = await notificationRow(app, m.key);
      assert.equal(row.state, 'failed');
      assert.match(row.last_error ?? '', /gave up after 2 attempts/);
      const dead = await app.store.db.selectFrom('jobs').selectAll().where('key', '=', `message:${m.key}`).executeTakeFirstOrThrow();
      assert.equal(dead.state, 'failed', 'its job is on the one dead list');
      assert.equal(Number(dead.attempts), 3);
    } finally {
      await app.close();
    }
  });
}
