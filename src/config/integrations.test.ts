import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Type as T } from '@sinclair/typebox';
import { AppError } from '../domain/errors.ts';
import { composeApp } from './compose.ts';
import { readEnv } from './env.ts';
import { integrationsOf, integrationPart, secretValue } from './integrations.ts';
import { DEFAULT_CONFIG, loadPolicy } from './load-config.ts';
import { configReasonOf } from './config-problem.test-support.ts';

const reasonOf = configReasonOf;

test('the default operator file has no integrations: every adapter is the built-in one', () => {
  assert.deepEqual(integrationsOf(loadPolicy(undefined, { fallback: 'http://localhost:8080' }).integrations), {});
});

test('a part that does not match its schema names each key and what was found', () => {
  const schema = T.Object({ url: T.String({ pattern: '^https://' }), timeoutMs: T.Integer({ minimum: 1 }) }, { additionalProperties: false });
  const reason = reasonOf(() => integrationPart({ esim: { url: 'http://x', timeoutMs: 0 } }, 'esim', schema));
  assert.match(reason, /integrations\.esim\.url: .*"http:\/\/x"/);
  assert.match(reason, /integrations\.esim\.timeoutMs: .*0/);
  assert.equal(integrationPart({}, 'esim', schema), undefined);
});

test('secrets come from a variable or a file, never the file itself; a missing one names the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simexit-secret-'));
  writeFileSync(join(dir, 'token'), 's3cret\n');
  assert.equal(secretValue({ file: join(dir, 'token') }, 'integrations.network.token'), 's3cret');
  assert.equal(secretValue({ env: 'X_TOKEN' }, 'k', { X_TOKEN: 'abc' }), 'abc');
  assert.match(reasonOf(() => secretValue({ env: 'NOPE_NOT_SET' }, 'integrations.network.token', {})), /integrations\.network\.token: .*NOPE_NOT_SET/);
  assert.match(reasonOf(() => secretValue({ file: join(dir, 'missing') }, 'integrations.events.secret')), /integrations\.events\.secret: .*readable file/);
  const file = join(dir, 'op.yaml');
  writeFileSync(file, `${readFileSync(DEFAULT_CONFIG, 'utf8')}\nintegrations:\n  network: { url: "https://hlr" }\n`);
  assert.deepEqual(integrationsOf(loadPolicy(file, { fallback: 'http://localhost:8080' }).integrations), { network: { url: 'https://hlr' } });
  assert.match(reasonOf(() => integrationsOf(['network'])), /integrations: expected a mapping/);
});

test('a part of an unknown name stops start-up naming it, rather than leave the built-in adapter running', () => {
  assert.match(reasonOf(() => integrationsOf({ esims: { kind: 'es2plus' } })), /integrations\.esims: expected one of the parts network, esim, events, oidc/);
  assert.deepEqual(Object.keys(integrationsOf({ network: {}, esim: {}, events: {}, oidc: {} })), ['network', 'esim', 'events', 'oidc']);
});

test('through start-up: a misspelt part stops it once, naming the key, before any store is opened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'simexit-parts-'));
  const file = join(dir, 'operator.yaml');
  writeFileSync(file, `${readFileSync(DEFAULT_CONFIG, 'utf8')}\nintegrations:\n  esims:\n    kind: es2plus\n`);
  const env = readEnv({ SIMEXIT_CONFIG: file, SIMEXIT_DEMO: '1', SIMEXIT_DB: `sqlite:${join(dir, 'never.db')}`, SIMEXIT_DATA: dir });
  await assert.rejects(composeApp(env, { schema: 'migrate' }), (e: unknown) => {
    const reason = e instanceof AppError && e.code === 'CONFIG_INVALID' ? String(e.details.reason) : '';
    return /integrations\.esims: expected one of the parts/.test(reason) && reason.split('integrations.esims').length === 2;
  });
  assert.throws(() => readFileSync(join(dir, 'never.db')), 'no store was opened');
});
