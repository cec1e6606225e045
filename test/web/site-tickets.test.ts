// Taking a ticket to a shop from the site, in a real browser (Debian's Chromium through playwright-core), in each
// language: from a line, pick the shop and the service, take it, read the number, who is ahead and what comes
// next; see it again among today's tickets. The test clock starts on a Saturday at 13:00 in Moscow: Tverskaya is
// open, Nevsky is closed until Monday. Screenshots land in test-results/site/ (tickets-*).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { takeTicket } from '../../src/app/shop-kiosk.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { en } from '../../web/src/i18n/en.ts';
import { ru } from '../../web/src/i18n/ru.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const WORDS = { ru, en, zh } as const;
const SIGN_IN = {
  phone: { ru: 'Номер телефона', en: 'Phone number', zh: '手机号码' },
  password: { ru: 'Пароль', en: 'Password', zh: '密码' },
  submit: { ru: 'Войти', en: 'Sign in', zh: '登录' },
} as const;

const MACHINE_TEXT: readonly [RegExp, string][] = [
  [new RegExp(`\\b(${[...new Set(Object.keys(en).map((k) => k.split('.')[0]))].join('|')})\\.[A-Za-z_]+`), 'a raw message key'],
  [/\{\w+\}/, 'a placeholder left unfilled'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:/, 'an ISO instant'],
  [/\b[a-z]+_[a-z][a-z_]*\b/, 'a snake_case name (an event, a state, a code)'],
  [/\bshop-\d|\bln_\d/, 'an internal id'],
];

const ready = existsSync(CHROMIUM) && existsSync(new URL('../../web/dist/index.html', import.meta.url));

describe('shop tickets on the site, in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 12, seed: 5 });
    for (let i = 0; i < 5; i++) await takeTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: 'ru' }, '192.0.2.50');
    server = await buildServer({ ...app, demo: true });
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function open(lang: Lang, width = 1024): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    return { context, page };
  }

  async function signIn(page: Page, lang: Lang, msisdn: string) {
    await page.goto(`${url}/`);
    await page.getByRole('textbox', { name: SIGN_IN.phone[lang] }).fill(msisdn);
    await page.getByRole('textbox', { name: SIGN_IN.password[lang] }).fill('demo1234');
    await page.getByRole('button', { name: SIGN_IN.submit[lang] }).click();
    await page.waitForSelector('.lines');
  }

  async function check(page: Page, name: string) {
    await shot(page, name);
    const text = await page.locator('main').innerText();
    for (const [pattern, what] of MACHINE_TEXT) {
      const found = pattern.exec(text);
      assert.equal(found, null, `${name} shows ${what}: "${found ? text.slice(Math.max(0, found.index - 40), found.index + 60) : ''}"`);
    }
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
  }

  // Nevsky has no Chinese name: its own stands in.
  const TVERSKAYA: Record<Lang, string> = { ru: 'Тверская, 1', en: 'Tverskaya 1', zh: '特维尔大街1号' };
  const NEVSKY: Record<Lang, string> = { ru: 'Невский, 20', en: 'Nevsky 20', zh: 'Nevsky 20' };
  const cases: readonly { lang: Lang; msisdn: string; shop: string; width: number; closed: boolean }[] = [
    { lang: 'ru', msisdn: '+79990000001', shop: 'Тверская, 1', width: 1024, closed: false },
    // Nevsky is closed on Saturdays: the page says when it opens, in the shop's time, and the ticket waits for it.
    { lang: 'en', msisdn: '+79990000002', shop: 'Nevsky 20', width: 1024, closed: true },
    { lang: 'zh', msisdn: '+79990000000', shop: '特维尔大街1号', width: 390, closed: false },
  ];

  for (const { lang, msisdn, shop, width, closed } of cases) {
    test(`${lang}: from a line, a ticket to ${shop}: the number, who is ahead, the SMS to come and the kiosk check-in`, async () => {
      const w = WORDS[lang];
      const { context, page } = await open(lang, width);
      await signIn(page, lang, msisdn);
      await page.getByRole('link', { name: w['lines.shopTicket'] }).first().click();
      await page.getByRole('heading', { level: 1, name: w['ticket.title'] }).waitFor();
      const shops = page.getByRole('group', { name: w['ticket.shop'] });
      // Each shop by its name in the reader's language says whether it is open, in words (in the shop's local hours).
      assert.match(await shops.innerText(), new RegExp(`${TVERSKAYA[lang]} — ${w['ticket.openToday'].replace('{hours}', '10:00–18:00')}`));
      assert.match(await shops.innerText(), new RegExp(`${NEVSKY[lang]} — ${w['ticket.closedOpens'].split('{when}')[0]}`));
      await check(page, `tickets-${lang}-01-choose`);
      await shops.getByRole('radio', { name: new RegExp(`^${shop}`) }).check();
      const services = page.getByRole('group', { name: w['ticket.service'] });
      await services.getByRole('radio', { name: /^C · / }).check();
      if (closed) await page.getByText(w['ticket.closedNote'].split('{when}')[0]!).first().waitFor();
      await check(page, `tickets-${lang}-02-chosen`);
      await page.getByRole('button', { name: w['ticket.submit'] }).click();
      const number = await page.locator('[role=status] .ticket-number').innerText();
      assert.match(number, /^C-\d{3}$/);
      const card = await page.locator('[role=status] .ticket').innerText();
      assert.ok(card.includes(shop), card);
      // At Tverskaya five visitors wait, so the SMS is still to come; at Nevsky nobody does, so it has gone already.
      if (closed) assert.ok(card.includes(w['ticket.texted']), card);
      else assert.ok(card.includes(w['ticket.willText'].replace('{phone}', msisdn)) && /\n5\n/.test(card), card);
      // Beside "Estimated wait" the minutes alone, not "Estimated wait: about 25 min wait".
      if (!closed) assert.match(card, new RegExp(`${w['ticket.waitLabel']}\\s+${w['ticket.waitValue'].replace('{minutes}', '\\d+')}$`, 'm'), card);
      assert.doesNotMatch(card, new RegExp(w['ticket.waitAbout'].replace('{minutes}', '\\d+')), card);
      assert.ok(card.includes(w['ticket.checkIn'].replace('{number}', number)), card);
      if (closed) assert.ok(card.includes(w['ticket.closedNote'].split('{when}')[0]!) && !card.includes(w['ticket.waitLabel']), card);
      assert.ok(card.includes(w['ticket.state.waiting']), card);
      const fontSize = await page.locator('[role=status] .ticket-number').evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      assert.ok(fontSize >= 40, `the number is big: ${fontSize}px`);
      await check(page, `tickets-${lang}-03-taken`);
      // Back on the lines page, the list of today's tickets shows it.
      await page.getByRole('link', { name: w['nav.lines'] }).first().click();
      await page.getByRole('link', { name: w['lines.shopTickets'] }).click();
      await page.getByRole('heading', { level: 2, name: w['ticket.today'] }).waitFor();
      assert.equal(await page.locator('.ticket-number').innerText(), number);
      await check(page, `tickets-${lang}-04-today`);
      await context.close();
    });
  }

  test('a line that is not active offers no ticket; the API refusal is shown in words', async () => {
    const { context, page } = await open('en');
    await signIn(page, 'en', '+79990000003');
    await app.store.db.updateTable('lines').set({ state: 'suspended' }).where('msisdn', '=', '+79990000003').execute();
    await page.reload();
    await page.waitForSelector('.lines');
    assert.equal(await page.getByRole('link', { name: en['lines.shopTicket'] }).count(), 0);
    await page.getByRole('link', { name: en['lines.shopTickets'] }).click();
    await page.getByText(en['ticket.noLine']).waitFor();
    await check(page, 'tickets-en-05-no-line');
    await app.store.db.updateTable('lines').set({ state: 'active' }).where('msisdn', '=', '+79990000003').execute();
    await context.close();
  });
});
