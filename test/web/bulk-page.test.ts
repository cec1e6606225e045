// The bulk upload page (/staff/#bulk) in a real browser against the real server, in ru/en/zh at a desk's
// 1280 px with axe: a file uploaded, the dry run's report, the run started, its bar moving as the queue works
// through it chunk by chunk, a reload during the run that finds the bar again where it was, and the result file
// downloaded in the reader's language. The test works the queue itself, one chunk at a time, so each step the
// page must show is known. Screenshots in test-results/site/.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { BULK_CHUNK, runBulkRunJobs } from '../../src/app/bulk-runs.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { addSeconds } from '../../src/domain/time.ts';
import { seed } from '../../src/seed/seed.ts';
import { claimJobs } from '../../src/store/jobs.repository.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { axeProblems, CHROMIUM, launch, shot } from './browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LANGS: readonly Lang[] = ['ru', 'en', 'zh'];
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const HEADER: Record<Lang, string> = { ru: 'номер,заявка,результат', en: 'number,reference,outcome', zh: '号码,申请编号,结果' };
// Three chunks per file: two whole ones and a short last one.
const PER_FILE = BULK_CHUNK * 2 + 50;
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

describe('the bulk upload page in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: TestApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;
  const files = new Map<Lang, string>();

  before(async () => {
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = await openTestApp(sqlite);
    await seed(app, { customers: PER_FILE * LANGS.length + 100, seed: 7 });
    server = await buildServer(app);
    url = await server.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    const lines = await app.store.db.selectFrom('lines').select('msisdn').where('state', '=', 'active').orderBy('msisdn').limit(PER_FILE * LANGS.length).execute();
    LANGS.forEach((lang, i) => files.set(lang, `msisdn,reason\n${lines.slice(i * PER_FILE, (i + 1) * PER_FILE).map((l) => `${l.msisdn},regulator`).join('\n')}\n`));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /** The queue takes one chunk of the run: what a worker does, one step at a time. */
  async function workOneChunk() {
    const now = app.clock();
    const jobs = await claimJobs(app.store.db, 'bulk.run', { limit: 1, now, leaseUntil: addSeconds(now, 60), workerId: 'browser-test' });
    assert.equal(jobs.length, 1, 'a chunk is waiting');
    const r = await runBulkRunJobs(app, jobs, { maxChunks: 1 });
    if (r.completed !== 1) {
      const job = await app.store.db.selectFrom('jobs').select('last_error').where('id', '=', (jobs[0] as { id: string }).id).executeTakeFirst();
      assert.fail(`the chunk failed: ${job?.last_error}`);
    }
  }

  async function check(page: Page, name: string) {
    await shot(page, name);
    assert.deepEqual(await axeProblems(page), [], `axe on ${name}`);
    assert.doesNotMatch(await page.locator('body').innerText(), /[A-Z]{3,}_[A-Z_]+|\d{4}-\d{2}-\d{2}T/, `no raw code or ISO instant on ${name}`);
  }

  for (const lang of LANGS) {
    test(`in ${lang}: upload, dry run, run with a moving bar that survives a reload, result downloaded`, async () => {
      const t = STAFF_TEXTS[lang];
      const count = (n: number) => new Intl.NumberFormat(LOCALE[lang]).format(n);
      const progressText = (done: number) => fill(t['bulk.run.count'], { done: count(done), total: count(PER_FILE) });
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/staff/#bulk`);
      await page.getByRole('textbox', { name: t['signIn.login'] }).fill('backoffice');
      await page.getByLabel(t['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: t['signIn.submit'] }).click();
      await page.getByRole('heading', { name: t['bulk.title'], level: 1 }).waitFor();
      await page.getByRole('link', { name: t['bulk.nav'] }).and(page.locator('[aria-current="page"]')).waitFor();
      await check(page, `bulk-${lang}-01-empty`);

      const name = `regulator-${lang}.csv`;
      await page.getByLabel(t['bulk.file']).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(files.get(lang) as string) });
      await page.getByLabel(t['bulk.reason']).fill('regulator');
      await page.getByRole('button', { name: t['bulk.check'] }).click();
      const report = page.getByRole('region', { name: fill(t['bulk.report.title'], { file: name }) });
      await report.getByRole('row', { name: `${t['bulk.report.requested']} ${count(PER_FILE)}` }).waitFor();
      await report.getByRole('row', { name: new RegExp(`^${t['bulk.report.wouldCreate']} `) }).waitFor();
      await report.getByRole('row', { name: new RegExp(`^${t['bulk.channel.bulk']} `) }).waitFor();
      await check(page, `bulk-${lang}-02-dry-run`);

      await page.getByRole('button', { name: t['bulk.start'] }).click();
      const bar = page.getByRole('progressbar', { name: t['bulk.run.progress'] });
      await bar.waitFor();
      await page.getByText(progressText(0)).waitFor();
      await workOneChunk();
      await page.getByText(progressText(BULK_CHUNK)).waitFor();
      assert.equal(await bar.getAttribute('value'), String(BULK_CHUNK), 'the bar moved');
      await check(page, `bulk-${lang}-03-running`);

      // Reloaded mid-run: the page finds the run on the server and follows it again.
      await page.reload();
      await page.getByRole('heading', { name: fill(t['bulk.run.title'], { file: name }) }).waitFor();
      await page.getByText(progressText(BULK_CHUNK)).waitFor();
      await page.getByText(t['bulk.run.running']).waitFor();
      await workOneChunk();
      await page.getByText(progressText(BULK_CHUNK * 2)).waitFor();
      assert.equal(await page.getByRole('progressbar', { name: t['bulk.run.progress'] }).getAttribute('value'), String(BULK_CHUNK * 2), 'the bar came back and goes on');
      await check(page, `bulk-${lang}-04-reloaded`);

      await workOneChunk();
      await page.getByText(progressText(PER_FILE)).waitFor();
      const [before, afterWhen] = t['bulk.run.finished'].split('{when}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      await page.getByRole('status').filter({ hasText: new RegExp(`^${before}.+${afterWhen}$`) }).waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: t['bulk.download'], exact: true }).click();
      const saved = await (await download).path();
      const rows = readFileSync(saved, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      assert.equal(rows[0], HEADER[lang]);
      assert.equal(rows.length, PER_FILE + 1, 'a line per number');
      assert.ok(rows.slice(1).every((r) => /^\+7\d{10},TRM-[A-Z0-9-]+,/.test(r)), 'every number has its order');
      await check(page, `bulk-${lang}-05-finished`);
      await context.close();
    });
  }
});
