// The subscriber site in a real browser (Debian's Chromium through playwright-core), against the real server
// on a fresh store. Screenshots of every page in every language land in test-results/site/.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { codeFromOutbox } from '../support/outbox.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { en } from '../../web/src/i18n/en.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LANGS: readonly Lang[] = ['ru', 'en', 'zh'];
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const T = {
  phone: { ru: 'Номер телефона', en: 'Phone number', zh: '手机号码' },
  password: { ru: 'Пароль', en: 'Password', zh: '密码' },
  signIn: { ru: 'Войти', en: 'Sign in', zh: '登录' },
  cancelLine: { ru: 'Отключить номер', en: 'Cancel this line', zh: '注销此号码' },
  code: { ru: 'Код из SMS', en: 'Code from the SMS', zh: '短信验证码' },
  confirm: { ru: 'Подтвердить отключение', en: 'Confirm the cancellation', zh: '确认注销' },
} as const;

/** Text a person should never read: what a page shows when a string is not a translation. */
const MACHINE_TEXT: readonly [RegExp, string][] = [
  [new RegExp(`\\b(${[...new Set(Object.keys(en).map((k) => k.split('.')[0]))].join('|')})\\.[A-Za-z_]+`), 'a raw message key'],
  [/\{\w+\}/, 'a placeholder left unfilled'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:/, 'an ISO instant'],
  [/\b(body|querystring|params|headers)\/|must match|must have|must NOT|must be /, 'a validator path or message'],
  [/\b[a-z]+_[a-z][a-z_]*\b/, 'a snake_case name (an event, a state, a code)'],
];

const ready = existsSync(CHROMIUM) && existsSync(new URL('../../web/dist/index.html', import.meta.url));

describe('subscriber site in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 40, seed: 5 });
    // The demo mailbox is a demo-mode page, and payments go through the demo's sandbox: this site runs as `npm start` would.
    server = await buildServer({ ...app, demo: true });
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  /** Seeded lines (past the demo's six) that can be cancelled at once: nothing owed, no minimum term, no instalments, no port-out or hold. */
  const freeToCancel = () =>
    app.store.db
      .selectFrom('lines')
      .innerJoin('accounts', 'accounts.id', 'lines.account_id')
      .innerJoin('customers', 'customers.id', 'lines.customer_id')
      .where('accounts.balance', '>=', 0)
      .where('lines.minimum_term_ends_at', 'is', null)
      .where('lines.instalments_left', '=', 0)
      .where('lines.state', '=', 'active')
      .where('lines.port_out_requested_at', 'is', null)
      .where('lines.legal_hold_at', 'is', null)
      .where('lines.msisdn', '>=', '+79990000010');

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
    await page.getByRole('textbox', { name: T.phone[lang] }).fill(msisdn);
    await page.getByRole('textbox', { name: T.password[lang] }).fill('demo1234');
    await page.getByRole('button', { name: T.signIn[lang] }).click();
    await page.waitForSelector('.lines');
  }

  const lastCode = (reference: string) => codeFromOutbox(app, reference);
  const referenceIn = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

  async function check(page: Page, name: string) {
    await shot(page, name);
    const text = await page.locator('body').innerText();
    for (const [pattern, what] of MACHINE_TEXT) {
      const found = pattern.exec(text);
      assert.equal(found, null, `${name} shows ${what}: "${found ? text.slice(Math.max(0, found.index - 40), found.index + 60) : ''}"`);
    }
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
  }

  test('an eSIM line with debt and data left is cancelled in Chinese: pay, confirm, done, status', async () => {
    const { context, page } = await open('zh');
    await signIn(page, 'zh', '+79990000000');
    await check(page, 'zh-01-lines');
    await page.getByRole('link', { name: T.cancelLine.zh }).click();
    await page.getByText('支付欠费').waitFor();
    assert.match(await page.locator('.summary').innerText(), /11[.,]7 GB/);
    await check(page, 'zh-02-preview-blocked');
    await page.getByRole('button', { name: /立即支付/ }).click();
    await page.getByText('已收到付款').waitFor();
    await page.getByRole('button', { name: T.cancelLine.zh }).click();
    await page.getByRole('textbox', { name: T.code.zh }).waitFor();
    await check(page, 'zh-03-confirm-code');
    await page.getByRole('textbox', { name: T.code.zh }).fill(await lastCode(referenceIn(page)));
    await page.getByRole('button', { name: T.confirm.zh }).click();
    await page.getByText('已预约').first().waitFor();
    await page.getByText(/您可在 .+ 之前找回该号码/).waitFor();
    await check(page, 'zh-04-done');
    assert.match(await page.locator('.timeline').innerText(), /等待验证码确认[\s\S]*已预约/);
    await context.close();
  });

  test('a physical SIM line is cancelled in Russian', async () => {
    const { context, page } = await open('ru');
    await signIn(page, 'ru', '+79990000001');
    await check(page, 'ru-01-lines');
    await page.getByRole('link', { name: T.cancelLine.ru }).click();
    await page.getByText('Снимите PIN-код').waitFor();
    await check(page, 'ru-02-preview');
    await page.getByRole('button', { name: T.cancelLine.ru }).click();
    await page.getByRole('textbox', { name: T.code.ru }).fill(await (async () => {
      await page.getByRole('textbox', { name: T.code.ru }).waitFor();
      return lastCode(referenceIn(page));
    })());
    await check(page, 'ru-03-confirm-code');
    await page.getByRole('button', { name: T.confirm.ru }).click();
    await page.getByText('Запланирована').first().waitFor();
    await page.getByText(/Вернуть номер можно до .+\(.+\)/).waitFor();
    await check(page, 'ru-04-done');
    await context.close();
  });

  test('a cancellation is withdrawn during cooling-off in English', async () => {
    const { context, page } = await open('en');
    await signIn(page, 'en', '+79990000002');
    await page.getByRole('link', { name: T.cancelLine.en }).click();
    await page.getByRole('button', { name: T.cancelLine.en }).click();
    await page.getByRole('textbox', { name: T.code.en }).waitFor();
    await page.getByRole('textbox', { name: T.code.en }).fill(await lastCode(referenceIn(page)));
    await page.getByRole('button', { name: T.confirm.en }).click();
    await page.getByText(/You can take the number back until .+\(.+\)/).waitFor();
    await page.getByRole('button', { name: 'Withdraw this request' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw it' }).waitFor();
    await check(page, 'en-05-withdraw-ask');
    assert.equal((await app.store.db.selectFrom('lines').select('state').where('msisdn', '=', '+79990000002').executeTakeFirstOrThrow()).state, 'termination_scheduled', 'the first click only asks');
    await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.getByText('Request withdrawn').waitFor();
    await check(page, 'en-05-withdrawn');
    const line = await app.store.db.selectFrom('lines').select('state').where('msisdn', '=', '+79990000002').executeTakeFirstOrThrow();
    assert.equal(line.state, 'active');
    await context.close();
  });

  test('a wrong SMS code three times shows the lock-out message', async () => {
    const { context, page } = await open('en');
    await signIn(page, 'en', '+79990000005');
    await page.getByRole('link', { name: T.cancelLine.en }).click();
    await page.getByRole('button', { name: T.cancelLine.en }).click();
    const box = page.getByRole('textbox', { name: T.code.en });
    await box.waitFor();
    const right = await lastCode(referenceIn(page));
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      await box.fill(wrong);
      await page.getByRole('button', { name: T.confirm.en }).click();
      await page.locator('.error').waitFor();
    }
    assert.match(await page.locator('.error').innerText(), /Too many wrong codes/);
    await check(page, 'en-06-code-locked');
    await context.close();
  });

  test('a number is reclaimed during quarantine', async () => {
    const [outcome] = await requestTerminations(app, [{ msisdn: '+79990000004', channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'test', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
    assert.equal(outcome?.kind, 'created');
    await runWorker(app, { untilIdle: true });
    const { context, page } = await open('ru');
    await page.goto(`${url}/`);
    await page.getByRole('textbox', { name: T.phone.ru }).fill('+79990000004');
    await page.getByRole('textbox', { name: T.password.ru }).fill('demo1234');
    await page.getByRole('button', { name: T.signIn.ru }).click();
    await page.getByRole('link', { name: 'Вернуть номер' }).click();
    await page.getByText(/\+79990000004.*вернуть можно до .+\(.+\)/).waitFor();
    await page.getByText(/Новую SIM-карту получите в любом нашем салоне/).waitFor();
    await page.getByRole('textbox', { name: 'Ваш прежний номер' }).fill('8 999 000-00-04');
    await check(page, 'ru-07-reclaim');
    await page.getByRole('button', { name: 'Вернуть номер' }).click();
    await page.locator('.notice-ok').getByText('снова ваш').waitFor();
    await check(page, 'ru-08-reclaimed');
    await context.close();
  });

  test('a reclaim past the per-person number limit is refused with our words, in ru, en and zh', async () => {
    const [former, other] = await freeToCancel().select(['lines.msisdn', 'lines.customer_id']).orderBy('lines.msisdn', 'desc').limit(2).execute();
    if (!former || !other) throw new Error('no lines to use');
    const demoHash = (await app.store.db.selectFrom('customers').select('password_hash').where('id', '=', 'cus_00000005').executeTakeFirstOrThrow()).password_hash;
    await app.store.db.updateTable('customers').set({ password_hash: demoHash }).where('id', '=', former.customer_id).execute();
    const [outcome] = await requestTerminations(app, [{ msisdn: former.msisdn, channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'test', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
    assert.equal(outcome?.kind, 'created');
    await runWorker(app, { untilIdle: true });
    // The former holder has another live line: with a limit of one, taking the number back would make two.
    await app.store.db.updateTable('lines').set({ customer_id: former.customer_id }).where('msisdn', '=', other.msisdn).execute();
    const limits = app.policy.numberLimits as { citizen: number; foreigner: number };
    const saved = { ...limits };
    Object.assign(limits, { citizen: 1, foreigner: 1 });
    const words = { ru: 'сколько может быть у одного человека', en: 'as many numbers with us as one person may hold', zh: '已达到每人上限' } as const;
    try {
      for (const lang of ['ru', 'en', 'zh'] as const) {
        const { context, page } = await open(lang, 1280);
        await page.goto(`${url}/`);
        await page.getByRole('textbox', { name: T.phone[lang] }).fill(former.msisdn);
        await page.getByRole('textbox', { name: T.password[lang] }).fill('demo1234');
        await page.getByRole('button', { name: T.signIn[lang] }).click();
        await page.waitForSelector('.lines');
        await page.goto(`${url}/reclaim`);
        await page.getByRole('textbox').first().fill(former.msisdn);
        await page.locator('form button[type=submit]').click();
        await page.locator('.notice-error').getByText(words[lang]).waitFor();
        await check(page, `${lang}-reclaim-limit`);
        await context.close();
      }
      const number = await app.store.db.selectFrom('numbers').select('state').where('msisdn', '=', former.msisdn).executeTakeFirstOrThrow();
      assert.equal(number.state, 'quarantined', 'the refused reclaim changed nothing');
    } finally {
      Object.assign(limits, saved);
    }
  });

  test('demo mode: the footer moves time forward and the shown date changes, in Russian', async () => {
    const { context, page } = await open('ru');
    await signIn(page, 'ru', '+79990000005');
    const bar = page.locator('footer .demo-clock');
    await bar.getByText('Время в демо').waitFor();
    const before = await bar.locator('p').first().innerText();
    await bar.getByRole('button', { name: '+14 дней' }).click();
    await bar.getByText('Сдвиг вперёд, дней: 14').waitFor();
    const after = await bar.locator('p').first().innerText();
    assert.notEqual(after, before, 'the date shown moved');
    await page.waitForSelector('.lines');
    await check(page, 'ru-20-demo-clock');
    await context.close();
  });

  test('cancel without signing in: one page, a receipt with date and time, a code to the line', async () => {
    const customer = await app.store.db.selectFrom('customers').select(['name', 'doc_last4']).where('id', '=', 'cus_00000002').executeTakeFirstOrThrow();
    const { context, page } = await open('en');
    await page.goto(`${url}/`);
    await page.locator('footer').getByRole('link', { name: 'Cancel a contract' }).click();
    await page.getByRole('textbox', { name: 'Phone number to cancel' }).fill('+7 999 000 00 02');
    await page.getByRole('textbox', { name: "Holder's full name" }).fill('someone else');
    await page.getByRole('textbox', { name: 'Last 4 characters of the document' }).fill(customer.doc_last4 ?? '');
    await page.getByRole('button', { name: 'Cancel now' }).click();
    await page.locator('.error').waitFor();
    assert.match(await page.locator('.error').innerText(), /does not match/);
    assert.equal(await page.getByRole('textbox', { name: 'Phone number to cancel' }).inputValue(), '+7 999 000 00 02', 'nothing typed is lost');
    await check(page, 'en-09-public-mismatch');
    await page.getByRole('textbox', { name: "Holder's full name" }).fill(customer.name.toUpperCase());
    await page.getByRole('button', { name: 'Cancel now' }).click();
    await page.getByText('We received your cancellation').waitFor();
    await check(page, 'en-10-public-receipt');
    const reference = (await page.locator('.reference').innerText()).trim();
    await page.getByRole('textbox', { name: T.code.en }).fill(await lastCode(reference));
    await page.getByRole('button', { name: T.confirm.en }).click();
    await page.getByText('Cancellation confirmed').waitFor();
    await check(page, 'en-11-public-confirmed');
    await context.close();
  });

  test('cancel without signing in shows the money, the eSIM steps and withdraws with a second question, in English', async () => {
    const who = await app.store.db
      .selectFrom('lines')
      .innerJoin('accounts', 'accounts.id', 'lines.account_id')
      .innerJoin('customers', 'customers.id', 'lines.customer_id')
      .leftJoin('terminations', (j) => j.onRef('terminations.line_id', '=', 'lines.id'))
      .select(['lines.msisdn', 'customers.name', 'customers.doc_last4'])
      .where('accounts.balance', '>=', 0)
      .where('lines.minimum_term_ends_at', 'is', null)
      .where('lines.state', '=', 'active')
      .where('lines.sim_type', '=', 'esim')
      .where('lines.port_out_requested_at', 'is', null)
      .where('lines.legal_hold_at', 'is', null)
      .where('customers.doc_last4', 'is not', null)
      .where('terminations.id', 'is', null)
      .orderBy('lines.msisdn', 'desc')
      .executeTakeFirstOrThrow();
    const { context, page } = await open('en');
    await page.goto(`${url}/cancel`);
    await page.getByRole('textbox', { name: 'Phone number to cancel' }).fill(who.msisdn);
    await page.getByRole('textbox', { name: "Holder's full name" }).fill(who.name);
    await page.getByRole('textbox', { name: 'Last 4 characters of the document' }).fill(who.doc_last4 ?? '');
    await page.getByRole('button', { name: 'Cancel now' }).click();
    await page.getByText('We received your cancellation').waitFor();
    await page.getByText('We pay you back').waitFor();
    await page.getByText('How to delete the eSIM').waitFor();
    const reference = (await page.locator('.reference').innerText()).trim();
    await page.getByRole('textbox', { name: T.code.en }).fill(await lastCode(reference));
    await page.getByRole('button', { name: T.confirm.en }).click();
    await page.getByText('Cancellation confirmed').waitFor();
    await page.getByText('You can withdraw until').waitFor();
    await check(page, 'en-12-public-confirmed-money');
    await page.getByRole('button', { name: 'Withdraw this request' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw it' }).waitFor();
    await check(page, 'en-13-public-withdraw-ask');
    await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.getByText('Request withdrawn').waitFor();
    await check(page, 'en-14-public-withdrawn');
    const order = await app.store.db.selectFrom('terminations').select('state').where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.equal(order.state, 'withdrawn');
    await context.close();
  });

  test('a browser reopened with its session cookie still set acts at once, in every language (the CSRF token comes back from the session)', async () => {
    const free = await freeToCancel()
      .select(['lines.id', 'lines.msisdn', 'lines.customer_id'])
      .orderBy('lines.msisdn', 'desc')
      .limit(3)
      .execute();
    assert.equal(free.length, 3);
    const demo = await app.store.db.selectFrom('customers').select('password_hash').where('id', '=', 'cus_00000000').executeTakeFirstOrThrow();
    await app.store.db.updateTable('customers').set({ password_hash: demo.password_hash }).where('id', 'in', free.map((l) => l.customer_id)).execute();
    for (const [i, lang] of LANGS.entries()) {
      const line = free[i] as (typeof free)[number];
      const first = await open(lang);
      await signIn(first.page, lang, line.msisdn);
      // What a browser keeps when it is closed and reopened: cookies and localStorage, never sessionStorage.
      const kept = await first.context.storageState();
      await first.context.close();
      const context = await browser.newContext({ locale: LOCALE[lang], storageState: kept });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/lines/${line.id}/cancel`);
      await page.locator('.summary').waitFor();
      await page.getByRole('button', { name: T.cancelLine[lang] }).click();
      await page.getByRole('textbox', { name: T.code[lang] }).waitFor();
      assert.equal(await page.locator('.notice-error').count(), 0);
      // A token from an older session in the tab (signed in again elsewhere): the first refusal fetches the current one.
      await page.evaluate(() => sessionStorage.setItem('simexit.csrf', 'stale'));
      await page.getByRole('textbox', { name: T.code[lang] }).fill(await lastCode(referenceIn(page)));
      await page.getByRole('button', { name: T.confirm[lang] }).click();
      await page.getByText({ ru: 'Запланирована', en: 'Scheduled', zh: '已预约' }[lang]).first().waitFor();
      await check(page, `${lang}-reopened-browser`);
      await context.close();
    }
  });

  test('every page in every language, on a phone (360 px) and on a desktop: no untranslated text, no serious axe finding', async () => {
    for (const lang of LANGS) {
      for (const width of [360, 1280]) {
        const { context, page } = await open(lang, width);
        const tag = `${lang}-${width}`;
        await page.goto(`${url}/`);
        await page.waitForSelector('h1');
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        await check(page, `all-${tag}-login`);
        await page.goto(`${url}/forgot`);
        await page.waitForSelector('h1');
        await check(page, `all-${tag}-forgot`);
        await page.goto(`${url}/cancel`);
        await page.waitForSelector('h1');
        await check(page, `all-${tag}-public-cancel`);
        await signIn(page, lang, '+79990000003');
        await check(page, `all-${tag}-lines`);
        await page.goto(`${url}/lines/ln_00000003/cancel`);
        await page.waitForSelector('.summary');
        await check(page, `all-${tag}-preview-fee`);
        await page.goto(`${url}/terminations`);
        await page.waitForSelector('h1');
        await check(page, `all-${tag}-requests`);
        await page.goto(`${url}/reclaim`);
        await page.waitForSelector('h1');
        await check(page, `all-${tag}-reclaim`);
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, /\b[a-z]+\.[a-zA-Z_]+\.[a-zA-Z_]+\b|\{\w+\}/, 'no raw message key or placeholder');
        await context.close();
      }
    }
  });

  test('the request status and the cancellation receipt in every language', async () => {
    const eligible = await freeToCancel()
      .select(['lines.msisdn', 'customers.name', 'customers.doc_last4'])
      .orderBy('lines.msisdn')
      .limit(3)
      .execute();
    assert.equal(eligible.length, 3);
    const labels = {
      number: { ru: 'Номер телефона для отключения', en: 'Phone number to cancel', zh: '要注销的手机号码' },
      name: { ru: 'ФИО владельца', en: "Holder's full name", zh: '机主全名' },
      last4: { ru: 'Последние 4 символа документа', en: 'Last 4 characters of the document', zh: '证件最后 4 位' },
      submit: { ru: 'Расторгнуть сейчас', en: 'Cancel now', zh: '立即解除' },
    };
    for (const [i, lang] of LANGS.entries()) {
      const { context, page } = await open(lang, i === 1 ? 360 : 1024);
      await signIn(page, lang, '+79990000005');
      await page.goto(`${url}/terminations`);
      await page.locator('main a[href^="/terminations/"]').first().click();
      await page.locator('.timeline').waitFor();
      await check(page, `${lang}-status`);
      await page.goto(`${url}/cancel`);
      const holder = eligible[i] as (typeof eligible)[number];
      await page.getByRole('textbox', { name: labels.number[lang] }).fill(holder.msisdn);
      await page.getByRole('textbox', { name: labels.name[lang] }).fill(holder.name);
      await page.getByRole('textbox', { name: labels.last4[lang] }).fill(holder.doc_last4 ?? '');
      await page.getByRole('button', { name: labels.submit[lang] }).click();
      await page.locator('.reference').waitFor();
      await check(page, `${lang}-public-receipt`);
      await context.close();
    }
  });

  test('the demo mailbox lists what was sent, and the public verification page checks a certificate', async () => {
    const { context, page } = await open('en');
    await page.goto(`${url}/demo/mailbox`);
    await page.getByRole('heading', { name: 'Demo mailbox' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /SMS → \+7\*+\d{4}/);
    assert.match(text, /TRM-/);
    await shot(page, 'demo-mailbox');
    const done = await app.store.db.selectFrom('certificates').select('reference').executeTakeFirstOrThrow();
    await context.close();
    const valid = { ru: 'Подпись верна', en: 'The signature is valid', zh: '签名有效' };
    for (const lang of LANGS) {
      const reader = await open(lang);
      await reader.page.goto(`${url}/verify/${done.reference}`);
      await reader.page.locator('.ok').waitFor();
      assert.match(await reader.page.locator('.ok').innerText(), new RegExp(valid[lang]));
      await check(reader.page, `verify-${lang}`);
      await reader.context.close();
    }
  });

  test('the e-mails render in a browser in every language', async () => {
    const { render } = await import('../../src/notifications/templates.ts');
    const { context, page } = await open('en', 720);
    const payloads: Record<string, Record<string, unknown>> = {
      'termination.requested': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', state: 'awaiting_confirmation', effectiveAt: '2026-11-22T10:00:00.000Z', withdrawUntil: null, confirmBy: '2026-11-21T10:30:00.000Z' },
      'termination.completed': { reference: 'TRM-7KQ2-9XW4', msisdn: '+79991234567', simType: 'esim', channel: 'web', requestedAt: '2026-11-21T10:00:00.000Z', effectiveAt: '2026-11-22T10:00:00.000Z', completedAt: '2026-11-22T10:00:04.000Z', amountSettled: 24986, amountRefunded: 1000, currency: 'RUB', quarantineUntil: '2027-05-21T10:00:00.000Z' },
    };
    for (const lang of LANGS) {
      for (const [template, payload] of Object.entries(payloads)) {
        const mail = render(template, lang, payload, app.policy);
        await page.setContent(mail.html);
        assert.ok((await page.locator('body').innerText()).includes('TRM-7KQ2-9XW4'));
        await shot(page, `email-${template}-${lang}`);
      }
    }
    await context.close();
  });

  test('keyboard only: sign in, open a line and reach the cancel button without a mouse', async () => {
    const { context, page } = await open('en');
    await page.goto(`${url}/`);
    await page.waitForSelector('h1');
    await page.keyboard.press('Tab');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      reached = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.autocomplete === 'username');
      if (!reached) await page.keyboard.press('Tab');
    }
    assert.ok(reached, 'the number-or-e-mail field is reachable with Tab');
    await page.keyboard.type('+79990000003');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.lines');
    let onCancel = false;
    for (let i = 0; i < 25 && !onCancel; i++) {
      await page.keyboard.press('Tab');
      onCancel = await page.evaluate(() => document.activeElement?.textContent?.includes('Cancel this line') ?? false);
    }
    assert.ok(onCancel, 'the cancel button is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.summary');
    await context.close();
  });
  test('a typo in a form is told in words under its field, in every language (not the validator\'s path)', async () => {
    const words = { ru: 'Неверный формат', en: 'not in the expected format', zh: '格式不正确' };
    for (const lang of LANGS) {
      const { context, page } = await open(lang);
      await page.goto(`${url}/cancel`);
      await page.getByRole('textbox', { name: { ru: 'Номер телефона для отключения', en: 'Phone number to cancel', zh: '要注销的手机号码' }[lang] }).fill('+7 999 000 00 19');
      await page.getByRole('textbox', { name: { ru: 'ФИО владельца', en: "Holder's full name", zh: '机主全名' }[lang] }).fill('Someone');
      const last4 = page.getByRole('textbox', { name: { ru: 'Последние 4 символа документа', en: 'Last 4 characters of the document', zh: '证件最后 4 位' }[lang] });
      await last4.fill('1!');
      await page.getByRole('button', { name: { ru: 'Расторгнуть сейчас', en: 'Cancel now', zh: '立即解除' }[lang] }).click();
      await page.locator('.error').waitFor();
      assert.match(await page.locator('.error').innerText(), new RegExp(words[lang]));
      assert.equal(await last4.getAttribute('aria-invalid'), 'true', 'the message sits under the field it is about');
      await check(page, `${lang}-form-typo`);
      await context.close();
    }
  });

  test('the timeline says in words what happened: accepting the fee, in every language', async () => {
    const { context, page } = await open('zh');
    await signIn(page, 'zh', '+79990000003');
    await page.goto(`${url}/lines/ln_00000003/cancel`);
    await page.locator('.summary').waitFor();
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: T.cancelLine.zh }).click();
    await page.locator('.timeline').waitFor();
    const reference = referenceIn(page);
    const words = { ru: 'Вы согласились с платой', en: 'You accepted the early termination fee', zh: '您已接受提前解约费' };
    for (const lang of LANGS) {
      await page.evaluate((l) => localStorage.setItem('simexit.lang', l), lang);
      await page.goto(`${url}/terminations/${reference}`);
      await page.locator('.timeline').waitFor();
      assert.match(await page.locator('.timeline').innerText(), new RegExp(words[lang]));
      await check(page, `${lang}-timeline-fee-accepted`);
    }
    await context.close();
  });
  test('the status page shows the execution steps when the API sends them (progress), in every language', async () => {
    const existing = await app.store.db.selectFrom('terminations').innerJoin('lines', 'lines.id', 'terminations.line_id').select('terminations.reference').where('lines.msisdn', '=', '+79990000005').executeTakeFirst();
    if (!existing) await requestTerminations(app, [{ msisdn: '+79990000005', channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'test', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
    const { context, page } = await open('en');
    await signIn(page, 'en', '+79990000005');
    await page.goto(`${url}/terminations`);
    const href = (await page.locator('main a[href^="/terminations/"]').first().getAttribute('href')) ?? '';
    // A server with execution steps (the lifecycle work adds them): the same answer plus a progress array.
    await page.route(`**/api/v1/terminations/*`, async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      body.progress = [
        { step: 'barred', state: 'done', at: '2026-11-22T10:00:01.000Z' },
        { step: 'esim_released', state: 'failed', at: null },
        { step: 'number_kept', state: 'pending', at: null, until: '2027-05-21T10:00:00.000Z' },
      ];
      await route.fulfill({ response, json: body });
    });
    const words = { ru: /Номер отключён в сети — выполнено[\s\S]*Номер закреплён за вами до 21 мая 2027/, en: /Line switched off in the network — done[\s\S]*Number kept for you until 21 May 2027/, zh: /号码已在网络中停用 — 已完成[\s\S]*号码为您保留至 2027年5月21日/ };
    for (const lang of LANGS) {
      await page.evaluate((l) => localStorage.setItem('simexit.lang', l), lang);
      await page.goto(`${url}${href}`);
      await page.locator('.progress').waitFor();
      assert.match(await page.locator('.progress').innerText(), words[lang]);
      await check(page, `${lang}-status-progress`);
    }
    await page.unrouteAll();
    await page.goto(`${url}${href}`);
    await page.locator('.timeline').waitFor();
    assert.equal(await page.locator('.progress').count(), 0, 'nothing extra without progress');
    await context.close();
  });
});
