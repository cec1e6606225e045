// The shop's screens in a real browser against the real server: the kiosk (portrait, touch) in ru, en and zh, the
// lobby board (1920×1080) showing a call made in the counter console within a second, and the counter console
// (1280 wide) taking a visit from the call to the ended line, in ru, en and zh; a remote holder checking in at the
// kiosk in ru, en and zh; axe on every screen. Screenshots go to SIMEXIT_SHOP_SHOTS (default /tmp/shots-shop).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { documentHash } from '../../src/app/secrets.ts';
import { takeTicket as takeRemoteTicket } from '../../src/app/shop-kiosk.ts';
import { LANGUAGE_NAMES } from '../../src/domain/languages.ts';
import { seed } from '../../src/seed/seed.ts';
import { SHOP_TEXTS } from '../../web/src/shop/texts.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch } from '../web/browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const SHOTS = process.env.SIMEXIT_SHOP_SHOTS ?? '/tmp/shots-shop';
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('shop/index.html', dist));
/** One holder per language, each a seeded customer who speaks it. */
const HOLDER: Record<Lang, { customerId: string; lineId: string; msisdn: string }> = {
  ru: { customerId: 'cus_00000001', lineId: 'ln_00000001', msisdn: '+79990000001' },
  en: { customerId: 'cus_00000002', lineId: 'ln_00000002', msisdn: '+79990000002' },
  zh: { customerId: 'cus_00000005', lineId: 'ln_00000005', msisdn: '+79990000005' },
};

describe('the shop screens in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 8, seed: 7 });
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function check(page: Page, name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T|handed_in|kept_by_subscriber|no_show|end_of_period|shop-\d|tkt_|SHOP_|TICKET_|\{\w+\}/, `no ISO instant, raw code, state name or unfilled placeholder on ${name}`);
  }

  const takeTicket = async (language: Lang, serviceId = 'shop-1-C') => {
    const r = await server.inject({ method: 'POST', url: '/api/v1/shops/shop-1/tickets', headers: { 'idempotency-key': `browser-${language}-${serviceId}-${Math.random()}` }, payload: { serviceId, language } });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { id: string; number: string };
  };

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`the kiosk gives a ticket with the wait in words and goes back to the start, in ${lang}`, async () => {
      const words = SHOP_TEXTS[lang];
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1080, height: 1920 }, hasTouch: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.clock.install();
      await page.goto(`${url}/shop/shop-1/kiosk`);
      await page.getByRole('button', { name: LANGUAGE_NAMES[lang] }).waitFor();
      await check(page, `kiosk-${lang}-01-languages`);
      const button = await page.getByRole('button', { name: LANGUAGE_NAMES[lang] }).boundingBox();
      assert.ok(button && button.height >= 88, 'the language buttons are touch-sized');
      await page.getByRole('button', { name: LANGUAGE_NAMES[lang] }).tap();
      await page.getByRole('heading', { name: words['kiosk.chooseService'] }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      assert.equal(await page.locator('.kiosk-shop').innerText(), { ru: 'Тверская, 1', en: 'Tverskaya 1', zh: '特维尔大街1号' }[lang], "the shop's name in the reader's language");
      await check(page, `kiosk-${lang}-02-services`);
      await page.getByRole('button', { name: { ru: 'Расторжение договора', en: 'Cancel a contract', zh: '注销合约' }[lang] }).tap();
      const number = page.locator('#ticket-number');
      await number.waitFor();
      assert.match(await number.innerText(), /^C-\d{3}$/);
      assert.equal(await page.locator('.ticket-shop').innerText(), { ru: 'Тверская, 1', en: 'Tverskaya 1', zh: '特维尔大街1号' }[lang], 'the printed ticket names the shop in its language');
      await check(page, `kiosk-${lang}-03-ticket`);
      // The receipt printer: 80 mm wide, the ticket only.
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, `kiosk-${lang}-04-print.png`), fullPage: true });
      assert.equal(await page.getByRole('button', { name: words['kiosk.print'] }).isVisible(), false, 'the buttons are not printed');
      await page.emulateMedia({ media: 'screen' });
      await page.clock.runFor(16_000);
      await page.getByRole('button', { name: LANGUAGE_NAMES[lang] }).waitFor();
      await context.close();
    });
  }

  // A remote ticket (the site or SMS) per language, each for a phone of its own.
  const REMOTE_PHONE: Record<Lang, string> = { ru: '+79990000011', en: '+79990000012', zh: '+79990000013' };
  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`a remote holder checks in at the kiosk with the ticket number and four digits of the phone, in ${lang}`, async () => {
      const words = SHOP_TEXTS[lang];
      const phone = REMOTE_PHONE[lang];
      const remote = await takeRemoteTicket(app, 'shop-1', { serviceId: 'shop-1-C', language: lang, phone }, '198.51.100.30');
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1080, height: 1920 }, hasTouch: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.clock.install();
      await page.goto(`${url}/shop/shop-1/kiosk`);
      const start = page.getByRole('button', { name: words['kiosk.haveTicket'] });
      await start.waitFor();
      const size = await start.boundingBox();
      assert.ok(size && size.height >= 88, 'the check-in button is touch-sized');
      await start.tap();
      await page.getByRole('heading', { name: words['checkIn.title'] }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const digits = page.getByLabel(words['checkIn.digits']);
      const last4 = page.getByLabel(words['checkIn.phone']);
      for (const input of [digits, last4]) {
        assert.equal(await input.getAttribute('inputmode'), 'numeric', 'the phone shows its numeric keypad');
        assert.ok(((await input.boundingBox())?.height ?? 0) >= 88, 'the fields are touch-sized');
      }
      await page.locator('label.letter-choice').filter({ hasText: /^C$/ }).tap();
      await digits.fill(remote.number.slice(2));
      await last4.fill(phone.slice(-4) === '0000' ? '1111' : '0000');
      await check(page, `kiosk-${lang}-05-check-in`);
      // Wrong digits: refused in words, nothing changes.
      await page.getByRole('button', { name: words['checkIn.submit'], exact: true }).tap();
      await page.getByRole('alert').getByText(words['checkIn.refused']).waitFor();
      await check(page, `kiosk-${lang}-06-check-in-refused`);
      const row = () => app.store.db.selectFrom('shop_tickets').select('arrived_at').where('id', '=', remote.id).executeTakeFirstOrThrow();
      assert.equal((await row()).arrived_at, null);
      await last4.fill(phone.slice(-4));
      await page.getByRole('button', { name: words['checkIn.submit'], exact: true }).tap();
      const number = page.locator('#ticket-number');
      await number.waitFor();
      assert.equal(await number.innerText(), remote.number);
      const shown = await page.locator('#ticket').innerText();
      assert.ok(shown.includes(words['checkIn.done']), 'says the holder is checked in');
      assert.ok(shown.includes(words['kiosk.ahead'].split('{')[0] as string), 'says how many are ahead');
      assert.ok((await row()).arrived_at !== null, 'the ticket is in the queue');
      await check(page, `kiosk-${lang}-07-checked-in`);
      await page.getByRole('button', { name: words['kiosk.done'] }).tap();
      await page.getByRole('button', { name: words['kiosk.haveTicket'] }).tap();
      // A form left alone goes back to the start, its digits gone.
      await last4.fill('1234');
      await page.clock.runFor(61_000);
      await page.getByRole('button', { name: LANGUAGE_NAMES[lang] }).waitFor();
      assert.equal(await last4.count(), 0);
      await context.close();
    });
  }

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`the counter console calls a ticket (on the board within a second) and ends the holder's line, in ${lang}`, async () => {
      const words = STAFF_TEXTS[lang];
      const holder = HOLDER[lang];
      const ticket = await takeTicket(lang);

      const boardContext = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1920, height: 1080 } });
      const board = await boardContext.newPage();
      board.on('pageerror', (e) => assert.fail(`board error: ${e.message}`));
      await board.goto(`${url}/shop/shop-1/board`);
      await board.getByText(SHOP_TEXTS.ru['board.title']).first().waitFor();
      await board.waitForFunction(() => !document.querySelector('.board-reconnecting'));

      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/staff/`);
      await page.getByRole('textbox', { name: words['signIn.login'] }).fill('shop1');
      await page.getByLabel(words['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: words['signIn.submit'] }).click();
      await page.getByRole('heading', { name: new RegExp(words['shop.title']), level: 1 }).waitFor();
      await page.getByText(ticket.number).first().waitFor();
      await check(page, `console-${lang}-01-queue`);
      // Counter 2 speaks Chinese, counter 1 English: the ticket's holder goes to a counter that speaks their language.
      await page.getByLabel(words['shop.counter']).selectOption(lang === 'zh' ? 'shop-1-w2' : 'shop-1-w1');
      const calledAt = Date.now();
      await page.getByRole('button', { name: words['shop.callNext'] }).click();
      // The oldest waiting ticket the counter serves is called (the kiosk's tests left some): whichever it is, the board shows it.
      const heading = page.getByRole('heading', { name: new RegExp(`^${words['visit.title'].replace('{number}', 'C-\\d{3}')}$`), level: 1 });
      await heading.waitFor();
      const called = ((await heading.innerText()).match(/C-\d{3}/) ?? [''])[0];
      assert.ok(called <= ticket.number, `${called} is called before ${ticket.number}`);
      await board.getByTestId('board-latest').getByText(called).waitFor({ timeout: 1000 });
      assert.ok(Date.now() - calledAt < 2000, 'the call reached the board at once');
      await check(board, `board-${lang}-called`);
      await boardContext.close();

      await page.getByRole('button', { name: words['visit.serve'] }).click();
      await page.getByLabel(words['visit.find.number']).fill(holder.msisdn);
      await page.getByRole('button', { name: words['visit.find.submit'] }).click();
      await page.getByLabel(words['visit.passport.number']).waitFor();
      await check(page, `console-${lang}-02-customer`);
      // A wrong number is refused; the right one (typed from the document) passes.
      await page.getByLabel(words['visit.passport.number']).fill('XX000000000');
      await page.getByRole('button', { name: words['visit.passport.submit'], exact: true }).click();
      await page.getByRole('alert').waitFor();
      const doc = await app.store.db.selectFrom('customers').select(['doc_country', 'doc_hash']).where('id', '=', holder.customerId).executeTakeFirstOrThrow();
      const documentNumber = `${doc.doc_country}${String(4_000_000 + Number(holder.customerId.slice(4)) * 7919).padStart(9, '0')}`;
      assert.equal(documentHash(app.secrets.documentKey, documentNumber), doc.doc_hash, 'the seeded document number');
      await page.getByLabel(words['visit.passport.number']).fill(documentNumber);
      await page.getByRole('button', { name: words['visit.passport.submit'], exact: true }).click();
      await page.getByRole('status').getByText(words['visit.passport.ok']).waitFor();
      await page.getByRole('heading', { name: /./, level: 2 }).filter({ hasText: words['call.preview.title'].split('{')[0] as string }).first().waitFor();

      // What would still be owed is offered as the amount to take; the customer pays it by card.
      const owed = await page.getByLabel(words['visit.pay.amount']).inputValue();
      if (owed) {
        await page.getByRole('radio', { name: words['visit.pay.card'], exact: true }).check();
        await page.getByRole('button', { name: words['visit.pay.submit'] }).click();
        await page.getByRole('status').getByText(words['visit.pay.done'].split('{')[0] as string).waitFor();
        const paid = await app.store.db.selectFrom('ledger_entries').selectAll().where('reference', 'like', 'shop:shop-1:%').execute();
        assert.ok(paid.length > 0, 'the payment is in the ledger with the shop');
      }
      const sim = await app.store.db.selectFrom('lines').select('iccid').where('id', '=', holder.lineId).executeTakeFirstOrThrow();
      await page.getByRole('radio', { name: words['visit.sim.handed_in'], exact: true }).check();
      await page.getByLabel(words['visit.sim.iccid']).fill(String(sim.iccid));
      await page.getByRole('button', { name: words['visit.sim.submit'] }).click();
      await page.getByRole('status').waitFor();
      for (const item of ['pinRemoved', 'dataExported', 'loginsMoved'] as const) await page.getByLabel(words[`visit.checklist.${item}`]).check();
      await page.getByRole('button', { name: words['visit.checklist.submit'] }).click();
      await page.getByRole('status').getByText(words['visit.checklist.saved']).waitFor();
      await check(page, `console-${lang}-03-ready`);
      await page.getByRole('button', { name: words['visit.confirm.submit'] }).last().click();
      await page.getByRole('link', { name: words['visit.certificate'] }).waitFor();
      const order = await app.store.db.selectFrom('terminations').select(['reference', 'channel', 'requested_by_id']).where('line_id', '=', holder.lineId).executeTakeFirstOrThrow();
      assert.deepEqual([order.channel, order.requested_by_id], ['store', 'stf_shop1']);
      assert.ok((await page.locator('#done-title').locator('..').innerText()).includes(order.reference));
      await check(page, `console-${lang}-04-confirmed`);
      await page.getByRole('button', { name: words['visit.finish'] }).click();
      await page.getByText(words['visit.done'].replace('{number}', called)).waitFor();
      await context.close();
    });
  }

  test('the board lists the calls at the counters, moves a recall to the top, says it is reconnecting and recovers with the snapshot', async () => {
    const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'shop1', password: 'demo1234' } });
    const agent = { authorization: `Bearer ${login.json().token as string}` };
    await takeTicket('zh', 'shop-1-S');
    await takeTicket('ru');
    await takeTicket('en');
    const numbers: string[] = [];
    for (const counterId of ['shop-1-w3', 'shop-1-w2', 'shop-1-w1']) {
      app.clock.advanceHours(1 / 60);
      const r = await server.inject({ method: 'POST', url: '/api/v1/staff/shop/call-next', headers: agent, payload: { counterId } });
      assert.equal(r.statusCode, 200, r.body);
      numbers.push((r.json() as { ticket: { id: string; number: string } }).ticket.number);
    }
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`board error: ${e.message}`));
    await page.goto(`${url}/shop/shop-1/board`);
    await page.waitForFunction(() => !document.querySelector('.board-reconnecting'));
    await page.getByTestId('board-latest').getByText(numbers[2] as string).waitFor();
    assert.equal(await page.locator('.board-table tbody tr').count(), 2);
    await check(page, 'board-ru-three-calls');
    // A recall announces the first ticket again: it is the large one at once.
    const queue = (await server.inject({ method: 'GET', url: '/api/v1/staff/shop/queue', headers: agent })).json() as { tickets: { id: string; number: string }[] };
    const first = queue.tickets.find((tk) => tk.number === numbers[0]);
    assert.ok(first);
    app.clock.advanceHours(1 / 60);
    assert.equal((await server.inject({ method: 'POST', url: `/api/v1/staff/shop/tickets/${first.id}/move`, headers: agent, payload: { action: 'recall' } })).statusCode, 200);
    await page.getByTestId('board-latest').getByText(numbers[0] as string).waitFor({ timeout: 1000 });
    await check(page, 'board-ru-recalled');
    // The stream drops (a restart, a proxy): the board says so, EventSource reconnects and the snapshot refills it.
    server.server.closeAllConnections();
    await page.locator('.board-reconnecting').waitFor({ timeout: 10_000 });
    await check(page, 'board-reconnecting');
    await page.waitForFunction(() => !document.querySelector('.board-reconnecting'), undefined, { timeout: 15_000 });
    await context.close();
  });
  test('the counter console hands a holder over to an agent who speaks their language, in en', async () => {
    const words = STAFF_TEXTS.en;
    const context = await browser.newContext({ locale: LOCALE.en, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${url}/staff/`);
    await page.getByRole('textbox', { name: words['signIn.login'] }).fill('shop1');
    await page.getByLabel(words['signIn.password']).fill('demo1234');
    await page.getByRole('button', { name: words['signIn.submit'] }).click();
    await page.getByLabel(words['shop.counter']).selectOption('shop-1-w1');
    await page.getByRole('button', { name: words['shop.callNext'] }).click();
    const heading = page.getByRole('heading', { name: /^Ticket [CS]-\d{3}$/, level: 1 });
    await heading.waitFor();
    const number = ((await heading.innerText()).match(/[CS]-\d{3}/) ?? [''])[0];
    // Only counter 2's agent speaks Chinese: the ticket goes there, keeping its number.
    await page.getByLabel(words['visit.handOff']).selectOption('zh');
    await page.getByRole('button', { name: words['visit.handOff.submit'] }).click();
    await page.getByText(words['visit.gone'].replace('{number}', number)).waitFor();
    const row = await app.store.db.selectFrom('shop_tickets').select(['counter_id', 'language']).where('number', '=', number).where('shop_id', '=', 'shop-1').executeTakeFirstOrThrow();
    assert.deepEqual([row.counter_id, row.language], ['shop-1-w2', 'zh']);
    await page.getByText(words['shop.where.sent'].replace('{label}', '2')).waitFor();
    await check(page, 'console-en-05-handed-over');
    await context.close();
  });

  test('the kiosk of a closed shop says when it opens, in every language of the shop, and gives no ticket', async () => {
    // Late in the evening (the shops close at 21:00 at the latest): this test runs last.
    app.clock.advanceHours(10);
    const kiosk = (await server.inject({ method: 'GET', url: '/api/v1/shops/shop-2/services' })).json() as { open: boolean; nextOpening: string | null };
    assert.equal(kiosk.open, false, 'shop-2 is closed at this hour');
    const context = await browser.newContext({ locale: 'ru-RU', timezoneId: 'Asia/Vladivostok', viewport: { width: 768, height: 1366 }, hasTouch: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${url}/shop/shop-2/kiosk`);
    await page.getByText(SHOP_TEXTS.ru['kiosk.closed']).waitFor();
    await page.getByText(SHOP_TEXTS.en['kiosk.closed']).waitFor();
    assert.equal(await page.getByRole('button', { name: LANGUAGE_NAMES.ru }).count(), 0, 'no ticket while closed');
    // The opening in the shop's local time (09:00 in Moscow), whatever the kiosk's own clock zone (Vladivostok here).
    assert.match(await page.locator('body').innerText(), /09:00/);
    await check(page, 'kiosk-closed-768');
    await context.close();
  });
});
