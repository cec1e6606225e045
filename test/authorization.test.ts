// Every route × every kind of caller × someone else's resources: nobody reaches what is not theirs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueForAgent } from '../src/app/agent-queue.ts';
import { createApiKey } from '../src/app/auth.ts';
import { takeCall } from '../src/app/call-console.ts';
import { takeTicket } from '../src/app/shop-kiosk.ts';
import { documentHash } from '../src/app/secrets.ts';
import { CASE_HOURS } from '../src/app/staff-cases.ts';
import { openApi, type ApiHarness } from './support/api.ts';
import { storeKinds } from './support/stores.ts';

type Caller = 'anonymous' | 'owner' | 'other_subscriber' | 'shop_agent' | 'call_agent' | 'back_office' | 'admin' | 'integrator';
const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'other_subscriber', 'shop_agent', 'call_agent', 'back_office', 'admin', 'integrator'];
const STAFF: readonly Caller[] = ['shop_agent', 'call_agent', 'back_office', 'admin'];
// Shop and call agents act for a customer only within an open case they hold (none is open in the matrix).
const BACK: readonly Caller[] = ['back_office', 'admin'];

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
const OTHER_CASE_MSISDN = '+79990000007';
// The shop agent's visitor (shop-1): a ticket called to a counter, its holder found and their passport checked.
const SHOP_VISITOR = { msisdn: '+79990000008', line: 'ln_00000008', document: 'RU1188776655' };

for (const kind of storeKinds()) {
  describe(`authorization on ${kind.name}`, () => {
    let h: ApiHarness;
    const tokens = new Map<Caller, string>();
    let reference = '';
    // A call the call agent holds, of another customer: the console routes are the call agent's alone.
    let heldCall = '';
    let shopTicket = '';
    before(async () => {
      h = await openApi(kind);
      const entry = await enqueueForAgent(h.app, { kind: 'call', callSid: 'CA-matrix', language: 'ru', callerNumber: OTHER_CASE_MSISDN, customerId: 'cus_00000007', lineId: 'ln_00000007', verified: { caller: true, secret: 'pin', smsCode: true }, reason: 'pressed_0' });
      await takeCall(h.app, { kind: 'staff', id: 'stf_callcentre', name: 'Call Agent', role: 'call_agent', shopId: null }, entry.id);
      heldCall = entry.id;
      shopTicket = (await takeTicket(h.app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '192.0.2.10')).id;
      await h.app.store.db.updateTable('customers').set({ doc_hash: documentHash(h.app.secrets.documentKey, SHOP_VISITOR.document) }).where('id', '=', 'cus_00000008').execute();
      tokens.set('owner', await h.login(OWNER_MSISDN));
      tokens.set('other_subscriber', await h.login('+79990000002'));
      tokens.set('shop_agent', await h.login('shop1'));
      tokens.set('call_agent', await h.login('callcentre'));
      tokens.set('back_office', await h.login('backoffice'));
      tokens.set('admin', await h.login('admin'));
      tokens.set('integrator', (await createApiKey(h.app, 'partner', ['tmf622', 'reassigned-numbers'])).key);
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
      { method: 'GET', url: '/api/v1/lines/ln_00000001/termination-preview', openapi: '/api/v1/lines/{id}/termination-preview', allowed: ['owner', ...BACK] },
      { method: 'GET', url: '/api/v1/terminations', openapi: '/api/v1/terminations', allowed: ['owner', 'other_subscriber'] },
      // The owner's line has an open order already, so the owner gets 409; nobody else may ask for it at all.
      { method: 'POST', url: '/api/v1/terminations', openapi: '/api/v1/terminations', payload: { lineId: 'ln_00000001' }, headers: { 'idempotency-key': `authz-${Math.random()}` }, allowed: ['owner'] },
      { method: 'GET', url: `/api/v1/terminations/${reference}`, openapi: '/api/v1/terminations/{reference}', allowed: ['owner', ...BACK] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/confirm`, openapi: '/api/v1/terminations/{reference}/confirm', payload: { code: '000000' }, allowed: ['owner'] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/code`, openapi: '/api/v1/terminations/{reference}/code', allowed: ['owner'] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/accept-charges`, openapi: '/api/v1/terminations/{reference}/accept-charges', allowed: ['owner', ...BACK] },
      { method: 'POST', url: '/api/v1/accounts/acc_00000001/payments', openapi: '/api/v1/accounts/{id}/payments', payload: { amount: 100 }, headers: { 'idempotency-key': `authz-${Math.random()}` }, allowed: ['owner'] },
      { method: 'GET', url: '/api/v1/payments/pay_none', openapi: '/api/v1/payments/{id}', allowed: ['owner', 'other_subscriber'] },
      { method: 'POST', url: '/api/v1/identity/verify', openapi: '/api/v1/identity/verify', payload: { documentNumber: 'XX0000000' }, allowed: ['owner', 'other_subscriber'] },
      // Only the number's holder may ask for it back; anyone else gets one neutral refusal (RECLAIM_NOT_FORMER_HOLDER).
      { method: 'POST', url: '/api/v1/reclaims', openapi: '/api/v1/reclaims', payload: { msisdn: OWNER_MSISDN, simType: 'sim' }, allowed: ['owner'] },
      // The session behind a cookie: a bearer token alone never gets a CSRF token (test/site-api.test.ts signs in with a cookie).
      { method: 'GET', url: '/api/v1/auth/session', openapi: '/api/v1/auth/session', allowed: [] },
      { method: 'GET', url: '/api/v1/me/export', openapi: '/api/v1/me/export', allowed: ['owner', 'other_subscriber'] },
      // The activation code is the holder's alone (whoever has it can install the eSIM): staff get no route to it.
      { method: 'GET', url: '/api/v1/me/lines/ln_00000001/esim-qr.svg', openapi: '/api/v1/me/lines/{id}/esim-qr.svg', allowed: ['owner'] },
      { method: 'GET', url: '/api/v1/me/former-numbers', openapi: '/api/v1/me/former-numbers', allowed: ['owner', 'other_subscriber'] },
      // Remote tickets from the site: for the signed-in subscriber's own line only (anyone else: LINE_NOT_FOUND).
      { method: 'GET', url: '/api/v1/me/shops', openapi: '/api/v1/me/shops', allowed: ['owner', 'other_subscriber'] },
      { method: 'POST', url: '/api/v1/me/shop-tickets', openapi: '/api/v1/me/shop-tickets', payload: { shopId: 'shop-1', serviceId: 'shop-1-C', lineId: 'ln_00000001', language: 'ru' }, headers: { 'idempotency-key': `authz-${Math.random()}` }, allowed: ['owner'] },
      { method: 'GET', url: '/api/v1/me/shop-tickets', openapi: '/api/v1/me/shop-tickets', allowed: ['owner', 'other_subscriber'] },
      { method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(OWNER_MSISDN)}`, openapi: '/api/v1/staff/customers', allowed: STAFF },
      { method: 'POST', url: '/api/v1/staff/terminations', openapi: '/api/v1/staff/terminations', payload: { lineId: 'ln_00000001', documentChecked: false }, allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/terminations', openapi: '/api/v1/staff/terminations', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/retry`, openapi: '/api/v1/staff/terminations/{reference}/retry', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/reject`, openapi: '/api/v1/staff/terminations/{reference}/reject', payload: { reason: 'authorization test' }, allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/bulk-terminations?dryRun=true', openapi: '/api/v1/staff/bulk-terminations', payload: `msisdn\n${OWNER_MSISDN}\n`, contentType: 'text/csv', allowed: ['back_office', 'admin'] },
      // Bulk runs (the staff page `bulk`): a dry run changes nothing; the rest name a run that does not exist.
      { method: 'POST', url: '/api/v1/staff/bulk-runs?dryRun=true', openapi: '/api/v1/staff/bulk-runs', payload: `msisdn\n${OWNER_MSISDN}\n`, contentType: 'text/csv', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/bulk-runs', openapi: '/api/v1/staff/bulk-runs', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/bulk-runs/blk_none', openapi: '/api/v1/staff/bulk-runs/{id}', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/bulk-runs/blk_none/events', openapi: '/api/v1/staff/bulk-runs/{id}/events', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/bulk-runs/blk_none/result.csv', openapi: '/api/v1/staff/bulk-runs/{id}/result.csv', allowed: BACK },
      { method: 'GET', url: '/tmf-api/productOrderingManagement/v4/productOrder', openapi: '/tmf-api/productOrderingManagement/v4/productOrder', allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'GET', url: `/tmf-api/productOrderingManagement/v4/productOrder/${reference}`, openapi: '/tmf-api/productOrderingManagement/v4/productOrder/{id}', allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: '/tmf-api/productOrderingManagement/v4/productOrder', openapi: '/tmf-api/productOrderingManagement/v4/productOrder', payload: { productOrderItem: [{ id: '1', action: 'delete', product: { id: 'ln_99999999' } }] }, allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: '/tmf-api/productOrderingManagement/v4/cancelProductOrder', openapi: '/tmf-api/productOrderingManagement/v4/cancelProductOrder', payload: { productOrder: { id: 'TRM-0000-0000' } }, allowed: ['integrator', 'back_office', 'admin'] },
      { method: 'POST', url: `/api/v1/staff/terminations/${reference}/confirm`, openapi: '/api/v1/staff/terminations/{reference}/confirm', payload: { documentChecked: true }, allowed: BACK },
      // A case for another customer: opening one never shows the owner's data.
      { method: 'POST', url: '/api/v1/staff/cases', openapi: '/api/v1/staff/cases', payload: { msisdn: OTHER_CASE_MSISDN, callId: 'call-matrix' }, allowed: ['shop_agent', 'call_agent', 'back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/cases/case_none/close', openapi: '/api/v1/staff/cases/{id}/close', allowed: ['shop_agent', 'call_agent', 'back_office', 'admin'] },
      { method: 'GET', url: `/api/v1/terminations/${reference}/certificate.pdf`, openapi: '/api/v1/terminations/{reference}/certificate.pdf', allowed: ['owner', ...BACK] },
      { method: 'GET', url: '/api/v1/staff/notifications/failed', openapi: '/api/v1/staff/notifications/failed', allowed: ['back_office', 'admin'] },
      { method: 'GET', url: '/api/v1/staff/alerts', openapi: '/api/v1/staff/alerts', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/alerts/alr_none/handled', openapi: '/api/v1/staff/alerts/{id}/handled', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/notifications/msg_none/retry', openapi: '/api/v1/staff/notifications/{id}/retry', allowed: ['back_office', 'admin'] },
      { method: 'GET', url: '/api/v1/staff/jobs/dead', openapi: '/api/v1/staff/jobs/dead', allowed: ['back_office', 'admin'] },
      { method: 'POST', url: '/api/v1/staff/jobs/job_none/retry', openapi: '/api/v1/staff/jobs/{id}/retry', allowed: ['back_office', 'admin'] },
      // The call-centre console: call agents only (not even an administrator takes calls), and only calls they hold.
      { method: 'GET', url: '/api/v1/staff/calls/queue', openapi: '/api/v1/staff/calls/queue', allowed: ['call_agent'] },
      { method: 'POST', url: '/api/v1/staff/calls/agq_none/take', openapi: '/api/v1/staff/calls/{id}/take', allowed: ['call_agent'] },
      { method: 'GET', url: `/api/v1/staff/calls/${heldCall}`, openapi: '/api/v1/staff/calls/{id}', allowed: ['call_agent'] },
      // An unticked checklist and an outcome that needs a cancellation: the holder is answered, nothing changes.
      { method: 'POST', url: `/api/v1/staff/calls/${heldCall}/cancel-line`, openapi: '/api/v1/staff/calls/{id}/cancel-line', payload: { lineId: 'ln_00000007', checklist: { identityConfirmed: true, callerConsents: false, toldMoney: true, toldData: true, toldReclaimPeriod: true } }, allowed: ['call_agent'] },
      { method: 'POST', url: `/api/v1/staff/calls/${heldCall}/finish`, openapi: '/api/v1/staff/calls/{id}/finish', payload: { outcome: 'line_cancelled' }, allowed: ['call_agent'] },
      { method: 'GET', url: '/api/v1/staff/calls/figures', openapi: '/api/v1/staff/calls/figures', allowed: BACK },
      // The shop: administrators set shops up; the counter console is a shop agent's (not even an administrator's), in
      // their own shop; the figures are the back office's. The kiosk and the board are public (the `open` set below).
      { method: 'GET', url: '/api/v1/admin/shops', openapi: '/api/v1/admin/shops', allowed: ['admin'] },
      { method: 'GET', url: '/api/v1/admin/shops/shop-1', openapi: '/api/v1/admin/shops/{shopId}', allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/shops/shop-9', openapi: '/api/v1/admin/shops/{shopId}', payload: { name: 'Matrix', timeZone: 'Europe/Moscow', languages: ['ru'], weeklyHours: { mon: [{ open: '09:00', close: '18:00' }] } }, allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/shops/shop-1/services/shop-1-x', openapi: '/api/v1/admin/shops/{shopId}/services/{id}', payload: { letter: 'X', names: { ru: 'Тест', en: 'Test', zh: '测试' } }, allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/shops/shop-1/counters/shop-1-w9', openapi: '/api/v1/admin/shops/{shopId}/counters/{id}', payload: { label: '9', services: ['shop-1-x'], languages: ['en'] }, allowed: ['admin'] },
      { method: 'GET', url: '/api/v1/admin/staff', openapi: '/api/v1/admin/staff', allowed: ['admin'] },
      // Binding the shop agent to the shop they already work in: allowed for the administrator, changes nothing.
      { method: 'POST', url: '/api/v1/admin/staff/stf_shop1/shop', openapi: '/api/v1/admin/staff/{staffId}/shop', payload: { shopId: 'shop-1' }, allowed: ['admin'] },
      { method: 'GET', url: '/api/v1/staff/shop/queue', openapi: '/api/v1/staff/shop/queue', allowed: ['shop_agent'] },
      { method: 'POST', url: '/api/v1/staff/shop/call-next', openapi: '/api/v1/staff/shop/call-next', payload: { counterId: 'shop-1-w1' }, allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/move`, openapi: '/api/v1/staff/shop/tickets/{id}/move', payload: { action: 'recall' }, allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/customer`, openapi: '/api/v1/staff/shop/tickets/{id}/customer', payload: { msisdn: SHOP_VISITOR.msisdn }, allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/passport`, openapi: '/api/v1/staff/shop/tickets/{id}/passport', payload: { documentNumber: SHOP_VISITOR.document }, allowed: ['shop_agent'] },
      { method: 'GET', url: `/api/v1/staff/shop/tickets/${shopTicket}/preview?lineId=${SHOP_VISITOR.line}`, openapi: '/api/v1/staff/shop/tickets/{id}/preview', allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/payments`, openapi: '/api/v1/staff/shop/tickets/{id}/payments', payload: { lineId: SHOP_VISITOR.line, amount: 100, method: 'card' }, headers: { 'idempotency-key': 'matrix-till' }, allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/sim`, openapi: '/api/v1/staff/shop/tickets/{id}/sim', payload: { lineId: SHOP_VISITOR.line, outcome: 'kept_by_subscriber' }, allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/checklist`, openapi: '/api/v1/staff/shop/tickets/{id}/checklist', payload: { checklist: { pinRemoved: true, dataExported: true, loginsMoved: false } }, allowed: ['shop_agent'] },
      // The checklist is not complete: the agent is answered (SHOP_CHECKLIST_INCOMPLETE), nothing ends.
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/confirm`, openapi: '/api/v1/staff/shop/tickets/{id}/confirm', payload: { lineId: SHOP_VISITOR.line }, allowed: ['shop_agent'] },
      { method: 'GET', url: `/api/v1/staff/shop/tickets/${shopTicket}/certificate.pdf`, openapi: '/api/v1/staff/shop/tickets/{id}/certificate.pdf', allowed: ['shop_agent'] },
      { method: 'POST', url: `/api/v1/staff/shop/tickets/${shopTicket}/transfer`, openapi: '/api/v1/staff/shop/tickets/{id}/transfer', payload: { counterId: 'shop-1-w2' }, allowed: ['shop_agent'] },
      { method: 'GET', url: '/api/v1/staff/shop-figures', openapi: '/api/v1/staff/shop-figures', allowed: BACK },
      // The dashboard: the back office's figures, the audit's recent entries and its chain's check.
      { method: 'GET', url: '/api/v1/staff/dashboard?days=7', openapi: '/api/v1/staff/dashboard', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/audit/recent?limit=10', openapi: '/api/v1/staff/audit/recent', allowed: BACK },
      { method: 'GET', url: '/api/v1/staff/audit/verification', openapi: '/api/v1/staff/audit/verification', allowed: BACK },
      // Events for other systems: subscriptions and replays are an administrator's (the dead letters are on the dead list above).
      { method: 'GET', url: '/api/v1/admin/webhooks', openapi: '/api/v1/admin/webhooks', allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/webhooks', openapi: '/api/v1/admin/webhooks', payload: { url: 'https://hooks.example/simexit', eventTypes: ['simexit.order.state_changed'] }, allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/webhooks/whs_none/disable', openapi: '/api/v1/admin/webhooks/{id}/disable', allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/events/replay', openapi: '/api/v1/admin/events/replay', payload: { target: 'whs_none', eventIds: ['evt-1'] }, allowed: ['admin'] },
      // Staff accounts and integrator keys: an administrator's alone (issue 17). A new account and key each time; the
      // change names a member by the name they have (nothing changes); revoking a key that does not exist.
      { method: 'POST', url: '/api/v1/admin/staff', openapi: '/api/v1/admin/staff', payload: { login: `m${Math.random().toString(36).slice(2, 10)}`, name: 'Matrix', role: 'call_agent', password: 'matrix-pass-1' }, allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/staff/stf_shop1', openapi: '/api/v1/admin/staff/{staffId}', payload: { name: 'Shop Agent 1' }, allowed: ['admin'] },
      { method: 'GET', url: '/api/v1/admin/api-keys', openapi: '/api/v1/admin/api-keys', allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/api-keys', openapi: '/api/v1/admin/api-keys', payload: { name: 'matrix', scopes: ['reassigned-numbers'] }, allowed: ['admin'] },
      { method: 'POST', url: '/api/v1/admin/api-keys/key_none/revoke', openapi: '/api/v1/admin/api-keys/{id}/revoke', allowed: ['admin'] },
      // The reassigned-numbers query: integrator keys with its scope only (a key without it: test/reassigned-numbers.test.ts).
      { method: 'POST', url: '/api/v1/reassigned-numbers/query', openapi: '/api/v1/reassigned-numbers/query', payload: { pairs: [{ number: OWNER_MSISDN, date: '2026-11-01' }] }, allowed: ['integrator'] },
      { method: 'GET', url: '/api/v1/staff/reports/orders.csv?from=2026-11-01&to=2026-11-30', openapi: '/api/v1/staff/reports/orders.csv', allowed: BACK },
      // Withdraw last: it ends the owner's order.
      { method: 'POST', url: `/api/v1/terminations/${reference}/withdraw`, openapi: '/api/v1/terminations/{reference}/withdraw', allowed: ['owner', ...BACK] },
      { method: 'POST', url: `/api/v1/terminations/${reference}/not-me`, openapi: '/api/v1/terminations/{reference}/not-me', allowed: ['owner'] },
    ];

    test('the matrix covers every route in the OpenAPI document that needs a caller', async () => {
      const doc = (await h.server.inject({ method: 'GET', url: '/openapi.json' })).json();
      const listed = new Set(cases().map((c) => `${c.method} ${c.openapi}`));
      const open = new Set(['POST /api/v1/auth/login', 'GET /api/v1/auth/oidc', 'GET /api/v1/auth/oidc/start', 'GET /api/v1/auth/oidc/callback', 'POST /api/v1/auth/password-reset', 'POST /api/v1/auth/password-reset/confirm', 'POST /api/v1/auth/logout', 'POST /api/v1/public/cancellations', 'POST /api/v1/public/cancellations/{reference}/confirm', 'POST /api/v1/public/cancellations/{reference}/withdraw', 'GET /api/v1/public/site', 'POST /api/v1/payments/callback', 'GET /api/v1/shops/{shopId}/services', 'POST /api/v1/shops/{shopId}/tickets', 'POST /api/v1/shops/{shopId}/check-in', 'GET /api/v1/shops/{shopId}/board',
        // The HTTP SMS provider's webhook: no sign-in, an HMAC signature over the body instead (test/sms/webhook.test.ts).
        'POST /api/v1/sms/inbound']);
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

    test("the SM-DP+'s ES2+ notification route is not on the public host, for any caller: only its mutual-TLS listener serves it (test/esim/es2plus.test.ts)", async () => {
      for (const caller of CALLERS) {
        const token = tokens.get(caller);
        const r = await h.server.inject({ method: 'POST', url: '/gsma/rsp2/es2plus/handleDownloadProgressInfo', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { iccid: '89701990000000000001' } });
        assert.equal(r.statusCode, 404, `${caller}: ${r.statusCode}`);
      }
    });

    test('demo-only routes (the demo clock) do not exist outside demo mode, for any caller (in demo mode: test/demo-clock-api.test.ts)', async () => {
      for (const caller of CALLERS) {
        const token = tokens.get(caller);
        for (const [method, url] of [['GET', '/api/v1/demo/clock'], ['POST', '/api/v1/demo/clock/advance']] as const) {
          const r = await h.server.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: method === 'POST' ? { days: 1 } : undefined });
          assert.equal(r.statusCode, 404, `${caller} ${method} ${url} → ${r.statusCode}`);
        }
      }
    });

    test('another subscriber\'s lists never show the owner\'s lines or orders', async () => {
      const other = { authorization: `Bearer ${tokens.get('other_subscriber')}` };
      for (const url of ['/api/v1/lines', '/api/v1/terminations', '/api/v1/me/shop-tickets']) {
        const r = await h.server.inject({ method: 'GET', url, headers: other });
        assert.equal(r.statusCode, 200);
        assert.ok(!r.body.includes(OWNER_MSISDN), url);
      }
      // The matrix took the owner a ticket: the owner sees it (with the number it texts), the other did not above.
      const mine = await h.server.inject({ method: 'GET', url: '/api/v1/me/shop-tickets', headers: { authorization: `Bearer ${tokens.get('owner')}` } });
      assert.ok(mine.body.includes(OWNER_MSISDN));
    });
  });

  // Staff × shop × customer: a front-line agent acts only within an open case they hold, in their own shop.
  describe(`staff act only within their cases, on ${kind.name}`, () => {
    let h: ApiHarness;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    let shop1 = '';
    let shop2 = '';
    let call = '';
    let back = '';
    const customerOf = (i: number) => ({ id: `cus_${String(i).padStart(8, '0')}`, line: `ln_${String(i).padStart(8, '0')}`, msisdn: `+7999000000${i}` });
    const A = customerOf(3);
    const B = customerOf(4);
    const C = customerOf(5);
    const orders = async () => Number((await h.app.store.db.selectFrom('terminations').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const reads = async (customerId: string) => (await h.app.store.db.selectFrom('audit_log').select(['actor_id', 'action', 'data']).where('entity_type', '=', 'customer').where('entity_id', '=', customerId).orderBy('seq').execute());
    const setDocument = (customerId: string, number: string) => h.app.store.db.updateTable('customers').set({ doc_hash: documentHash(h.app.secrets.documentKey, number) }).where('id', '=', customerId).execute();
    before(async () => {
      h = await openApi(kind);
      shop1 = await h.login('shop1');
      shop2 = await h.login('shop2');
      call = await h.login('callcentre');
      back = await h.login('backoffice');
      await setDocument(B.id, 'ZZ7654321');
    });
    after(() => h.close());

    test('without a case a shop or call agent reads and changes nothing of a customer, with one stable code whether the line exists or not', async () => {
      const before = await orders();
      const auditBefore = await reads(A.id);
      for (const token of [shop1, call]) {
        for (const [method, url, payload] of [
          ['GET', `/api/v1/lines/${A.line}/termination-preview`, undefined],
          ['GET', '/api/v1/lines/ln_99999999/termination-preview', undefined],
          ['POST', '/api/v1/staff/terminations', { lineId: A.line, documentChecked: true }],
          ['POST', '/api/v1/staff/terminations', { lineId: 'ln_99999999', documentChecked: true }],
        ] as const) {
          const r = await h.server.inject({ method, url, headers: auth(token), payload: payload as never });
          assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
          assert.equal(r.json().code, 'NO_OPEN_CASE');
          assert.ok(!r.body.includes(A.msisdn));
        }
        const search = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(A.msisdn)}`, headers: auth(token) });
        assert.deepEqual(search.json(), [], 'a front-line search finds only the customers of its own cases');
      }
      assert.equal(await orders(), before, 'no order was created');
      assert.deepEqual(await reads(A.id), auditBefore, 'nothing was read, so nothing is audited');
      const wide = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(A.msisdn)}`, headers: auth(back) });
      assert.equal(wide.json()[0].id, A.id, 'the back office finds anyone by exact number');
      assert.equal(typeof wide.json()[0].documentLast4, 'string');
      const partial = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(A.msisdn.slice(0, -1))}`, headers: auth(back) });
      assert.equal(partial.json().code, 'INVALID_MSISDN', 'no search on part of a number');
    });

    test('a shop agent opens a case in their shop for the customer present and acts for that customer only; another shop does not', async () => {
      const opened = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(shop1), payload: { msisdn: B.msisdn } });
      assert.equal(opened.statusCode, 201, opened.body);
      const c = opened.json();
      assert.deepEqual([c.customer.id, c.shopId, c.identifiedBy], [B.id, 'shop-1', 'msisdn']);
      assert.equal(c.customer.documentLast4, null, 'a front-line agent never sees the document on file');
      const mine = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${B.line}/termination-preview`, headers: auth(shop1) });
      assert.equal(mine.statusCode, 200, mine.body);
      const found = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(B.msisdn)}`, headers: auth(shop1) });
      assert.equal(found.json()[0].id, B.id);
      for (const [token, line, who] of [[shop1, A.line, 'another customer'], [shop2, B.line, 'an agent of another shop'], [call, B.line, 'a call agent']] as const) {
        const r = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${line}/termination-preview`, headers: auth(token) });
        assert.deepEqual([r.statusCode, r.json().code], [403, 'NO_OPEN_CASE'], who);
      }
      // The agent is moved to another shop: the case stays in the shop it was opened in.
      await h.app.store.db.updateTable('staff').set({ shop_id: 'shop-9' }).where('login', '=', 'shop1').execute();
      const moved = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${B.line}/termination-preview`, headers: auth(shop1) });
      assert.deepEqual([moved.statusCode, moved.json().code], [403, 'NO_OPEN_CASE']);
      await h.app.store.db.updateTable('staff').set({ shop_id: 'shop-1' }).where('login', '=', 'shop1').execute();
      const trail = await reads(B.id);
      assert.ok(trail.some((e) => e.action === 'case_opened' && e.actor_id === 'stf_shop1'));
      assert.ok(trail.filter((e) => e.action === 'staff_read' && e.actor_id === 'stf_shop1').length >= 3, 'the case, the preview and the search are each audited');
    });

    test('"document checked" needs a case opened with the document itself; with it the agent confirms at the counter', async () => {
      const before = await orders();
      const claimed = await h.server.inject({ method: 'POST', url: '/api/v1/staff/terminations', headers: auth(shop1), payload: { lineId: B.line, documentChecked: true } });
      assert.deepEqual([claimed.statusCode, claimed.json().code], [403, 'DOCUMENT_NOT_CHECKED'], claimed.body);
      assert.equal(await orders(), before, 'no order was created');
      const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(shop1), payload: { document: 'ZZ0000000' } });
      assert.deepEqual([wrong.statusCode, wrong.json().code], [404, 'CUSTOMER_NOT_FOUND']);
      const byDocument = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(shop1), payload: { document: 'zz 7654321' } });
      assert.equal(byDocument.json().identifiedBy, 'document', byDocument.body);
      const done = await h.server.inject({ method: 'POST', url: '/api/v1/staff/terminations', headers: auth(shop1), payload: { lineId: B.line, documentChecked: true, chargesAccepted: true, simCollected: true } });
      assert.equal(done.statusCode, 201, done.body);
      assert.equal(done.json().channel, 'store');
    });

    test('a call agent sees and acts only on calls from the queue they hold; another call agent and other roles are refused', async () => {
      const hash = (await h.app.store.db.selectFrom('staff').select('password_hash').where('login', '=', 'callcentre').executeTakeFirstOrThrow()).password_hash;
      await h.app.store.db.insertInto('staff').values({ id: 'stf_call2', login: 'call2', name: 'Call Agent 2', role: 'call_agent', shop_id: null, password_hash: hash, created_at: h.app.clock() }).execute();
      const call2 = await h.login('call2');
      const entry = await enqueueForAgent(h.app, { kind: 'call', callSid: 'CA-authz-held', language: 'ru', callerNumber: A.msisdn, customerId: A.id, lineId: A.line, verified: { caller: true, secret: 'pin', smsCode: true }, reason: 'caller asked for an agent' });
      const took = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/take`, headers: auth(call) });
      assert.equal(took.statusCode, 200, took.body);
      const before = await orders();
      const checklist = { identityConfirmed: true, callerConsents: true, toldMoney: true, toldData: true, toldReclaimPeriod: true };
      for (const [token, who, code] of [[call2, 'another call agent', 'CALL_NOT_HELD'], [shop1, 'a shop agent', 'CALL_AGENT_ONLY'], [back, 'the back office', 'CALL_AGENT_ONLY']] as const) {
        for (const [method, url, payload] of [
          ['GET', `/api/v1/staff/calls/${entry.id}`, undefined],
          ['POST', `/api/v1/staff/calls/${entry.id}/cancel-line`, { lineId: A.line, checklist }],
          ['POST', `/api/v1/staff/calls/${entry.id}/finish`, { outcome: 'resolved' }],
          ['POST', `/api/v1/staff/calls/${entry.id}/take`, undefined],
        ] as const) {
          const r = await h.server.inject({ method, url, headers: auth(token), payload: payload as never });
          const expected = url.endsWith('/take') && code === 'CALL_NOT_HELD' ? [409, 'CALL_NOT_WAITING'] : [403, code];
          assert.deepEqual([r.statusCode, r.json().code], expected, `${who} ${method} ${url}`);
          assert.ok(!r.body.includes(A.msisdn), `leak to ${who}`);
        }
      }
      const preview = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${A.line}/termination-preview`, headers: auth(call2) });
      assert.equal(preview.json().code, 'NO_OPEN_CASE', 'the holder\'s case is theirs alone');
      assert.equal(await orders(), before, 'nobody but the holder changed anything');
      const mine = await h.server.inject({ method: 'GET', url: `/api/v1/staff/calls/${entry.id}`, headers: auth(call) });
      assert.equal(mine.json().customer.id, A.id);
      const done = await h.server.inject({ method: 'POST', url: `/api/v1/staff/calls/${entry.id}/finish`, headers: auth(call), payload: { outcome: 'resolved' } });
      assert.equal(done.statusCode, 200, done.body);
    });

    test('a call agent opens a case only for the call they hold, and loses it when it is closed or expires', async () => {
      const noCall = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(call), payload: { msisdn: C.msisdn } });
      assert.deepEqual([noCall.statusCode, noCall.json().code], [400, 'CALL_ID_REQUIRED']);
      const refused = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(call) });
      assert.equal(refused.json().code, 'NO_OPEN_CASE', 'a refused case opens nothing');
      const opened = await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(call), payload: { msisdn: C.msisdn, callId: 'call-42' } });
      assert.equal(opened.statusCode, 201, opened.body);
      assert.deepEqual([opened.json().callId, opened.json().shopId], ['call-42', null]);
      const ok = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(call) });
      assert.equal(ok.statusCode, 200, ok.body);
      const foreign = await h.server.inject({ method: 'POST', url: `/api/v1/staff/cases/${opened.json().id}/close`, headers: auth(shop1) });
      assert.equal(foreign.statusCode, 404, 'only the holder closes a case');
      const closed = await h.server.inject({ method: 'POST', url: `/api/v1/staff/cases/${opened.json().id}/close`, headers: auth(call) });
      assert.equal(closed.statusCode, 200, closed.body);
      const after = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(call) });
      assert.equal(after.json().code, 'NO_OPEN_CASE');
      await h.server.inject({ method: 'POST', url: '/api/v1/staff/cases', headers: auth(call), payload: { msisdn: C.msisdn, callId: 'call-43' } });
      h.app.clock.advanceHours(CASE_HOURS + 1);
      const expired = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(call) });
      assert.equal(expired.json().code, 'NO_OPEN_CASE', 'a case expires');
      const backOffice = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(back) });
      assert.equal(backOffice.statusCode, 200, 'the back office keeps its wider rights');
      assert.ok((await reads(C.id)).some((e) => e.action === 'staff_read' && e.actor_id === 'stf_backoffice'), 'and its reads are audited too');
    });

    test("a shop agent of shop 2 cannot call, see or act on shop 1's tickets or customers", async () => {
      const ticket = await h.server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': 'authz-shop' }, payload: { serviceId: 'shop-1-C', language: 'ru' } });
      const id = ticket.json().id as string;
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: auth(shop2), payload: { counterId: 'shop-1-w1' } })).json().code, 'SHOP_FORBIDDEN');
      assert.equal((await h.server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: auth(shop1), payload: { counterId: 'shop-1-w1' } })).json().ticket.id, id);
      const found = await h.server.inject({ method: 'POST', url: `/api/v1/staff/shop/tickets/${id}/customer`, headers: auth(shop1), payload: { msisdn: C.msisdn } });
      assert.equal(found.statusCode, 200, found.body);
      const queue = await h.server.inject({ method: 'GET', url: '/api/v1/staff/shop/queue', headers: auth(shop2) });
      assert.equal(queue.json().shop.id, 'shop-2');
      assert.ok(!queue.body.includes(id) && !queue.body.includes(C.id), "shop 2's queue shows nothing of shop 1");
      const before = await orders();
      for (const [method, path, payload] of [
        ['POST', 'move', { action: 'no_show' }],
        ['POST', 'transfer', { counterId: 'shop-2-w1' }],
        ['POST', 'transfer', { language: 'en' }],
        ['POST', 'customer', { msisdn: C.msisdn }],
        ['POST', 'passport', { documentNumber: 'ZZ7654321' }],
        ['GET', `preview?lineId=${C.line}`, undefined],
        ['POST', 'payments', { lineId: C.line, amount: 100, method: 'cash' }],
        ['POST', 'sim', { lineId: C.line, outcome: 'destroyed' }],
        ['POST', 'checklist', { checklist: { pinRemoved: true, dataExported: true, loginsMoved: true } }],
        ['POST', 'confirm', { lineId: C.line }],
        ['GET', 'certificate.pdf', undefined],
      ] as const) {
        const r = await h.server.inject({ method, url: `/api/v1/staff/shop/tickets/${id}/${path}`, headers: { ...auth(shop2), 'idempotency-key': 'authz-shop2' }, payload: payload as never });
        assert.equal(r.json().code, 'SHOP_FORBIDDEN', `${method} ${path} → ${r.statusCode} ${r.body}`);
        assert.ok(!r.body.includes(C.msisdn));
      }
      assert.equal(await orders(), before);
      const search = await h.server.inject({ method: 'GET', url: `/api/v1/staff/customers?msisdn=${encodeURIComponent(C.msisdn)}`, headers: auth(shop2) });
      assert.deepEqual(search.json(), [], "shop 1's case is not shop 2's");
      const preview = await h.server.inject({ method: 'GET', url: `/api/v1/lines/${C.line}/termination-preview`, headers: auth(shop2) });
      assert.ok([403, 404].includes(preview.statusCode) && !preview.body.includes(C.msisdn), preview.body);
    });
  });
}
