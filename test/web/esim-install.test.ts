// The line page of an eSIM that can be installed (a reclaimed number's, issue 15): a SIM line is ended, its number
// reclaimed onto a new eSIM, the worker gets the profile from the (built-in) SM-DP+; the holder's line page shows the
// QR code (an SVG the server draws from that activation code, only for the holder) and the code as text to copy,
// in every language.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { reclaimNumber } from '../../src/app/inventory-actions.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { activationQrSvg } from '../../src/notifications/esim-qr.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { en } from '../../web/src/i18n/en.ts';
import { ru } from '../../web/src/i18n/ru.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

const ready = existsSync(CHROMIUM) && existsSync(new URL('../../web/dist/index.html', import.meta.url));
const TEXTS = { ru, en, zh } as const;
const LOCALE = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' } as const;
const SIGN_IN = {
  ru: { phone: 'Номер телефона', password: 'Пароль', signIn: 'Войти' },
  en: { phone: 'Phone number', password: 'Password', signIn: 'Sign in' },
  zh: { phone: '手机号码', password: '密码', signIn: '登录' },
} as const;

describe('installing a prepared eSIM from the line page', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  let msisdn = '';
  let CODE = '';
  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 12, seed: 5 });
    // A SIM line ended by back office, its number in quarantine, reclaimed by its holder onto a new eSIM.
    const old = await app.store.db.selectFrom('lines').select(['msisdn', 'customer_id']).where('sim_type', '=', 'sim').where('state', '=', 'active').orderBy('msisdn').limit(1).executeTakeFirstOrThrow();
    const [ended] = await requestTerminations(app, [{ msisdn: old.msisdn, channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'stf_backoffice', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
    assert.equal(ended?.kind, 'created');
    await runWorker(app, { untilIdle: true, deliver: false });
    const line = await reclaimNumber(app, { msisdn: old.msisdn, customerId: old.customer_id, simType: 'esim', channel: 'web', actor: { kind: 'customer', id: old.customer_id, channel: 'web' } });
    await runWorker(app, { untilIdle: true, deliver: false });
    msisdn = old.msisdn;
    CODE = (await app.store.db.selectFrom('esim_profiles').select('activation_code').where('iccid', '=', line.iccid).executeTakeFirstOrThrow()).activation_code ?? '';
    assert.match(CODE, /^LPA:1\$[^$]+\$[^$]+$/, 'the SM-DP+ gave the new eSIM its activation code');
    server = await buildServer({ ...app, demo: true });
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`the QR code and the activation code, in ${lang}`, async () => {
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1024, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/`);
      const language = page.getByRole('combobox').first();
      if (await language.count()) await language.selectOption(lang).catch(() => {});
      await page.getByRole('textbox', { name: SIGN_IN[lang].phone }).fill(msisdn);
      await page.getByRole('textbox', { name: SIGN_IN[lang].password }).fill('demo1234');
      await page.getByRole('button', { name: SIGN_IN[lang].signIn }).click();
      await page.waitForSelector('.lines');
      const t = TEXTS[lang];
      await page.getByRole('heading', { name: t['lines.esimTitle'] }).waitFor();
      const qr = page.locator('img.esim-qr');
      await page.waitForFunction(() => {
        const img = document.querySelector('img.esim-qr') as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      });
      assert.equal(await qr.getAttribute('alt'), t['lines.esimQrAlt'].replace('{msisdn}', msisdn));
      const field = page.getByRole('textbox', { name: t['lines.esimCode'] });
      assert.equal(await field.inputValue(), CODE);
      // The whole code is in sight (someone may type it in by hand): nothing scrolled out of the field.
      const hidden = await field.evaluate((el) => ({ x: el.scrollWidth - el.clientWidth, y: el.scrollHeight - el.clientHeight }));
      assert.ok(hidden.x <= 0 && hidden.y <= 0, `the activation code is cut off (${JSON.stringify(hidden)})`);
      await shot(page, `esim-install-${lang}`);
      assert.deepEqual(await axeProblems(page), [], `axe in ${lang}`);
      // The SVG is the holder's: without the session it is refused.
      const src = (await qr.getAttribute('src')) ?? '';
      const svg = await context.request.get(`${url}${src}`);
      assert.equal(svg.status(), 200);
      assert.equal(await svg.text(), await activationQrSvg(CODE), 'the QR code carries exactly this activation code');
      const anonymous = await fetch(`${url}${src}`);
      assert.equal(anonymous.status, 401);
      await context.close();
    });
  }
});
