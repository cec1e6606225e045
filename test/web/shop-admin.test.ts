// The administrator's shop set-up (/staff/#shops) in a real browser against the real server, in ru/en/zh at a
// desk's 1280 px: the shops listed by their name in the reader's language, a refusal told in words (never a
// code), a counter taken out of service, a service added and a shop agent moved to another shop. Screenshots in
// test-results/site/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { counterById, servicesOf, shopById } from '../../src/store/shops.repository.ts';
import { staffById } from '../../src/store/staff.repository.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const SHOP_1: Record<Lang, string> = { ru: 'Тверская, 1', en: 'Tverskaya 1', zh: '特维尔大街1号' };
const REFUSED: Record<Lang, string> = { ru: 'Пятница: 18:00–09:00 — закрытие раньше открытия', en: 'Friday: 18:00–09:00 closes before it opens', zh: '星期五：18:00–09:00 的结束时间早于开始时间' };
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));

describe('the shop set-up page in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 4, seed: 7 });
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function signedIn(lang: Lang): Promise<{ page: Page; close(): Promise<void> }> {
    const t = STAFF_TEXTS[lang];
    const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${url}/staff/#shops`);
    await page.getByRole('textbox', { name: t['signIn.login'] }).fill('admin');
    await page.getByLabel(t['signIn.password']).fill('demo1234');
    await page.getByRole('button', { name: t['signIn.submit'] }).click();
    await page.getByRole('heading', { name: t['admin.title'], level: 1 }).waitFor();
    return { page, close: () => context.close() };
  }

  async function check(page: Page, name: string) {
    await shot(page, name);
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    assert.doesNotMatch(await page.locator('body').innerText(), /[A-Z]{3,}_[A-Z_]+|\d{4}-\d{2}-\d{2}T/, `no raw code or ISO instant on ${name}`);
  }

  for (const lang of ['ru', 'zh', 'en'] as const) {
    test(`an administrator sees the shops in ${lang} and a refusal in words; nothing is saved`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, close } = await signedIn(lang);
      const list = page.getByRole('navigation', { name: t['admin.list'] });
      await list.getByRole('button', { name: SHOP_1[lang] }).waitFor();
      await page.getByRole('heading', { name: t['admin.shop.title'].replace('{name}', SHOP_1[lang]) }).waitFor();
      await page.getByRole('button', { name: t['admin.counter.save'].replace('{label}', '3') }).waitFor();
      await check(page, `admin-${lang}-01-shop`);
      // Friday 18:00–09:00: refused in the reader's words.
      await page.getByRole('button', { name: t['admin.hours.add'].replace('{day}', t['weekday.fri']) }).click();
      // Friday is open 09:00–21:00; its second interval 18:00–09:00.
      await page.getByLabel(`${t['admin.hours.opens']}, ${t['weekday.fri']} (2)`).fill('18:00');
      await page.getByLabel(`${t['admin.hours.closes']}, ${t['weekday.fri']} (2)`).fill('09:00');
      await page.getByRole('button', { name: t['admin.save'] }).click();
      await page.getByRole('alert').filter({ hasText: REFUSED[lang] }).waitFor();
      await check(page, `admin-${lang}-02-refused`);
      assert.deepEqual((await shopById(app.store.db, 'shop-1'))?.weeklyHours.fri, [{ open: '09:00', close: '21:00' }], 'nothing saved');
      await close();
    });
  }

  test('an administrator takes a counter out of service, adds a service and moves an agent to another shop', async () => {
    const t = STAFF_TEXTS.en;
    const { page, close } = await signedIn('en');
    await page.getByRole('button', { name: t['admin.counter.save'].replace('{label}', '3') }).waitFor();
    await page.getByLabel(t['admin.counter.outOf'].replace('{label}', '2')).check();
    await page.getByRole('button', { name: t['admin.counter.save'].replace('{label}', '2') }).click();
    await page.getByRole('status').filter({ hasText: t['admin.saved'] }).first().waitFor();
    assert.equal((await counterById(app.store.db, 'shop-1-w2'))?.outOfService, true);
    // A service with a letter already used is refused in words; with a free one it is added.
    const newRow = page.locator('tr', { has: page.getByRole('button', { name: t['admin.service.add'] }) });
    await page.getByLabel(`${t['admin.service.letter']}, ${t['admin.service.new']}`).fill('C');
    for (const [lang, name] of [['ru', 'Перенос номера'], ['en', 'Number transfer'], ['zh', '携号转网']] as const) await newRow.getByLabel(t['admin.service.name'].replace('{language}', t[`admin.lang.${lang}`])).fill(name);
    await page.getByRole('button', { name: t['admin.service.add'] }).click();
    await newRow.getByRole('alert').filter({ hasText: 'Letter C is already another service\'s in this shop' }).waitFor();
    await page.getByLabel(`${t['admin.service.letter']}, ${t['admin.service.new']}`).fill('P');
    await page.getByRole('button', { name: t['admin.service.add'] }).click();
    await page.getByRole('button', { name: t['admin.service.save'].replace('{letter}', 'P') }).waitFor();
    assert.deepEqual((await servicesOf(app.store.db, 'shop-1')).map((s) => s.letter), ['C', 'P', 'S']);
    // The agent of shop 1 now works in Nevsky 20.
    await page.getByLabel(t['admin.agent.shopOf'].replace('{name}', 'Shop Agent 1')).selectOption({ label: 'Nevsky 20' });
    await page.getByText(t['admin.agent.bound'].replace('{name}', 'Shop Agent 1').replace('{shop}', 'Nevsky 20')).waitFor();
    assert.equal((await staffById(app.store.db, 'stf_shop1'))?.shopId, 'shop-2');
    await check(page, 'admin-en-03-changed');
    await close();
  });
});
