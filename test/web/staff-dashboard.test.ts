// The back office's dashboard in a real browser against the real server, in ru, en and zh at 1280 px: charts with
// their tables, figures in the reader's words and local times (no codes, no ISO instants), axe clean, and an order
// that needs attention retried from the page. Screenshots in SIMEXIT_SHOTS_DIR (default test-results/site).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { requestTerminations, type TerminationRequest } from '../../src/app/request-terminations.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { demoMsisdn } from '../../src/seed/seed.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { seedServiceFigures } from '../support/service-figures.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch, SHOTS } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));
const shots = process.env.SIMEXIT_SHOTS_DIR ?? SHOTS;

describe('the dashboard in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  /** One order needing attention per language run, so each run retries its own. */
  const stuck: Record<Lang, string> = { ru: '', en: '', zh: '' };
  const siteEntry = () => (JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8')) as Record<string, { file: string }>)['index.html']?.file ?? 'none';

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    // Failing steps give up at once (no backoff, two attempts), so orders come to need attention within the set-up.
    app = await openTestApp(sqlite, { policy: (p) => ({ ...p, worker: { ...p.worker, backoffBaseSeconds: 0, backoffMaxSeconds: 0, maxAttempts: 2 } }) });
    await seed(app, { customers: 40, seed: 7 });
    const operator = (channel: TerminationRequest['channel'], i: number, reason: string | null = null): TerminationRequest => ({ msisdn: demoMsisdn(i), channel, authority: 'operator', actor: { kind: 'staff', id: 'stf_backoffice', channel: channel === 'bulk' ? 'bulk' : 'api' }, effective: { mode: 'now' }, confirmNow: true, reason });
    // A week of orders carried out the same day, from several channels and for several reasons.
    const plan: TerminationRequest['channel'][][] = [['store', 'api'], ['bulk', 'bulk', 'store'], ['phone_agent'], ['api', 'store', 'bulk', 'bulk'], ['store'], ['bulk', 'api', 'phone_agent']];
    let next = 10;
    for (const channels of plan) {
      const made = await requestTerminations(app, channels.map((c) => operator(c, next++, c === 'bulk' ? 'regulator list of unconfirmed numbers' : null)));
      assert.ok(made.every((m) => m.kind === 'created'), JSON.stringify(made.filter((m) => m.kind === 'error')));
      app.clock.advanceHours(3);
      await runWorker(app, { untilIdle: true });
      app.clock.advanceHours(21);
    }
    // Held by blockers: the holders' own requests while money is owed or a fee is not accepted.
    for (const i of [0, 3]) await requestTerminations(app, [{ msisdn: demoMsisdn(i), channel: 'web', authority: 'subscriber', actor: { kind: 'customer', id: `cus_${String(i).padStart(8, '0')}`, channel: 'web' }, effective: { mode: 'now' } }]);
    // Three orders whose billing step keeps failing: they need attention.
    const flaky: TestApp = { ...app, adapters: { ...app.adapters, billing: { ...app.adapters.billing, settle: async (requests) => requests.map(() => ({ ok: false as const, error: 'billing system unavailable' })) } } };
    const failing = await requestTerminations(flaky, [operator('api', 30), operator('store', 31), operator('bulk', 32)]);
    const references = failing.map((o) => (o.kind === 'created' ? o.termination.reference : ''));
    await runWorker(flaky, { untilIdle: true });
    for (const reference of references) assert.equal((await terminationByReference(app.store.db, reference))?.state, 'needs_attention');
    [stuck.ru, stuck.en, stuck.zh] = references as [string, string, string];
    await seedServiceFigures(app.store, new Date(Date.parse(app.clock()) - 4 * 3_600_000).toISOString());
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  async function open(lang: Lang): Promise<{ page: Page; requested: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    return { page, requested, close: () => context.close() };
  }

  async function check(page: Page, name: string) {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
  }

  for (const lang of ['en', 'ru', 'zh'] as const) {
    test(`the back office reads the dashboard and retries an order that needs attention, in ${lang}`, async () => {
      const t = STAFF_TEXTS[lang];
      const { page, requested, close } = await open(lang);
      await page.goto(`${url}/staff/#dashboard`);
      await page.getByRole('textbox', { name: t['signIn.login'] }).fill('backoffice');
      await page.getByLabel(t['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: t['signIn.submit'] }).click();
      await page.getByRole('heading', { name: t['dash.title'], level: 1 }).waitFor();
      // The charts: drawn (a canvas each), each an image with a summary, the same figures in a table.
      await page.getByRole('heading', { name: t['dash.requests.byChannel'] }).waitFor();
      await page.locator('.dash-chart canvas').nth(2).waitFor();
      const charts = page.getByRole('img');
      assert.ok((await charts.count()) >= 3);
      assert.ok((await charts.first().getAttribute('aria-label'))?.includes(t['dash.channel.store']), 'the chart summary names the channels');
      const body = await page.locator('main').innerText();
      for (const key of ['dash.channel.store', 'dash.channel.bulk', 'dash.reason.operator', 'dash.blocker.UNPAID_BALANCE', 'dash.blocker.EARLY_TERMINATION_FEE_NOT_ACCEPTED', 'dash.step.settled'] as const) assert.ok(body.includes(t[key]), `${key} on the page`);
      assert.ok(!body.includes(t['dash.unknown']), 'every hotline and shop figure is known');
      await page.getByRole('button', { name: t['dash.audit.check'] }).click();
      await page.getByRole('status').filter({ hasText: t['dash.audit.whole'].slice(0, 8) }).waitFor();
      const words = await page.locator('main').innerText();
      assert.doesNotMatch(words, /\d{4}-\d{2}-\d{2}T|needs_attention|UNPAID_BALANCE|phone_agent|termination\.execute|\btransition\b/, 'no ISO instant or raw code on screen');
      await check(page, `dash-${lang}-01-dashboard`);
      // The tables under the charts open, and stay readable.
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      await check(page, `dash-${lang}-02-tables`);
      // Retry this run's order: it goes back to the worker and leaves the list.
      const row = page.locator('section[aria-labelledby="dash-attention"] tr', { hasText: stuck[lang] });
      await row.getByRole('button', { name: new RegExp(t['dash.attention.retry']) }).click();
      await page.getByText(t['dash.attention.retried'].replace('{reference}', stuck[lang])).waitFor();
      await row.waitFor({ state: 'detached' });
      // Its execution had given up: it is back in the queue, so it leaves the list of work that gave up too.
      await page.locator('section[aria-labelledby="dash-jobs"] tr', { hasText: stuck[lang] }).waitFor({ state: 'detached' });
      assert.equal((await terminationByReference(app.store.db, stuck[lang]))?.state, 'executing');
      await check(page, `dash-${lang}-03-retried`);
      assert.ok(!requested.includes(`/${siteEntry()}`), 'the staff page did not load the subscriber site');
      await close();
    });
  }

  test('a call agent has no dashboard in the navigation', async () => {
    const t = STAFF_TEXTS.en;
    const { page, close } = await open('en');
    await page.goto(`${url}/staff/#dashboard`);
    await page.getByRole('textbox', { name: t['signIn.login'] }).fill('callcentre');
    await page.getByLabel(t['signIn.password']).fill('demo1234');
    await page.getByRole('button', { name: t['signIn.submit'] }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.equal(await page.getByRole('link', { name: t['dash.nav'] }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: t['dash.title'], level: 1 }).count(), 0);
    await close();
  });
});
