// The back office's reports page (/staff/#reports) in a real browser against the real server, in ru/en/zh at a
// desk's 1280 px with axe: the filters picked, the period said in words (never an ISO instant on the page), the
// CSV downloaded through the link with English column names and UTC instants, and a backwards period refused in
// words. Screenshots in test-results/site/ and /tmp/shots-rnd/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildServer } from '../../src/channels/api/server.ts';
import { ORDER_REPORT_COLUMNS } from '../../src/domain/order-report.ts';
import { seed } from '../../src/seed/seed.ts';
import { insertRows } from '../../src/store/bulk.ts';
import { inTransaction } from '../../src/store/database.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
// 3–9 November 2026 in words, as each language writes a long date.
const PERIOD: Record<Lang, [string, string]> = { ru: ['3 ноября 2026 г.', '9 ноября 2026 г.'], en: ['3 November 2026', '9 November 2026'], zh: ['2026年11月3日', '2026年11月9日'] };
const OWN_SHOTS = '/tmp/shots-rnd';
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));

describe('the reports page in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: 4, seed: 7 });
    // Orders on 2–10 November 2026 (Moscow), web and shop, completed and withdrawn.
    const base = { customer_id: 'cus_00000001', account_id: 'acc_00000001', msisdn: '+79990000001', sim_type: 'sim', authority: 'subscriber', requested_by_kind: 'customer', requested_by_id: 'cus_00000001', reason: null, effective_mode: 'now', confirm_by: null, confirmed_at: null, blockers: '[]', warnings: '[]', quote: '{}', fee_accepted_at: null, instalments_accepted_at: null, amount_settled: null, amount_refunded: null, quarantine_until: null, sim_collected: 0, line_state_before: 'active', steps: '{}', last_error: null, bulk_key: null, disowned_at: null };
    const rows = Array.from({ length: 18 }, (_, i) => {
      const at = new Date(Date.parse('2026-11-01T22:00:00.000Z') + i * 12 * 3_600_000).toISOString();
      return { ...base, id: `trm_web_${i}`, reference: `WEB-${String(i).padStart(4, '0')}`, seq: 5000 + i, line_id: `ln_0000000${i % 4}`, channel: i % 2 ? 'store' : 'web', state: i % 3 ? 'completed' : 'withdrawn', effective_at: at, requested_at: at, completed_at: i % 3 ? at : null, updated_at: at };
    });
    await inTransaction(app.store, (tx) => insertRows(tx, 'terminations', rows));
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    mkdirSync(OWN_SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function check(page: Page, name: string) {
    await shot(page, name);
    await page.screenshot({ path: join(OWN_SHOTS, `${name}.png`), fullPage: true });
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    assert.doesNotMatch(await page.locator('body').innerText(), /[A-Z]{3,}_[A-Z_]+|\d{4}-\d{2}-\d{2}T|\d{4}-\d{2}-\d{2}\b/, `no raw code or ISO date on ${name}`);
  }

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`the back office picks a period and filters in ${lang}, reads it in words and downloads the CSV`, async () => {
      const t = STAFF_TEXTS[lang];
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/staff/#reports`);
      await page.getByRole('textbox', { name: t['signIn.login'] }).fill('backoffice');
      await page.getByLabel(t['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: t['signIn.submit'] }).click();
      await page.getByRole('heading', { name: t['reports.title'], level: 1 }).waitFor();
      await page.getByLabel(t['reports.from']).fill('2026-11-03');
      await page.getByLabel(t['reports.to']).fill('2026-11-09');
      await page.getByLabel(t['reports.channel']).selectOption({ label: t['reports.channelName.web'] });
      await page.getByLabel(t['reports.outcome']).selectOption({ label: t['reports.state.completed'] });
      const summary = t['reports.summary'].replace('{from}', PERIOD[lang][0]).replace('{to}', PERIOD[lang][1]);
      await page.getByRole('status').filter({ hasText: summary }).waitFor();
      await check(page, `reports-${lang}-01-filters`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t['reports.download'] }).click()]);
      assert.equal(download.suggestedFilename(), 'orders-2026-11-03-2026-11-09.csv');
      const csv = readFileSync(await download.path(), 'utf8').split('\r\n').filter(Boolean);
      assert.equal(csv[0], ORDER_REPORT_COLUMNS.join(','), 'English column names in every language');
      const body = csv.slice(1).map((l) => l.split(','));
      assert.ok(body.length > 0);
      for (const row of body) {
        assert.deepEqual([row[2], row[5]], ['web', 'completed']);
        assert.match(row[1] ?? '', /^2026-11-\d\dT\d\d:\d\d:\d\d\.000Z$/, 'UTC instants in the file');
        assert.ok((row[1] ?? '') >= '2026-11-02T21:00:00.000Z' && (row[1] ?? '') < '2026-11-09T21:00:00.000Z', `${row[1]} is within 3–9 November, Moscow`);
      }
      // A backwards period: refused in words, nothing to download.
      await page.getByLabel(t['reports.from']).fill('2026-11-10');
      await page.getByRole('alert').filter({ hasText: t['reports.badPeriod'] }).waitFor();
      assert.equal(await page.getByRole('link', { name: t['reports.download'] }).count(), 0);
      await check(page, `reports-${lang}-02-backwards`);
      await context.close();
    });
  }
});
