// The HTTP provisioning gateway adapter against a gateway this test starts: the request is the operator's
// template with each value escaped for where it lands, the step's key is the transaction id and stays the same on
// a repeat, a SOAP Fault or a body that says no is a refusal with the gateway's own words, and a gateway that does
// not answer in time is a failure to retry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { networkAdapterFrom } from '../../src/adapters/network/select.ts';
import type { NetworkAdapter } from '../../src/adapters/ports.ts';
import { networkSettingsOf } from '../../src/config/integrations/network.ts';
import { CAI3G_FAULT, CAI3G_SET, type Gateway, startGateway } from '../support/gateway.ts';

const AT = '2026-11-21T10:00:00.000Z';
const KEY = '01JDORDER0000000000000000:network.bar';

const adapterFor = (part: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): NetworkAdapter => networkAdapterFrom(networkSettingsOf({ network: part }, {}, env));

describe('HTTP provisioning gateway', () => {
  let gw: Gateway;
  after(() => gw?.close());

  test('a JSON template is sent as written, each value JSON-escaped, with the key as transaction id and the token from the environment', async () => {
    gw = await startGateway();
    const hlr = adapterFor(
      {
        kind: 'http',
        url: `${gw.url}/subscribers/{{msisdn}}/barring`,
        method: 'PUT',
        headers: { 'X-Transaction-Id': '{{key}}', Authorization: { secret: { env: 'PG_TOKEN' }, prefix: 'Bearer ' } },
        body: { format: 'json', template: '{"transactionId":"{{key}}","msisdn":"{{msisdn}}","iccid":"{{iccid}}","barAt":"{{at}}","services":["voice","data"]}' },
      },
      { PG_TOKEN: 'tok-123' },
    );
    const answers = await hlr.bar([{ key: KEY, msisdn: '+79991234567', iccid: '8970"1\\x' }], AT);
    assert.deepEqual(answers, [{ ok: true }]);
    const [r] = gw.received;
    assert.equal(r?.method, 'PUT');
    assert.equal(r?.url, '/subscribers/%2B79991234567/barring');
    assert.equal(r?.body, `{"transactionId":"${KEY}","msisdn":"+79991234567","iccid":"8970\\"1\\\\x","barAt":"${AT}","services":["voice","data"]}`);
    assert.equal(JSON.parse(r?.body ?? '').iccid, '8970"1\\x', 'the gateway reads back exactly the value sent');
    assert.equal(r?.headers['x-transaction-id'], KEY);
    assert.equal(r?.headers.authorization, 'Bearer tok-123');
    assert.equal(r?.headers['content-type'], 'application/json');
    await gw.close();
  });

  test('a CAI3G SetSubscription carries the values XML-escaped; a CAI3G fault (HTTP 500) is a refusal with its words, for a person at once', async () => {
    gw = await startGateway((r) => (r.body.includes('79990000013') ? { status: 500, body: CAI3G_FAULT, type: 'text/xml' } : { status: 200, body: '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><SetResponse/></S:Body></S:Envelope>', type: 'text/xml' }));
    const hlr = adapterFor({ kind: 'http', url: `${gw.url}/cai3g`, headers: { SOAPAction: 'CAI3G#Set' }, body: { format: 'soap', template: CAI3G_SET } });
    const answers = await hlr.bar(
      [
        { key: KEY, msisdn: '79991234567', iccid: '8970<&01>"\'' },
        { key: 'ORDER2:network.bar', msisdn: '79990000013', iccid: '8970000013' },
      ],
      AT,
    );
    assert.deepEqual(answers[0], { ok: true });
    const sent = gw.received.find((r) => r.body.includes('79991234567'));
    assert.ok(sent);
    assert.equal(sent.body, CAI3G_SET.replaceAll('{{key}}', KEY).replaceAll('{{msisdn}}', '79991234567').replaceAll('{{iccid}}', '8970&lt;&amp;01&gt;&quot;&apos;').replaceAll('{{at}}', AT));
    assert.equal(sent.headers.soapaction, 'CAI3G#Set');
    assert.equal(sent.headers['content-type'], 'text/xml; charset=utf-8');
    const refused = answers[1];
    assert.ok(refused && !refused.ok);
    assert.equal(refused.permanent, true, 'retrying a refusal repeats it: the order goes to a person now');
    assert.match(refused.error, /refused.*SOAP Fault: Operation failed; 3006; 13; SUBSCRIBER NOT DEFINED/);
    assert.equal(gw.received.length, 2, 'a refusal is not repeated');
    await gw.close();
  });

  test('a gateway that is busy once is asked again with the identical request and key', async () => {
    gw = await startGateway((_, i) => (i === 0 ? { status: 503, body: 'busy' } : { status: 200, body: '{"result":"OK"}' }));
    const hlr = adapterFor({ kind: 'http', url: `${gw.url}/bar`, headers: { 'Idempotency-Key': '{{key}}' }, body: { format: 'json', template: '{"id":"{{key}}","msisdn":"{{msisdn}}"}' }, retryDelayMs: 10, success: { path: 'result', equals: 'OK' } });
    assert.deepEqual(await hlr.bar([{ key: KEY, msisdn: '79991234567', iccid: '1' }], AT), [{ ok: true }]);
    assert.equal(gw.received.length, 2);
    const [first, second] = gw.received;
    assert.equal(second?.body, first?.body);
    assert.equal(second?.headers['idempotency-key'], KEY);
    assert.equal(first?.headers['idempotency-key'], KEY);
    await gw.close();
  });

  test("a 2xx whose body says no is a refusal with the gateway's reason", async () => {
    gw = await startGateway(() => ({ status: 200, body: '{"result":"ERROR","error":{"text":"MSISDN 79991234567 is ported out"}}', type: 'application/json' }));
    const hlr = adapterFor({ kind: 'http', url: `${gw.url}/bar`, body: { format: 'json', template: '{"msisdn":"{{msisdn}}"}' }, success: { path: 'result', equals: 'OK', reasonPath: 'error.text' } });
    const [answer] = await hlr.bar([{ key: KEY, msisdn: '79991234567', iccid: '1' }], AT);
    assert.ok(answer && !answer.ok);
    assert.equal(answer.error, 'the gateway refused the barring (HTTP 200, result is "ERROR": MSISDN 79991234567 is ported out)');
    await gw.close();
  });

  test('a gateway that does not answer in time is a failure to retry, not a refusal, and the call does not wait longer', async () => {
    gw = await startGateway(() => 'hang');
    const hlr = adapterFor({ kind: 'http', url: `${gw.url}/bar`, body: { format: 'json', template: '{"msisdn":"{{msisdn}}"}' }, timeoutMs: 200, attempts: 2, retryDelayMs: 10 });
    const started = Date.now();
    const [answer] = await hlr.bar([{ key: KEY, msisdn: '79991234567', iccid: '1' }], AT);
    const took = Date.now() - started;
    assert.ok(answer && !answer.ok);
    assert.equal(answer.permanent, undefined);
    assert.equal(answer.error, 'the gateway is unavailable (no answer within 200 ms)');
    assert.equal(gw.received.length, 2, 'tried twice');
    assert.ok(took >= 400 && took < 2000, `took ${took} ms`);
    await gw.close();
  });

  test('a gateway that is down is unavailable (connection refused), to retry', async () => {
    gw = await startGateway();
    await gw.down();
    const hlr = adapterFor({ kind: 'http', url: `${gw.url}/bar`, body: { format: 'json', template: '{"msisdn":"{{msisdn}}"}' }, attempts: 1 });
    const [answer] = await hlr.bar([{ key: KEY, msisdn: '79991234567', iccid: '1' }], AT);
    assert.deepEqual(answer, { ok: false, error: 'the gateway is unavailable (could not be reached (ECONNREFUSED))' });
  });
});

describe('the examples in docs/integrations.md', () => {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/integrations.md', import.meta.url)), 'utf8');
  const start = doc.indexOf('## Network barring (HTTP provisioning)');
  // Up to the next section: the eSIM and events sections have YAML examples of their own.
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => (parse(m[1] as string) as { integrations: { network: Record<string, unknown> } }).integrations.network);

  test('both examples are accepted as written and bar through a gateway that answers as they expect', async () => {
    assert.equal(examples.length, 2);
    const gw = await startGateway((r) => (r.headers['content-type']?.startsWith('text/xml') ? { status: 200, body: '<Envelope><Body><SetResponse/></Body></Envelope>' } : { status: 200, body: '{"result":"OK"}' }));
    try {
      for (const example of examples) {
        // The documented address and client certificate are the operator's; here the gateway is local and plain HTTP.
        const { tls: _tls, ...local }: Record<string, unknown> = { ...example, url: String(example.url).replace(/^https:\/\/[^/]+/, gw.url) };
        const hlr = adapterFor(local, { SIMEXIT_PG_TOKEN: 'tok' });
        assert.deepEqual(await hlr.bar([{ key: KEY, msisdn: '79991234567', iccid: '8970100000000000001' }], AT), [{ ok: true }], String(example.url));
      }
      assert.equal(gw.received[0]?.url, '/api/v2/subscribers/79991234567/barring');
      assert.equal(JSON.parse(gw.received[0]?.body ?? '').transactionId, KEY);
      assert.match(gw.received[1]?.body ?? '', /<cai3:TransactionId>01JDORDER0000000000000000:network\.bar<\/cai3:TransactionId>/);
    } finally {
      await gw.close();
    }
  });
});
