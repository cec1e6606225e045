// Certificates are made when first needed and kept, in worker threads; an operator's bulk order's e-mail links to
// the certificate instead of attaching it (policy certificates.bulkOrders, default link), a subscriber's still attaches.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { certificatePdf } from '../src/app/certificates.ts';
import { requestTerminations } from '../src/app/request-terminations.ts';
import { renderCertificate, verifyCertificateFile } from '../src/certificates/certificate-pdf.ts';
import type { CertificateFacts } from '../src/certificates/facts.ts';
import { ephemeralKeys } from '../src/certificates/keys.ts';
import { certificateRenderTotals, renderCertificateOffThread } from '../src/certificates/render-pool.ts';
import { CERTIFICATE_TEXTS } from '../src/certificates/texts.ts';
import { loadPolicy } from '../src/config/load-config.ts';
import { LANGUAGES } from '../src/domain/languages.ts';
import { certificateInEmail } from '../src/domain/policy.ts';
import { runWorker } from '../src/jobs/worker.ts';
import { deliverersFor } from '../src/notifications/deliver.ts';
import { render } from '../src/notifications/templates.ts';
import { seed } from '../src/seed/seed.ts';
import { startSmtpPeer, type SmtpPeer } from './notifications/support/peers.ts';
import { samplePayloads } from './notifications/support/samples.ts';
import { openTestApp, storeKinds, type TestApp } from './support/stores.ts';

const hasPoppler = existsSync('/usr/bin/pdftotext');

for (const kind of storeKinds()) {
  describe(`certificates made once, linked or attached (${kind.name})`, () => {
    let app: TestApp;
    let smtp: SmtpPeer;
    let subscriberOrder = '';
    let bulkOrder = '';
    before(async () => {
      app = await openTestApp(kind);
      await seed(app, { customers: 12, seed: 21 });
      smtp = await startSmtpPeer();
      // The holder of +79990000005 ends it in a shop (as in certificate.test.ts); the operator ends another line with
      // an e-mail address in bulk.
      const shopLine = '+79990000005';
      const lines = await app.store.db
        .selectFrom('lines')
        .innerJoin('customers', 'customers.id', 'lines.customer_id')
        .select(['lines.msisdn'])
        .where('customers.email', 'is not', null)
        .where('lines.state', '=', 'active')
        .where('lines.msisdn', '!=', shopLine)
        .orderBy('lines.msisdn')
        .execute();
      const bulkLine = lines.at(-1)?.msisdn as string;
      const [shop] = await requestTerminations(app, [{ msisdn: shopLine, channel: 'store', authority: 'subscriber', actor: { kind: 'staff', id: 'shop1', channel: 'store' }, effective: { mode: 'now' }, confirmNow: true, identityChecked: true }]);
      const [bulk] = await requestTerminations(app, [{ msisdn: bulkLine, channel: 'bulk', authority: 'operator', actor: { kind: 'staff', id: 'ops1', channel: 'bulk' }, effective: { mode: 'now' }, confirmNow: true }]);
      assert.equal(shop?.kind, 'created');
      assert.equal(bulk?.kind, 'created');
      subscriberOrder = shop?.kind === 'created' ? shop.termination.reference : '';
      bulkOrder = bulk?.kind === 'created' ? bulk.termination.reference : '';
      const deliverers = deliverersFor(app, { SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_OUTBOX: mkdtempSync(join(tmpdir(), 'simexit-cert-outbox-')) });
      await runWorker(app, { untilIdle: true, deliverers });
      await deliverers.close();
    });
    after(async () => {
      await smtp?.close();
      await app?.close();
    });

    const completedMail = (reference: string) => smtp.received.find((m) => m.subject?.includes(reference) && m.text?.includes(`/verify/${reference}`));
    const keptFiles = async (reference: string) =>
      (await app.store.db.selectFrom('certificate_files').select(['language', 'key_id']).where('reference', '=', reference).execute()).map((r) => ({ language: r.language, key_id: r.key_id }));

    test("a bulk order's e-mail says where to download the certificate and attaches nothing", async () => {
      const mail = completedMail(bulkOrder);
      assert.ok(mail, `received: ${smtp.received.map((m) => m.subject).join(' | ')}`);
      assert.equal(mail.attachments.length, 0);
      assert.ok(mail.text?.includes(`${app.policy.operator.siteUrl}/terminations/${bulkOrder}`), 'the order page, where the holder downloads the PDF');
      assert.ok(typeof mail.html === 'string' && mail.html.includes(`href="${app.policy.operator.siteUrl}/verify/${bulkOrder}"`), 'the public check page');
      assert.deepEqual(await keptFiles(bulkOrder), [], 'no PDF was made for it');
    });

    test("a subscriber's order still has the signed certificate attached, and the e-mail says so", async () => {
      const mail = completedMail(subscriberOrder);
      assert.ok(mail, `received: ${smtp.received.map((m) => m.subject).join(' | ')}`);
      const pdf = mail.attachments.find((a) => a.filename === `${subscriberOrder}.pdf`);
      assert.ok(pdf);
      assert.equal(verifyCertificateFile(pdf.content, app.keys!).ok, true);
      assert.ok(mail.text?.includes(`${subscriberOrder}.pdf`), 'the text names the attached file');
      assert.equal((await keptFiles(subscriberOrder)).length, 1, 'the PDF made for the e-mail is kept');
    });

    test('a certificate made once is served again without being made again', async () => {
      const first = certificateRenderTotals().rendered;
      const made = await certificatePdf(app, bulkOrder, 'en');
      assert.equal(certificateRenderTotals().rendered, first + 1, 'made on the first request');
      assert.deepEqual(await keptFiles(bulkOrder), [{ language: 'en', key_id: app.keys!.keyId }]);
      const again = await certificatePdf(app, bulkOrder, 'en');
      assert.equal(certificateRenderTotals().rendered, first + 1, 'read back, not made again');
      assert.ok(again.equals(made));
      assert.equal(verifyCertificateFile(again, app.keys!).ok, true);
    });

    test('a kept PDF signed with a key no longer in use is made again with the current one', async () => {
      const rotated = { ...app, keys: ephemeralKeys() };
      const before = certificateRenderTotals().rendered;
      const pdf = await certificatePdf(rotated, bulkOrder, 'en');
      assert.equal(certificateRenderTotals().rendered, before + 1);
      assert.equal(verifyCertificateFile(pdf, rotated.keys).ok, true);
      assert.deepEqual(await keptFiles(bulkOrder), [{ language: 'en', key_id: rotated.keys.keyId }]);
    });
  });
}

describe('certificates made in a worker thread', () => {
  const facts: CertificateFacts = {
    reference: 'TRM-7KQ2-9XW4',
    msisdn: '+79991234567',
    simType: 'sim',
    channel: 'bulk',
    requestedAt: '2026-11-21T10:00:00.000Z',
    effectiveAt: '2026-11-22T21:00:00.000Z',
    completedAt: '2026-11-22T21:00:05.000Z',
    amountSettled: 123450,
    amountRefunded: 5000,
    currency: 'RUB',
    quarantineUntil: null,
  };
  const keys = ephemeralKeys();
  const options = { operatorName: 'Demo Operator', siteUrl: 'http://localhost:8080', timeZone: 'Europe/Moscow', keys };

  for (const language of LANGUAGES) {
    test(`a PDF made in a thread is signed and shows the reference, with the texts in ${language} and the two other languages`, { skip: hasPoppler ? false : 'needs pdftotext (poppler-utils)' }, async () => {
      const pdf = await renderCertificateOffThread(facts, { ...options, language });
      assert.equal(verifyCertificateFile(pdf, keys).ok, true);
      // The same text as made on the event loop (the bytes may differ: each thread orders its font subset by what it has printed so far).
      const local = await renderCertificate(facts, { ...options, language });
      const localFile = join(mkdtempSync(join(tmpdir(), 'simexit-cert-local-')), 'certificate.pdf');
      writeFileSync(localFile, local);
      const file = join(mkdtempSync(join(tmpdir(), 'simexit-cert-thread-')), 'certificate.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.equal(text, execFileSync('pdftotext', ['-layout', localFile, '-'], { encoding: 'utf8' }));
      assert.match(text, /TRM-7KQ2-9XW4/);
      assert.ok(text.includes(CERTIFICATE_TEXTS[language].reference), `the ${language} labels`);
      for (const l of LANGUAGES) assert.ok(text.replace(/\s+/g, '').includes(CERTIFICATE_TEXTS[l].title.replace(/\s+/g, '')), `the title in ${l}`);
    });
  }

  test('many certificates at once all come back, each its own', async () => {
    const references = Array.from({ length: 12 }, (_, i) => `TRM-7KQ2-9X${String(i).padStart(2, '0')}`);
    const pdfs = await Promise.all(references.map((reference, i) => renderCertificateOffThread({ ...facts, reference }, { ...options, language: LANGUAGES[i % 3] ?? 'ru' })));
    pdfs.forEach((pdf, i) => {
      const check = verifyCertificateFile(pdf, keys);
      assert.equal(check.ok && check.facts.reference, references[i]);
    });
  });
});

describe('where the "completed" e-mail says the certificate is', () => {
  const policy = loadPolicy(undefined, { fallback: 'http://localhost:8080' });
  const payload = samplePayloads['termination.completed'];
  for (const language of LANGUAGES) {
    test(`in ${language}: attached names the file, a link names the order page and the public check`, () => {
      const attached = render('termination.completed', language, { ...payload, certificate: 'attached' }, policy);
      assert.ok(attached.text.includes(`${payload.reference}.pdf`));
      const linked = render('termination.completed', language, { ...payload, certificate: 'link' }, policy);
      assert.ok(!linked.text.includes(`${payload.reference}.pdf`));
      assert.ok(linked.text.includes(`http://localhost:8080/terminations/${payload.reference}`));
      assert.ok(linked.html.includes(`href="http://localhost:8080/verify/${payload.reference}"`));
      assert.ok(linked.text.includes('PDF'));
    });
  }
  test('the policy links for bulk orders by default and attaches for every other channel', () => {
    assert.equal(certificateInEmail(policy, 'bulk'), 'link');
    assert.equal(certificateInEmail({ certificates: { bulkOrders: 'attach' } }, 'bulk'), 'attach');
    for (const channel of ['web', 'app', 'store', 'phone_agent', 'sms', 'api']) assert.equal(certificateInEmail(policy, channel), 'attach');
  });
});
