import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import { esimSettingsOf } from './esim.ts';

const dir = mkdtempSync(join(tmpdir(), 'simexit-esim-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const file = (name: string, text = PEM) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { file: path };
};
const complete = () => ({
  kind: 'es2plus',
  url: 'https://smdp.example:8443',
  functionRequesterIdentifier: '1.3.6.1.4.1.99999.7',
  clientCert: file('client.pem'),
  clientKey: file('client.key'),
  ca: file('ca.pem'),
  timeoutMs: 8000,
  notifications: { port: 9443, serverCert: file('server.pem'), serverKey: file('server.key'), clientCa: file('smdp-ca.pem'), deletePoints: ['Delete', 8] },
});

const reasonOf = (esim: unknown, env: NodeJS.ProcessEnv = {}): string => {
  try {
    esimSettingsOf({ esim }, env);
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'CONFIG_INVALID', String(e));
    return String(e.details.reason);
  }
  assert.fail('expected CONFIG_INVALID');
};

test('no esim part, or kind builtin: the built-in adapter, no listener', () => {
  assert.deepEqual(esimSettingsOf({}), {});
  assert.deepEqual(esimSettingsOf({ esim: { kind: 'builtin' } }), {});
});

test('es2plus reads every secret as PEM and the notification points as lower-case text', () => {
  const s = esimSettingsOf({ esim: complete() });
  assert.equal(s.client?.url, 'https://smdp.example:8443');
  assert.equal(s.client?.clientCert, PEM.trimEnd());
  assert.equal(s.client?.timeoutMs, 8000);
  assert.equal(s.client?.smdpAddress, undefined, 'activation codes name the host of url unless told');
  assert.equal(esimSettingsOf({ esim: { ...complete(), smdpAddress: 'rsp.example.net' } }).client?.smdpAddress, 'rsp.example.net');
  assert.deepEqual(s.notifications?.deletePoints, ['delete', '8']);
  assert.deepEqual(s.notifications?.disablePoints, ['disable']);
  assert.equal(s.notifications?.host, '0.0.0.0');
  assert.deepEqual(s.notifications?.clientNames, [], 'no names: any certificate clientCa signed');
  const pinned = esimSettingsOf({ esim: { ...complete(), notifications: { ...complete().notifications, clientNames: ['SMDP.example.net'] } } });
  assert.deepEqual(pinned.notifications?.clientNames, ['smdp.example.net']);
});

test('each misconfiguration is CONFIG_INVALID naming its key', () => {
  assert.match(reasonOf({ ...complete(), url: undefined }), /integrations\.esim\.url: expected the SM-DP\+ ES2\+ address/);
  assert.match(reasonOf({ ...complete(), url: 'http://smdp.example' }), /integrations\.esim\.url/);
  assert.match(reasonOf({ ...complete(), functionRequesterIdentifier: undefined }), /integrations\.esim\.functionRequesterIdentifier/);
  assert.match(reasonOf({ ...complete(), smdpAddress: 'https://rsp.example.net/' }), /integrations\.esim\.smdpAddress/);
  assert.match(reasonOf({ ...complete(), clientKey: undefined }), /integrations\.esim\.clientKey/);
  assert.match(reasonOf({ ...complete(), clientCert: { file: join(dir, 'missing.pem') } }), /integrations\.esim\.clientCert: expected a readable file/);
  assert.match(reasonOf({ ...complete(), clientCert: file('not-pem.txt', 'hello') }), /integrations\.esim\.clientCert: expected a PEM file/);
  const leaked = reasonOf({ ...complete(), clientKey: file('der-key.txt', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg') });
  assert.match(leaked, /integrations\.esim\.clientKey: expected a PEM file/);
  assert.ok(!leaked.includes('MIGHAgEA'), `the key's content stays out of the message: ${leaked}`);
  assert.match(reasonOf({ ...complete(), clientCert: { env: 'ES2_CERT_UNSET' } }), /integrations\.esim\.clientCert: .*ES2_CERT_UNSET/);
  assert.match(reasonOf({ ...complete(), timeoutMs: 5 }), /integrations\.esim\.timeoutMs/);
  assert.match(reasonOf({ ...complete(), kind: 'smdp' }), /integrations\.esim\.kind/);
  assert.match(reasonOf({ ...complete(), notifications: { ...complete().notifications, clientCa: undefined } }), /integrations\.esim\.notifications\.clientCa/);
  assert.match(reasonOf({ kind: 'builtin', notifications: complete().notifications }), /integrations\.esim\.notifications: expected kind: es2plus/);
  assert.match(reasonOf({ ...complete(), surprise: 1 }), /integrations\.esim/);
  assert.match(reasonOf({ ...complete(), notifications: { ...complete().notifications, clientNames: [''] } }), /integrations\.esim\.notifications\.clientNames/);
});
