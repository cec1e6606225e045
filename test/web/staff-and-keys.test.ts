// The administrator's staff, API key and webhook pages (/staff/#staff, #keys, #webhooks) in a real browser against
// the real server, in ru/en/zh at a desk's 1280 px, with axe: an account made with a generated password shown once,
// the last administrator kept (the refusal in words, never a code), a key made, copied and revoked (then refused by
// the API), a webhook subscribed with its secret shown once and switched off. Screenshots in /tmp/shots-keys/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { renderMessage } from '../../src/domain/errors.ts';
import { seed } from '../../src/seed/seed.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const SHOTS = '/tmp/shots-keys';
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

describe('the staff, API key and webhook pages in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
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
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function signedIn(lang: Lang, hash: string): Promise<{ page: Page; close(): Promise<void> }> {
    const t = STAFF_TEXTS[lang];
    const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(`${url}/staff/#${hash}`);
    await page.getByRole('textbox', { name: t['signIn.login'] }).fill('admin');
    await page.getByLabel(t['signIn.password']).fill('demo1234');
    await page.getByRole('button', { name: t['signIn.submit'] }).click();
    return { page, close: () => context.close() };
  }

  async function check(page: Page, name: string) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    assert.doesNotMatch(await page.locator('body').innerText(), /[A-Z]{3,}_[A-Z_]+|\d{4}-\d{2}-\d{2}T|simexit\.\w+\.\w+/, `no raw code, ISO instant or event name on ${name}`);
  }

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`staff accounts in ${lang}: a new account with a password shown once; the last administrator stays`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, close } = await signedIn(lang, 'staff');
      await page.getByRole('heading', { name: t['access.staff.title'], level: 1 }).waitFor();
      await page.getByRole('row', { name: /Shop Agent 1/ }).waitFor();
      await page.getByRole('link', { name: t['access.nav.staff'] }).and(page.locator('[aria-current="page"]')).waitFor();
      await check(page, `keys-${lang}-01-staff`);
      const login = `desk-${lang}`;
      await page.getByLabel(t['access.staff.newLogin']).fill(login);
      await page.getByLabel(t['access.staff.newName']).fill(`Desk ${lang.toUpperCase()}`);
      await page.getByLabel(t['access.staff.newRole'], { exact: true }).selectOption({ label: t['access.role.back_office'] });
      await page.getByRole('button', { name: t['access.staff.create'] }).click();
      await page.getByRole('status').filter({ hasText: fill(t['access.staff.created'], { login }) }).waitFor();
      const secret = page.getByRole('textbox', { name: fill(t['access.staff.generated'], { name: `Desk ${lang.toUpperCase()}` }) });
      const password = await secret.inputValue();
      assert.ok(password.length >= 12, 'the generated password is shown');
      await page.getByRole('button', { name: t['access.copy'], exact: true }).click();
      await page.getByText(t['access.copied']).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password, 'the copy button copies it');
      await page.getByRole('row', { name: new RegExp(login) }).waitFor();
      await check(page, `keys-${lang}-02-created`);
      const signIn = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
      assert.equal(signIn.statusCode, 200, 'the shown password signs in');
      await page.getByRole('button', { name: t['access.hide'] }).click();
      assert.equal(await secret.count(), 0, 'hidden once copied, it is gone for good');
      // The last administrator: refused in the reader's words; nothing changes.
      await page.getByRole('button', { name: fill(t['access.staff.disable'], { name: 'Administrator' }) }).click();
      await page.getByRole('alert').filter({ hasText: renderMessage('STAFF_LAST_ADMIN', { name: 'Administrator' }, lang) }).waitFor();
      assert.equal((await app.store.db.selectFrom('staff').select('disabled_at').where('login', '=', 'admin').executeTakeFirstOrThrow()).disabled_at, null);
      await check(page, `keys-${lang}-03-last-admin`);
      // Disable the new account: its row says so.
      await page.getByRole('button', { name: fill(t['access.staff.disable'], { name: `Desk ${lang.toUpperCase()}` }) }).click();
      await page.getByRole('status').filter({ hasText: fill(t['access.staff.disabledDone'], { name: `Desk ${lang.toUpperCase()}` }) }).waitFor();
      await page.getByRole('button', { name: fill(t['access.staff.enable'], { name: `Desk ${lang.toUpperCase()}` }) }).waitFor();
      assert.equal((await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } })).statusCode, 401);
      await close();
    });

    test(`API keys in ${lang}: made, shown once, copied, revoked; the API refuses it after`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, close } = await signedIn(lang, 'keys');
      await page.getByRole('heading', { name: t['access.keys.title'], level: 1 }).waitFor();
      const name = `Bank ${lang}`;
      await page.getByLabel(t['access.keys.newName']).fill(name);
      await page.getByLabel(t['access.scope.tmf622']).check();
      await page.getByRole('button', { name: t['access.keys.create'] }).click();
      const secret = page.getByRole('textbox', { name: fill(t['access.keys.theKey'], { name }) });
      await secret.waitFor();
      const key = await secret.inputValue();
      assert.match(key, /^sx_/);
      const row = page.getByRole('row', { name: new RegExp(name) });
      await row.getByText(t['access.never']).waitFor();
      await check(page, `keys-${lang}-04-key-made`);
      const orders = () => server.inject({ method: 'GET', url: '/tmf-api/productOrderingManagement/v4/productOrder', headers: { authorization: `Bearer ${key}` } });
      assert.equal((await orders()).statusCode, 200);
      await page.getByRole('button', { name: fill(t['access.keys.revoke'], { name }) }).click();
      await page.getByRole('button', { name: fill(t['access.keys.confirmYes'], { name }) }).click();
      await page.getByRole('status').filter({ hasText: fill(t['access.keys.revokedDone'], { name }) }).waitFor();
      await row.getByText(t['access.keys.revoked'].split('{when}')[0]?.trim() ?? '').waitFor();
      assert.equal(await page.getByRole('textbox', { name: fill(t['access.keys.theKey'], { name }) }).count(), 0, 'the key is gone from the screen');
      assert.equal((await orders()).statusCode, 401, 'a revoked key is refused');
      await check(page, `keys-${lang}-05-key-revoked`);
      await close();
    });

    test(`webhooks in ${lang}: subscribed with the secret shown once, then switched off`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, close } = await signedIn(lang, 'webhooks');
      await page.getByRole('heading', { name: t['access.webhooks.title'], level: 1 }).waitFor();
      const hook = `https://hooks.example/${lang}`;
      await page.getByLabel(t['access.webhooks.newUrl']).fill('http://hooks.example/plain');
      await page.getByLabel(t['access.event.*']).check();
      await page.getByRole('button', { name: t['access.webhooks.create'] }).click();
      await page.getByRole('alert').filter({ hasText: t['access.webhooks.urlRule'] }).waitFor();
      await page.getByLabel(t['access.webhooks.newUrl']).fill(hook);
      await page.getByLabel(t['access.event.simexit.order.state_changed']).waitFor();
      await page.getByRole('button', { name: t['access.webhooks.create'] }).click();
      const secret = page.getByRole('textbox', { name: fill(t['access.webhooks.secret'], { url: hook }) });
      await secret.waitFor();
      assert.match(await secret.inputValue(), /^whsec_/);
      await page.getByRole('row', { name: new RegExp(hook) }).getByText(t['access.event.*']).waitFor();
      await check(page, `keys-${lang}-06-webhook`);
      await page.getByRole('button', { name: fill(t['access.webhooks.disable'], { url: hook }) }).click();
      await page.getByRole('status').filter({ hasText: fill(t['access.webhooks.disabledDone'], { url: hook }) }).waitFor();
      const row = await app.store.db.selectFrom('webhook_subscriptions').selectAll().where('url', '=', hook).executeTakeFirstOrThrow();
      assert.equal(Boolean(row.active), false);
      await check(page, `keys-${lang}-07-webhook-off`);
      await close();
    });
  }
});
