import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import { oidcSettingsOf } from './oidc.ts';

const reasonOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'CONFIG_INVALID', String(e));
    return String(e.details.reason);
  }
  assert.fail('expected CONFIG_INVALID');
};

const good = { issuer: 'https://id.example.gov', clientId: 'simexit', clientSecret: { env: 'TEST_OIDC_SECRET' }, displayName: 'Gosuslugi' };

test('no oidc part: no external sign-in', () => {
  assert.equal(oidcSettingsOf({}), undefined);
});

test('an oidc part is read with its secret from the environment and the phone scope by default', () => {
  const s = oidcSettingsOf({ oidc: good }, { TEST_OIDC_SECRET: 'sh' });
  assert.deepEqual([s?.clientSecret, s?.scopes, s?.displayName], ['sh', ['phone'], 'Gosuslugi']);
});

test('a misconfiguration names the key and what was expected', () => {
  assert.match(reasonOf(() => oidcSettingsOf({ oidc: { ...good, issuer: 'ftp://x' } }, { TEST_OIDC_SECRET: 's' })), /integrations\.oidc\.issuer/);
  assert.match(reasonOf(() => oidcSettingsOf({ oidc: { ...good, clientId: undefined } }, { TEST_OIDC_SECRET: 's' })), /integrations\.oidc\.clientId/);
  assert.match(reasonOf(() => oidcSettingsOf({ oidc: { ...good, issuer: 'http://id.example.gov' } }, { TEST_OIDC_SECRET: 's' })), /integrations\.oidc\.issuer: expected an https:\/\/ address/);
  assert.match(reasonOf(() => oidcSettingsOf({ oidc: good }, {})), /integrations\.oidc\.clientSecret: expected the environment variable TEST_OIDC_SECRET/);
  assert.match(reasonOf(() => oidcSettingsOf({ oidc: { ...good, colour: 'red' } }, { TEST_OIDC_SECRET: 's' })), /integrations\.oidc\.colour: Unexpected property/);
});
