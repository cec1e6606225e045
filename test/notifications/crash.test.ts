// A worker dies after the SMTP server took the message but before the send was recorded.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { deliverersFromEnv } from '../../src/adapters/delivery/factory.ts';
import { deliverDue, receiptRecorder } from '../../src/notifications/deliver.ts';
import { inTransaction } from '../../src/store/database.ts';
import { settleLeasedJob } from '../../src/store/jobs.repository.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { enqueue, message, notificationRow, startSmtpPeer } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

const deliverOnce = fileURLToPath(new URL('./support/deliver-once.ts', import.meta.url));

for (const kind of storeKinds()) {
  test(`a worker killed mid-send: once its lease runs out the message is sent again with the same Message-ID (${kind.name})`, { timeout: 60_000 }, async () => {
    const { url, schema } = kind.fresh();
    const app = await openTestApp({ name: kind.name, fresh: () => ({ url, schema }) });
    const smtp = await startSmtpPeer();
    const from = '"Demo Operator" <no-reply@operator.test>';
    try {
      const m = message('otp.confirm_termination', 'email', { payload: samplePayloads['otp.confirm_termination'], language: 'en' });
      await enqueue(app, [m]);

      let stderr = '';
      const doomed: ChildProcess = spawn(process.execPath, [deliverOnce], {
        env: { ...process.env, SIMEXIT_DB: url, SIMEXIT_DB_SCHEMA: schema ?? '', SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_MAIL_FROM: from, SIMEXIT_TEST_NOW: app.clock(), SIMEXIT_WORKER_ID: 'wrk_doomed' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      doomed.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(doomed, 'exit');
      // The server has the whole message; the worker dies before it hears "250".
      smtp.answer = async (_mail, index) => {
        if (index === 0) {
          doomed.kill('SIGKILL');
          await exited;
        }
        return undefined;
      };
      const [code, signal] = await exited;
      assert.equal(signal, 'SIGKILL', `the worker was killed mid-send (exit ${code}: ${stderr})`);
      assert.equal(smtp.received.length, 1);

      let row = await notificationRow(app, m.key);
      assert.equal(row.state, 'queued', 'never recorded as sent');
      const jobOf = () => app.store.db.selectFrom('jobs').selectAll().where('key', '=', `message:${m.key}`).executeTakeFirstOrThrow();
      let job = await jobOf();
      assert.equal(job.leased_by, 'wrk_doomed', 'its job was claimed before the send');
      assert.equal(Number(job.attempts), 1);

      const deliverers = deliverersFromEnv({ SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_MAIL_FROM: from }, { policy: app.policy, onReceipt: receiptRecorder(app.store) });
      try {
        const worker = { limit: 10, workerId: 'wrk_survivor', deliverers };
        assert.equal((await deliverDue(app, worker)).claimed, 0, 'nobody takes it while the lease holds');
        app.clock.advanceHours((app.policy.worker.leaseSeconds + 1) / 3600);
        assert.deepEqual(await deliverDue(app, worker), { claimed: 1, sent: 1, retried: 0, failed: 0, lostLeases: 0 });
      } finally {
        await deliverers.close();
      }

      assert.equal(smtp.received.length, 2, 'at least once: the second copy');
      const [first, second] = smtp.received;
      assert.ok(first?.messageId && first.messageId === second?.messageId, `the copies share a Message-ID (${first?.messageId}, ${second?.messageId})`);
      assert.equal(first.headers.get('x-simexit-key'), m.key);
      assert.equal(first.text, second?.text);
      row = await notificationRow(app, m.key);
      assert.equal(row.state, 'sent');
      assert.equal(Number(row.attempts), 2);
      job = await jobOf();
      assert.equal(job.state, 'done');
      assert.equal(
        await inTransaction(app.store, (tx) => settleLeasedJob(tx, { id: job.id, workerId: 'wrk_doomed', now: app.clock(), outcome: 'dead', error: 'late' })),
        false,
        'a worker that lost its lease cannot record over the one that holds it',
      );
      assert.equal((await jobOf()).state, 'done');
    } finally {
      await smtp.close();
      await app.close();
    }
  });
}
