// Every route × every kind of caller × someone else's resources: nobody reaches what is not theirs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../src/app/auth.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

type Caller = 'anonymous' | 'owner' | 'other_subscriber' | 'shop_agent' | 'call_agent' | 'back_office' | 'admin' | 'integrator';
const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'other_subscriber', 'shop_agent', 'call_agent', 'back_office', 'admin', 'integrator'];
const STAFF: readonly Caller[] = ['shop_agent', 'call_agent', 'back_office', 'admin'];

interface RouteCase {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly openapi: string;
  readonly payload?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly allowed: readonly Caller[];
}

const OWNER_MSISDN = '+79990000001';

for (const kind of storeKinds()) {
  describe(`authorization on ${kind.name}`, () => {
    let h: ApiHarness;
    const tokens = new Map<Caller, string>();
    let reference = '';
    before(async () => {
      h = await openApi(kind);
      tokens.set('owner', await h.login(OWNER_MSISDN));
      tokens.set('other_subscriber', await h.login('+79990000002'));
      tokens.set('shop_agent', await h.login('shop1'));
      tokens.set('call_agent', await h.login('callcentre'));
      tokens.set('back_office', await h.login('backoffice'));
      tokens.set('admin', await h.login('admin'));
      tokens.set('integrator', (await createApiKey(h.app, 'partner', ['tmf622'])).key);
      const created = await h.server.inject({ method: 'POST', url: '/api/v1/terminations', headers: { authorization: `Bearer ${tokens.get('owner')}`, 'idempotency-key': 'authz' }, payload: { lineId: 'ln_00000001', effective: 'end_of_period' } });
      reference = created.json().reference;
      assert.ok(reference);
    });
    after(() => h.close());

    const cases = (): RouteCase[] => [
      { method: 'GET', url: '/healthz', openapi: '/healthz', allowed: CALLERS },
      { method: 'GET', url: '/readyz', openapi: '/readyz', allowed: CALLERS },
      { method: 'GET', url: '/metrics', openapi: '/metrics', allowed: CALLERS },
      { method: 'GET', url: '/api/v1/me', openapi: '/api/v1/me', allowed: CALLERS.filter((c) => c !== 'anonymous') },
      { method: 'GET', url: '/api/v1/lines', openapi: '/api/v1/lines', allowed: ['owner', 'other_subscriber'] },
      { method: 'GET', url: '/api/v1/lines/ln_00000001/termination-preview', openapi: '/api/v1/lines/{id}/termination-preview', allowed: ['owner', ...STAFF] },
      { method: 'GET', url: '/api/v1/terminations', openapi: '/api/v1/terminations', allowed: ['owner', 'other_subscriber'] },
      // The owner's line has an open order already, so the owner gets 409; nobody else may ask for it at all.
      { method: 'POST', url: '/api/v1/terminations', openapi: '/api/v1/terminations', payload: { lineId: 'ln_00000001' }, headers: { 'idempotency-key': `authz-${Math.random()}` }, allowed: ['owner'] },
      { method: 'GET', url: `/api/v1/terminations/${reference}`, openapi: '/api/v1/terminations/{reference}', allowed: ['owner', ...STAFF] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, openapi: '/api/v1/terminations/{reference}/confirm', payload: { code: '000000' }, allowed: ['owner'] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/code`, openapi: '/api/v1/terminations/{reference}/code', allowed: ['owner'] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/accept-charges`, openapi: '/api/v1/terminations/{reference}/accept-charges', allowed: ['owner', ...STAFF] },
      { method: 'POST', url: '/api/v1/accounts/acc_00000001/payments', openapi: '/api/v1/accounts/{id}/payments', payload: { amount: 100 }, headers: { 'idempotency-key': `authz-${Math.random()}` }, allowed: ['owner'] },
      { method: 'GET', url: '/api/v1/payments/pay_none', openapi: '/api/v1/payments/{id}', allowed: ['owner', 'other_subscriber'] },
      { method: 'POST', url: '/api/v1/identity/verify', openapi: '/api/v1/identity/verify', payload: { documentNumber: 'XX0000000' }, allowed: ['owner', 'other_subscriber'] },
      { method: 'POST', url: '/api/v1/reclaims', openapi: '/api/v1/reclaims', payload: { msisdn: OWNER_MSISDN, simType: 'sim' }, allowed: ['owner', 'other_subscriber'] },
      { method: 'GET', url: '/api/v1/me/export', openapi: '/api/v1/me/export', allowed: ['owner', 'other_subscriber'] },
      { method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(OWNER_MSISDN)}`, openapi: '/api/v1/staff/customers', allowed: STAFF },
      { method: 'POST', url: '/api/v1/staff/terminations', openapi: '/api/v1/staff/terminations', payload: { lineId: 'ln_00000001', documentChecked: false }, allowed: ['shop_agent', 'call_agent', 'back_office', 'admin'] },
      { method: 'GET', url: '/api/v1/staff/terminations', openapi: '/api/v1/staff/terminations', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/retry`, openapi: '/api/v1/staff/terminations/{reference}/retry', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/reject`, openapi: '/api/v1/staff/terminations/{reference}/reject', payload: { reason: 'authorization test' }, allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/bulk-terminations?dryRun=true', openapi: '/api/v1/staff/bulk-terminations', payload: `msisdn\n${OWNER_MSISDN}\n`, contentType: 'text/csv', allowed: ['back_office', 'admin'] },
      { method: 'GET', url: '/tmf-api/productOrderingManagement/v4/productOrder', openapi: '/tmf-api/productOrderingManagement/v4/productOrder', allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'GET', url: `/tmf-api/productOrderingManagement/v4/productOrder/${reference}`, openapi: '/tmf-api/productOrderingManagement/v4/productOrder/{id}', allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: '/tmf-api/productOrderingManagement/v4/productOrder', openapi: '/tmf-api/productOrderingManagement/v4/productOrder', payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_99999999' } }] }, allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: '/tmf-api/productOrderingManagement/v4/cancelProductOrder', openapi: '/tmf-api/productOrderingManagement/v4/cancelProductOrder', payload: { productOrder: { id: 'TRM-0000-0000' } }, allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/confirm`, openapi: '/api/v1/staff/terminations/{reference}/confirm', payload: { documentChecked: true }, allowed: STAFF },
      { method: 'GET', url: `/api/v1/terminations/${reference}/certificate.pdf`, openapi: '/api/v1/terminations/{reference}/certificate.pdf', allowed: ['owner', ...STAFF] },
      { method: 'GET', url: '/api/v1/staff/notifications/failed', openapi: '/api/v1/staff/notifications/failed', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/notifications/msg_none/retry', openapi: '/api/v1/staff/notifications/{id}/retry', allowed: ['back_office', 'admin'] },
      // Withdraw last: it ends the owner's order.
      { method: 'POST', url: `/api/v1/terminations/${reference}/withdraw`, openapi: '/api/v1/terminations/{reference}/withdraw', allowed: ['owner', ...STAFF] },
    ];

    test('the matrix covers every route in the OpenAPI document that needs a caller', async () => {
      const doc = (await h.server.inject({ method: 'GET', url: '/openapi.json' })).json();
      const listed = new Set(cases().map((c) => `${c.method} ${c.openapi}`));
      const open = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/password-reset', 'POST /api/v1/auth/password-reset/confirm', 'POST /api/v1/auth/logout', 'POST /api/v1/public/cancellations', 'POST /api/v1/public/cancellations/{reference}/confirm', 'GET /api/v1/public/site', 'POST /api/v1/payments/callback']);
      for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(ops)) {
          const key = `${method.toUpperCase()} ${path}`;
          assert.ok(listed.has(key) || open.has(key), `${key} is not in the authorization matrix`);
        }
      }
    });

    test('every route × every caller: allowed callers get through, the others are refused and see none of the owner\'s data', async () => {
      let checked = 0;
      for (const route of cases()) {
        for (const caller of CALLERS) {
          const token = tokens.get(caller);
          const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(route.contentType ? { 'content-type': route.contentType } : {}), ...route.headers };
          const r = await h.server.inject({ method: route.method, url: route.url, headers, payload: route.payload as never });
          const label = `${caller} ${route.method} ${route.url} → ${r.statusCode} ${r.body.slice(0, 120)}`;
          if (route.allowed.includes(caller)) {
            assert.ok(![401, 403].includes(r.statusCode) && r.statusCode < 500, label);
          } else {
            assert.ok([401, 403, 404].includes(r.statusCode), label);
            assert.ok(!r.body.includes(OWNER_MSISDN), `leak: ${label}`);
          }
          checked++;
        }
      }
      assert.equal(checked, cases().length * CALLERS.length);
    });

    test('another subscriber\'s lists never show the owner\'s lines or orders', async () => {
      const other = { authorization: `Bearer ${tokens.get('other_subscriber')}` };
      for (const url of ['/api/v1/lines', '/api/v1/terminations']) {
        const r = await h.server.inject({ method: 'GET', url, headers: other });
        assert.equal(r.statusCode, 200);
        assert.ok(!r.body.includes(OWNER_MSISDN), url);
      }
    });
  });
}
