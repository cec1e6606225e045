// A number reclaimed onto a new eSIM gets a real profile: after the reclaim commits, a job orders it from the
// SM-DP+ (ES2+ DownloadOrder, then ConfirmOrder with releaseFlag true, over mutual TLS), keeps the activation code
// `LPA:1$<SM-DP+>$<matching id>` on the profile and e-mails it as text and as a QR code. A refusal ends on the dead
// list, a moment's trouble is retried; the built-in (demo) SM-DP+ gives a code too. The matching id is simexit's
// own (a keyed hash of the job's key), so a try after an answer lost on the way back completes with the code the
// SM-DP+ already released the profile under, and sends it once.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type Es2plusConfig, es2plusEsim } from '../../src/adapters/esim/es2plus-client.ts';
import { matchingIdFor } from '../../src/app/esim-prepare.ts';
import { reclaimNumber } from '../../src/app/inventory-actions.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import type { Actor } from '../../src/domain/channels.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { deliverersFor } from '../../src/notifications/deliver.ts';
import { activationQrPng } from '../../src/notifications/esim-qr.ts';
import { seed } from '../../src/seed/seed.ts';
import { listDeadJobs } from '../../src/store/jobs.repository.ts';
import { startSmtpPeer } from '../notifications/support/peers.ts';
import { openTestApp, type StoreKind, storeKinds, type TestApp } from '../support/stores.ts';
import { fakeSmdp, SMDP_ADDRESS } from './support/smdp.ts';
import { testPki } from './support/pki.ts';

const pki = testPki();
after(() => pki.remove());
const operatorCa = pki.ca('operator test CA');
const smdpCa = pki.ca('SMDP test CA');
const ourClient = operatorCa.issue('simexit', 'client');
const smdpServer = smdpCa.issue('smdp.test', 'server');
const operator: Actor = { kind: 'staff', id: 'stf_backoffice', channel: 'bulk' };

/** An active SIM line ended now, its number in quarantine and its holder reachable by e-mail: ready to reclaim. */
async function quarantinedNumber(app: TestApp, skip = 0) {
  const line = await app.store.db.selectFrom('lines').select(['msisdn', 'customer_id']).where('sim_type', '=', 'sim').where('state', '=', 'active').orderBy('msisdn').offset(skip).limit(1).executeTakeFirstOrThrow();
  await app.store.db.updateTable('customers').set({ email: `holder-${line.customer_id}@example.test` }).where('id', '=', line.customer_id).execute();
  const [outcome] = await requestTerminations(app, [{ msisdn: line.msisdn, channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true }]);
  assert.equal(outcome?.kind, 'created', JSON.stringify(outcome));
  await runWorker(app, { untilIdle: true, deliver: false });
  const number = await app.store.db.selectFrom('numbers').select(['state']).where('msisdn', '=', line.msisdn).executeTakeFirstOrThrow();
  assert.equal(number.state, 'quarantined');
  return { msisdn: line.msisdn, customerId: line.customer_id };
}

const reclaimOntoEsim = (app: TestApp, n: { msisdn: string; customerId: string }) =>
  reclaimNumber(app, { msisdn: n.msisdn, customerId: n.customerId, simType: 'esim', channel: 'web', actor: { kind: 'customer', id: n.customerId, channel: 'web' } });
const profileOf = (app: TestApp, iccid: string) => app.store.db.selectFrom('esim_profiles').selectAll().where('iccid', '=', iccid).executeTakeFirstOrThrow();
const ourMatchingId = (app: TestApp, iccid: string) => matchingIdFor(app.secrets.documentKey, `esim.prepare:${iccid}`);
const jobOf = (app: TestApp, iccid: string) => app.store.db.selectFrom('jobs').selectAll().where('key', '=', `esim.prepare:${iccid}`).executeTakeFirstOrThrow();
const activationMails = (app: TestApp, iccid: string) => app.store.db.selectFrom('notifications').selectAll().where('template', '=', 'esim.activation').where('key', 'like', `${iccid}:%`).execute();

type Smdp = Awaited<ReturnType<typeof fakeSmdp>>;
type SmtpPeer = Awaited<ReturnType<typeof startSmtpPeer>>;

/**
 * The test SM-DP+ (mutual TLS, this file's CAs), our ES2+ adapter pointed at it (`config` on top of the defaults),
 * an installation using that adapter, seeded, and an SMTP peer: `run` with them, everything closed after.
 */
async function withSmdp(kind: StoreKind, config: Partial<Es2plusConfig>, run: (peers: { smdp: Smdp; app: TestApp; smtp: SmtpPeer }) => Promise<void>): Promise<void> {
  const smdp = await fakeSmdp(smdpServer, operatorCa.cert);
  const esim = es2plusEsim({ url: smdp.url, functionRequesterIdentifier: 'op', clientCert: ourClient.cert, clientKey: ourClient.key, ca: smdpCa.cert, timeoutMs: 500, ...config });
  const app = await openTestApp(kind, { adapters: { esim } });
  const smtp = await startSmtpPeer();
  try {
    await seed(app, { customers: 12, seed: 5 });
    await run({ smdp, app, smtp });
  } finally {
    esim.close();
    await smtp.close();
    await smdp.close();
    await app.close();
  }
}

test('the matching id: the same for a key on every try, another for another key or installation, as SGP.22 §4.1 allows', () => {
  const a = matchingIdFor('installation-secret-one', 'esim.prepare:8901000000000000001');
  assert.match(a, /^[A-Z2-7]{5}(-[A-Z2-7]{5}){4}$/);
  assert.equal(matchingIdFor('installation-secret-one', 'esim.prepare:8901000000000000001'), a);
  assert.notEqual(matchingIdFor('installation-secret-one', 'esim.prepare:8901000000000000002'), a);
  assert.notEqual(matchingIdFor('installation-secret-two', 'esim.prepare:8901000000000000001'), a);
});

for (const kind of storeKinds()) {
  describe(`a reclaimed eSIM gets its profile on ${kind.name}`, () => {
    test('over ES2+: DownloadOrder then ConfirmOrder (released), the code kept and e-mailed with its QR code', async () => {
      await withSmdp(kind, { functionRequesterIdentifier: '1.3.6.1.4.1.99999.7', profileType: 'simexit-consumer' }, async ({ smdp, app, smtp }) => {
        const n = await quarantinedNumber(app);
        smdp.calls.length = 0;
        const line = await reclaimOntoEsim(app, n);
        assert.equal(smdp.calls.length, 0, 'nothing is asked of the SM-DP+ while the reclaim is being recorded');
        assert.equal((await profileOf(app, line.iccid)).activation_code, null);

        const deliverers = deliverersFor(app, { SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_OUTBOX: mkdtempSync(join(tmpdir(), 'simexit-esimqr-outbox-')) });
        await runWorker(app, { untilIdle: true, deliverers });
        await deliverers.close();

        assert.deepEqual(smdp.calls.map((c) => c.path), ['/gsma/rsp2/es2plus/downloadOrder', '/gsma/rsp2/es2plus/confirmOrder']);
        const [download, confirm] = smdp.calls;
        assert.deepEqual(download?.body, { header: { functionRequesterIdentifier: '1.3.6.1.4.1.99999.7', functionCallIdentifier: `esim.prepare:${line.iccid}:download` }, iccid: line.iccid, profileType: 'simexit-consumer' });
        const matchingId = ourMatchingId(app, line.iccid);
        assert.deepEqual(confirm?.body, { header: { functionRequesterIdentifier: '1.3.6.1.4.1.99999.7', functionCallIdentifier: `esim.prepare:${line.iccid}:confirm` }, iccid: line.iccid, matchingId, releaseFlag: true });

        const profile = await profileOf(app, line.iccid);
        assert.equal(profile.activation_code, `LPA:1$${SMDP_ADDRESS}$${matchingId}`);
        assert.equal(profile.matching_id, matchingId);
        assert.equal(profile.smdp_address, SMDP_ADDRESS);

        const mail = smtp.received.find((m) => m.attachments.some((a) => a.filename === 'esim-qr.png'));
        assert.ok(mail, `received: ${smtp.received.map((m) => m.subject).join(' | ')}`);
        assert.equal(mail.to && 'text' in mail.to ? mail.to.text : '', `holder-${n.customerId}@example.test`);
        assert.ok(mail.text?.includes(`LPA:1$${SMDP_ADDRESS}$${matchingId}`), 'the code is in the text, to type in by hand');
        const png = mail.attachments.find((a) => a.filename === 'esim-qr.png');
        assert.equal(png?.contentType, 'image/png');
        assert.deepEqual([...(png?.content as Buffer).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
        assert.ok((png?.content as Buffer).equals(await activationQrPng(`LPA:1$${SMDP_ADDRESS}$${matchingId}`)), "the QR code is this profile's activation code");

        // A second run (a lease that ran out) asks nothing more and sends nothing more.
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.equal(smdp.calls.length, 2);
        assert.equal((await activationMails(app, line.iccid)).length, 1);
      });
    });

    test('a refusal goes to the dead list at once; a busy SM-DP+ is asked again later', async () => {
      await withSmdp(kind, {}, async ({ smdp, app }) => {
        const refused = await quarantinedNumber(app, 0);
        const busy = await quarantinedNumber(app, 1);
        smdp.calls.length = 0;
        const refusedLine = await reclaimOntoEsim(app, refused);
        // ICCIDs are taken in order, so the first DownloadOrder is the refused line's.
        smdp.next({ status: 'Failed', subjectCode: '8.2.1', reasonCode: '3.9' });
        await runWorker(app, { untilIdle: true, deliver: false });
        const dead = await listDeadJobs(app.store.db, { kind: 'esim.prepare' });
        assert.equal(dead.length, 1);
        assert.match(dead[0]?.lastError ?? '', /ESIM_PROFILE_NOT_FOUND/);
        assert.equal(smdp.calls.length, 1, 'no ConfirmOrder for a refused order');
        assert.equal((await profileOf(app, refusedLine.iccid)).activation_code, null);

        const busyLine = await reclaimOntoEsim(app, busy);
        smdp.next({ http: 503 });
        await runWorker(app, { untilIdle: true, deliver: false });
        const job = await app.store.db.selectFrom('jobs').selectAll().where('key', '=', `esim.prepare:${busyLine.iccid}`).executeTakeFirstOrThrow();
        assert.equal(job.state, 'queued', 'kept for a later try');
        assert.match(job.last_error ?? '', /ESIM_SMDP_UNAVAILABLE/);
        app.clock.advanceDays(1);
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.equal((await profileOf(app, busyLine.iccid)).activation_code, `LPA:1$${SMDP_ADDRESS}$${ourMatchingId(app, busyLine.iccid)}`);
        assert.equal((await activationMails(app, busyLine.iccid)).length, 1);
      });
    });

    test("ConfirmOrder carried out but its answer lost: the retry recognises its own matching id and completes, one e-mail with the code", async () => {
      await withSmdp(kind, { smdpAddress: SMDP_ADDRESS }, async ({ smdp, app, smtp }) => {
        const n = await quarantinedNumber(app);
        smdp.calls.length = 0;
        const line = await reclaimOntoEsim(app, n);
        const matchingId = ourMatchingId(app, line.iccid);
        const code = `LPA:1$${SMDP_ADDRESS}$${matchingId}`;
        smdp.next({ status: 'Executed-Success' }, 'lose');
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.deepEqual(smdp.profiles.get(line.iccid), { state: 'released', matchingId, confirmations: 1 }, 'the SM-DP+ did the work');
        const job = await jobOf(app, line.iccid);
        assert.equal(job.state, 'queued', 'we never heard: kept for a later try');
        assert.match(job.last_error ?? '', /ESIM_SMDP_UNAVAILABLE/);
        assert.equal((await profileOf(app, line.iccid)).activation_code, null);
        assert.equal((await activationMails(app, line.iccid)).length, 0);

        app.clock.advanceDays(1);
        const deliverers = deliverersFor(app, { SIMEXIT_SMTP_URL: smtp.url, SIMEXIT_OUTBOX: mkdtempSync(join(tmpdir(), 'simexit-esimlost-outbox-')) });
        await runWorker(app, { untilIdle: true, deliverers });
        await deliverers.close();

        const fns = smdp.calls.map((c) => c.path.split('/').pop());
        assert.deepEqual(fns, ['downloadOrder', 'confirmOrder', 'downloadOrder', 'confirmOrder']);
        assert.equal(smdp.calls[3]?.body.matchingId, matchingId, 'the repeat asks for the same matching id');
        assert.equal(smdp.profiles.get(line.iccid)?.confirmations, 1, 'the SM-DP+ confirmed the profile once');
        assert.equal((await jobOf(app, line.iccid)).state, 'done');
        const profile = await profileOf(app, line.iccid);
        assert.equal(profile.activation_code, code);
        assert.equal(profile.matching_id, matchingId);
        assert.equal((await activationMails(app, line.iccid)).length, 1);
        const mails = smtp.received.filter((m) => m.attachments.some((a) => a.filename === 'esim-qr.png'));
        assert.equal(mails.length, 1, `received: ${smtp.received.map((m) => m.subject).join(' | ')}`);
        assert.ok(mails[0]?.text?.includes(code), 'the code the profile was released under');
        assert.ok((mails[0]?.attachments.find((a) => a.filename === 'esim-qr.png')?.content as Buffer).equals(await activationQrPng(code)));
      });
    });

    test("DownloadOrder carried out but its answer lost: the retry meets 'ICCID already in use', confirms and completes", async () => {
      await withSmdp(kind, {}, async ({ smdp, app }) => {
        const n = await quarantinedNumber(app);
        smdp.calls.length = 0;
        const line = await reclaimOntoEsim(app, n);
        smdp.next('lose');
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.equal(smdp.profiles.get(line.iccid)?.state, 'allocated');
        assert.equal((await jobOf(app, line.iccid)).state, 'queued');
        app.clock.advanceDays(1);
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.deepEqual(smdp.calls.map((c) => c.path.split('/').pop()), ['downloadOrder', 'downloadOrder', 'confirmOrder']);
        const matchingId = ourMatchingId(app, line.iccid);
        assert.deepEqual(smdp.profiles.get(line.iccid), { state: 'released', matchingId, confirmations: 1 });
        assert.equal((await jobOf(app, line.iccid)).state, 'done');
        assert.equal((await profileOf(app, line.iccid)).activation_code, `LPA:1$${SMDP_ADDRESS}$${matchingId}`);
        assert.equal((await activationMails(app, line.iccid)).length, 1);
      });
    });

    test("a profile released under another order's matching id is a refusal: dead list, no code, no e-mail", async () => {
      await withSmdp(kind, {}, async ({ smdp, app }) => {
        const n = await quarantinedNumber(app);
        smdp.calls.length = 0;
        const line = await reclaimOntoEsim(app, n);
        smdp.profiles.set(line.iccid, { state: 'released', matchingId: 'SOMEONE-ELSES-ORDER', confirmations: 1 });
        await runWorker(app, { untilIdle: true, deliver: false });
        assert.deepEqual(smdp.calls.map((c) => c.path.split('/').pop()), ['downloadOrder', 'confirmOrder']);
        const dead = await listDeadJobs(app.store.db, { kind: 'esim.prepare' });
        assert.equal(dead.length, 1);
        assert.match(dead[0]?.lastError ?? '', /ESIM_ORDER_REFUSED.*8\.2\.1\/3\.5/);
        assert.deepEqual(smdp.profiles.get(line.iccid), { state: 'released', matchingId: 'SOMEONE-ELSES-ORDER', confirmations: 1 }, 'nothing changed on the SM-DP+');
        assert.equal((await profileOf(app, line.iccid)).activation_code, null);
        assert.equal((await activationMails(app, line.iccid)).length, 0);
      });
    });

    test('the built-in (demo) SM-DP+ gives a code that no device could reach', async () => {
      const app = await openTestApp(kind);
      try {
        await seed(app, { customers: 12, seed: 5 });
        const line = await reclaimOntoEsim(app, await quarantinedNumber(app));
        await runWorker(app, { untilIdle: true, deliver: false });
        const code = (await profileOf(app, line.iccid)).activation_code ?? '';
        assert.equal(code, `LPA:1$smdp.demo.simexit.invalid$${ourMatchingId(app, line.iccid)}`);
        const [mail] = await activationMails(app, line.iccid);
        assert.equal(mail?.medium, 'email');
      } finally {
        await app.close();
      }
    });
  });
}
