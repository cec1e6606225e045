/**
 * The TMF622 v4 Product Ordering facade, as an integrator and as back office
 * use it: create a ProductOrder that ends a line, list and read orders (fields,
 * offset, limit, X-Total-Count), cancel one, let the worker complete one. Every
 * body is validated against the facade's own contract (src/channels/tmf/
 * tmf622-schemas.ts), always; and, when SIMEXIT_TMF_SPECS names a folder
 * holding it, against TM Forum's TMF622-ProductOrdering-v4.0.0.swagger.json
 * (definitions ProductOrder and CancelProductOrder) too, with Ajv 8.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApiKey } from '../src/app/auth.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { CancelProductOrderSchema, ProductOrderFieldsSchema, ProductOrderSchema } from '../src/channels/tmf/tmf622-schemas.ts';
import { ajv8, type Validate } from './support/ajv8.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const BASE = '/tmf-api/productOrderingManagement/v4';
// TM Forum's schema is their copyright and is not in the repository: the suite checks the facade against it only
// when SIMEXIT_TMF_SPECS names a folder holding it (.ci/run points it at ../shared/contracts). Without it, it says so.
const SPECS = process.env.SIMEXIT_TMF_SPECS;
const CONTRACT = SPECS ? join(resolve(SPECS), 'TMF622-ProductOrdering-v4.0.0.swagger.json') : '';
const WITHOUT_SPECS = SPECS ? false : 'needs TM Forum\'s TMF622 v4 schema: set SIMEXIT_TMF_SPECS to the folder holding TMF622-ProductOrdering-v4.0.0.swagger.json';
if (WITHOUT_SPECS) process.stdout.write(`# TMF622: conformance to TM Forum's schema not checked (${WITHOUT_SPECS}); the facade's own contract is checked\n`);

/** The facade's own contract, the schemas its routes declare: checked on every run. */
function ownValidators() {
  const ajv = ajv8();
  const order = ajv.compile(ProductOrderSchema);
  const fields = ajv.compile(ProductOrderFieldsSchema);
  const cancel = ajv.compile(CancelProductOrderSchema);
  const check = (validate: Validate, what: string) => (body: unknown) => assert.ok(validate(body), `${what} does not match simexit's own TMF622 contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  return { order, fields, cancel, errorsText: (v: Validate) => ajv.errorsText(v.errors), isOrder: check(order, 'ProductOrder'), isFields: check(fields, 'ProductOrder (fields)'), isCancel: check(cancel, 'CancelProductOrder') };
}

function contractValidators() {
  const ajv = ajv8();
  ajv.addFormat('float', true); // Swagger 2.0's number format, which JSON Schema does not define
  // Swagger 2.0 keeps its schemas under #/definitions: the whole document is one schema resource.
  ajv.addSchema(JSON.parse(readFileSync(CONTRACT, 'utf8')) as object, 'tmf');
  const order = ajv.compile({ $ref: 'tmf#/definitions/ProductOrder' });
  const cancel = ajv.compile({ $ref: 'tmf#/definitions/CancelProductOrder' });
  const check = (validate: Validate, what: string) => (body: unknown) => assert.ok(validate(body), `${what} does not conform to TMF622 v4: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  return { order, cancel, errorsText: (v: Validate) => ajv.errorsText(v.errors), isOrder: check(order, 'ProductOrder'), isCancel: check(cancel, 'CancelProductOrder') };
}

type Order = Record<string, unknown> & { id: string; state: string; productOrderItem: { id: string; action: string; state: string; product: { id: string } }[] };

function refused(r: LightMyRequestResponse, status: number, code: string) {
  assert.equal(r.statusCode, status, r.body);
  const body = r.json();
  assert.equal(typeof body.message, 'string');
  assert.equal(body.code, code);
}

for (const kind of storeKinds()) {
  describe(`TMF622 productOrderingManagement v4 on ${kind.name}${WITHOUT_SPECS ? ' (own contract only; TM Forum conformance not checked: SIMEXIT_TMF_SPECS unset)' : ''}`, () => {
    let app: TestApp;
    let server: FastifyInstance;
    let tmfForum: ReturnType<typeof contractValidators> | undefined;
    const own = ownValidators();
    // Every body is checked against our contract, and against TM Forum's when it is there.
    const tmf = {
      isOrder(body: unknown) {
        own.isOrder(body);
        tmfForum?.isOrder(body);
      },
      isCancel(body: unknown) {
        own.isCancel(body);
        tmfForum?.isCancel(body);
      },
    };
    const headers: Record<string, Record<string, string>> = {};
    const termCount = async () => Number((await app.store.db.selectFrom('terminations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const lineState = async (id: string) => (await app.store.db.selectFrom('lines').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    const signIn = async (payload: Record<string, string>) => {
      const r = await server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.62.2.1', payload });
      assert.equal(r.statusCode, 200, r.body);
      return { authorization: `Bearer ${r.json().token as string}` };
    };

    before(async () => {
      tmfForum = SPECS ? contractValidators() : undefined;
      app = await openTestApp(kind);
      await seed(app, { customers: 12, seed: 11 });
      server = await buildServer(app);
      headers['integrator API key'] = { authorization: `Bearer ${(await createApiKey(app, 'partner', ['tmf622'])).key}` };
      headers['back-office sign-in'] = await signIn({ login: 'backoffice', password: 'demo1234' });
      headers.subscriber = await signIn({ msisdn: '+79990000002', password: 'demo1234' });
      headers['key without the tmf622 scope'] = { authorization: `Bearer ${(await createApiKey(app, 'reports', ['reports'])).key}` };
    });
    after(async () => {
      await server?.close();
      await app?.close();
    });

    test('our own contract is what the routes declare, and it catches a field of the wrong type, a missing one and an extra one', async () => {
      const doc = server.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: { additionalProperties?: boolean; properties?: Record<string, unknown>; items?: { additionalProperties?: boolean } } }> }> }>> };
      const body = (path: string, method: string, status: string) => doc.paths[`${BASE}${path}`]?.[method]?.responses[status]?.content['application/json']?.schema;
      for (const [path, method, status] of [['/productOrder', 'post', '201'], ['/productOrder/{id}', 'get', '200'], ['/cancelProductOrder', 'post', '201']] as const) {
        const schema = body(path, method, status);
        assert.equal(schema?.additionalProperties, false, `${method} ${path} ${status} is a closed object, not an open record`);
        assert.ok(schema?.properties?.['@type'], `${method} ${path} declares its fields`);
      }
      assert.equal(body('/productOrder', 'get', '200')?.items?.additionalProperties, false);

      const r = await server.inject({ method: 'POST', url: `${BASE}/productOrder`, headers: headers['integrator API key'], payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000009' } }] } });
      assert.equal(r.statusCode, 201, r.body);
      const order = r.json() as Order;
      own.isOrder(order);
      for (const [bad, why] of [
        [{ ...order, href: 42 }, /href.*string/],
        [{ ...order, state: 'bogus' }, /state.*allowed values/],
        [{ ...order, orderDate: 'yesterday' }, /orderDate.*date-time/],
        [{ ...order, productOrderItem: undefined }, /productOrderItem/],
        [{ ...order, productOrderItem: [{ ...order.productOrderItem[0], action: 'explode' }] }, /action/],
        [{ ...order, productOrderItem: [{ ...order.productOrderItem[0], product: { id: 7 } }] }, /product/],
        [{ ...order, channel: 'api' }, /channel.*array/],
        [{ ...order, secret: 'leaked' }, /additional properties/],
      ] as const) {
        assert.equal(own.order(JSON.parse(JSON.stringify(bad))), false, `accepted ${JSON.stringify(bad).slice(0, 200)}`);
        assert.match(own.errorsText(own.order), why);
      }
      own.isFields({ id: order.id, href: order.href, '@type': 'ProductOrder', state: 'completed' });
      assert.equal(own.fields({ id: order.id, href: order.href, '@type': 'ProductOrder', state: 3 }), false, 'a field picked with `fields` keeps its type');
      assert.equal(own.fields({ id: order.id, state: 'completed' }), false, 'href and @type are always there');
      const cancel = { id: 'CAN-1', href: 'http://localhost:8080/x', state: 'done', effectiveCancellationDate: '2026-11-21T10:00:00.000Z', cancellationReason: 'r', productOrder: { id: order.id, href: order.href, '@referredType': 'ProductOrder' }, '@type': 'CancelProductOrder' };
      own.isCancel(cancel);
      assert.equal(own.cancel({ ...cancel, effectiveCancellationDate: 5 }), false);
      assert.equal(own.cancel({ ...cancel, state: 'cancelled' }), false);
      assert.equal(own.cancel({ ...cancel, productOrder: {} }), false);
    });

    test(`the compiled TM Forum validators refuse what TMF622 v4 forbids${WITHOUT_SPECS ? ' (skipped: SIMEXIT_TMF_SPECS unset)' : ''}`, { skip: WITHOUT_SPECS }, async () => {
      const tmf = tmfForum as ReturnType<typeof contractValidators>;
      const r = await server.inject({ method: 'POST', url: `${BASE}/productOrder`, headers: headers['integrator API key'], payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000008' } }] } });
      assert.equal(r.statusCode, 201, r.body);
      const order = r.json() as Order;
      tmf.isOrder(order);
      for (const [bad, why] of [
        [{ ...order, state: 'bogus' }, /state/],
        [{ ...order, productOrderItem: undefined }, /productOrderItem/],
        [{ ...order, productOrderItem: [{ ...order.productOrderItem[0], action: 'explode' }] }, /action/],
        [{ ...order, productOrderItem: [{ ...order.productOrderItem[0], state: 'done' }] }, /state/],
        [{ ...order, orderDate: 'yesterday' }, /orderDate|date-time/],
        [{ ...order, channel: [{ name: 'api' }] }, /id/],
      ] as const) {
        assert.equal(tmf.order(JSON.parse(JSON.stringify(bad))), false, `accepted ${JSON.stringify(bad).slice(0, 200)}`);
        assert.match(tmf.errorsText(tmf.order), why);
      }
      const cancel = { id: 'CAN-1', state: 'done', productOrder: { id: order.id } };
      assert.equal(tmf.cancel(cancel), true, tmf.errorsText(tmf.cancel));
      assert.equal(tmf.cancel({ ...cancel, state: 'bogus' }), false);
      assert.equal(tmf.cancel({ id: 'CAN-1', state: 'done' }), false);
      assert.equal(tmf.cancel({ ...cancel, productOrder: {} }), false);
    });

    for (const caller of ['integrator API key', 'back-office sign-in']) {
      describe(`as ${caller}`, () => {
        const now = caller === 'back-office sign-in' ? 'ln_00000006' : 'ln_00000001';
        const later = caller === 'back-office sign-in' ? 'ln_00000007' : 'ln_00000003';
        let immediate: Order;
        let scheduled: Order;
        const auth = () => headers[caller] ?? {};

        test('POST productOrder with one delete item ends the line: 201 and a ProductOrder', async () => {
          const before = await termCount();
          const r = await server.inject({ method: 'POST', url: `${BASE}/productOrder`, headers: auth(), payload: { externalId: `EXT-${now}`, productOrderItem: [{ id: '1', action: 'delete', product: { id: now } }] } });
          assert.equal(r.statusCode, 201, r.body);
          immediate = r.json();
          tmf.isOrder(immediate);
          assert.equal(immediate.state, 'acknowledged');
          assert.equal(immediate['@type'], 'ProductOrder');
          assert.equal(immediate.href, `http://localhost:8080${BASE}/productOrder/${immediate.id}`);
          assert.deepEqual(
            immediate.productOrderItem.map((i) => [i.id, i.action, i.state, i.product.id]),
            [['1', 'delete', 'acknowledged', now]],
          );
          assert.equal(await termCount(), before + 1);
          const row = await app.store.db.selectFrom('terminations').select(['channel', 'authority', 'state', 'line_id']).where('reference', '=', immediate.id).executeTakeFirstOrThrow();
          assert.deepEqual({ ...row }, { channel: 'api', authority: 'operator', state: 'scheduled', line_id: now });
        });

        test('GET productOrder lists orders with fields, offset and limit, and counts them in X-Total-Count', async () => {
          const total = await termCount();
          const all = await server.inject({ method: 'GET', url: `${BASE}/productOrder?offset=0&limit=1000`, headers: auth() });
          assert.equal(all.statusCode, 200, all.body);
          const orders = all.json() as Order[];
          assert.equal(all.headers['x-total-count'], String(total));
          assert.equal(all.headers['x-result-count'], String(orders.length));
          assert.equal(orders.length, total);
          orders.forEach((o) => tmf.isOrder(o));
          assert.ok(orders.some((o) => o.id === immediate.id));

          const page = await server.inject({ method: 'GET', url: `${BASE}/productOrder?fields=state,orderDate&offset=1&limit=2`, headers: auth() });
          assert.equal(page.statusCode, 200, page.body);
          const partial = page.json() as Record<string, unknown>[];
          assert.equal(page.headers['x-total-count'], String(total));
          assert.equal(page.headers['x-result-count'], String(partial.length));
          assert.equal(partial.length, Math.min(2, total - 1));
          assert.deepEqual(
            partial,
            orders.slice(1, 3).map((o) => ({ id: o.id, href: o.href, orderDate: o.orderDate, state: o.state, '@type': o['@type'] })),
          );
          for (const p of partial) {
            assert.deepEqual(Object.keys(p).sort(), ['@type', 'href', 'id', 'orderDate', 'state']);
            own.isFields(p);
          }

          const beyond = await server.inject({ method: 'GET', url: `${BASE}/productOrder?offset=${total}&limit=5`, headers: auth() });
          assert.equal(beyond.statusCode, 200);
          assert.deepEqual(beyond.json(), []);
          assert.equal(beyond.headers['x-total-count'], String(total));
          assert.equal(beyond.headers['x-result-count'], '0');

          refused(await server.inject({ method: 'GET', url: `${BASE}/productOrder?limit=-1`, headers: auth() }), 400, 'VALIDATION_FAILED');
          refused(await server.inject({ method: 'GET', url: `${BASE}/productOrder?sort=state`, headers: auth() }), 400, 'VALIDATION_FAILED');
        });

        test('GET productOrder/{id} reads one order', async () => {
          const r = await server.inject({ method: 'GET', url: `${BASE}/productOrder/${immediate.id}`, headers: auth() });
          assert.equal(r.statusCode, 200, r.body);
          tmf.isOrder(r.json());
          assert.deepEqual(r.json(), immediate);
          const lower = await server.inject({ method: 'GET', url: `${BASE}/productOrder/${immediate.id.toLowerCase()}?fields=state`, headers: auth() });
          assert.equal(lower.statusCode, 200, lower.body);
          assert.deepEqual(lower.json(), { id: immediate.id, href: immediate.href, state: 'acknowledged', '@type': 'ProductOrder' });
          refused(await server.inject({ method: 'GET', url: `${BASE}/productOrder/TRM-0000-0000`, headers: auth() }), 404, 'TERMINATION_NOT_FOUND');
        });

        test('POST cancelProductOrder withdraws an order before it takes effect: 201, then the order is cancelled', async () => {
          const when = new Date(Date.parse(app.clock()) + 5 * 86_400_000).toISOString();
          const created = await server.inject({ method: 'POST', url: `${BASE}/productOrder`, headers: auth(), payload: { requestedCompletionDate: when, productOrderItem: [{ id: '7', action: 'delete', product: { id: later } }] } });
          assert.equal(created.statusCode, 201, created.body);
          scheduled = created.json();
          tmf.isOrder(scheduled);
          assert.equal(scheduled.state, 'acknowledged');
          assert.equal(scheduled.productOrderItem[0]?.id, '7');
          assert.ok(String(scheduled.requestedCompletionDate) > app.clock(), `${scheduled.requestedCompletionDate} is ahead`);
          assert.equal(await lineState(later), 'termination_scheduled');

          const r = await server.inject({ method: 'POST', url: `${BASE}/cancelProductOrder`, headers: auth(), payload: { productOrder: { id: scheduled.id }, cancellationReason: 'the customer stays' } });
          assert.equal(r.statusCode, 201, r.body);
          const cancel = r.json();
          tmf.isCancel(cancel);
          assert.equal(cancel.state, 'done');
          assert.equal(cancel.productOrder.id, scheduled.id);
          assert.equal(cancel.cancellationReason, 'the customer stays');

          const after = await server.inject({ method: 'GET', url: `${BASE}/productOrder/${scheduled.id}`, headers: auth() });
          assert.equal(after.statusCode, 200);
          const order = after.json() as Order;
          tmf.isOrder(order);
          assert.equal(order.state, 'cancelled');
          assert.equal(order.productOrderItem[0]?.state, 'cancelled');
          assert.ok(order.cancellationDate);
          assert.equal(await lineState(later), 'active');

          // Cancelled once is cancelled; an order already in effect cannot be.
          refused(await server.inject({ method: 'POST', url: `${BASE}/cancelProductOrder`, headers: auth(), payload: { productOrder: { id: scheduled.id } } }), 409, 'INVALID_TRANSITION');
          refused(await server.inject({ method: 'POST', url: `${BASE}/cancelProductOrder`, headers: auth(), payload: { productOrder: { id: immediate.id } } }), 409, 'COOLING_OFF_OVER');
          refused(await server.inject({ method: 'POST', url: `${BASE}/cancelProductOrder`, headers: auth(), payload: { productOrder: { id: 'TRM-0000-0000' } } }), 404, 'TERMINATION_NOT_FOUND');
        });

        test('the worker completes the order: GET shows it completed', async () => {
          await runWorker(app, { untilIdle: true });
          const r = await server.inject({ method: 'GET', url: `${BASE}/productOrder/${immediate.id}`, headers: auth() });
          assert.equal(r.statusCode, 200, r.body);
          const order = r.json() as Order;
          tmf.isOrder(order);
          assert.equal(order.state, 'completed');
          assert.equal(order.productOrderItem[0]?.state, 'completed');
          assert.ok(order.completionDate);
          assert.equal(await lineState(now), 'terminated');
          const cancelled = (await server.inject({ method: 'GET', url: `${BASE}/productOrder/${scheduled.id}`, headers: auth() })).json() as Order;
          assert.equal(cancelled.state, 'cancelled', 'the worker leaves a cancelled order alone');
        });
      });
    }

    test('a subscriber, a key without the tmf622 scope and no sign-in at all are refused', async () => {
      const existing = (await server.inject({ method: 'GET', url: `${BASE}/productOrder?limit=1`, headers: headers['integrator API key'] })).json()[0].id as string;
      const before = await termCount();
      const calls = [
        { method: 'POST' as const, url: `${BASE}/productOrder`, payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000002' } }] } },
        { method: 'GET' as const, url: `${BASE}/productOrder?fields=state&offset=0&limit=5` },
        { method: 'GET' as const, url: `${BASE}/productOrder/${existing}` },
        { method: 'POST' as const, url: `${BASE}/cancelProductOrder`, payload: { productOrder: { id: existing } } },
      ];
      for (const call of calls) {
        refused(await server.inject({ ...call, headers: headers.subscriber }), 403, 'FORBIDDEN');
        refused(await server.inject({ ...call, headers: headers['key without the tmf622 scope'] }), 403, 'FORBIDDEN');
        refused(await server.inject(call), 401, 'AUTH_REQUIRED');
        refused(await server.inject({ ...call, headers: { authorization: 'Bearer sx_not_a_key' } }), 401, 'AUTH_REQUIRED');
      }
      assert.equal(await termCount(), before);
      assert.equal(await lineState('ln_00000002'), 'active');
    });

    test(
      'a requestedCompletionDate in a valid date-time form the facade cannot read is not taken as "now"',
      async () => {
        const r = await server.inject({
          method: 'POST',
          url: `${BASE}/productOrder`,
          headers: headers['integrator API key'],
          payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_00000010' } }], requestedCompletionDate: '2026-12-31T23:59:60Z' },
        });
        if (r.statusCode === 201) assert.ok(String(r.json().requestedCompletionDate) > '2026-12-30', `asked for 31 December, effective ${r.json().requestedCompletionDate}`);
        else assert.equal(r.statusCode, 400, r.body);
      },
    );
  });
}
