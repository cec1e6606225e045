// The lobby board and the kiosk's times in a real browser, as a shop runs them: the board (1920×1080) is served by
// one API server while the counters call through another over the same store; in ru, en and zh a call appears
// within a second; when the stream drops the board says it is reconnecting in every language of the shop and,
// back, shows the call made meanwhile. The kiosk, its own clock set to New York, prints the ticket's time as the
// shop's clock in Moscow reads it. axe on every screen; screenshots go to SIMEXIT_SHOP_SHOTS (default /tmp/shots-shop).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { LANGUAGE_NAMES, LOCALE_OF } from '../../src/domain/languages.ts';
import { seed } from '../../src/seed/seed.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { SHOP_TEXTS } from '../../web/src/shop/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch } from '../web/browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const SHOTS = process.env.SIMEXIT_SHOP_SHOTS ?? '/tmp/shots-shop';
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('shop/index.html', dist));

describe('the lobby board and the kiosk clock in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let counters: FastifyInstance;
  let lobbyStore: Store;
  let lobby: FastifyInstance;
  let lobbyUrl: string;
  let browser: Browser;
  let agent: Record<string, string>;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 8, seed: 7 });
    counters = await buildServer(app);
    lobbyStore = await openStore(app.storeAt.url);
    lobby = await buildServer({ ...app, store: lobbyStore });
    lobbyUrl = await lobby.listen({ port: 0, host: '127.0.0.1' });
    const login = await counters.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'shop1', password: 'demo1234' } });
    agent = { authorization: `Bearer ${login.json().token as string}` };
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await lobby?.close();
    await lobbyStore?.close();
    await counters?.close();
    await app?.close();
  });

  async function check(page: Page, name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T|shop-\d|tkt_|SHOP_|TICKET_|\{\w+\}/, `no ISO instant, raw code or unfilled placeholder on ${name}`);
  }

  const takeTicket = async (language: Lang) => {
    const r = await counters.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': `board-browser-${Math.random()}` }, payload: { serviceId: 'shop-1-C', language } });
    assert.equal(r.statusCode, 201, r.body);
  };
  const callNext = async (counterId: string) => {
    const r = await counters.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: agent, payload: { counterId } });
    assert.equal(r.statusCode, 200, r.body);
    return (r.json() as { ticket: { number: string } }).ticket.number;
  };
  const openBoard = async (lang: Lang) => {
    const context = await browser.newContext({ locale: LOCALE_OF[lang], viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`board error: ${e.message}`));
    await page.goto(`${lobbyUrl}/shop/shop-1/board`);
    await page.waitForFunction(() => !document.querySelector('.board-reconnecting') && document.querySelector('.board-head h1')?.textContent);
    return { context, page };
  };

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`a call made at a counter through another server is on the board within a second, in ${lang}`, async () => {
      await takeTicket(lang);
      const { context, page } = await openBoard(lang);
      // The shop speaks ru, en and zh: the board says everything in all three, whatever the screen's own language.
      for (const l of ['ru', 'en', 'zh'] as const) await page.locator(`[lang=${l}]`).getByText(SHOP_TEXTS[l]['board.title']).waitFor();
      assert.equal(await page.locator('.board-shop').innerText(), 'Тверская, 1 · Tverskaya 1 · 特维尔大街1号', "the shop's name in each of its languages");
      const calledAt = Date.now();
      const number = await callNext(lang === 'zh' ? 'shop-1-w2' : 'shop-1-w1');
      await page.getByTestId('board-latest').getByText(number).waitFor({ timeout: 1000 });
      assert.ok(Date.now() - calledAt < 1000, 'the call reached the board within a second');
      // Read across a room: the number is far larger than body text.
      const size = await page.locator('.board-number').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 120, `the called number is ${size}px high`);
      assert.ok((await page.locator('.board').evaluate((el) => el.scrollHeight)) <= 1080, 'the board fits the screen');
      await check(page, `board-feed-${lang}`);
      await context.close();
    });
  }

  test('the board says it is reconnecting in every language of the shop, and back, shows the call made meanwhile', async () => {
    await takeTicket('en');
    const { context, page } = await openBoard('en');
    lobby.server.closeAllConnections();
    await page.locator('.board-reconnecting').waitFor({ timeout: 5000 });
    for (const l of ['ru', 'en', 'zh'] as const) assert.ok((await page.locator('.board-reconnecting').innerText()).includes(SHOP_TEXTS[l]['board.reconnecting']), `reconnecting in ${l}`);
    await check(page, 'board-feed-reconnecting');
    const missed = await callNext('shop-1-w1');
    await page.getByTestId('board-latest').getByText(missed).waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => !document.querySelector('.board-reconnecting'));
    await check(page, 'board-feed-back');
    await context.close();
  });

  test("the kiosk prints the ticket's time by the shop's clock, not its own (set to New York)", async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York', viewport: { width: 1080, height: 1920 }, hasTouch: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${lobbyUrl}/shop/shop-1/kiosk`);
    await page.getByRole('button', { name: LANGUAGE_NAMES.en }).tap();
    const issued = page.waitForResponse((r) => r.url().endsWith('/tickets') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Cancel a contract' }).tap();
    const { issuedAt } = (await (await issued).json()) as { issuedAt: string };
    await page.locator('#ticket-number').waitFor();
    const clock = (timeZone: string) => new Intl.DateTimeFormat(LOCALE_OF.en, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(issuedAt));
    assert.notEqual(clock('Europe/Moscow'), clock('America/New_York'));
    const text = await page.locator('#ticket').innerText();
    assert.ok(text.includes(SHOP_TEXTS.en['kiosk.taken'].replace('{time}', clock('Europe/Moscow'))), `Moscow time on the ticket: ${text}`);
    assert.ok(!text.includes(clock('America/New_York')), 'not the kiosk clock');
    await check(page, 'kiosk-zone-new-york');
    await context.close();
  });
});
