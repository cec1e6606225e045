/**
 * The hotline's webhooks as the platform sends them: signatures (bad, missing, replayed → 403, nothing changes),
 * and a server restart in the middle of a call (a new application on the same store goes on where it was).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildServer } from '../../src/channels/api/server.ts';
import { demoMsisdn, seed } from '../../src/seed/seed.ts';
import { terminationByReference } from '../../src/store/terminations.repository.ts';
import { codeFromOutbox } from '../support/outbox.ts';
import { openTestApp, type StoreKind, storeKinds } from '../support/stores.ts';
import { PhoneCall, type VoiceApp, webhook, withVoice } from '../support/voice.ts';

/** The same store opened again, as a restarted server does. */
const sameStore = (kind: StoreKind): StoreKind => {
  const where = kind.fresh();
  return { name: kind.name, fresh: () => where };
};

for (const kind of storeKinds()) {
  describe(`hotline webhooks on ${kind.name}`, () => {
    test('a bad, missing or replayed signature gets 403 and changes nothing', async () => {
      const app = withVoice(await openTestApp(kind));
      await seed(app, { customers: 8, seed: 11 });
      const server = await buildServer(app, {});
      try {
        const params = { CallSid: 'CA00000000000000000000000000000001', From: demoMsisdn(1), To: '+74950000000', CallStatus: 'ringing' };
        const calls = () => app.store.db.selectFrom('calls').selectAll().execute();
        assert.equal((await webhook(server, app, '/voice/twiml/incoming', params, { signature: null })).status, 403, 'missing');
        assert.equal((await webhook(server, app, '/voice/twiml/incoming', params, { signature: 'bm90IGEgc2lnbmF0dXJl' })).status, 403, 'bad');
        const signedForOther = withVoice({ ...app });
        assert.equal((await webhook(server, signedForOther, '/voice/twiml/incoming', params)).status, 403, 'signed with another token');
        assert.deepEqual(await calls(), [], 'no call recorded');

        const first = await webhook(server, app, '/voice/twiml/incoming', params);
        assert.equal(first.status, 200);
        assert.match(first.xml, /^<\?xml version="1.0" encoding="UTF-8"\?><Response>/);
        const before = await calls();
        const again = await webhook(server, app, '/voice/twiml/incoming', params);
        assert.equal(again.status, 403, 'replayed');
        assert.doesNotMatch(again.xml, /"code"/, 'TwiML, never JSON');
        const keys = await webhook(server, app, '/voice/twiml/gather?turn=1', { ...params, Digits: '2' }, { signature: 'AAAA' });
        assert.equal(keys.status, 403);
        assert.deepEqual(await calls(), before, 'nothing moved');

        const unknownCall = await webhook(server, app, '/voice/twiml/gather?turn=1', { CallSid: 'CAnot-a-call', Digits: '1' });
        assert.equal(unknownCall.status, 404);
        assert.match(unknownCall.xml, /<Enqueue[^>]*>agents-ru<\/Enqueue>/, 'an error is a polite sentence and a hand-over, in TwiML');
        const noSid = await webhook(server, app, '/voice/twiml/incoming', { From: demoMsisdn(1) });
        assert.equal(noSid.status, 400);
        assert.match(noSid.said.join(' '), /техническая неполадка/);
      } finally {
        await server.close();
        await app.close();
      }
    });

    test('a refused webhook leaves a log line saying why, without the signature', async () => {
      const app = withVoice(await openTestApp(kind));
      const lines: string[] = [];
      const server = await buildServer(app, { logger: true, logStream: { write: (line: string) => void lines.push(line) } });
      try {
        const params = { CallSid: 'CA00000000000000000000000000000002', From: '+79990000001' };
        assert.equal((await webhook(server, app, '/voice/twiml/incoming', params, { signature: 'Zm9yZ2Vk' })).status, 403);
        assert.equal((await webhook(server, app, '/voice/twiml/incoming', params, { signature: null })).status, 403);
        const refused = lines.map((l) => JSON.parse(l) as { msg?: string; why?: string; callSid?: string }).filter((l) => l.msg === 'voice webhook refused');
        assert.deepEqual(refused.map((l) => [l.why, l.callSid]), [['bad signature', params.CallSid], ['no signature', params.CallSid]]);
        assert.ok(!lines.join('').includes('Zm9yZ2Vk'), 'the signature itself is not logged');
      } finally {
        await server.close();
        await app.close();
      }
    });

    test('without a configured voice platform every webhook is refused', async () => {
      const app = await openTestApp(kind);
      const server = await buildServer(app, {});
      try {
        const r = await server.inject({ method: 'POST', url: '/voice/twiml/incoming', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, payload: 'CallSid=CA1&From=%2B79990000001' });
        assert.equal(r.statusCode, 403);
        assert.match(String(r.headers['content-type']), /text\/xml/);
      } finally {
        await server.close();
        await app.close();
      }
    });

    test('a server restart in the middle of a call loses nothing: the next webhook reaches a new process', async () => {
      const store = sameStore(kind);
      const one = withVoice(await openTestApp(store));
      await seed(one, { customers: 8, seed: 11 });
      const first = await buildServer(one, {});
      const msisdn = demoMsisdn(4);
      const call = new PhoneCall(first, one, msisdn);
      await call.start();
      await call.press('1');
      const digits = (await one.store.db.selectFrom('customers').select('doc_last4').where('id', '=', 'cus_00000004').executeTakeFirstOrThrow()).doc_last4 ?? '';
      await call.press(digits);
      await first.close();
      await one.close();

      // The same installation (its secrets and platform token), a new process on the same store.
      const opened = await openTestApp(store);
      const two: VoiceApp = Object.assign(opened, { secrets: one.secrets, voice: one.voice });
      const second = await buildServer(two, {});
      try {
        call.useServer(second);
        const id = (await two.store.db.selectFrom('calls').select('id').where('call_sid', '=', call.sid).executeTakeFirstOrThrow()).id;
        await call.press(await codeFromOutbox(two, id));
        assert.match(call.said(), /нажмите 1/);
        await call.press('1');
        await call.press('1');
        const row = await two.store.db.selectFrom('calls').selectAll().where('call_sid', '=', call.sid).executeTakeFirstOrThrow();
        assert.equal(row.outcome, 'completed_in_menu');
        assert.equal((await terminationByReference(two.store.db, row.reference ?? ''))?.state, 'scheduled');
      } finally {
        await second.close();
        await two.close();
      }
    });
  });
}
