import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import { composeApp } from '../compose.ts';
import { readEnv } from '../env.ts';
import { DEFAULT_CONFIG } from '../load-config.ts';
import { networkSettingsOf } from './network.ts';
import { configReasonOf } from '../config-problem.test-support.ts';

const reasonOf = configReasonOf;
const json = { format: 'json', template: '{"msisdn":"{{msisdn}}"}' };
const http = (extra: Record<string, unknown>) => ({ network: { kind: 'http', url: 'https://pg.example/bar', body: json, ...extra } });

test('without integrations.network or SIMEXIT_HLR_URL the built-in record bars; SIMEXIT_HLR_URL keeps its fixed request', () => {
  assert.deepEqual(networkSettingsOf({}, {}), { kind: 'builtin' });
  assert.deepEqual(networkSettingsOf({ network: { kind: 'builtin' } }, {}), { kind: 'builtin' });
  const legacy = networkSettingsOf({}, { hlrUrl: 'https://hlr.example/api/', hlrToken: 't0k' });
  assert.equal(legacy.kind, 'http');
  if (legacy.kind !== 'http') return;
  assert.equal(legacy.gateway.url, 'https://hlr.example/api/barrings');
  assert.deepEqual(legacy.gateway.headers, { 'Idempotency-Key': { template: '{{key}}' }, Authorization: { literal: 'Bearer t0k' } });
  assert.equal(legacy.gateway.retryRefused, true, 'a refusal is retried, as before');
});

test('a wrong choice names its key and what was expected', () => {
  assert.match(reasonOf(() => networkSettingsOf(http({ body: { format: 'xml', template: '<a/>' } }), {})), /^integrations\.network\.body\.format: expected json or soap \(found "xml"\)$/);
  assert.match(reasonOf(() => networkSettingsOf({ network: { kind: 'hlr' } }, {})), /integrations\.network\.kind: expected builtin or http \(found "hlr"\)/);
  assert.match(reasonOf(() => networkSettingsOf(http({ method: 'DELETE' }), {})), /integrations\.network\.method: expected POST, PUT, PATCH/);
  assert.match(reasonOf(() => networkSettingsOf({ network: { kind: 'builtin', url: 'https://x' } }, {})), /integrations\.network: expected no other settings with kind builtin/);
  assert.match(reasonOf(() => networkSettingsOf(http({ timeoutMs: 5 }), {})), /integrations\.network\.timeoutMs: .*5/);
  assert.match(reasonOf(() => networkSettingsOf(http({ retries: 3 }), {})), /integrations\.network\.retries/);
  assert.match(reasonOf(() => networkSettingsOf(http({ timeoutMs: 20_000, attempts: 2 }), {}, {}, 60)), /integrations\.network\.timeoutMs: expected attempts × timeoutMs well inside worker\.leaseSeconds \(60 s\)/);
  assert.equal(networkSettingsOf(http({ timeoutMs: 10_000, attempts: 2 }), {}, {}, 60).kind, 'http');
});

test('templates are checked at start-up: an unknown placeholder, a body that is not JSON or XML, an address that is not http(s)', () => {
  assert.match(reasonOf(() => networkSettingsOf(http({ body: { format: 'json', template: '{"m":"{{msidsn}}"}' } }), {})), /integrations\.network\.body\.template: expected only the placeholders \{\{msisdn\}\}, \{\{iccid\}\}, \{\{key\}\}, \{\{at\}\} \(found \["msidsn"\]\)/);
  assert.match(reasonOf(() => networkSettingsOf(http({ body: { format: 'json', template: '{"msisdn": {{msisdn}}}' } }), {})), /integrations\.network\.body\.template: expected a JSON document once the placeholders are filled/);
  assert.match(reasonOf(() => networkSettingsOf(http({ body: { format: 'soap', template: '<Envelope><Body>{{msisdn}}</Bdy></Envelope>' } }), {})), /integrations\.network\.body\.template: expected an XML document/);
  assert.match(reasonOf(() => networkSettingsOf(http({ url: 'ftp://pg.example' }), {})), /integrations\.network\.url: expected an address starting with http:\/\/ or https:\/\//);
  assert.match(reasonOf(() => networkSettingsOf(http({ headers: { 'X-Id': '{{order}}' } }), {})), /integrations\.network\.headers\.X-Id: expected only the placeholders/);
  assert.match(reasonOf(() => networkSettingsOf(http({ success: { path: 'result' } }), {})), /integrations\.network\.success: expected path and equals together/);
});

test('secrets come from the environment or files; a missing one names the header or TLS key asking for it; every problem at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simexit-net-'));
  writeFileSync(join(dir, 'client.pem'), '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n');
  const reason = reasonOf(() =>
    networkSettingsOf(
      http({
        url: 'http://pg.example/bar',
        headers: { Authorization: { secret: { env: 'PG_TOKEN' }, prefix: 'Bearer ' } },
        tls: { cert: { file: join(dir, 'client.pem') }, key: { file: join(dir, 'client.key') } },
      }),
      {},
      {},
    ),
  );
  assert.match(reason, /integrations\.network\.headers\.Authorization: expected the environment variable PG_TOKEN to be set/);
  assert.match(reason, /integrations\.network\.tls: expected an https:\/\/ url/);
  assert.match(reason, /integrations\.network\.tls\.key: expected a readable file .*client\.key/);
  const good = networkSettingsOf(http({ headers: { Authorization: { env: 'PG_AUTH' } }, tls: { cert: { file: join(dir, 'client.pem') }, key: { env: 'PG_KEY' } } }), {}, { PG_AUTH: 'Basic dXNlcjpwdw==', PG_KEY: 'KEY PEM' });
  assert.ok(good.kind === 'http');
  assert.deepEqual(good.gateway.headers, { Authorization: { literal: 'Basic dXNlcjpwdw==' } });
  assert.match(good.gateway.tls?.cert ?? '', /BEGIN CERTIFICATE/);
  assert.equal(good.gateway.tls?.key, 'KEY PEM');
  assert.match(reasonOf(() => networkSettingsOf(http({}), { hlrUrl: 'https://hlr.example' })), /SIMEXIT_HLR_URL: expected to be unset when integrations\.network is given/);
});

test('a misconfigured gateway in the operator file stops start-up, naming the key, before any store is opened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simexit-net-'));
  const file = join(dir, 'operator.yaml');
  writeFileSync(file, `${readFileSync(DEFAULT_CONFIG, 'utf8')}\nintegrations:\n  network:\n    kind: http\n    url: https://pg.example/cai3g\n    body: { format: xml, template: "<a/>" }\n`);
  const env = readEnv({ SIMEXIT_CONFIG: file, SIMEXIT_DEMO: '1', SIMEXIT_DB: `sqlite:${join(dir, 'never.db')}`, SIMEXIT_DATA: dir });
  await assert.rejects(composeApp(env, { schema: 'migrate' }), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID' && /integrations\.network\.body\.format: expected json or soap/.test(String(e.details.reason)));
  assert.throws(() => readFileSync(join(dir, 'never.db')), 'no store was opened');
});
