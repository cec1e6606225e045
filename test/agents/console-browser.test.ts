// The call-centre console in a real browser against the real server, in ru, en and zh: a caller who rang the hotline
// (signed webhooks), passed its checks and pressed 0 is taken, seen, cancelled behind the checklist and finished.
// Screenshots go to SIMEXIT_AGENT_SHOTS (default /tmp/shots-agents).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { enqueueForAgent } from '../../src/app/agent-queue.ts';
import { buildServer } from '../../src/channels/api/server.ts';
import { seed } from '../../src/seed/seed.ts';
import { formatsFor } from '../../web/src/staff/formats.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';
import { codeFromOutbox } from '../support/outbox.ts';
import { openTestApp, storeKinds } from '../support/stores.ts';
import { PhoneCall, type VoiceApp, withVoice } from '../support/voice.ts';
import { axeProblems, CHROMIUM, launch } from '../web/browser.ts';

type Lang = 'ru' | 'en' | 'zh';
const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB', zh: 'zh-CN' };
const SHOTS = process.env.SIMEXIT_AGENT_SHOTS ?? '/tmp/shots-agents';
const dist = new URL('../../web/dist/', import.meta.url);
const ready = existsSync(CHROMIUM) && existsSync(new URL('staff/index.html', dist));
// One caller per language, each a seeded customer who speaks it.
const CALLER: Record<Lang, { customerId: string; lineId: string; msisdn: string }> = {
  ru: { customerId: 'cus_00000001', lineId: 'ln_00000001', msisdn: '+79990000001' },
  en: { customerId: 'cus_00000002', lineId: 'ln_00000002', msisdn: '+79990000002' },
  zh: { customerId: 'cus_00000005', lineId: 'ln_00000005', msisdn: '+79990000005' },
};

describe('call-centre console in a browser', { skip: ready ? false : `needs ${CHROMIUM} and a built site (npm run build)` }, () => {
  let app: VoiceApp;
  let server: FastifyInstance;
  let url: string;
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [sqlite] = storeKinds();
    if (!sqlite) throw new Error('no store');
    app = withVoice(await openTestApp(sqlite));
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
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T|pressed_0|asked_for_agent|caller asked for an agent|end_of_period|CHECKLIST_|CALL_|phone_agent|\{\w+\}/, `no ISO instant, raw code or unfilled placeholder on ${name}`);
  }

  for (const lang of ['ru', 'en', 'zh'] as const) {
    test(`a call agent takes a caller from the queue and cancels their line, in ${lang}`, async () => {
      const t = STAFF_TEXTS[lang];
      const caller = CALLER[lang];
      // Someone else waits too (a callback in another language), so the queue shows more than one caller.
      const other = lang === 'ru' ? 'en' : 'ru';
      await enqueueForAgent(app, { kind: 'callback', callSid: null, language: other, callerNumber: CALLER[other].msisdn, customerId: CALLER[other].customerId, lineId: CALLER[other].lineId, verified: { caller: true, secret: 'pin', smsCode: true }, reason: 'debt: caller asked to be called back' });
      app.clock.advanceHours(0.05);
      // The caller rings the hotline, picks the language, passes the document digits and the SMS code, then presses 0.
      const call = new PhoneCall(server, app, caller.msisdn);
      await call.start();
      await call.press(({ ru: '1', en: '2', zh: '3' } as const)[lang]);
      const doc = await app.store.db.selectFrom('customers').select('doc_last4').where('id', '=', caller.customerId).executeTakeFirstOrThrow();
      await call.press(doc.doc_last4 ?? '');
      const callRow = () => app.store.db.selectFrom('calls').selectAll().where('call_sid', '=', call.sid).executeTakeFirstOrThrow();
      await call.press(await codeFromOutbox(app, (await callRow()).id));
      await call.press('0');
      assert.equal(call.last?.enqueued, `agents-${lang}`);
      const entry = { id: (await callRow()).agent_entry_id as string };
      assert.ok(entry.id, 'the call is in the agent queue');
      app.clock.advanceHours(0.07);

      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1200, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/staff/`);
      await page.getByRole('textbox', { name: t['signIn.login'] }).fill('callcentre');
      await page.getByLabel(t['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: t['signIn.submit'] }).click();
      await page.getByRole('heading', { name: t['calls.title'], level: 1 }).waitFor();
      const row = page.locator(`tr[data-entry="${entry.id}"]`);
      await row.waitFor();
      assert.ok((await row.innerText()).includes(t['reason.asked_for_agent']));
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await check(page, `console-${lang}-01-queue`);
      if (lang === 'ru') {
        // The list refreshes by itself: a caller who joins now shows up without a reload.
        const late = await enqueueForAgent(app, { kind: 'call', callSid: 'CA-browser-late', language: 'zh', callerNumber: '+14155550100', customerId: null, lineId: null, verified: { caller: false, secret: null, smsCode: false }, reason: 'wrong inputs' });
        await page.locator(`tr[data-entry="${late.id}"]`).waitFor({ timeout: 15_000 });
        assert.ok((await page.locator(`tr[data-entry="${late.id}"]`).innerText()).includes(t['reason.wrong_input']));
      }

      await row.getByRole('button', { name: t['calls.take'] }).click();
      await page.getByRole('heading', { name: t['call.title.call'], level: 1 }).waitFor();
      await page.getByRole('heading', { name: t['call.customer.title'] }).waitFor();
      await page.getByText(t['call.verified.secret.document']).waitFor();
      const customerName = (await app.store.db.selectFrom('customers').select('name').where('id', '=', caller.customerId).executeTakeFirstOrThrow()).name;
      await page.getByText(customerName, { exact: true }).waitFor();
      await page.getByLabel(t['call.preview.end_of_period']).check();
      await page.getByRole('heading', { name: t['call.preview.title'].replace('{number}', formatsFor(lang, 'Europe/Moscow').phone(caller.msisdn)) }).waitFor();
      await check(page, `console-${lang}-02-held`);

      // The checklist first: without every item ticked nothing is cancelled and the agent is told why.
      await page.getByRole('button', { name: t['call.cancel'] }).click();
      await page.getByRole('alert').waitFor();
      for (const item of ['identityConfirmed', 'callerConsents', 'toldMoney', 'toldData', 'toldReclaimPeriod'] as const) await page.getByLabel(t[`checklist.${item}`]).check();
      await check(page, `console-${lang}-03-checklist`);
      await page.getByRole('button', { name: t['call.cancel'] }).click();
      const done = page.getByRole('status');
      await done.waitFor();
      const order = await app.store.db.selectFrom('terminations').select(['reference', 'channel', 'state', 'requested_by_id']).where('line_id', '=', caller.lineId).executeTakeFirstOrThrow();
      assert.deepEqual([order.channel, order.state, order.requested_by_id], ['phone_agent', 'scheduled', 'stf_callcentre']);
      assert.ok((await done.innerText()).includes(order.reference));
      await check(page, `console-${lang}-04-cancelled`);

      await page.getByLabel(t['call.finish.outcome']).selectOption('line_cancelled');
      await page.getByRole('button', { name: t['call.finish'] }).last().click();
      await page.getByText(t['calls.finished']).waitFor();
      await check(page, `console-${lang}-05-finished`);
      const row2 = await app.store.db.selectFrom('agent_queue').select(['state', 'outcome']).where('id', '=', entry.id).executeTakeFirstOrThrow();
      assert.deepEqual([row2.state, row2.outcome], ['finished', 'line_cancelled']);
      if (lang === 'en') {
        // The agent's own language, whatever the browser's: the switch in the header.
        await page.locator('header.top select').selectOption('zh');
        await page.getByRole('heading', { name: STAFF_TEXTS.zh['calls.title'], level: 1 }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
      }
      await context.close();
    });
  }

  for (const lang of ['ru', 'zh'] as const) {
    test(`the back office sees the call centre's figures, in ${lang}`, async () => {
      const t = STAFF_TEXTS[lang];
      const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1200, height: 800 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${url}/staff/`);
      await page.getByRole('textbox', { name: t['signIn.login'] }).fill('backoffice');
      await page.getByLabel(t['signIn.password']).fill('demo1234');
      await page.getByRole('button', { name: t['signIn.submit'] }).click();
      await page.getByRole('heading', { name: t['figures.title'] }).waitFor();
      const text = await page.locator('#figures-title').locator('..').innerText();
      assert.ok(text.includes(t['outcome.line_cancelled']), text);
      // The menu's share: the calls that rang the hotline in this file, some finished by an agent.
      assert.ok(text.includes(t['figures.menuShare'].split('{')[0] as string), text);
      assert.match(text, /\d+\s?%/);
      await check(page, `console-${lang}-06-figures`);
      await context.close();
    });
  }
});
