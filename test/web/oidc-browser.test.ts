// External sign-in in a real browser: the button in each language, the whole round trip through a real
// OpenID Connect provider back to a signed-in site, and a refusal shown in words.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { customerIdsByMsisdn } from '../../src/store/cases.repository.ts';
import { CLIENT_ID, CLIENT_SECRET, startProvider, type TestProvider } from '../support/oidc-provider.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { en } from '../../web/src/i18n/en.ts';
import { ru } from '../../web/src/i18n/ru.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

const TEXTS = { ru, en, zh } as const;

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const BUTTON: Record<Lang, string> = { ru: 'Войти через Госуслуги', en: 'Sign in with Госуслуги', zh: '通过Госуслуги登录' };
const NOT_LINKED: Record<Lang, RegExp> = { ru: /Госуслуги подтвердил вашу личность/, en: /Госуслуги confirmed who you are/, zh: /Госуслуги已确认您的身份/ };

const ready = existsSync(CHROMIUM) && existsSync(new URL('../../web/dist/index.html', import.meta.url));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('external sign-in in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let provider: TestProvider;
  let browser: Browser;
  let site = '';

  before(async () => {
    site = `http://127.0.0.1:${await freePort()}`;
    app = await openTestApp(storeKinds()[0]!, { policy: (p) => ({ ...p, operator: { ...p.operator, siteUrl: site } }) });
    await seed(app, { customers: 12, seed: 11 });
    const lines = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').execute();
    let phone = '';
    for (const line of lines) if (!phone && (await customerIdsByMsisdn(app.store.db, line.msisdn)).length === 1) phone = line.msisdn;
    provider = await startProvider({ linked: { phone_number: phone, phone_number_verified: true }, stranger: { phone_number: '+441632960000', phone_number_verified: true } });
    provider.register(`${site}/api/v1/auth/oidc/callback`);
    server = await buildServer({ ...app, oidc: { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, displayName: 'Госуслуги', scopes: ['phone'] } });
    await server.listen({ port: Number(new URL(site).port), host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    await app?.close();
  });

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`${lang}: the button signs a linked person in through the provider; an unlinked, a tampered and an expired answer each read why not`, async () => {
      const context = await browser.newContext({ locale: LOCALE[lang] });
      const page = await context.newPage();
      try {
        await page.goto(`${site}/`);
        const button = page.getByRole('link', { name: BUTTON[lang] });
        await button.waitFor();
        assert.deepEqual(await axeProblems(page), []);
        await shot(page, `oidc-login-${lang}`);
        provider.as('linked');
        await button.click();
        await page.waitForURL((u) => u.href.startsWith(site) && !u.pathname.startsWith('/api/'));
        assert.equal((await context.request.get(`${site}/api/v1/lines`)).status(), 200);

        const fresh = await browser.newContext({ locale: LOCALE[lang] });
        const other = await fresh.newPage();
        provider.as('stranger');
        await other.goto(`${site}/`);
        await other.getByRole('link', { name: BUTTON[lang] }).click();
        await other.waitForURL((u) => u.href.startsWith(site) && u.searchParams.get('signInError') === 'OIDC_NOT_LINKED');
        await other.getByText(NOT_LINKED[lang]).waitFor();
        assert.equal((await fresh.request.get(`${site}/api/v1/lines`)).status(), 401);
        assert.deepEqual(await axeProblems(other), []);
        await shot(other, `oidc-not-linked-${lang}`);
        await fresh.close();

        // A tampered answer: someone alters the state on the way back from the provider.
        const tampered = await browser.newContext({ locale: LOCALE[lang] });
        provider.tamperRedirects((u) => {
          u.searchParams.set('state', `${u.searchParams.get('state') ?? ''}x`);
          return u;
        });
        const third = await tampered.newPage();
        provider.as('linked');
        await third.goto(`${site}/`);
        await third.getByRole('link', { name: BUTTON[lang] }).click();
        await third.waitForURL((u) => u.href.startsWith(site) && u.searchParams.get('signInError') === 'OIDC_REFUSED');
        await third.getByText(TEXTS[lang]['login.external.OIDC_REFUSED']).waitFor();
        assert.equal((await tampered.request.get(`${site}/api/v1/lines`)).status(), 401, 'the linked person is not signed in by a tampered answer');
        provider.tamperRedirects(undefined);
        await shot(third, `oidc-tampered-${lang}`);
        await tampered.close();

        // An answer that comes back to a browser that did not start it (or too late): expired, in words.
        const elsewhere = await browser.newContext({ locale: LOCALE[lang] });
        const fourth = await elsewhere.newPage();
        await fourth.goto(`${site}/api/v1/auth/oidc/callback?code=stolen&state=whatever`);
        await fourth.waitForURL((u) => u.href.startsWith(site) && u.searchParams.get('signInError') === 'OIDC_EXPIRED');
        await fourth.getByText(TEXTS[lang]['login.external.OIDC_EXPIRED']).waitFor();
        assert.equal((await elsewhere.request.get(`${site}/api/v1/lines`)).status(), 401);
        await shot(fourth, `oidc-expired-${lang}`);
        await elsewhere.close();
      } finally {
        await context.close();
      }
    });
  }
});
