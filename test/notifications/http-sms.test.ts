// SMS through an HTTP gateway: a real HTTP server started by the test.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { deliverersFor, deliverDue } from '../../src/notifications/deliver.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { enqueue, message, notificationRow } from './support/peers.ts';
import { samplePayloads } from './support/samples.ts';

for (const kind of storeKinds()) {
  test(`SMS through an HTTP gateway: JSON with the key as Idempotency-Key, retried on 503, failed at once on 400 (${kind.name})`, async () => {
    const app = await openTestApp(kind);
    const requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    let answers: number[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        requests.push({ headers: req.headers, body });
        const status = answers.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status < 300 ? { message_id: `gw-${requests.length}` } : { error: 'no' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const deliverers = deliverersFor(app, { SIMEXIT_SMS_HTTP_URL: `http://acct:k%40y@127.0.0.1:${port}/sms`, SIMEXIT_SMS_FROM: '7000' });
    try {
      answers = [503];
      const m = message('otp.password_reset', 'sms', { payload: samplePayloads['otp.password_reset'], language: 'en' });
      await enqueue(app, [m]);
      assert.equal((await deliverDue(app, { limit: 10, workerId: 'wrk_http', deliverers })).retried, 1);
      app.clock.advanceHours(1);
      assert.equal((await deliverDue(app, { limit: 10, workerId: 'wrk_http', deliverers })).sent, 1);
      assert.equal(requests.length, 2);
      const [first, second] = requests;
      assert.equal(first?.headers['idempotency-key'], m.key);
      assert.equal(second?.headers['idempotency-key'], m.key, 'the retry carries the same key');
      assert.equal(first?.headers.authorization, `Basic ${Buffer.from('acct:k@y').toString('base64')}`);
      assert.equal(second?.body.to, '+79991234567');
      assert.equal(second?.body.from, '7000');
      assert.match(String(second?.body.text), /^Code 482913 to reset the password for line \+7 \*\*\* \*\*\* 45 67\./);
      assert.equal((await notificationRow(app, m.key)).provider_id, 'gw-2');

      answers = [400];
      const bad = message('otp.password_reset', 'sms', { payload: samplePayloads['otp.password_reset'], language: 'en', address: '+7000' });
      await enqueue(app, [bad]);
      assert.equal((await deliverDue(app, { limit: 10, workerId: 'wrk_http', deliverers })).failed, 1);
      assert.equal((await notificationRow(app, bad.key)).state, 'failed');
    } finally {
      await deliverers.close();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    }
  });
}
