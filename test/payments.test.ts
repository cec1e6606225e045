import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { httpPaymentProvider } from '../src/adapters/payments/http-provider.ts';
import { sandboxPayments } from '../src/adapters/payments/sandbox.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { seed } from '../src/seed/seed.ts';
import { openTestApp, storeKinds } from './support/stores.ts';

/** A payment provider on loopback: creates payments, gives a page, and signs callbacks as Standard Webhooks says. */
async function startProvider() {
  const secretBytes = randomBytes(24);
  const created: { id: string; body: Record<string, unknown>; idempotencyKey: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (req.headers.authorization !== 'Bearer provider-api-key') {
        res.writeHead(401).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/payments') {
        const body = JSON.parse(text) as Record<string, unknown>;
        const key = req.headers['idempotency-key'] as string | undefined;
        const known = created.find((c) => c.idempotencyKey === key);
        const id = known?.id ?? `prov-${created.length + 1}`;
        if (!known) created.push({ id, body, idempotencyKey: key });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, status: 'pending', redirectUrl: `http://127.0.0.1/pay/${id}` }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const sign = (body: string, options: { id?: string; at?: number; key?: Buffer } = {}) => {
    const id = options.id ?? `evt_${randomBytes(6).toString('hex')}`;
    const at = options.at ?? Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', options.key ?? secretBytes).update(`${id}.${at}.${body}`).digest('base64');
    return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${signature}`, 'content-type': 'application/json' };
  };
  return { url: `http://127.0.0.1:${port}`, secret: `whsec_${secretBytes.toString('base64')}`, created, sign, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const event = (id: string, reference: string, amount: number, status = 'succeeded') => JSON.stringify({ type: `payment.${status}`, data: { id, reference, status, amount, currency: 'RUB' } });

for (const kind of storeKinds()) {
  describe(`payments through a provider (${kind.name})`, () => {
    let provider: Awaited<ReturnType<typeof startProvider>>;
    let app: Awaited<ReturnType<typeof openTestApp>>;
    let server: Awaited<ReturnType<typeof buildServer>>;
    let token: string;
    before(async () => {
      provider = await startProvider();
      app = await openTestApp(kind);
      await seed(app, { customers: 5, seed: 11 });
      const payments = httpPaymentProvider({ url: provider.url, apiKey: 'provider-api-key', webhookSecret: provider.secret, toleranceSeconds: 300 });
      server = await buildServer({ ...app, payments });
      const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '+79990000000', password: 'demo1234' } });
      token = login.json().token as string;
    });
    after(async () => {
      await server.close();
      await app.close();
      await provider.close();
    });
    const auth = (key?: string) => ({ authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) });
    const balance = async () => Number((await app.store.db.selectFrom('accounts').select('balance').where('id', '=', 'acc_00000000').executeTakeFirstOrThrow()).balance);
    const pay = (key: string | undefined, payload: object) => server.inject({ method: 'POST', url: '/api/v1/accounts/acc_00000000/payments', headers: auth(key), payload });
    const callback = (body: string, headers: Record<string, string>) => server.inject({ method: 'POST', url: '/api/v1/payments/callback', headers, payload: body });

    test('over-payment and bad amounts are refused and change nothing', async () => {
      const owed = -(await balance());
      assert.equal(owed, 45_000);
      const over = await pay('over-1', { amount: 99_997_400 }); // the 999,974 RUB a preview once promised to refund
      assert.equal(over.json().code, 'PAYMENT_OVER_DEBT');
      assert.equal((await pay('over-2', { amount: owed + 1 })).json().code, 'PAYMENT_OVER_DEBT');
      assert.equal((await pay('over-3', { amount: 0 })).statusCode, 400);
      assert.equal((await pay(undefined, { amount: owed })).json().code, 'IDEMPOTENCY_KEY_REQUIRED');
      assert.equal(provider.created.length, 0);
      assert.equal(await balance(), -owed);
    });

    test('a payment goes to the provider page, a signed callback credits once, replays/forgeries/tampering credit nothing', async () => {
      const first = await pay('pay-1', {});
      assert.equal(first.statusCode, 201, first.body);
      const started = first.json();
      assert.equal(started.state, 'pending');
      assert.equal(started.amount, 45_000);
      assert.match(started.redirectUrl, /^http:\/\/127\.0\.0\.1\/pay\/prov-1$/);
      assert.equal(await balance(), -45_000, 'nothing is credited before the provider confirms');

      // The same request twice: one payment, the same answer.
      const again = await pay('pay-1', {});
      assert.deepEqual(again.json(), started);
      assert.equal(provider.created.length, 1);
      // The same key with another body is refused.
      assert.equal((await pay('pay-1', { amount: 100 })).json().code, 'IDEMPOTENCY_KEY_REUSED');

      const body = event('prov-1', started.id, 45_000);
      // Forged (another secret), tampered (body changed after signing), stale (outside the tolerance): refused.
      assert.equal((await callback(body, provider.sign(body, { key: randomBytes(24) }))).json().code, 'PAYMENT_CALLBACK_INVALID');
      const signed = provider.sign(body);
      assert.equal((await callback(event('prov-1', started.id, 4_500_000), signed)).json().code, 'PAYMENT_CALLBACK_INVALID');
      assert.equal((await callback(body, provider.sign(body, { at: Math.floor(Date.now() / 1000) - 3600 }))).json().code, 'PAYMENT_CALLBACK_INVALID');
      assert.equal((await callback(body, { 'content-type': 'application/json' })).json().code, 'PAYMENT_CALLBACK_INVALID');
      // A correctly signed callback for another amount than the payment's: refused.
      const wrongAmount = event('prov-1', started.id, 4_500_000);
      assert.equal((await callback(wrongAmount, provider.sign(wrongAmount))).json().code, 'PAYMENT_CALLBACK_INVALID');
      assert.equal(await balance(), -45_000);

      const ok = await callback(body, signed);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json(), { paymentId: started.id, state: 'succeeded', credited: true, duplicate: false });
      assert.equal(await balance(), 0);

      // Replayed (same delivery) and repeated (a new delivery of the same success): no second credit.
      assert.equal((await callback(body, signed)).json().credited, false);
      assert.equal((await callback(body, provider.sign(body))).json().credited, false);
      assert.equal(await balance(), 0);

      const status = await server.inject({ method: 'GET', url: `/api/v1/payments/${started.id}`, headers: auth() });
      assert.equal(status.json().state, 'succeeded');
      const audit = await app.store.db.selectFrom('audit_log').select(['action']).where('entity_id', '=', 'acc_00000000').execute();
      assert.deepEqual(audit.map((a) => a.action).filter((a) => a.startsWith('payment')), ['payment_started', 'payment']);
      // Nothing is owed now: a further payment is refused.
      assert.equal((await pay('pay-2', {})).json().code, 'NOTHING_TO_PAY');
    });
  });

  describe(`payments without a provider (${kind.name})`, () => {
    test('outside demo mode, no provider and the sandbox are both refused; in demo mode the sandbox pays at once', async () => {
      const app = await openTestApp(kind);
      try {
        await seed(app, { customers: 3, seed: 11 });
        for (const ctx of [app, { ...app, payments: sandboxPayments }]) {
          const server = await buildServer(ctx);
          const token = (await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '+79990000000', password: 'demo1234' } })).json().token;
          const r = await server.inject({ method: 'POST', url: '/api/v1/accounts/acc_00000000/payments', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'k' }, payload: {} });
          assert.equal(r.json().code, 'PAYMENTS_NOT_CONFIGURED');
          await server.close();
        }
        const server = await buildServer({ ...app, demo: true });
        const token = (await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: '+79990000000', password: 'demo1234' } })).json().token;
        const r = await server.inject({ method: 'POST', url: '/api/v1/accounts/acc_00000000/payments', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'k' }, payload: {} });
        assert.equal(r.statusCode, 201, r.body);
        assert.equal(r.json().state, 'succeeded');
        assert.equal(r.json().balance, 0);
        await server.close();
      } finally {
        await app.close();
      }
    });
  });
}
