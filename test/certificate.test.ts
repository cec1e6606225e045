// The signed termination certificate: PDF text in three languages, tamper detection offline and on the
// public page, the CLI, and the "completed" e-mail carrying it through a real SMTP server.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { verifyCertificateFile } from '../src/certificates/certificate-pdf.ts';
import { buildServer } from '../src/channels/api/server.ts';
import { deliverersFor } from '../src/notifications/deliver.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { seed } from '../src/seed/seed.ts';
import { startSmtpPeer, type SmtpPeer } from './notifications/support/peers.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const hasPoppler = existsSync('/usr/bin/pdftotext');
const bin = fileURLToPath(new URL('../bin/simexit', import.meta.url));
const shots = join(process.cwd(), 'test-results', 'certificate');

for (const kind of storeKinds()) {
  describe(`termination certificate on ${kind.name}`, () => {
    let app: TestApp;
    let server: FastifyInstance;
    let smtp: SmtpPeer;
    let reference = '';
    let token = '';
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 10, seed: 21 });
      smtp = await startSmtpPeer();
      const [outcome] = await requestTerminations(app, [{ msisdn: '+79990000005', channel: 'store', authority: 'subscriber', actor: { kind: 'staff', id: 'shop1', channel: 'store' }, effective: { mode: 'now' }, confirmNow: true, identityChecked: true }]);
      assert.equal(outcome?.kind, 'created');
      reference = outcome?.kind === 'created' ? outcome.termination.reference : '';
      const deliverers = deliverersFor(app, { SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_OUTBOX: mkdtempSync(join(tmpdir(), 'simexit-cert-outbox-')) });
      await runWorker(app, { untilIdle: true, deliverers });
      await deliverers.close();
      server = await buildServer(app);
      const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '+79990000005', password: 'demo1234' } });
      token = login.json().token;
    });
    after(async () => {
      await server?.close();
      await smtp?.close();
      await app?.close();
    });

    test('the "completed" e-mail arrives in the customer\'s language with the signed certificate attached', () => {
      const mail = smtp.received.find((m) => m.attachments.some((a) => a.filename === `${reference}.pdf`));
      assert.ok(mail, `received: ${smtp.received.map((m) => m.subject).join(' | ')}`);
      const pdf = mail.attachments.find((a) => a.filename === `${reference}.pdf`);
      assert.equal(pdf?.contentType, 'application/pdf');
      assert.equal(verifyCertificateFile(pdf?.content as Buffer, app.keys!).ok, true);
      assert.equal(mail.headers.get('content-language'), 'zh', 'customer 5 reads Chinese');
    });

    test('the PDF states the facts in Russian, English and Chinese, and its signature holds until a byte changes', { skip: hasPoppler ? false : 'needs pdftotext (poppler-utils)' }, async () => {
      const r = await server.inject({ method: 'GET', url: `/api/v1/terminations/${reference}/certificate.pdf`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/pdf');
      const dir = mkdtempSync(join(tmpdir(), 'simexit-cert-'));
      const file = join(dir, 'certificate.pdf');
      writeFileSync(file, r.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const phrase of ['注销证明', 'Справка о расторжении договора', 'Certificate of termination', reference, '+79990000005', 'RUB', '营业厅', 'салон связи']) assert.ok(text.includes(phrase), `the PDF says ${phrase}`);
      assert.ok(!text.includes('+7******0005'), 'the PDF the holder keeps proves which number ended: it is printed in full');
      execFileSync('mkdir', ['-p', shots]);
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, join(shots, `certificate-zh-${kind.name}`)]);
      assert.equal(verifyCertificateFile(r.rawPayload, app.keys!).ok, true);
      const changed = Buffer.from(r.rawPayload);
      const at = changed.indexOf('TRM-');
      changed[at + 4] = changed[at + 4] === 0x41 ? 0x42 : 0x41;
      const verdict = verifyCertificateFile(changed, app.keys!);
      assert.equal(verdict.ok, false);
    });

    test('the public page shows the facts and whether the signature holds, in the reader\'s language', async () => {
      const ok = await server.inject({ method: 'GET', url: `/verify/${reference}`, headers: { 'accept-language': 'ru' } });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /Подпись верна/);
      assert.match(ok.body, /\+7\*{6}0005/);
      assert.ok(!ok.body.includes('+79990000005'), 'the public page never shows the full number');
      await app.store.db.updateTable('certificates').set({ facts: (await app.store.db.selectFrom('certificates').select('facts').where('reference', '=', reference).executeTakeFirstOrThrow()).facts.replace('"amountRefunded":', '"amountRefunded":1') }).where('reference', '=', reference).execute();
      const bad = await server.inject({ method: 'GET', url: `/verify/${reference}`, headers: { 'accept-language': 'en' } });
      assert.equal(bad.statusCode, 409);
      assert.match(bad.body, /does NOT match/);
      const unknown = await server.inject({ method: 'GET', url: '/verify/TRM-0000-0000', headers: { 'accept-language': 'zh' } });
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /没有此编号的证明/);
    });

    test('on the public page the holder types the full number to see it confirmed; a wrong number gets the same shape, and checks are limited per address', async () => {
      const check = (msisdn: string, address = '198.51.100.7') => server.inject({ method: 'POST', url: `/verify/${reference}`, headers: { 'accept-language': 'en', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ msisdn }).toString(), remoteAddress: address });
      const shape = (body: string) => body.replace(/<p class="(ok|bad)" role="status" id="number-check">[^<]*<\/p>/, '<answer>');
      const right = await check('8 999 000-00-05');
      assert.match(right.body, /Confirmed: this certificate is for the number you typed/);
      assert.ok(!right.body.includes('+79990000005'), 'even confirmed, the page does not print the number');
      const wrong = await check('+79990000006');
      assert.match(wrong.body, /is not for the number you typed/);
      assert.equal(wrong.statusCode, right.statusCode);
      assert.equal(shape(wrong.body), shape(right.body), 'the same page apart from the answer');
      const nonsense = await check('not a number');
      assert.equal(shape(nonsense.body), shape(right.body));
      // A signed-in browser posting the plain form is not refused for CSRF: the page acts for no one.
      const withCookie = await server.inject({ method: 'POST', url: `/verify/${reference}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `simexit_session=${token}` }, payload: 'msisdn=%2B79990000005', remoteAddress: '198.51.100.8' });
      assert.match(withCookie.body, /Confirmed/);
      let last = wrong;
      for (let i = 0; i < 10; i++) last = await check(`+7999000${String(1000 + i)}`);
      assert.equal(last.statusCode, 429, 'guessing numbers is bounded per address');
      assert.match(last.body, /Too many checks/);
      assert.match((await check('+79990000005', '198.51.100.9')).body, /Confirmed/, 'another address is not held back');
    });

    test('someone else cannot download the certificate', async () => {
      const other = (await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { msisdn: '+79990000001', password: 'demo1234' } })).json().token;
      const r = await server.inject({ method: 'GET', url: `/api/v1/terminations/${reference}/certificate.pdf`, headers: { authorization: `Bearer ${other}` } });
      assert.equal(r.statusCode, 404);
    });
  });
}

describe('simexit certificate (command line)', () => {
  test('export writes the PDF; verify exits 0 on it and 1 once it is changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simexit-cert-cli-'));
    const env = { ...process.env, SIMEXIT_DB: `sqlite:${join(dir, 'cli.db')}`, SIMEXIT_DATA: dir, SIMEXIT_OUTBOX: join(dir, 'outbox'), SIMEXIT_DEMO: '1' };
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    assert.equal(run('migrate').status, 0);
    assert.equal(run('seed', '--customers', '5').status, 0);
    const order = JSON.parse(run('terminate', '--msisdn', '+79990000002', '--channel', 'api', '--json').stdout);
    assert.equal(run('worker', '--until-idle', '--no-deliver').status, 0);
    const file = join(dir, 'cert.pdf');
    const exported = run('certificate', 'export', order.reference, '--out', file, '--language', 'en');
    assert.equal(exported.status, 0, exported.stderr);
    const verified = run('certificate', 'verify', file);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, new RegExp(`valid: ${order.reference}`));
    const bytes = readFileSync(file);
    bytes[200] = bytes[200] === 0x20 ? 0x21 : 0x20;
    writeFileSync(file, bytes);
    const tampered = run('certificate', 'verify', file);
    assert.equal(tampered.status, 1);
    assert.match(tampered.stdout, /NOT VALID: the file was changed/);
  });
});
