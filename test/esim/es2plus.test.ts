// ES2+ against a stand-in SM-DP+ over mutual TLS (certificates from a CA made here): an ended line's eSIM
// profile not yet downloaded is cancelled with the ES2+ header and body, the SM-DP+'s status (not the HTTP code)
// decides, only what can pass later is retried; the SM-DP+'s delete notification of a profile on a device closes
// the eSIM step and tells the former holder the place on the device is free.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { es2plusEsim, type Es2plusConfig } from '../../src/adapters/esim/es2plus-client.ts';
import { requestTerminations } from '../../src/app/request-terminations.ts';
import { buildEs2plusListener } from '../../src/channels/api/es2plus-listener.ts';
import type { Actor } from '../../src/domain/channels.ts';
import { runWorker } from '../../src/jobs/worker.ts';
import { seed } from '../../src/seed/seed.ts';
import { openTestApp, storeKinds, type TestApp } from '../support/stores.ts';
import { fakeSmdp } from './support/smdp.ts';
import { type Pem, testPki } from './support/pki.ts';

const pki = testPki();
after(() => pki.remove());
// Our CA signs our client certificate (to the SM-DP+) and our listener's server certificate; the SM-DP+'s CA
// signs its server certificate and the client certificate it posts notifications with.
const operatorCa = pki.ca('operator test CA');
const smdpCa = pki.ca('SMDP test CA');
const ourClient = operatorCa.issue('simexit', 'client');
const listenerCert = operatorCa.issue('simexit es2 listener', 'server');
const smdpServer = smdpCa.issue('smdp.test', 'server');
const smdpClient = smdpCa.issue('smdp.test notifications', 'client');
const stranger = pki.ca('a stranger').issue('not the SM-DP+', 'client');
// Signed by the same CA as the SM-DP+'s (as the GSMA CI signs every SM-DP+'s), but another party's.
const otherSmdp = smdpCa.issue('another smdp', 'client');

const REQUESTER = '1.3.6.1.4.1.99999.7';
const operator: Actor = { kind: 'staff', id: 'stf_backoffice', channel: 'bulk' };
const config = (url: string): Es2plusConfig => ({ url, functionRequesterIdentifier: REQUESTER, clientCert: ourClient.cert, clientKey: ourClient.key, ca: smdpCa.cert, timeoutMs: 500 });

async function harness(kind: ReturnType<typeof storeKinds>[number]) {
  const smdp = await fakeSmdp(smdpServer, operatorCa.cert);
  const warnings: string[] = [];
  const esim = es2plusEsim(config(smdp.url), (iccid, w) => warnings.push(`${iccid} ${w}`));
  const app = await openTestApp(kind, { adapters: { esim } });
  await seed(app, { customers: 12, seed: 5 });
  return {
    app,
    smdp,
    warnings,
    close: async () => {
      esim.close();
      await smdp.close();
      await app.close();
    },
  };
}

/** An active eSIM line whose profile is put in `state`, its holder reachable by e-mail. */
async function esimLine(app: TestApp, state: string, skip = 0) {
  const line = await app.store.db.selectFrom('lines').select(['id', 'msisdn', 'iccid', 'customer_id']).where('sim_type', '=', 'esim').where('state', '=', 'active').orderBy('msisdn').offset(skip).limit(1).executeTakeFirstOrThrow();
  const eid = '89049032000000000000000000001234';
  await app.store.db.updateTable('esim_profiles').set({ state, eid, matching_id: 'QR-TEST-0001' }).where('iccid', '=', line.iccid).execute();
  await app.store.db.updateTable('customers').set({ email: `holder-${line.customer_id}@example.test` }).where('id', '=', line.customer_id).execute();
  return { lineId: line.id, msisdn: line.msisdn, iccid: line.iccid, eid, customerId: line.customer_id };
}

async function endLine(app: TestApp, msisdn: string): Promise<string> {
  const [outcome] = await requestTerminations(app, [{ msisdn, channel: 'bulk', authority: 'operator', actor: operator, effective: { mode: 'now' }, confirmNow: true }]);
  assert.equal(outcome?.kind, 'created', JSON.stringify(outcome));
  return (outcome as { termination: { reference: string } }).termination.reference;
}

const run = (app: TestApp) => runWorker(app, { untilIdle: true, deliver: false });
const orderOf = (app: TestApp, reference: string) => app.store.db.selectFrom('terminations').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
const profileOf = (app: TestApp, iccid: string) => app.store.db.selectFrom('esim_profiles').selectAll().where('iccid', '=', iccid).executeTakeFirstOrThrow();
const slotFreeMessages = (app: TestApp) => app.store.db.selectFrom('notifications').selectAll().where('template', '=', 'esim.slot_free').execute();

async function listener(app: TestApp, clientNames: string[] = []) {
  const log: string[] = [];
  const server = await buildEs2plusListener(
    app,
    { port: 0, host: '127.0.0.1', serverCert: listenerCert.cert, serverKey: listenerCert.key, clientCa: smdpCa.cert, clientNames, deletePoints: ['delete'], disablePoints: ['disable'] },
    { logStream: { write: (line) => void log.push(line) } },
  );
  await server.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.server.address() as AddressInfo).port;
  return { log, port, close: () => server.close() };
}

/** Posts a notification to the listener as the SM-DP+ does, with `client`'s certificate (none: null). */
function notify(port: number, client: Pem | null, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/gsma/rsp2/es2plus/handleDownloadProgressInfo', method: 'POST', ca: operatorCa.cert, ...(client ? { cert: client.cert, key: client.key } : {}), headers: { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const deleted = (iccid: string, eid: string, call = 'n-1', point: string | number = 'Delete') => ({
  header: { functionRequesterIdentifier: 'smdp.test', functionCallIdentifier: call },
  eid,
  iccid,
  profileType: 'consumer',
  timestamp: '2026-11-21T10:30:00Z',
  notificationPointId: point,
  notificationPointStatus: { status: 'Executed-Success' },
});

for (const kind of storeKinds()) {
  describe(`ES2+ with the SM-DP+ (${kind.name})`, () => {
    test('an ended line whose eSIM was never downloaded: the SM-DP+ receives cancelOrder with the ES2+ header, the profile becomes unavailable', async () => {
      const h = await harness(kind);
      try {
        const line = await esimLine(h.app, 'confirmed');
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        const order = await orderOf(h.app, reference);
        assert.equal(order.state, 'completed', order.last_error ?? '');
        assert.equal(h.smdp.calls.length, 1);
        const [call] = h.smdp.calls;
        assert.equal(call?.path, '/gsma/rsp2/es2plus/cancelOrder');
        assert.match(String(call?.headers['x-admin-protocol']), /^gsma\/rsp\/v2\.\d+\.\d+$/);
        assert.match(String(call?.headers['content-type']), /^application\/json/);
        assert.deepEqual(call?.body, {
          header: { functionRequesterIdentifier: REQUESTER, functionCallIdentifier: `${order.id}:sim.release` },
          iccid: line.iccid,
          eid: line.eid,
          matchingId: 'QR-TEST-0001',
          finalProfileStatusIndicator: 'Unavailable',
        });
        assert.equal((await profileOf(h.app, line.iccid)).state, 'unavailable', 'ICCIDs are not reused');
      } finally {
        await h.close();
      }
    });

    test('Executed-WithWarning is a cancellation done: the order completes, the warning is heard', async () => {
      const h = await harness(kind);
      try {
        const line = await esimLine(h.app, 'released');
        h.smdp.next({ status: 'Executed-WithWarning', subjectCode: '8.1.1', reasonCode: '3.8' });
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        assert.equal((await orderOf(h.app, reference)).state, 'completed');
        assert.equal((await profileOf(h.app, line.iccid)).state, 'unavailable');
        assert.deepEqual(h.warnings.map((w) => w.split(' ').slice(0, 2).join(' ')), [`${line.iccid} 8.1.1/3.8`]);
      } finally {
        await h.close();
      }
    });

    test('Failed with 8.2.1/3.9 (no such profile) is not retried: the order needs a person at once, with a stable code', async () => {
      const h = await harness(kind);
      try {
        const line = await esimLine(h.app, 'confirmed');
        h.smdp.answerByDefault({ status: 'Failed', subjectCode: '8.2.1', reasonCode: '3.9' });
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        h.app.clock.advanceHours(24);
        await run(h.app);
        const order = await orderOf(h.app, reference);
        assert.equal(order.state, 'needs_attention');
        assert.match(order.last_error ?? '', /^sim\.release: ESIM_PROFILE_NOT_FOUND: .*8\.2\.1\/3\.9/);
        assert.equal(h.smdp.calls.length, 1, 'asked once, never again');
        assert.equal((await profileOf(h.app, line.iccid)).state, 'confirmed', 'nothing recorded as cancelled');
      } finally {
        await h.close();
      }
    });

    for (const [label, first, code] of [
      ['Failed with a reason that may pass (8.1/4.2 execution error)', { status: 'Failed', subjectCode: '8.1', reasonCode: '4.2' }, 'ESIM_SMDP_FAILED'],
      ['Expired', { status: 'Expired' }, 'ESIM_FUNCTION_EXPIRED'],
      ['an HTTP 503', { http: 503 }, 'ESIM_SMDP_UNAVAILABLE'],
      ['no answer within the timeout', 'hang', 'ESIM_SMDP_UNAVAILABLE'],
    ] as const) {
      test(`${label} is retried later with the same functionCallIdentifier, and the order then completes`, async () => {
        const h = await harness(kind);
        try {
          const line = await esimLine(h.app, 'linked');
          h.smdp.next(first);
          const reference = await endLine(h.app, line.msisdn);
          await run(h.app);
          const waiting = await orderOf(h.app, reference);
          assert.equal(waiting.state, 'executing');
          assert.match(waiting.last_error ?? '', new RegExp(`^sim\\.release: ${code}`));
          h.app.clock.advanceHours(1);
          await run(h.app);
          const order = await orderOf(h.app, reference);
          assert.equal(order.state, 'completed', order.last_error ?? '');
          assert.equal(h.smdp.calls.length, 2);
          const keys = h.smdp.calls.map((c) => (c.body.header as { functionCallIdentifier: string }).functionCallIdentifier);
          assert.deepEqual(keys, [`${order.id}:sim.release`, `${order.id}:sim.release`]);
        } finally {
          await h.close();
        }
      });
    }

    test("a profile on the device: no call; the SM-DP+'s delete notification closes the step and tells the holder the place is free, once", async () => {
      const h = await harness(kind);
      const l = await listener(h.app);
      try {
        const line = await esimLine(h.app, 'enabled');
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        assert.equal((await orderOf(h.app, reference)).state, 'completed');
        assert.equal(h.smdp.calls.length, 0, 'a downloaded profile is not cancelled on the SM-DP+');
        assert.ok((await profileOf(h.app, line.iccid)).awaiting_device_deletion_since, 'awaiting the device');
        assert.equal(await notify(l.port, smdpClient, deleted(line.iccid, line.eid)), 204);
        const profile = await profileOf(h.app, line.iccid);
        assert.equal(profile.state, 'deleted');
        assert.equal(profile.awaiting_device_deletion_since, null);
        const messages = await slotFreeMessages(h.app);
        assert.deepEqual(messages.map((m) => [m.medium, m.address, m.customer_id]), [['email', `holder-${line.customerId}@example.test`, line.customerId]], 'by e-mail: the number is barred');
        assert.equal(JSON.parse(messages[0]?.payload ?? '{}').msisdn, line.msisdn);
        // The SM-DP+ was not sure we got it: the same notification again changes nothing.
        assert.equal(await notify(l.port, smdpClient, deleted(line.iccid, line.eid, 'n-2')), 204);
        assert.equal((await slotFreeMessages(h.app)).length, 1);
        assert.ok(l.log.some((s) => s.includes('"outcome":"duplicate"')), 'the repeat is logged');
        const audit = await h.app.store.db.selectFrom('audit_log').select(['from_state', 'to_state']).where('entity_type', '=', 'esim').where('entity_id', '=', line.iccid).execute();
        assert.deepEqual(audit.map((a) => [a.from_state, a.to_state]), [['enabled', 'deleted']]);
      } finally {
        await l.close();
        await h.close();
      }
    });

    test('a delete notification before the line is ended is kept; the later order makes no call and tells no one', async () => {
      const h = await harness(kind);
      const l = await listener(h.app);
      try {
        const line = await esimLine(h.app, 'installed');
        assert.equal(await notify(l.port, smdpClient, deleted(line.iccid, line.eid)), 204);
        assert.equal((await profileOf(h.app, line.iccid)).state, 'deleted');
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        const order = await orderOf(h.app, reference);
        assert.equal(order.state, 'completed');
        assert.match(order.steps, /esim already deleted/);
        assert.equal(h.smdp.calls.length, 0);
        assert.equal((await slotFreeMessages(h.app)).length, 0, 'the subscriber removed it; nothing to announce');
      } finally {
        await l.close();
        await h.close();
      }
    });

    test('unknown ICCIDs and other notification points are acknowledged and logged; bad client certificates are refused', async () => {
      const h = await harness(kind);
      const l = await listener(h.app);
      try {
        const line = await esimLine(h.app, 'enabled');
        assert.equal(await notify(l.port, smdpClient, deleted('89701999999999999999', line.eid)), 204);
        assert.ok(l.log.some((s) => s.includes('"outcome":"unknown"') && s.includes('89701999999999999999')), 'logged');
        assert.equal(await notify(l.port, smdpClient, deleted(line.iccid, line.eid, 'n-3', 3)), 204, 'BPP download: acknowledged');
        assert.equal((await profileOf(h.app, line.iccid)).state, 'enabled');
        assert.equal(await notify(l.port, smdpClient, { ...deleted(line.iccid, line.eid), iccid: 'DROP TABLE' }), 400);
        await assert.rejects(notify(l.port, stranger, deleted(line.iccid, line.eid)), 'a certificate from another CA: the handshake fails');
        await assert.rejects(notify(l.port, null, deleted(line.iccid, line.eid)), 'no certificate: the handshake fails');
        assert.equal((await profileOf(h.app, line.iccid)).state, 'enabled', 'nothing moved');
        // The handshake refusals never reach a route; the listener logs them all the same.
        const refusals = l.log.filter((s) => s.includes('"es2":"refused"') && s.includes('TLS handshake'));
        assert.ok(refusals.length >= 2, `each refused handshake is logged (${refusals.length}): ${l.log.join('')}`);
      } finally {
        await l.close();
        await h.close();
      }
    });

    test("with clientNames, a certificate the SM-DP+'s CA signed for someone else is refused (403, logged) and changes nothing", async () => {
      const h = await harness(kind);
      const l = await listener(h.app, ['smdp.test notifications']);
      try {
        const line = await esimLine(h.app, 'enabled');
        const reference = await endLine(h.app, line.msisdn);
        await run(h.app);
        assert.equal((await orderOf(h.app, reference)).state, 'completed');
        assert.equal(await notify(l.port, otherSmdp, deleted(line.iccid, line.eid)), 403);
        assert.ok(l.log.some((s) => s.includes('"es2":"refused"') && s.includes('clientNames') && s.includes('another smdp')), 'logged with the name it carried');
        assert.equal((await profileOf(h.app, line.iccid)).state, 'enabled', 'nothing moved');
        assert.equal((await slotFreeMessages(h.app)).length, 0, 'nobody told');
        assert.equal(await notify(l.port, smdpClient, deleted(line.iccid, line.eid)), 204, "the SM-DP+'s own certificate gets through");
        assert.equal((await profileOf(h.app, line.iccid)).state, 'deleted');
      } finally {
        await l.close();
        await h.close();
      }
    });
  });
}
