// The HTTP SMS provider's webhook (issue 14): signed over the raw body with SIMEXIT_SMS_INBOUND_SECRET, stored
// once per provider id, answered 202; a missing signature is 401, a wrong one 403, and neither stores anything.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { smsWebhookSignature } from '../../src/app/sms-webhook.ts';
import { openApi } from '../support/api.ts';
import { storeKinds } from '../support/stores.ts';
import { linesSpeaking, settle, smsTo } from './support.ts';

const URL = '/api/v1/sms/inbound';

for (const kind of storeKinds()) {
  describe(`inbound SMS webhook (${kind.name})`, () => {
    test('a signed JSON or form webhook is stored once and handled; unsigned, wrongly signed or unconfigured ones change nothing', async () => {
      const h = await openApi(kind);
      try {
        const count = async () => (await h.app.store.db.selectFrom('inbound_sms').select('id').execute()).length;
        const post = (payload: string, headers: Record<string, string>) => h.server.inject({ method: 'POST', url: URL, payload, headers });
        const [line] = await linesSpeaking(h.app, 'en');
        assert.ok(line);
        const json = JSON.stringify({ id: 'prov-1', from: line.msisdn, to: '3030', text: 'HELP' });

        const unconfigured = await post(json, { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature('x'.repeat(24), json) });
        assert.equal(unconfigured.statusCode, 403, 'without a secret nothing can be verified');

        const secret = randomBytes(24).toString('base64url');
        Object.assign(h.app, { smsInbound: { secret } });
        const missing = await post(json, { 'content-type': 'application/json' });
        assert.equal(missing.statusCode, 401, missing.body);
        assert.equal(missing.json().code, 'SMS_SIGNATURE_MISSING');
        const wrong = await post(json, { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(`${secret}x`, json) });
        assert.equal(wrong.statusCode, 403);
        assert.equal(wrong.json().code, 'SMS_SIGNATURE_INVALID');
        const tampered = await post(json.replace('HELP', 'STOP'), { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(secret, json) });
        assert.equal(tampered.statusCode, 403, 'the signature covers the body');
        assert.equal(await count(), 0, 'nothing stored');

        const good = await post(json, { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(secret, json) });
        assert.equal(good.statusCode, 202, good.body);
        assert.equal(good.json().duplicate, false);
        const again = await post(json, { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(secret, json).replace('sha256=', '') });
        assert.equal(again.statusCode, 202);
        assert.deepEqual(again.json(), { id: good.json().id, duplicate: true });
        const form = new URLSearchParams({ id: 'prov-2', from: line.msisdn, to: '3030', text: 'what is this' }).toString();
        const formed = await post(form, { 'content-type': 'application/x-www-form-urlencoded', 'x-simexit-signature': smsWebhookSignature(secret, form) });
        assert.equal(formed.statusCode, 202, formed.body);
        const bad = JSON.stringify({ id: 'prov-3', from: line.msisdn });
        assert.equal((await post(bad, { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(secret, bad) })).statusCode, 400);
        assert.equal(await count(), 2);

        await settle(h.app);
        const replies = (await smsTo(h.app, line.msisdn)).filter((m) => m.key.startsWith('sms.reply:'));
        assert.equal(replies.length, 2, 'HELP and the unknown text are both answered with help, once each');
        assert.ok(replies.every((m) => m.text.startsWith('To end your contract, text CANCEL')));
        const rows = await h.app.store.db.selectFrom('inbound_sms').select(['via', 'outcome']).orderBy('smsc_id').execute();
        assert.deepEqual(rows.map((r) => ({ ...r })), [{ via: 'http', outcome: 'help' }, { via: 'http', outcome: 'other' }]);
      } finally {
        await h.close();
      }
    });

    test('a provider that passes parts on: HELP in two parts, the second first and one sent twice, is one message with one reply', async () => {
      const h = await openApi(kind);
      try {
        const secret = randomBytes(24).toString('base64url');
        Object.assign(h.app, { smsInbound: { secret } });
        const [line] = await linesSpeaking(h.app, 'en');
        const [zh] = await linesSpeaking(h.app, 'zh');
        assert.ok(line && zh);
        const post = (fields: Record<string, unknown>) => {
          const json = JSON.stringify({ to: '3030', ...fields });
          return h.server.inject({ method: 'POST', url: URL, payload: json, headers: { 'content-type': 'application/json', 'x-simexit-signature': smsWebhookSignature(secret, json) } });
        };
        const second = await post({ id: 'prov-p2', from: line.msisdn, text: 'LP', part_ref: 7, part_total: 2, part_seq: 2 });
        assert.equal(second.statusCode, 202, second.body);
        await settle(h.app);
        assert.equal((await smsTo(h.app, line.msisdn)).length, 0, 'half a message gets no answer');
        const form = new URLSearchParams({ id: 'prov-p1', from: line.msisdn, to: '3030', text: 'HE', part_ref: '7', part_total: '2', part_seq: '1' }).toString();
        const first = await h.server.inject({ method: 'POST', url: URL, payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-simexit-signature': smsWebhookSignature(secret, form) } });
        assert.equal(first.statusCode, 202, first.body);
        const again = await post({ id: 'prov-p2', from: line.msisdn, text: 'LP', part_ref: 7, part_total: 2, part_seq: 2 });
        assert.deepEqual(again.json(), { id: second.json().id, duplicate: true });
        await settle(h.app);
        const replies = (await smsTo(h.app, line.msisdn)).filter((m) => m.key.startsWith('sms.reply:'));
        assert.equal(replies.length, 1);
        assert.ok(replies[0]?.text.startsWith('To end your contract, text CANCEL'));
        const rows = await h.app.store.db.selectFrom('inbound_sms').select(['text', 'outcome', 'via']).where('from_number', '=', line.msisdn).execute();
        assert.deepEqual(rows.map((r) => ({ ...r })), [{ text: 'HELP', outcome: 'help', via: 'http' }]);

        // Half a surrogate pair at the end of a part comes as a lone JSON escape; the joined text is whole.
        await post({ id: 'prov-zh-1', from: zh.msisdn, text: '帮助\ud83d', part_ref: 8, part_total: 2, part_seq: 1 });
        await post({ id: 'prov-zh-2', from: zh.msisdn, text: '\ude00', part_ref: 8, part_total: 2, part_seq: 2 });
        await settle(h.app);
        const joined = await h.app.store.db.selectFrom('inbound_sms').select('text').where('from_number', '=', zh.msisdn).execute();
        assert.deepEqual(joined.map((r) => r.text), ['帮助😀']);

        const incomplete = await post({ id: 'prov-bad', from: line.msisdn, text: 'x', part_ref: 9 });
        assert.equal(incomplete.statusCode, 400, 'the part fields come all three or none');
        const outOfRange = await post({ id: 'prov-bad', from: line.msisdn, text: 'x', part_ref: 9, part_total: 2, part_seq: 3 });
        assert.equal(outOfRange.statusCode, 400);
      } finally {
        await h.close();
      }
    });
  });
}
