import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { documentHash } from '../../src/app/secrets.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { normalizeMsisdn } from '../../src/domain/msisdn.ts';
import { customerIdsByMsisdn } from '../../src/store/cases.repository.ts';
import { seed } from '../../src/seed/seed.ts';
import { CLIENT_ID, CLIENT_SECRET, Jar, startProvider, type TestProvider } from '../support/oidc-provider.ts';
import { openTestApp, storeKinds, TEST_SITE_URL, type TestApp } from '../support/stores.ts';

for (const kind of storeKinds()) describe(`external sign-in through a real OpenID Connect provider (${kind.name})`, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let provider: TestProvider;
  let base = '';
  let customerId = '';
  let documentCustomerId = '';
  const accounts: Record<string, Record<string, unknown>> = {};

  before(async () => {
    app = await openTestApp(kind);
    await seed(app, { customers: 12, seed: 11 });
    const lines = await app.store.db.selectFrom('lines').select(['msisdn', 'customer_id']).where('state', '=', 'active').execute();
    for (const line of lines) {
      if ((await customerIdsByMsisdn(app.store.db, line.msisdn)).length === 1) {
        customerId = line.customer_id;
        accounts.linked = { phone_number: `+${line.msisdn.replace(/^\+/, '')}`, phone_number_verified: true };
        accounts.unverified = { phone_number: `+${line.msisdn.replace(/^\+/, '')}`, phone_number_verified: false };
        break;
      }
    }
    assert.ok(customerId, 'a seeded customer with a number of their own');
    // A number of the same shape that no line holds: who the provider vouches for is simply not our customer.
    const country = app.policy.operator.country;
    const mine = accounts.linked!.phone_number as string;
    let other = mine;
    for (let n = 0; other === mine || (await customerIdsByMsisdn(app.store.db, normalizeMsisdn(other, country))).length > 0; n++) other = `${mine.slice(0, -4)}${String(n).padStart(4, '0')}`;
    accounts.stranger = { phone_number: other, phone_number_verified: true };
    // The seed gives customer i the document <country><4000000 + i·7919, nine digits>, as its demo hints tell people.
    const customers = await app.store.db.selectFrom('customers').select(['id', 'doc_country', 'doc_hash']).orderBy('id').execute();
    for (const c of customers) {
      const number = `${c.doc_country}${String(4_000_000 + Number(c.id.slice(4)) * 7919).padStart(9, '0')}`;
      if (c.id !== customerId && c.doc_hash === documentHash(app.secrets.documentKey, number) && customers.filter((o) => o.doc_hash === c.doc_hash).length === 1) {
        documentCustomerId = c.id;
        accounts.byDocument = { document_number: number };
        break;
      }
    }
    assert.ok(documentCustomerId, 'a seeded customer whose document number is known');
    accounts.wrongDocument = { document_number: 'ZZ999999999' };
    assert.equal(customers.filter((c) => c.doc_hash === documentHash(app.secrets.documentKey, 'ZZ999999999')).length, 0);
    provider = await startProvider(accounts);
    const settings = { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, displayName: 'Gosuslugi', scopes: ['phone', 'document'], documentClaim: 'document_number', redirectUri: '' };
    server = await buildServer({ ...app, oidc: settings });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    settings.redirectUri = `${base}/api/v1/auth/oidc/callback`;
    provider.register(settings.redirectUri);
  });
  after(async () => {
    await server?.close();
    await provider?.close();
    await app?.close();
  });

  /** Starts at simexit, signs in at the provider as `subject`, and returns the callback address with our cookie. */
  async function toCallback(subject: string): Promise<{ callback: string; cookie: string }> {
    provider.as(subject);
    const start = await fetch(`${base}/api/v1/auth/oidc/start`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const ours = new Jar();
    ours.take(start);
    const theirs = new Jar();
    let location = start.headers.get('location') ?? '';
    const authorize = new URL(location);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
    for (let hop = 0; hop < 10 && location.startsWith(provider.issuer); hop++) {
      const r = await fetch(location, { redirect: 'manual', headers: { cookie: theirs.header() } });
      theirs.take(r);
      assert.ok(r.status >= 300 && r.status < 400, `provider answered ${r.status}: ${await r.text()}`);
      location = new URL(r.headers.get('location') ?? '', location).href;
    }
    assert.ok(location.startsWith(`${base}/api/v1/auth/oidc/callback?`), location);
    return { callback: location, cookie: ours.header() };
  }

  const finish = (callback: string, cookie: string) => fetch(callback, { redirect: 'manual', headers: { cookie } });
  /** The provider's token answer changed by `tamper` on the way back: the sign-in is refused and no session is made. */
  async function refusedWithTokens(callback: string, cookie: string, tamper: Parameters<typeof provider.tamperTokens>[0]): Promise<void> {
    provider.tamperTokens(tamper);
    try {
      const done = await finish(callback, cookie);
      assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_REFUSED`);
      assert.equal(done.headers.getSetCookie().some((c) => c.startsWith('simexit_session=')), false);
    } finally {
      provider.tamperTokens(undefined);
    }
  }
  const sessions = async () => (await app.store.db.selectFrom('sessions').select('token_hash').execute()).length;

  test('a subject whose verified phone number is a customer\'s is signed in as that customer, and audited', async () => {
    const { callback, cookie } = await toCallback('linked');
    const done = await finish(callback, cookie);
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/`);
    const jar = new Jar();
    jar.take(done);
    const lines = await fetch(`${base}/api/v1/lines`, { headers: { cookie: jar.header() } });
    assert.equal(lines.status, 200);
    assert.ok(((await lines.json()) as unknown[]).length > 0);
    const me = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie: jar.header() } })).json()) as { id: string };
    assert.equal(me.id, customerId);
    const audit = await app.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', customerId).where('action', '=', 'signed_in_external').execute();
    assert.equal(audit.length, 1);
  });

  test('a subject no customer matches is refused with OIDC_NOT_LINKED and no session is made', async () => {
    const before = await sessions();
    const { callback, cookie } = await toCallback('stranger');
    const done = await finish(callback, cookie);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_NOT_LINKED`);
    assert.equal(done.headers.getSetCookie().some((c) => c.startsWith('simexit_session=')), false);
    assert.equal(await sessions(), before);
  });

  test('a phone number the provider has not verified links nobody', async () => {
    const { callback, cookie } = await toCallback('unverified');
    const done = await finish(callback, cookie);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_NOT_LINKED`);
  });

  test('a subject with no phone number but a customer\'s document number is signed in as that customer', async () => {
    const { callback, cookie } = await toCallback('byDocument');
    const done = await finish(callback, cookie);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/`);
    const jar = new Jar();
    jar.take(done);
    const me = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie: jar.header() } })).json()) as { id: string };
    assert.equal(me.id, documentCustomerId);
  });

  test('a document number no customer holds links nobody', async () => {
    const before = await sessions();
    const { callback, cookie } = await toCallback('wrongDocument');
    const done = await finish(callback, cookie);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_NOT_LINKED`);
    assert.equal(await sessions(), before);
  });

  test('an ID token altered on its way from the provider is refused with OIDC_REFUSED and no session is made', async () => {
    const before = await sessions();
    const { callback, cookie } = await toCallback('linked');
    await refusedWithTokens(callback, cookie, (body) => {
      const [header, payload, signature = ''] = String(body.id_token).split('.');
      const at = Math.floor(signature.length / 2);
      const flipped = `${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
      return { ...body, id_token: `${header}.${payload}.${flipped}` };
    });
    assert.equal(await sessions(), before);
  });

  test('an ID token the provider really signed, but for another round trip (another nonce), is refused', async () => {
    // Someone on the way keeps an ID token from an earlier sign-in and puts it into a later answer.
    let kept = '';
    provider.tamperTokens((body) => {
      kept = String(body.id_token);
      return body;
    });
    const first = await toCallback('linked');
    await finish(first.callback, first.cookie);
    assert.ok(kept, 'an ID token was kept');
    const before = await sessions();
    const { callback, cookie } = await toCallback('linked');
    await refusedWithTokens(callback, cookie, (body) => ({ ...body, id_token: kept }));
    assert.equal(await sessions(), before);
  });

  test('a tampered state is refused', async () => {
    const { callback, cookie } = await toCallback('linked');
    const before = await sessions();
    const url = new URL(callback);
    url.searchParams.set('state', `${url.searchParams.get('state')}x`);
    const done = await finish(url.href, cookie);
    assert.equal(done.headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_REFUSED`);
    assert.equal(await sessions(), before);
  });

  test('a tampered or missing round-trip cookie is refused as expired', async () => {
    const { callback, cookie } = await toCallback('linked');
    const forged = cookie.replace(/simexit_oidc=([^.;]+)\.[^;]*/, 'simexit_oidc=$1.AAAA');
    assert.equal((await finish(callback, forged)).headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_EXPIRED`);
    assert.equal((await finish(callback, '')).headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_EXPIRED`);
  });

  test('a round trip older than ten minutes is refused as expired', async () => {
    const { callback, cookie } = await toCallback('linked');
    app.clock.advanceHours(1);
    assert.equal((await finish(callback, cookie)).headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_EXPIRED`);
  });

  test('a callback replayed with the same code is refused', async () => {
    const { callback, cookie } = await toCallback('linked');
    assert.equal((await finish(callback, cookie)).headers.get('location'), `${TEST_SITE_URL}/`);
    const before = await sessions();
    assert.equal((await finish(callback, cookie)).headers.get('location'), `${TEST_SITE_URL}/?signInError=OIDC_REFUSED`);
    assert.equal(await sessions(), before);
  });

  test('the site learns the provider\'s name for its button', async () => {
    const r = await fetch(`${base}/api/v1/auth/oidc`);
    assert.deepEqual(await r.json(), { available: true, displayName: 'Gosuslugi' });
  });
});

describe('external sign-in where no provider is configured', () => {
  test('the site is told there is none, and the routes refuse with OIDC_NOT_CONFIGURED', async () => {
    const app = await openTestApp(storeKinds()[0]!);
    const server = await buildServer(app);
    try {
      assert.deepEqual((await server.inject({ method: 'GET', url: '/api/v1/auth/oidc' })).json(), { available: false, displayName: null });
      for (const url of ['/api/v1/auth/oidc/start', '/api/v1/auth/oidc/callback?code=x&state=y']) {
        const r = await server.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
        assert.equal(r.statusCode, 404);
        assert.equal(r.json().code, 'OIDC_NOT_CONFIGURED');
      }
    } finally {
      await server.close();
      await app.close();
    }
  });
});
