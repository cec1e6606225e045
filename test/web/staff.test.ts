// The staff pages (/staff/) in a real browser against the real server: sign-in and the back office's alerts in
// ru/en/zh, a role without access told so, and only the staff bundle loaded. Screenshots in test-results/site/.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { raiseAlert } from '../../src/store/alerts.repository.ts';
import { inTransaction } from '../../src/store/database.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));

describe('staff pages in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  const siteEntry = () => (JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8')) as Record<string, { file: string }>)['index.html']?.file ?? 'none';

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 8, seed: 7 });
    // One alert per language run, so each run has an open one to show (the English run marks its own handled).
    await inTransaction(app.store, async (tx) => {
      for (const [i, reference] of ['TRM-7KQ2-9XW4', 'TRM-8MP3-2HD6', 'TRM-9RT5-4JC8'].entries()) {
        await raiseAlert(tx, { kind: 'not_me', subjectRef: reference, customerId: null, data: { msisdn: `+7999123456${i}`, channel: 'shop' } }, app.clock());
        app.clock.advanceHours(1);
      }
    });
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function open(lang: Lang): Promise<{ page: Page; requested: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    return { page, requested, close: () => context.close() };
  }

  async function signIn(page: Page, lang: Lang, login: string) {
    const t = STAFF_TEXTS[lang];
    await page.goto(`${url}/staff/`);
    await page.getByRole('heading', { name: t['signIn.title'] }).waitFor();
    await page.getByRole('textbox', { name: t['signIn.login'] }).fill(login);
    await page.getByLabel(t['signIn.password']).fill('demo1234');
    await page.getByRole('button', { name: t['signIn.submit'] }).click();
  }

  async function check(page: Page, name: string) {
    await shot(page, name);
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
  }

  for (const lang of ['ru', 'zh', 'en'] as const) {
    test(`the back office signs in and sees the open alerts, in ${lang}, loading only the staff bundle`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, requested, close } = await open(lang);
      await page.goto(`${url}/staff/`);
      await page.getByRole('heading', { name: t['signIn.title'] }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await check(page, `staff-${lang}-01-sign-in`);
      await signIn(page, lang, 'backoffice');
      await page.getByRole('heading', { name: t['alerts.title'] }).waitFor();
      const rows = page.locator('tbody tr');
      await rows.first().waitFor();
      const table = await page.locator('table').innerText();
      assert.ok(table.includes(t['alerts.kind.not_me']), table);
      assert.match(table, /TRM-7KQ2-9XW4/);
      assert.doesNotMatch(table, /\+79991234560/, 'numbers are masked');
      assert.doesNotMatch(await page.locator('body').innerText(), /not_me|\d{4}-\d{2}-\d{2}T/, 'no raw kind or ISO instant');
      await check(page, `staff-${lang}-02-alerts`);
      if (lang === 'en') {
        const before = await rows.count();
        await rows.first().getByRole('button', { name: t['alerts.markHandled'] }).click();
        await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n - 1, before);
        await page.getByLabel(t['alerts.showHandled']).check();
        await page.getByText(/^Handled 21 Nov 2026, \d{2}:\d{2}$/).waitFor();
        await check(page, 'staff-en-03-handled');
      }
      assert.ok(!requested.includes(`/${siteEntry()}`), `the staff page loaded the subscriber site's entry: ${requested.join(', ')}`);
      await close();
    });
  }

  test('a shop agent gets the counter console, not the alerts; a subscriber is told the page is for staff', async () => {
    const t = STAFF_TEXTS.en;
    const shop = await open('en');
    await signIn(shop.page, 'en', 'shop1');
    await shop.page.getByRole('heading', { name: new RegExp(t['shop.title']), level: 1 }).waitFor();
    await shop.page.getByRole('button', { name: t['shop.callNext'] }).waitFor();
    assert.equal(await shop.page.getByText(t['alerts.title']).count(), 0, 'no alerts for a shop agent');
    await check(shop.page, 'staff-en-04-shop-agent');
    await shop.close();
    const subscriber = await open('en');
    await signIn(subscriber.page, 'en', '+79990000001');
    await subscriber.page.getByText(t['signIn.notStaff']).waitFor();
    await subscriber.close();
  });

  test('a wrong password is refused in the page language and nobody is signed in', async () => {
    const t = STAFF_TEXTS.ru;
    const { page, close } = await open('ru');
    await page.goto(`${url}/staff/`);
    await page.getByRole('textbox', { name: t['signIn.login'] }).fill('backoffice');
    await page.getByLabel(t['signIn.password']).fill('not the password');
    await page.getByRole('button', { name: t['signIn.submit'] }).click();
    await page.getByText(t['signIn.failed']).waitFor();
    await check(page, 'staff-ru-05-refused');
    await close();
  });
});
